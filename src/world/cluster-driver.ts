// Drives one cluster: its HTTP cache and the Receivers of its edge servers. Requests between a
// Receiver and its own cluster's cache cross a LAN and are answered synchronously (their sub-millisecond
// delay is added to the install time); everything that leaves the cluster goes through the World and
// the network model as real events.
//
// Two event organisations give the same deliveries (test/world/delivery.test.ts):
// - 'cohort' (the default): one kernel entry per cluster that steps through its Receivers' poll times in
//   order, so the kernel's queue holds about one entry per cluster instead of one per edge server;
// - 'per-receiver': the straightforward model, one kernel event per poll.
import type { EventTarget, Simulator } from '../kernel/simulator.js';
import type { Address, MachineInput, MachineOutput } from '../kernel/machine.js';
import type { HttpCache, HttpCacheCommand, HttpCacheObservation } from '../acms/http-cache.js';
import type { Receiver, ReceiverCommand } from '../acms/receiver.js';
import type { DeliveryMessage, DeliveryObservation } from '../acms/delivery-messages.js';

export type PollOrganisation = 'cohort' | 'per-receiver';

/** What a cluster needs from the world around it. */
export interface ClusterEnvironment {
  readonly sim: Simulator;
  /** Sends a message from the cluster cache out over the network. */
  sendUpstream(nowUs: number, from: Address, to: Address, message: DeliveryMessage, sizeBytes: number): void;
  /** A Receiver installed a version; installUs includes the LAN transfer from the cluster cache. */
  recordInstall(installUs: number, edgeServerIndex: number, fileId: number, versionKey: number, previousKey: number): void;
  /**
   * Polls before this time (exclusive) may run ahead of the kernel's clock: nothing the cluster depends on
   * can change before it (the next fault transition that concerns this cluster, or just past the end of the run).
   */
  runAheadLimitUs(nowUs: number, clusterIndex: number): number;
}

const KIND_COHORT = 1;
const KIND_POLL = 2;
const KIND_CACHE_TIMER = 3;

const LOCAL_INDEX_GET = 0;
const LOCAL_FILE_GET = 1;
const LOCAL_RESPONSE = 2;
/** A file answer or failure from the cache, copied into the queue's numbers (the cache reuses its local records). */
const LOCAL_FILE_RESPONSE = 3;
const LOCAL_FAILED = 4;

type CacheInput = MachineInput<DeliveryMessage, HttpCacheCommand>;
type ReceiverInput = MachineInput<DeliveryMessage, ReceiverCommand>;

export class ClusterDriver implements EventTarget {
  readonly targetId: number;
  private readonly nextPollUs: Float64Array;
  private readonly receiverUp: Uint8Array;
  private cacheUp = true;
  private cohortAtUs = Infinity;
  private cohortToken = -1;
  private readonly pollTokens: Float64Array;
  private localReceiver = 0;
  /**
   * The cache's one timer (its request time-outs), run by this driver rather than through the World's keyed
   * timers. Most requests are answered long before their deadline, so a kernel event per request (scheduled,
   * then cancelled) would be wasted work: instead one event stays scheduled, and when it finds the deadline
   * moved later (the timer cleared and armed again since), it moves itself there. The cache's timer still
   * fires exactly at its deadline.
   */
  private cacheTimerAtUs = Infinity;
  private cacheTimerEventAtUs = Infinity;
  private cacheTimerToken = -1;
  private cacheTimerName = '';
  private localPollUs = 0;

  // A FIFO of local exchanges, struct-of-arrays, so machine outputs are copied out before the next call.
  private queueKind = new Uint8Array(64);
  private queueReceiver = new Int32Array(64);
  private queueNumberA = new Float64Array(64);
  private queueNumberB = new Float64Array(64);
  private queueNumberC = new Float64Array(64);
  private queueMessage: (DeliveryMessage | null)[] = new Array<DeliveryMessage | null>(64).fill(null);
  private queueHead = 0;
  private queueTail = 0;

