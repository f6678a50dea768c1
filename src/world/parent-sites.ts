// The parent cache sites as the World hosts them: each site's HttpCache (the pure machine, driven through
// handle() only), what its own inputs and outputs tell of its answers (ParentAnswers), the network gates of the
// versions it forwards while they arrive (cut-through), and what a cluster's request to it gets, as far as that
// is known when the request is sent. This is the part of the host a parent-site engine would take over
// (src/world/README.md): the World routes messages here and sends what comes out.
import type { Address, MachineOutput } from '../kernel/machine.js';
import type { Simulator } from '../kernel/index.js';
import type { FaultSchedule, Network, Topology } from '../network/index.js';
import { HttpCache, type HttpCacheObservation, type HttpCacheOptions } from '../acms/http-cache.js';
import { HTTP_NOT_MODIFIED_BYTES, HTTP_REQUEST_BYTES, type DeliveryMessage, type FileGetMessage, type FileResponseMessage, type IndexGetMessage } from '../acms/delivery-messages.js';
import { ParentAnswers } from './parent-answers.js';
import { BULK_TRANSFER_MIN_BYTES, isBulkFileAnswer } from './delivery-specs.js';

type CacheInput = Parameters<HttpCache['handle']>[1];
type CacheOutput = MachineOutput<DeliveryMessage, HttpCacheObservation>;

/** What the parent sites need of the World around them. */
export interface ParentSitesContext {
  readonly sim: Simulator;
  readonly topology: Topology;
  readonly network: Network;
  readonly faults: FaultSchedule;
  /** Where the current run ends: nothing arriving after it is answered ahead. */
  runEndUs(): number;
  /** The index of the cluster whose cache is at address (a cluster's request comes from there). */
  clusterIndexOfCache(address: Address): number;
  /** The key of a message's network draws (see World.drawKeyOf), -1 for the link's stream. */
  drawKeyOf(from: Address, to: Address, message: DeliveryMessage): number;
  /** A cluster cache gave up on a file request to upstream: its answer's bytes stop. */
  abandon(requester: Address, upstream: Address, requestId: number, sizeBytes: number): void;
}

export class ParentSites {
  /** One HttpCache per parent site, in site order. */
  readonly caches: HttpCache[] = [];
  private readonly answers: ParentAnswers;
  /** Per parent: the network gate of each version it is forwarding while it arrives (cut-through), by version key. */
  private readonly forwardGates: Map<number, number>[] = [];
  /** Cut-through: answers a parent started while it still fetched the version (see forwardGate). */
  forwardedAnswers = 0;

  /**
   * cacheOptions(j) gives site j's HttpCache its options. rootSettles false (design.delivery: push): a notification
   * may change a parent's root index at any time, so no index request is answered ahead (ParentAnswers).
   */
  constructor(
    private readonly context: ParentSitesContext,
    indexTtlUs: number,
    rootSettles: boolean,
    cacheOptions: (j: number) => HttpCacheOptions,
    private readonly checkAnswers = false,
  ) {
    const count = context.topology.parentSiteCount;
    this.answers = new ParentAnswers(count, indexTtlUs, rootSettles);
    for (let j = 0; j < count; j++) {
      this.caches.push(new HttpCache(cacheOptions(j)));
      this.forwardGates.push(new Map());
    }
  }

  /** Parent p handles input now; what it sends also tells ParentAnswers what it holds. */
  handle(p: number, nowUs: number, input: CacheInput): readonly CacheOutput[] {
    const outputs = (this.caches[p] as HttpCache).handle(nowUs, input);
    const received = input.type === 'receive' ? input.message : null;
    for (let k = 0; k < outputs.length; k++) {
      const output = outputs[k] as CacheOutput;
      if (output.type === 'send') this.answers.observe(p, nowUs, received, output.message);
    }
    return outputs;
  }

  /** Parent p was wiped (an outage: it lost its requests in flight and, as a memory cache, its content). */
  wiped(p: number): void {
    this.answers.wiped(p);
  }

