// The reference host of a cluster: the pure machines (one HttpCache, one Receiver per edge server) driven
// through handle() only, one kernel event per poll. Exchanges between a Receiver and its own cluster's
// cache cross a LAN and are answered synchronously, in first-in first-out order (their sub-millisecond
// delay is added to the install time); everything that leaves the cluster goes through the World. Under push, the
// cache's notification to a Receiver is the exception: like a poll, the Receiver's turn is a kernel event of its own.
// Written for the reader, not for speed: the engine (engine.ts) must give the same deliveries.
import type { Address, MachineInput, MachineOutput } from '../../kernel/machine.js';
import { keyedRng } from '../../kernel/random.js';
import { HttpCache, type HttpCacheCommand, type HttpCacheObservation } from '../../acms/http-cache.js';
import { Receiver, type ReceiverCommand } from '../../acms/receiver.js';
import type { DeliveryMessage, DeliveryObservation } from '../../acms/delivery-messages.js';
import { lanInstallUs, type ClusterEnvironment, type ClusterPort, type ClusterSpec } from './port.js';

const KIND_POLL = 1;
const KIND_CACHE_TIMER = 2;
/** push: the cache told Receiver i its index changed; like a poll, the Receiver's turn is an event of its own. */
const KIND_NOTIFIED = 3;

type CacheInput = MachineInput<DeliveryMessage, HttpCacheCommand>;
type ReceiverInput = MachineInput<DeliveryMessage, ReceiverCommand>;

/** A local exchange waiting its turn: a message to the cache from Receiver i, or to Receiver i from the cache. */
interface LocalExchange {
  readonly toCache: boolean;
  readonly receiver: number;
  readonly message: DeliveryMessage;
}

export class ReferenceCluster implements ClusterPort {
  readonly targetId: number;
  readonly clusterIndex: number;
  readonly cache: HttpCache;
  readonly receivers: readonly Receiver[];
  private readonly receiverUp: Uint8Array;
  private cacheUp = true;
  private readonly pollTokens: Float64Array;
  private readonly cacheTimers = new Map<string, number>();
  private readonly queue: LocalExchange[] = [];

  constructor(private readonly spec: ClusterSpec, private readonly env: ClusterEnvironment) {
    this.targetId = spec.targetId;
    this.clusterIndex = spec.clusterIndex;
    const receiverAddresses: number[] = [];
    for (let i = 0; i < spec.receiverCount; i++) receiverAddresses.push(spec.firstReceiverAddress + i);
    this.cache = new HttpCache({ ...spec.cache, ...(spec.cache.notifyReceivers === true ? { notifyChildren: receiverAddresses } : {}) });
    const receivers: Receiver[] = [];
    for (let i = 0; i < spec.receiverCount; i++) {
      receivers.push(new Receiver({
        cache: spec.cacheAddress,
        fileCount: spec.receiver.fileCount,
        pollIntervalUs: spec.receiver.pollIntervalUs,
        pollJitter: spec.receiver.pollJitter,
        subscribed: null,
        rng: keyedRng(spec.receiverDrawSeed, spec.firstEdgeServerIndex + i),
      }));
    }
    this.receivers = receivers;
    this.receiverUp = new Uint8Array(receivers.length).fill(1);
    this.pollTokens = new Float64Array(receivers.length).fill(-1);
  }

  get cacheHits(): number {
    return this.cache.hits;
  }

  get cacheMisses(): number {
    return this.cache.misses;
  }

  start(nowUs: number): void {
    for (let i = 0; i < this.receivers.length; i++) this.runReceiver(nowUs, i, { type: 'command', command: { type: 'start' } });
    this.drain(nowUs);
  }

  setReceiverUp(nowUs: number, edgeServerIndex: number, up: boolean): void {
    const i = edgeServerIndex - this.spec.firstEdgeServerIndex;
    if ((this.receiverUp[i] === 1) === up) return;
    this.receiverUp[i] = up ? 1 : 0;
    this.runReceiver(nowUs, i, { type: 'command', command: up ? { type: 'start' } : { type: 'stop' } });
    this.drain(nowUs);
  }

  setCacheUp(nowUs: number, up: boolean, diskLost: boolean): void {
    this.cacheUp = up;
    if (!up || diskLost) this.runCache(nowUs, { type: 'command', command: { type: 'wipe' } });
    if (!up) {
      // The requests waiting on the cache lose their connections: each Receiver asks again at its next poll.
      for (let i = 0; i < this.receivers.length; i++) {
        if (this.receiverUp[i] === 1) this.runReceiver(nowUs, i, { type: 'command', command: { type: 'cacheLost' } });
      }
    }
    this.drain(nowUs);
  }

  deliverToCache(nowUs: number, from: Address, message: DeliveryMessage): void {
    if (!this.cacheUp) return;
    this.runCache(nowUs, { type: 'receive', from, message });
    this.drain(nowUs);
  }