  // Scratch inputs, rewritten for every local exchange (machines copy what they keep).
  private readonly scratchIndexGet = { type: 'indexGet' as const, requestId: 0, ifModifiedSinceUs: -1 };
  private readonly scratchFileGet = { type: 'fileGet' as const, requestId: 0, fileId: 0, versionKey: 0, sizeBytes: 0 };
  private readonly scratchCacheInput: { type: 'receive'; from: Address; message: DeliveryMessage };
  private readonly scratchReceiverInput: { type: 'receive'; from: Address; message: DeliveryMessage };
  private readonly pollInput: ReceiverInput = { type: 'timer', timer: 'poll' };
  private readonly scratchFileResponse = { type: 'fileResponse' as const, requestId: 0, fileId: 0, versionKey: 0, found: true, sizeBytes: 0 };
  private readonly scratchFailed = { type: 'requestFailed' as const, requestId: 0, fileId: 0, versionKey: 0 };
  private readonly upstreamInput: { type: 'receive'; from: Address; message: DeliveryMessage };

  constructor(
    readonly clusterIndex: number,
    readonly cacheAddress: Address,
    /** Address and edge-server index of the first Receiver; the rest follow contiguously. */
    readonly firstReceiverAddress: Address,
    readonly firstEdgeServerIndex: number,
    readonly cache: HttpCache,
    readonly receivers: readonly Receiver[],
    /** Per Receiver: LAN round trip to the cache, and LAN bandwidth, for install times. */
    private readonly lanRttUs: Float64Array,
    private readonly lanBytesPerS: number,
    private readonly env: ClusterEnvironment,
    readonly organisation: PollOrganisation,
    targetId: number,
  ) {
    this.targetId = targetId;
    this.nextPollUs = new Float64Array(receivers.length).fill(Infinity);
    this.pollTokens = new Float64Array(receivers.length).fill(-1);
    this.receiverUp = new Uint8Array(receivers.length).fill(1);
    this.scratchCacheInput = { type: 'receive', from: firstReceiverAddress, message: this.scratchIndexGet };
    this.scratchReceiverInput = { type: 'receive', from: cacheAddress, message: this.scratchIndexGet };
    this.upstreamInput = { type: 'receive', from: cacheAddress, message: this.scratchIndexGet };
  }

  /** Starts every Receiver (first polls at random phases). */
  start(nowUs: number): void {
    for (let i = 0; i < this.receivers.length; i++) this.commandReceiver(nowUs, i, { type: 'start' });
  }

  /** An edge server went down or came back. */
  setReceiverUp(nowUs: number, edgeServerIndex: number, up: boolean): void {
    const i = edgeServerIndex - this.firstEdgeServerIndex;
    if ((this.receiverUp[i] === 1) === up) return;
    this.receiverUp[i] = up ? 1 : 0;
    this.commandReceiver(nowUs, i, up ? { type: 'start' } : { type: 'stop' });
  }

  /** The cluster cache went down (its requests in flight are lost) or came back (empty if diskLost). */
  setCacheUp(nowUs: number, up: boolean, diskLost: boolean): void {
    this.cacheUp = up;
    if (!up || diskLost) this.applyCacheOutputs(nowUs, this.cache.handle(nowUs, { type: 'command', command: { type: 'wipe' } }));
    this.drain(nowUs);
  }

  /** A message for the cluster cache arrived over the network (an upstream answer). */
  deliverToCache(nowUs: number, from: Address, message: DeliveryMessage): void {
    if (!this.cacheUp) return;
    const input = this.upstreamInput;
    input.from = from;
    input.message = message;
    this.applyCacheOutputs(nowUs, this.cache.handle(nowUs, input));
    this.drain(nowUs);
    this.resume(nowUs);
  }

  /** After an answer from upstream the cluster may be able to step ahead again without waiting for a poll event. */
  private resume(nowUs: number): void {
    if (this.organisation !== 'cohort') return;
    this.runAhead(nowUs);
    this.armCohort();
  }

  /** A cache timer fired (request time-out). */
  cacheTimer(nowUs: number, timer: string): void {
    if (!this.cacheUp) return;
    this.applyCacheOutputs(nowUs, this.cache.handle(nowUs, { type: 'timer', timer }));
    this.drain(nowUs);
    this.resume(nowUs);
  }