  /**
   * Parent p observed something: a file request it gave up on (its answer's bytes stop), or the end of the fetch of a
   * version it forwards while it arrives (cut-through: its answers' last bytes may leave now, or are cut short, and
   * from now on the parent holds the version).
   */
  observed(p: number, nowUs: number, observation: HttpCacheObservation): void {
    if (observation.type === 'abandoned') {
      this.context.abandon(this.context.topology.parentSiteAddress(p), observation.target, observation.requestId, observation.sizeBytes);
      return;
    }
    const gates = this.forwardGates[p] as Map<number, number>;
    const gate = gates.get(observation.versionKey);
    if (gate !== undefined) {
      gates.delete(observation.versionKey);
      if (observation.type === 'forwardDone') this.context.network.openGate(nowUs, gate);
      else this.context.network.abortGate(gate);
    }
    if (observation.type === 'forwardDone') this.answers.forwarded(p, observation.versionKey, observation.sizeBytes);
  }

  /** The gate of a version the parent at address forwards while it arrives, made with its first such answer. */
  forwardGate(address: Address, versionKey: number): number {
    const gates = this.forwardGates[address - this.context.topology.parentSiteBase] as Map<number, number>;
    this.forwardedAnswers++;
    let gate = gates.get(versionKey);
    if (gate === undefined) {
      gate = this.context.network.createGate();
      gates.set(versionKey, gate);
    }
    return gate;
  }

  // ---- what a cluster's request to its parent gets, known at the send ----------------------------------------

  /** Requests parent p answered from its cache: its machine's count, and the settled answers taken from ParentAnswers. */
  hitsOf(p: number): number {
    return (this.caches[p] as HttpCache).hits + this.answers.hitsOf(p);
  }

  /** Requests parent p had to send upstream (or join a fetch under way for): its machine's count. */
  missesOf(p: number): number {
    return (this.caches[p] as HttpCache).misses;
  }

  /**
   * Whether a request a cluster would send at sendUs would get a settled answer (see answerEarly), asked without
   * sending: a hint for the cluster's timeline (waiting for the kernel's clock to reach sendUs may make it settled).
   * Either answer keeps the run exact; a wrong one costs events.
   */
  wouldSettle(sendUs: number, from: Address, to: Address, message: DeliveryMessage): boolean {
    const { faults, topology, network } = this.context;
    if (!faults.canResolveName(from, to, sendUs)) return true;
    if (!this.isParent(to) || (message.type !== 'indexGet' && message.type !== 'fileGet')) return false;
    const delayUs = network.peekKeyedDelayUs(from, to, HTTP_REQUEST_BYTES, message.requestId);
    if (delayUs < 0) return false;
    const arrivalUs = sendUs + delayUs;
    if (!this.answers.settledAt(to - topology.parentSiteBase, arrivalUs, message)) return false;
    if (message.type === 'fileGet' && isBulkFileAnswer(message.sizeBytes)) return false;
    return arrivalUs <= this.context.runEndUs() && arrivalUs < faults.nextTransitionInClusterUs(this.context.sim.nowUs, this.context.clusterIndexOfCache(from));
  }

  /**
   * Whether a cluster's file request to its parent, sent at sendUs and not settled, can only be answered with the
   * file (barring a fault transition): the parent holds the version when the request arrives (it keeps every
   * version until a wipe, which is a fault transition) and the paths both ways are open, so the transfer starts and
   * arrives. A parent's bulk answer is the common case.
   */
  answerSure(sendUs: number, from: Address, to: Address, message: DeliveryMessage): boolean {
    const { faults, topology, network } = this.context;
    if (message.type !== 'fileGet' || !this.isParent(to) || !faults.canResolveName(from, to, sendUs)) return false;
    const delayUs = network.peekKeyedDelayUs(from, to, HTTP_REQUEST_BYTES, message.requestId);
    if (delayUs < 0 || !this.answers.settledAt(to - topology.parentSiteBase, sendUs + delayUs, message)) return false;
    return !faults.state.pathBlocked(to, from, message.sizeBytes + HTTP_NOT_MODIFIED_BYTES);
  }