  /** The reference takes every answer as an event at its arrival. */
  answerKnown(): boolean {
    return false;
  }

  onEvent(nowUs: number, kind: number, arg: unknown): void {
    if (kind === KIND_POLL) {
      const i = arg as number;
      this.pollTokens[i] = -1;
      this.runReceiver(nowUs, i, { type: 'timer', timer: 'poll' });
    } else if (kind === KIND_NOTIFIED) {
      const i = arg as number;
      if (this.receiverUp[i] === 1) this.runReceiver(nowUs, i, { type: 'receive', from: this.spec.cacheAddress, message: { type: 'notify', seq: 0 } });
    } else if (kind === KIND_CACHE_TIMER) {
      const timer = arg as string;
      this.cacheTimers.delete(timer);
      if (this.cacheUp) this.runCache(nowUs, { type: 'timer', timer });
    }
    this.drain(nowUs);
  }

  private runReceiver(nowUs: number, i: number, input: ReceiverInput): void {
    const outputs = (this.receivers[i] as Receiver).handle(nowUs, input);
    for (const output of outputs as readonly MachineOutput<DeliveryMessage, DeliveryObservation>[]) {
      switch (output.type) {
        case 'send':
          this.queue.push({ toCache: true, receiver: i, message: copyMessage(output.message) });
          break;
        case 'setTimer':
          this.setPoll(i, output.atUs);
          break;
        case 'clearTimer':
          this.setPoll(i, Infinity);
          break;
        case 'observe': {
          const installed = output.observation;
          const installUs = lanInstallUs(nowUs, this.spec.lanRttUs[i] as number, installed.sizeBytes, this.spec.lanBytesPerS);
          this.env.installs.add(installUs, this.spec.firstEdgeServerIndex + i, installed.fileId, installed.versionKey, installed.previousKey);
          break;
        }
      }
    }
  }

  private runCache(nowUs: number, input: CacheInput): void {
    const outputs = this.cache.handle(nowUs, input);
    for (const output of outputs as readonly MachineOutput<DeliveryMessage, HttpCacheObservation>[]) {
      switch (output.type) {
        case 'send': {
          const local = output.to - this.spec.firstReceiverAddress;
          if (local < 0 || local >= this.receivers.length) this.env.sendUpstream(nowUs, this.spec.cacheAddress, output.to, output.message, output.sizeBytes, false);
          else if (output.message.type === 'notify') this.env.sim.scheduleAt(nowUs, this, KIND_NOTIFIED, local);
          else this.queue.push({ toCache: false, receiver: local, message: copyMessage(output.message) });
          break;
        }
        case 'setTimer':
          this.setCacheTimer(output.timer, output.atUs);
          break;
        case 'clearTimer':
          this.setCacheTimer(output.timer, Infinity);
          break;
        case 'observe':
          if (output.observation.type === 'abandoned') this.env.abandon(nowUs, this.spec.cacheAddress, output.observation.target, output.observation.requestId, output.observation.sizeBytes);
          break;
      }
    }
  }

  private setPoll(i: number, atUs: number): void {
    const token = this.pollTokens[i] as number;
    if (token >= 0) this.env.sim.cancel(token);
    this.pollTokens[i] = atUs === Infinity ? -1 : this.env.sim.scheduleAt(atUs, this, KIND_POLL, i);
  }

  private setCacheTimer(timer: string, atUs: number): void {
    const token = this.cacheTimers.get(timer);
    if (token !== undefined) this.env.sim.cancel(token);
    this.cacheTimers.delete(timer);
    if (atUs !== Infinity) this.cacheTimers.set(timer, this.env.sim.scheduleAt(Math.max(atUs, this.env.sim.nowUs), this, KIND_CACHE_TIMER, timer));
  }

  /** Runs queued local exchanges, first in first out, until none is left. */
  private drain(nowUs: number): void {
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      const i = next.receiver;
      if (!next.toCache) {
        // An answer for a server that went down is lost with its connection.
        if (this.receiverUp[i] === 1) this.runReceiver(nowUs, i, { type: 'receive', from: this.spec.cacheAddress, message: next.message });
        continue;
      }
      if (this.cacheUp) {
        this.runCache(nowUs, { type: 'receive', from: this.spec.firstReceiverAddress + i, message: next.message });
        continue;
      }
      // Connection refused: the Receiver retries on its next poll.
      const message = next.message;
      const failed: DeliveryMessage = message.type === 'fileGet'
        ? { type: 'requestFailed', requestId: 0, fileId: message.fileId, versionKey: message.versionKey }
        : { type: 'requestFailed', requestId: 0, fileId: -1, versionKey: -1 };
      this.queue.push({ toCache: false, receiver: i, message: failed });
    }
  }
}

/** Machines reuse their output records between calls; a message that waits in the queue is copied first. */
function copyMessage(message: DeliveryMessage): DeliveryMessage {
  return { ...message } as DeliveryMessage;
}