  onEvent(nowUs: number, kind: number, arg: unknown): void {
    if (kind === KIND_CACHE_TIMER) {
      this.cacheTimerToken = -1;
      this.cacheTimerEventAtUs = Infinity;
      if (this.cacheTimerAtUs <= nowUs) {
        this.cacheTimerAtUs = Infinity;
        this.cacheTimer(nowUs, this.cacheTimerName);
      } else if (this.cacheTimerAtUs !== Infinity) {
        this.scheduleCacheTimerEvent(this.cacheTimerAtUs);
      }
      return;
    }
    if (kind === KIND_POLL) {
      const i = arg as number;
      this.pollTokens[i] = -1;
      this.poll(nowUs, i);
      return;
    }
    // Cohort: run the earliest due poll (lowest index first among equals), step through the following
    // polls that the cluster can answer on its own, then re-arm at the next poll.
    this.cohortToken = -1;
    this.cohortAtUs = Infinity;
    const i = this.earliestPoll();
    if (i >= 0 && (this.nextPollUs[i] as number) <= nowUs && !this.pollHere(nowUs, i)) this.poll(nowUs, i);
    this.runAhead(nowUs);
    this.armCohort();
  }

  /**
   * Steps through polls in time order, ahead of the kernel's clock, while they touch nothing outside the
   * cluster: the poll comes before the next fault transition that concerns the cluster, its Receiver waits
   * for no answer, and the cache can answer it whole (Receiver.pollLocally). The first poll that fails any
   * of these is left for a kernel event at its own time.
   */
  private runAhead(nowUs: number): void {
    if (!this.cacheUp) return;
    const limitUs = this.env.runAheadLimitUs(nowUs, this.clusterIndex);
    for (;;) {
      const i = this.earliestPoll();
      if (i < 0) return;
      const atUs = this.nextPollUs[i] as number;
      if (atUs >= limitUs) return;
      // A Receiver still waiting for a file could get its answer (or a failure) before this poll.
      if (atUs > nowUs && (this.receivers[i] as Receiver).awaitingAnswers) return;
      if (!this.pollHere(atUs, i)) return;
    }
  }

  /**
   * Runs receiver i's poll due at atUs through Receiver.pollLocally if the cluster cache can answer it whole;
   * false (nothing changed) if not. An answer from upstream still outstanding does not matter here: it can
   * only add files that this poll does not ask for (see HttpCache.localHitSizeBytes), and a root index
   * being revalidated is stale, so pollLocally refuses.
   */
  private pollHere(atUs: number, i: number): boolean {
    if (!this.cacheUp) return false;
    this.localReceiver = i;
    this.localPollUs = atUs;
    const receiver = this.receivers[i] as Receiver;
    if (!receiver.pollLocally(atUs, this.cache, this.localSink)) return false;
    this.nextPollUs[i] = receiver.nextPollAtUs;
    return true;
  }

  private readonly localSink = (fileId: number, versionKey: number, previousKey: number, sizeBytes: number): void => {
    this.recordInstall(this.localPollUs, this.localReceiver, fileId, versionKey, previousKey, sizeBytes);
  };

  private recordInstall(nowUs: number, i: number, fileId: number, versionKey: number, previousKey: number, sizeBytes: number): void {
    const installUs = nowUs + Math.round((this.lanRttUs[i] as number) + (sizeBytes * 1e6) / this.lanBytesPerS);
    this.env.recordInstall(installUs, this.firstEdgeServerIndex + i, fileId, versionKey, previousKey);
  }

  private poll(nowUs: number, i: number): void {
    this.nextPollUs[i] = Infinity;
    this.runReceiver(nowUs, i, this.pollInput);
    this.drain(nowUs);
  }

  private commandReceiver(nowUs: number, i: number, command: ReceiverCommand): void {
    this.runReceiver(nowUs, i, { type: 'command', command });
    this.drain(nowUs);
    if (this.organisation === 'cohort') this.armCohort();
  }

  private earliestPoll(): number {
    const next = this.nextPollUs;
    let best = -1;
    let bestUs = Infinity;
    for (let i = 0; i < next.length; i++) {
      const atUs = next[i] as number;
      if (atUs < bestUs) {
        bestUs = atUs;
        best = i;
      }
    }
    return best;
  }

  private armCohort(): void {
    const i = this.earliestPoll();
    const atUs = i < 0 ? Infinity : (this.nextPollUs[i] as number);
    if (atUs === this.cohortAtUs) return;
    if (this.cohortToken >= 0) this.env.sim.cancel(this.cohortToken);
    this.cohortToken = -1;
    this.cohortAtUs = atUs;
    if (atUs !== Infinity) this.cohortToken = this.env.sim.scheduleAt(Math.max(atUs, this.env.sim.nowUs), this, KIND_COHORT, 0);
  }