  /**
   * A time before which no answer to a cluster's request, sent at sendUs and not settled, can arrive
   * (ClusterEnvironment.earliestAnswerUs): the request's own trip (its draws are keyed, so it is known now), then
   * the quickest answer. A parent that holds the file (ParentAnswers) answers with a bulk transfer that starts when
   * the request arrives; any other answer is at least a message's one-way trip back. The faults in force now hold
   * until the cluster's next fault transition, past which it does not run ahead; an answer that arrives before that
   * transition was sent under them. `to` may be an SP (after fail-over).
   */
  earliestAnswerUs(sendUs: number, from: Address, to: Address, message: DeliveryMessage): number {
    if (message.type !== 'indexGet' && message.type !== 'fileGet') throw new Error(`a cluster sent ${message.type} upstream`);
    const { topology, network } = this.context;
    const delayUs = network.peekKeyedDelayUs(from, to, HTTP_REQUEST_BYTES, message.requestId);
    if (delayUs < 0) return Infinity;
    const arrivalUs = sendUs + delayUs;
    if (message.type === 'fileGet' && this.isParent(to)) {
      if (isBulkFileAnswer(message.sizeBytes) && this.answers.settledAt(to - topology.parentSiteBase, arrivalUs, message)) {
        return arrivalUs + network.transferLowerBoundUs(to, from, message.sizeBytes);
      }
    }
    return arrivalUs + network.messageLowerBoundUs(to, from);
  }

  /**
   * A cluster's request that arrives at parent `to` at arrivalUs, answered at once if its answer is settled: the
   * parent answers it from its cache whatever happens before it arrives (ParentAnswers), and its small answer cannot be
   * affected by a fault either (both arrive before the requesting cluster's next fault transition). Returns false
   * when the request must travel as an event; else the answers that will arrive (none when lost on the way) are
   * earlyArrivalUs/earlyMessage[0, earlyCount), until the next call. A large answer is not settled: its transfer
   * shares the parent's egress from the request's arrival on. It is handed back as earlyTransfer, for the World to
   * start at the arrival (its first event, the join, is then its only one before it is sent), instead of the
   * request travelling as an event to the parent: about 100,000 events an hour in the paper replay.
   */
  answerEarly(arrivalUs: number, from: Address, to: Address, message: DeliveryMessage): boolean {
    if (message.type !== 'indexGet' && message.type !== 'fileGet') return false;
    const { topology, network, faults } = this.context;
    const p = to - topology.parentSiteBase;
    if (!this.answers.settledAt(p, arrivalUs, message)) return false;
    const bulk = message.type === 'fileGet' && isBulkFileAnswer(message.sizeBytes);
    // A request arriving after the run's end is never handled, as it would not be without the early answer.
    if (arrivalUs > this.context.runEndUs() || arrivalUs >= faults.nextTransitionInClusterUs(this.context.sim.nowUs, this.context.clusterIndexOfCache(from))) return false;
    // The transfer is refused at its start when the path is broken; that refusal is left to the request's own event.
    if (bulk && faults.state.pathBlocked(to, from, message.sizeBytes + HTTP_NOT_MODIFIED_BYTES)) return false;
    this.earlyCount = 0;
    this.earlyTransfer = null;
    if (!this.checkAnswers && this.answers.answer(p, message)) {
      // The parent's answer as its HttpCache gives it (ParentAnswers.answer): the machine is not asked, as a settled
      // answer changes nothing in it but its hit count. Its draws are keyed by the request id, as drawKeyOf keys any
      // message of a cluster's exchange.
      this.answers.countHit(p);
      const answer = this.answers.answerMessage as DeliveryMessage;
      const sizeBytes = this.answers.answerSizeBytes;
      if (bulk) {
        this.keepEarlyTransfer(p, answer, sizeBytes);
        return true;
      }
      const answerDelayUs = network.messageDelayUs(arrivalUs, to, from, sizeBytes, message.requestId);
      if (answerDelayUs >= 0) {
        this.earlyArrivalUs[0] = arrivalUs + answerDelayUs;
        this.earlyMessage[0] = answer;
        this.earlyCount = 1;
      }
      return true;
    }
    const outputs = (this.caches[p] as HttpCache).handle(arrivalUs, { type: 'receive', from, message });
    if (this.checkAnswers) this.checkAnswer(p, from, message, outputs);
    for (let k = 0; k < outputs.length; k++) {
      const output = outputs[k] as CacheOutput;
      // The answer a settled request gets: one send to the requester, large exactly when the file is.
      const expected = output.type === 'send' && output.to === from && (output.sizeBytes >= BULK_TRANSFER_MIN_BYTES) === bulk && this.earlyTransfer === null;
      if (!expected) {
        const what = output.type === 'send' ? `a ${output.message.type} of ${output.sizeBytes} bytes to ${output.to}` : output.type;
        throw new Error(`a settled answer of parent ${p} to ${from} for ${message.type} ${message.requestId} (${message.type === 'fileGet' ? message.sizeBytes : 0} bytes listed) produced ${what}`);
      }
      if (bulk) {
        this.keepEarlyTransfer(p, output.message, output.sizeBytes);
        continue;
      }
      const answerDelayUs = network.messageDelayUs(arrivalUs, to, from, output.sizeBytes, this.context.drawKeyOf(to, from, output.message));
      if (answerDelayUs < 0) continue;
      this.earlyArrivalUs[this.earlyCount] = arrivalUs + answerDelayUs;
      this.earlyMessage[this.earlyCount] = output.message;
      this.earlyCount++;
    }
    return true;
  }