  /** Calls a Receiver and copies its outputs into the local queue before anything else runs. */
  private runReceiver(nowUs: number, i: number, input: ReceiverInput): void {
    this.takeReceiverOutputs(nowUs, i, (this.receivers[i] as Receiver).handle(nowUs, input));
  }

  private takeReceiverOutputs(nowUs: number, i: number, outputs: readonly MachineOutput<DeliveryMessage, DeliveryObservation>[]): void {
    for (let k = 0; k < outputs.length; k++) {
      const output = outputs[k] as MachineOutput<DeliveryMessage, DeliveryObservation>;
      switch (output.type) {
        case 'send': {
          const message = output.message;
          if (message.type === 'indexGet') this.enqueue(LOCAL_INDEX_GET, i, message.ifModifiedSinceUs, 0, 0, null);
          else if (message.type === 'fileGet') this.enqueue(LOCAL_FILE_GET, i, message.fileId, message.versionKey, message.sizeBytes, null);
          else throw new Error(`a Receiver sent ${message.type}`);
          break;
        }
        case 'setTimer':
          this.setPoll(i, output.atUs);
          break;
        case 'clearTimer':
          this.setPoll(i, Infinity);
          break;
        case 'observe': {
          const installed = output.observation;
          this.recordInstall(nowUs, i, installed.fileId, installed.versionKey, installed.previousKey, installed.sizeBytes);
          break;
        }
      }
    }
  }

  private setPoll(i: number, atUs: number): void {
    this.nextPollUs[i] = atUs;
    if (this.organisation === 'per-receiver') {
      const token = this.pollTokens[i] as number;
      if (token >= 0) this.env.sim.cancel(token);
      this.pollTokens[i] = atUs === Infinity ? -1 : this.env.sim.scheduleAt(atUs, this, KIND_POLL, i);
    }
  }

  /** Runs queued local exchanges until none is left. */
  private drain(nowUs: number): void {
    while (this.queueHead !== this.queueTail) {
      const slot = this.queueHead;
      this.queueHead = (slot + 1) & (this.queueKind.length - 1);
      const kind = this.queueKind[slot] as number;
      const i = this.queueReceiver[slot] as number;
      if (kind === LOCAL_RESPONSE) {
        const message = this.queueMessage[slot] as DeliveryMessage;
        this.queueMessage[slot] = null;
        if (this.receiverUp[i] === 0) continue;
        if (message.type === 'indexResponse' && this.cacheUp) {
          // Files the cache holds are installed at once instead of a request and an answer each through this queue.
          this.localReceiver = i;
          this.localPollUs = nowUs;
          this.takeReceiverOutputs(nowUs, i, (this.receivers[i] as Receiver).receiveIndexLocally(message.view, this.cache, this.localSink));
          continue;
        }
        this.scratchReceiverInput.message = message;
        this.runReceiver(nowUs, i, this.scratchReceiverInput);
        continue;
      }
      const a = this.queueNumberA[slot] as number;
      const b = this.queueNumberB[slot] as number;
      const c = this.queueNumberC[slot] as number;
      if (kind === LOCAL_FILE_RESPONSE || kind === LOCAL_FAILED) {
        if (this.receiverUp[i] === 0) continue;
        let message: DeliveryMessage;
        if (kind === LOCAL_FILE_RESPONSE) {
          const response = this.scratchFileResponse;
          response.fileId = a;
          response.versionKey = b;
          response.sizeBytes = c;
          message = response;
        } else {
          const failed = this.scratchFailed;
          failed.fileId = a;
          failed.versionKey = b;
          message = failed;
        }
        this.scratchReceiverInput.message = message;
        this.runReceiver(nowUs, i, this.scratchReceiverInput);
        continue;
      }
      if (!this.cacheUp) {
        // Connection refused: the Receiver retries on its next poll.
        const failed: DeliveryMessage = kind === LOCAL_INDEX_GET
          ? { type: 'requestFailed', requestId: 0, fileId: -1, versionKey: -1 }
          : { type: 'requestFailed', requestId: 0, fileId: a, versionKey: b };
        this.enqueue(LOCAL_RESPONSE, i, 0, 0, 0, failed);
        continue;
      }
      const input = this.scratchCacheInput;
      input.from = this.firstReceiverAddress + i;
      if (kind === LOCAL_INDEX_GET) {
        this.scratchIndexGet.ifModifiedSinceUs = a;
        input.message = this.scratchIndexGet;
      } else {
        this.scratchFileGet.fileId = a;
        this.scratchFileGet.versionKey = b;
        this.scratchFileGet.sizeBytes = c;
        input.message = this.scratchFileGet;
      }
      this.applyCacheOutputs(nowUs, this.cache.handle(nowUs, input));
    }
  }