  /** A large answer is a file's bulk transfer (earlyTransfer). */
  private keepEarlyTransfer(p: number, answer: DeliveryMessage, sizeBytes: number): void {
    if (answer.type !== 'fileResponse') throw new Error(`parent ${p}'s settled answer to a large fileGet is a ${answer.type}`);
    this.earlyTransfer = answer;
    this.earlyTransferSizeBytes = sizeBytes;
  }

  /**
   * Check mode: the answer ParentAnswers would have given a settled request is the one the machine gave, field by field
   * and in its size on the wire, and the machine's draws key is the request id. The hit is the machine's (it counted it).
   */
  private checkAnswer(p: number, from: Address, request: FileGetMessage | IndexGetMessage, outputs: readonly CacheOutput[]): void {
    const answers = this.answers;
    const known = answers.answer(p, request);
    const send = outputs.length === 1 ? outputs[0] as CacheOutput : null;
    const describe = (): string => `parent ${p}'s settled answer to ${from}'s ${request.type} ${JSON.stringify(request)}: ` +
      `the machine sent ${JSON.stringify(outputs)}, ParentAnswers ${known ? `${JSON.stringify(answers.answerMessage)} of ${answers.answerSizeBytes} bytes` : 'nothing'}`;
    if (send === null || send.type !== 'send') throw new Error(describe());
    if (!known) throw new Error(describe());
    const mine = answers.answerMessage as DeliveryMessage;
    const same = send.sizeBytes === answers.answerSizeBytes && sameMessage(send.message, mine) &&
      this.context.drawKeyOf(this.context.topology.parentSiteAddress(p), from, send.message) === request.requestId;
    if (!same) throw new Error(describe());
  }

  /** answerEarly's answers: [0, earlyCount), kept between calls (no arrays per exchange). */
  readonly earlyArrivalUs: number[] = [];
  readonly earlyMessage: DeliveryMessage[] = [];
  earlyCount = 0;
  /** answerEarly's large answer, to be sent as a bulk transfer from the request's arrival on, or null. */
  earlyTransfer: FileResponseMessage | null = null;
  earlyTransferSizeBytes = 0;

  private isParent(address: Address): boolean {
    const p = address - this.context.topology.parentSiteBase;
    return p >= 0 && p < this.context.topology.parentSiteCount;
  }
}

/** Two delivery messages with the same fields (an index by identity: the view object a cache hands out). */
function sameMessage(a: DeliveryMessage, b: DeliveryMessage): boolean {
  const fieldsA = Object.keys(a).sort();
  const fieldsB = Object.keys(b).sort();
  if (fieldsA.join() !== fieldsB.join()) return false;
  const recordA = a as unknown as Record<string, unknown>;
  const recordB = b as unknown as Record<string, unknown>;
  return fieldsA.every((field) => recordA[field] === recordB[field]);
}