  private applyCacheOutputs(nowUs: number, outputs: readonly MachineOutput<DeliveryMessage, HttpCacheObservation>[]): void {
    for (let k = 0; k < outputs.length; k++) {
      const output = outputs[k] as MachineOutput<DeliveryMessage, HttpCacheObservation>;
      switch (output.type) {
        case 'send': {
          const local = output.to - this.firstReceiverAddress;
          if (local < 0 || local >= this.receivers.length) {
            this.env.sendUpstream(nowUs, this.cacheAddress, output.to, output.message, output.sizeBytes);
            break;
          }
          const message = output.message;
          if (message.type === 'fileResponse' && message.found) this.enqueue(LOCAL_FILE_RESPONSE, local, message.fileId, message.versionKey, message.sizeBytes, null);
          else if (message.type === 'requestFailed') this.enqueue(LOCAL_FAILED, local, message.fileId, message.versionKey, 0, null);
          else this.enqueue(LOCAL_RESPONSE, local, 0, 0, 0, message);
          break;
        }
        case 'setTimer':
          this.cacheTimerName = output.timer;
          this.cacheTimerAtUs = Math.max(output.atUs, this.env.sim.nowUs);
          if (this.cacheTimerEventAtUs > this.cacheTimerAtUs) this.scheduleCacheTimerEvent(this.cacheTimerAtUs);
          break;
        case 'clearTimer':
          this.clearCacheTimer();
          break;
        case 'observe':
          break;
      }
    }
  }

  /** The cache's timer is off; an event already scheduled for it stays, and will find nothing due. */
  private clearCacheTimer(): void {
    this.cacheTimerAtUs = Infinity;
  }

  private scheduleCacheTimerEvent(atUs: number): void {
    if (this.cacheTimerToken >= 0) this.env.sim.cancel(this.cacheTimerToken);
    this.cacheTimerEventAtUs = atUs;
    this.cacheTimerToken = this.env.sim.scheduleAt(atUs, this, KIND_CACHE_TIMER, 0);
  }

  private enqueue(kind: number, receiver: number, a: number, b: number, c: number, message: DeliveryMessage | null): void {
    let tail = this.queueTail;
    const next = (tail + 1) & (this.queueKind.length - 1);
    if (next === this.queueHead) {
      this.growQueue();
      tail = this.queueTail;
    }
    this.queueKind[tail] = kind;
    this.queueReceiver[tail] = receiver;
    this.queueNumberA[tail] = a;
    this.queueNumberB[tail] = b;
    this.queueNumberC[tail] = c;
    this.queueMessage[tail] = message;
    this.queueTail = (tail + 1) & (this.queueKind.length - 1);
  }

  /** Doubles the ring, unrolling it so that head is at 0. */
  private growQueue(): void {
    const oldLength = this.queueKind.length;
    const kind = new Uint8Array(oldLength * 2);
    const receiver = new Int32Array(oldLength * 2);
    const a = new Float64Array(oldLength * 2);
    const b = new Float64Array(oldLength * 2);
    const c = new Float64Array(oldLength * 2);
    const message = new Array<DeliveryMessage | null>(oldLength * 2).fill(null);
    let count = 0;
    for (let slot = this.queueHead; slot !== this.queueTail; slot = (slot + 1) & (oldLength - 1)) {
      kind[count] = this.queueKind[slot] as number;
      receiver[count] = this.queueReceiver[slot] as number;
      a[count] = this.queueNumberA[slot] as number;
      b[count] = this.queueNumberB[slot] as number;
      c[count] = this.queueNumberC[slot] as number;
      message[count] = this.queueMessage[slot] ?? null;
      count++;
    }
    this.queueKind = kind;
    this.queueReceiver = receiver;
    this.queueNumberA = a;
    this.queueNumberB = b;
    this.queueNumberC = c;
    this.queueMessage = message;
    this.queueHead = 0;
    this.queueTail = count;
  }
}
