// The network as the host sees it: the delay of a small message (the kernel's Link), and bulk
// transfers whose bytes share the sender's egress fairly (processor sharing with per-path caps).
import type { EventTarget, Simulator } from '../kernel/simulator.js';
import { grownFloat64, grownInt32 } from '../kernel/typed-arrays.js';
import { IntMap } from '../kernel/int-map.js';
import { EgressQueue } from './egress-queue.js';
import { EgressSlots } from './egress-slots.js';
import type { RandomStreams } from '../kernel/random.js';
import type { Link } from '../kernel/host.js';
import { FaultState } from './fault-state.js';
import { jitteredByUs, LatencyModel, type LatencyParams } from './latency.js';
import { LinkStreams } from './link-streams.js';
import { KeyedDraws } from './keyed-draws.js';
import {
  PATH_BASE_US,
  PATH_CAPACITY_BYTES_PER_S,
  PATH_EXTRA_DELAY_US,
  PATH_KEYED_SEED,
  PATH_LOSS_PROBABILITY,
  PATH_MEMO_ATTEMPT_LOSS,
  PATH_MEMO_FIXED_US,
  PATH_MEMO_JITTER_SPAN_US,
  PATH_MEMO_SIZE_BYTES,
  PATH_RTT_US,
  PathTerms,
} from './path-terms.js';
import {
  pathCapacityBytesPerS,
  retransmissionDelayUs,
  retransmissionDelayAtUs,
  AttemptLossMemo,
  slowStartBytes,
  slowStartRounds,
  transferParamsWith,
  type TransferParams,
} from './transfer-model.js';
import type { Topology } from './topology.js';

export interface NetworkOptions {
  /** The faults in force (FaultSchedule.state). Default: a fault-free network. */
  faults?: FaultState;
  latency?: Partial<LatencyParams>;
  transfer?: Partial<TransferParams>;
  /** Kernel target id of the network's own events (feeds the trajectory fingerprint). */
  targetId?: number;
}

/** A transfer's target; one that can take an arrival known in advance says so (see Network.startArriving). */
export interface TransferTarget extends EventTarget {
  /** The transfer will arrive at arrivalUs with (kind, arg) unless the path changes first; true: taken, no event. */
  arrivalKnown?(nowUs: number, arrivalUs: number, kind: number, arg: unknown): boolean;
}

export interface NetworkCounters {
  messagesSent: number;
  messagesLost: number;
  transfersStarted: number;
  transfersRefused: number;
  transfersDelivered: number;
  transfersDropped: number;
  transfersCancelled: number;
}

const EVENT_JOIN = 1;
const EVENT_EGRESS = 2;
const EVENT_ARRIVE = 3;
const EVENT_RELEASE = 4;

const PHASE_FREE = 0;
const PHASE_CONNECTING = 1;
const PHASE_SENDING = 2;
const PHASE_ARRIVING = 3;
/** Every byte sent, but the last may not leave before its gate opens (cut-through, see createGate). */
const PHASE_GATED = 4;

/** A gate still closed: the transfers started behind it, and those of them holding their last byte (ids). */
interface Gate {
  readonly transferIds: number[];
  readonly heldIds: number[];
}

const INITIAL_SLOTS = 64;

/**
 * Bulk transfers go through three phases: connecting (set-up and slow-start round trips, plus
 * handshake retransmissions), sending (the bytes after slow start, at the node's fair share), and
 * arriving (the last byte's one-way trip). A transfer whose path breaks (crash, partition, MTU) is
 * dropped when it would join the sender's queue or when it would arrive, whichever comes first: the
 * receiver is never told and the sender sees only its own timeout. A sender that crashes while
 * sending keeps its share until then (a simplification: the bytes are wasted either way).
 */
export class Network implements Link, EventTarget {
  readonly targetId: number;
  readonly topology: Topology;
  readonly latency: LatencyModel;
  readonly faults: FaultState;
  readonly params: Readonly<TransferParams>;
  readonly counters: NetworkCounters = {
    messagesSent: 0,
    messagesLost: 0,
    transfersStarted: 0,
    transfersRefused: 0,
    transfersDelivered: 0,
    transfersDropped: 0,
    transfersCancelled: 0,
  };

  /** One stream per directed link for jitter and loss (see link-streams.ts). */
  readonly links: LinkStreams;
  /** Draws keyed by a message's own key instead of its place in the link's traffic (keyed-draws.ts). */
  private readonly keyed: KeyedDraws;
  /** Each path's delay, loss and capacity terms, kept until the faults on paths change. */
  private readonly paths: PathTerms;
  private readonly attemptLoss = new AttemptLossMemo();
  private readonly egressQueues = new Map<number, EgressQueue>();
  /** Each transfer in progress's slot, by id: one in and out per transfer (IntMap, which does not reallocate as a Map does). */
  private readonly slotOfId = new IntMap<number>();
  private nextTransferId = 1;
  /** Gates still closed, by id; an id no longer here has opened (or was aborted, and its transfers with it). */
  private readonly gates = new IntMap<Gate>();
  private nextGateId = 1;

  // Transfer slots, struct-of-arrays; a free list recycles them. Hot path: no object per transfer.
  private capacity = 0;
  private freeSlots: number[] = [];
  private slotId = new Float64Array(0);
  private slotFrom = new Int32Array(0);
  private slotTo = new Int32Array(0);
  private slotSizeBytes = new Float64Array(0);
  private slotPhase = new Uint8Array(0);
  /** The bytes to send after slow start (read when the transfer joins its sender's egress). */
  private slotRemainingBytes = new Float64Array(0);
  /** Per slot while sending: its cap and its place in the egress queue (egress-queue.ts). */
  private readonly egress = new EgressSlots();
  private slotArrivalDelayUs = new Float64Array(0);
  private slotToken = new Float64Array(0);
  private slotKind = new Int32Array(0);
  /** The gate a transfer's last byte waits for, 0 for none. */
  private slotGate = new Int32Array(0);
  private slotTarget: (EventTarget | null)[] = [];
  private slotArg: unknown[] = [];

  constructor(
    private readonly sim: Simulator,
    topology: Topology,
    streams: RandomStreams,
    options: NetworkOptions = {},
  ) {
    this.topology = topology;
    this.targetId = options.targetId ?? 0;
    this.faults = options.faults ?? new FaultState(topology.nodeCount);
    if (this.faults.nodeCount !== topology.nodeCount) throw new Error('the fault state belongs to another topology');
    this.params = transferParamsWith(options.transfer);
    this.links = new LinkStreams(streams, topology.nodeCount);
    this.keyed = new KeyedDraws(streams);
    this.latency = new LatencyModel(topology, this.links, options.latency);
    const faults = this.faults;
    this.paths = new PathTerms({
      baseOneWayUs: (from, to) => this.latency.baseOneWayUs(from, to),
      lossProbability: (from, to) => this.pathLossProbability(from, to),
      capacityBytesPerS: (from, to, rttUs, lossProbability) => this.pathCapacity(from, to, rttUs, lossProbability),
      extraDelayUs: (from, to) => faults.extraDelayUs(from, to),
      keyedSeed: (from, to) => this.keyed.seedOf(from, to),
      generation: () => faults.pathGeneration,
    }, topology.nodeCount);
    this.grow(INITIAL_SLOTS);
  }

  /** Loss probability of a path: none inside a cluster, the baseline elsewhere, plus faults. */
  pathLossProbability(from: number, to: number): number {
    const base = this.latency.sameCluster(from, to) ? 0 : this.params.pathLossProbability;
    const extra = this.faults.extraLossProbability(from, to);
    return extra === 0 ? base : 1 - (1 - base) * (1 - extra);
  }

  /**
   * Full delivery delay of a message (no egress sharing), integer microseconds, or -1 when it will
   * never arrive (an endpoint down, a partition, an MTU black hole with sizeBytes > mtuBytes). Loss
   * only adds retransmission delay. drawKey >= 0: the message's draws are keyed by it (keyed-draws.ts) instead of
   * taken from the link's stream. Hot path: no allocation.
   */
  messageDelayUs(_nowUs: number, from: number, to: number, sizeBytes: number, drawKey = -1): number {
    this.counters.messagesSent++;
    const delayUs = this.delayOf(from, to, sizeBytes, drawKey);
    if (delayUs < 0) this.counters.messagesLost++;
    return delayUs;
  }

  /**
   * What messageDelayUs would answer for a message keyed by drawKey, changing nothing (keyed draws depend on the
   * key alone, so asking first does not move them).
   */
  peekKeyedDelayUs(from: number, to: number, sizeBytes: number, drawKey: number): number {
    if (drawKey < 0) throw new RangeError('only keyed draws can be peeked at');
    return this.delayOf(from, to, sizeBytes, drawKey);
  }

  /**
   * A time no message from `from` to `to` can take less than, in the faults in force now: the path's one-way delay
   * without jitter, loss or queueing (delayOf adds only non-negative terms to it), less a microsecond of rounding.
   */
  messageLowerBoundUs(from: number, to: number): number {
    const paths = this.paths;
    const at = paths.lookUp(from, to);
    const terms = paths.terms;
    return Math.max(0, Math.floor((terms[at + PATH_BASE_US] as number) + (terms[at + PATH_EXTRA_DELAY_US] as number)) - 1);
  }

  /**
   * A time a bulk transfer of sizeBytes from `from` to `to`, started now, cannot arrive in less, whatever it shares the
   * sender's egress with: the set-up round trips, every byte at the path's cap (a slow-start round sends less than a
   * round trip's worth at the cap, so counting its bytes at the cap undercounts it), and the last byte's one-way trip
   * without jitter; less a few microseconds for the rounding of event times. Grows with sizeBytes.
   */
  transferLowerBoundUs(from: number, to: number, sizeBytes: number): number {
    const paths = this.paths;
    const at = paths.lookUp(from, to);
    const terms = paths.terms;
    const baseUs = terms[at + PATH_BASE_US] as number;
    const rttUs = terms[at + PATH_RTT_US] as number;
    const capBytesPerS = terms[at + PATH_CAPACITY_BYTES_PER_S] as number;
    const extraUs = terms[at + PATH_EXTRA_DELAY_US] as number;
    const boundUs = this.params.transferSetupRoundTrips * rttUs + (sizeBytes * 1e6) / capBytesPerS + baseUs + 2 * extraUs;
    return Math.max(0, Math.floor(boundUs) - 4);
  }

  /**
   * Hot path: asked for every message, two or three times for a cluster's request (bounds, then the send). What the
   * delay needs besides its draws depends only on the path and the size, and is kept per path for the size asked
   * last (PathTerms' memo); the sums are formed in the same order either way, so the result is the same to the bit.
   */
  private delayOf(from: number, to: number, sizeBytes: number, drawKey: number): number {
    if (this.faults.pathBlocked(from, to, sizeBytes)) return -1;
    const paths = this.paths;
    const at = paths.lookUp(from, to);
    const terms = paths.terms;
    if (terms[at + PATH_MEMO_SIZE_BYTES] !== sizeBytes) this.memoMessageTerms(at, sizeBytes);
    // A keyed message's delay depends on its path's terms, its size and its key only: a request whose delay was peeked at
    // (ParentSites.wouldSettle, answerSure) is sent next, and finds it here.
    const generation = this.faults.pathGeneration;
    if (drawKey >= 0 && drawKey === this.lastKeyedDrawKey && at === this.lastKeyedAt && sizeBytes === this.lastKeyedSizeBytes && generation === this.lastKeyedGeneration) {
      return this.lastKeyedDelayUs;
    }
    // The jitter is the message's first draw; the retransmissions' draws follow it. Keyed, the first retransmission
    // draw is looked at before the generator is called: a message is nearly never lost (it is the same draw).
    const lossProbability = terms[at + PATH_LOSS_PROBABILITY] as number;
    const attemptLoss = terms[at + PATH_MEMO_ATTEMPT_LOSS] as number;
    let jitterDraw: number;
    let retransmitUs = 0;
    if (drawKey < 0) {
      const rng = this.links.of(from, to);
      jitterDraw = rng();
      if (lossProbability > 0) retransmitUs = retransmissionDelayAtUs(this.params, rng, attemptLoss, terms[at + PATH_RTT_US] as number);
    } else {
      const keyed = this.keyed;
      jitterDraw = keyed.firstDraw(terms[at + PATH_KEYED_SEED] as number, drawKey);
      if (lossProbability > 0 && keyed.peekNext() < attemptLoss) retransmitUs = retransmissionDelayAtUs(this.params, keyed.rest, attemptLoss, terms[at + PATH_RTT_US] as number);
    }
    const delayUs =
      (terms[at + PATH_MEMO_FIXED_US] as number) +
      jitteredByUs(terms[at + PATH_BASE_US] as number, terms[at + PATH_MEMO_JITTER_SPAN_US] as number, jitterDraw) +
      (terms[at + PATH_EXTRA_DELAY_US] as number) +
      retransmitUs;
    const roundedUs = Math.round(delayUs);
    if (drawKey >= 0) {
      this.lastKeyedDrawKey = drawKey;
      this.lastKeyedAt = at;
      this.lastKeyedSizeBytes = sizeBytes;
      this.lastKeyedGeneration = generation;
      this.lastKeyedDelayUs = roundedUs;
    }
    return roundedUs;
  }

  /** The keyed message delayOf worked out last (its key, path record, size and the paths' generation) and its delay. */
  private lastKeyedDrawKey = -1;
  private lastKeyedAt = -1;
  private lastKeyedSizeBytes = -1;
  private lastKeyedGeneration = -1;
  private lastKeyedDelayUs = 0;

  /** The message terms of the path at `at` for sizeBytes (see delayOf): set-up and slow-start rounds, streaming, jitter span, loss per attempt. */
  private memoMessageTerms(at: number, sizeBytes: number): void {
    const p = this.params;
    const terms = this.paths.terms;
    const rttUs = terms[at + PATH_RTT_US] as number;
    const rateBytesPerS = terms[at + PATH_CAPACITY_BYTES_PER_S] as number;
    const rounds = slowStartRounds(p, sizeBytes, rateBytesPerS, rttUs);
    // Most messages fit the first window: with no slow-start round, every byte is streamed (slowStartBytes(p, 0) is 0).
    const streamedBytes = rounds === 0 ? sizeBytes : Math.max(0, sizeBytes - slowStartBytes(p, rounds));
    const segments = Math.max(1, Math.ceil(sizeBytes / p.segmentBytes));
    terms[at + PATH_MEMO_FIXED_US] = (p.messageSetupRoundTrips + rounds) * rttUs + (streamedBytes * 1e6) / rateBytesPerS;
    terms[at + PATH_MEMO_JITTER_SPAN_US] = this.latency.jitterSpanUs(terms[at + PATH_BASE_US] as number);
    terms[at + PATH_MEMO_ATTEMPT_LOSS] = this.attemptLoss.of(terms[at + PATH_LOSS_PROBABILITY] as number, segments);
    terms[at + PATH_MEMO_SIZE_BYTES] = sizeBytes;
  }

  /** The kernel's Link interface: the same as messageDelayUs. */
  transmitDelayUs(nowUs: number, from: number, to: number, sizeBytes: number): number {
    return this.messageDelayUs(nowUs, from, to, sizeBytes);
  }

  /**
   * Starts a bulk transfer of sizeBytes from `from` to `to`, at nowUs: the kernel's clock, or a later time before
   * which nothing that concerns the path changes (its first event, the join after the set-up, is then scheduled
   * as it would be from nowUs). On arrival the network calls target.onEvent(nowUs, kind, arg). Returns a transfer
   * id, or -1 when the path is broken (the transfer would never arrive; the caller sees only its own timeout).
   */
  startTransfer(nowUs: number, from: number, to: number, sizeBytes: number, target: TransferTarget, kind: number, arg: unknown, drawKey = -1, gate = 0): number {
    if (!(nowUs >= this.sim.nowUs)) throw new Error(`startTransfer at ${nowUs} us but the clock is already at ${this.sim.nowUs} us`);
    if (!(sizeBytes >= 0)) throw new RangeError(`transfer size must be >= 0 bytes, got ${sizeBytes}`);
    if (this.faults.pathBlocked(from, to, sizeBytes)) {
      this.counters.transfersRefused++;
      return -1;
    }
    const p = this.params;
    const paths = this.paths;
    const at = paths.lookUp(from, to);
    const terms = paths.terms;
    const rng = drawKey < 0 ? this.links.of(from, to) : this.keyed.rngFor(terms[at + PATH_KEYED_SEED] as number, drawKey);
    const baseUs = terms[at + PATH_BASE_US] as number;
    const rttUs = terms[at + PATH_RTT_US] as number;
    const lossProbability = terms[at + PATH_LOSS_PROBABILITY] as number;
    const capBytesPerS = terms[at + PATH_CAPACITY_BYTES_PER_S] as number;
    const extraUs = terms[at + PATH_EXTRA_DELAY_US] as number;
    const rounds = slowStartRounds(p, sizeBytes, capBytesPerS, rttUs);
    // The handshake (SYN, SYN-ACK, request) can lose a packet and wait out a timeout.
    const connectUs =
      (p.transferSetupRoundTrips + rounds) * rttUs + retransmissionDelayUs(p, rng, lossProbability, 1, rttUs);

    const slot = this.allocateSlot();
    const id = this.nextTransferId++;
    this.slotId[slot] = id;
    this.slotFrom[slot] = from;
    this.slotTo[slot] = to;
    this.slotSizeBytes[slot] = sizeBytes;
    this.slotPhase[slot] = PHASE_CONNECTING;
    this.slotRemainingBytes[slot] = Math.max(0, sizeBytes - slowStartBytes(p, rounds));
    this.egress.capBytesPerS[slot] = capBytesPerS;
    this.slotArrivalDelayUs[slot] = this.latency.withJitterUs(baseUs, rng) + extraUs;
    this.slotKind[slot] = kind;
    this.slotGate[slot] = gate;
    if (gate !== 0) this.gates.get(gate)?.transferIds.push(id);
    this.slotTarget[slot] = target;
    this.slotArg[slot] = arg;
    this.slotToken[slot] = this.sim.scheduleAt(nowUs + Math.round(connectUs + extraUs), this, EVENT_JOIN, slot);
    this.slotOfId.set(id, slot);
    this.counters.transfersStarted++;
    return id;
  }

  /**
   * A gate for cut-through forwarding: a transfer started behind it (startTransfer's gate) takes its share of the
   * sender's egress as any other, but its last byte cannot leave the sender before the gate opens, when the
   * sender's own copy has arrived whole (openGate). It then arrives one path delay later: at
   * max(its own arrival, opening + one-way). Aborting the gate cuts its transfers short (abortGate).
   */
  createGate(): number {
    const id = this.nextGateId++;
    this.gates.set(id, { transferIds: [], heldIds: [] });
    return id;
  }

  /**
   * The gate opens now: transfers that have sent everything else send their last byte (in an event at this time,
   * so that no target is called back from inside its sender's handling); the others finish as usual.
   */
  openGate(nowUs: number, gateId: number): void {
    const gate = this.gates.get(gateId);
    if (gate === undefined) throw new Error(`gate ${gateId} is not closed`);
    this.gates.delete(gateId);
    if (gate.heldIds.length > 0) this.sim.scheduleAt(nowUs, this, EVENT_RELEASE, gate.heldIds);
  }

  /** The gate will never open: its transfers still in flight are cancelled (their receivers never get them). */
  abortGate(gateId: number): void {
    const gate = this.gates.get(gateId);
    if (gate === undefined) throw new Error(`gate ${gateId} is not closed`);
    this.gates.delete(gateId);
    for (const id of gate.transferIds) this.cancelTransfer(id);
  }

  /** Abandons a transfer. Returns false when it is unknown or already delivered/dropped. */
  cancelTransfer(id: number): boolean {
    const slot = this.slotOfId.get(id);
    if (slot === undefined) return false;
    const phase = this.slotPhase[slot];
    if (phase === PHASE_GATED) {
      const held = this.gates.get(this.slotGate[slot] as number)?.heldIds;
      if (held !== undefined) held.splice(held.indexOf(id), 1);
    } else if (phase === PHASE_SENDING) {
      const queue = this.egressQueues.get(this.slotFrom[slot] as number) as EgressQueue;
      queue.remove(this.sim.nowUs, slot);
      this.scheduleCompletion(queue);
    } else {
      this.sim.cancel(this.slotToken[slot] as number);
    }
    this.counters.transfersCancelled++;
    this.freeSlot(slot);
    return true;
  }

  /** Transfers in flight (all phases), or those whose bytes a node is sending now. */
  activeTransferCount(sendingAddress?: number): number {
    if (sendingAddress === undefined) return this.slotOfId.size;
    return this.egressQueues.get(sendingAddress)?.length ?? 0;
  }

  onEvent(nowUs: number, kind: number, arg: unknown): void {
    if (kind === EVENT_EGRESS) {
      this.onEgressCompletion(nowUs, arg as EgressQueue);
      return;
    }
    if (kind === EVENT_RELEASE) {
      // A transfer cancelled since its gate opened is no longer known: skipped.
      for (const id of arg as number[]) {
        const slot = this.slotOfId.get(id);
        if (slot !== undefined && this.slotPhase[slot] === PHASE_GATED) this.startArriving(nowUs, slot);
      }
      return;
    }
    const slot = arg as number;
    const from = this.slotFrom[slot] as number;
    const to = this.slotTo[slot] as number;
    if (this.faults.pathBlocked(from, to, this.slotSizeBytes[slot] as number)) {
      this.counters.transfersDropped++;
      this.freeSlot(slot);
      return;
    }
    if (kind === EVENT_JOIN) {
      this.join(nowUs, slot);
      return;
    }
    // EVENT_ARRIVE: free the slot first, the target may start new transfers.
    const target = this.slotTarget[slot] as EventTarget;
    const targetKind = this.slotKind[slot] as number;
    const targetArg = this.slotArg[slot];
    this.counters.transfersDelivered++;
    this.freeSlot(slot);
    target.onEvent(nowUs, targetKind, targetArg);
  }

  /** Throughput limit of one connection on this path (no sharing), bytes/s. */
  private pathCapacity(from: number, to: number, rttUs: number, lossProbability: number): number {
    const kinds = this.topology.nodeKind;
    return pathCapacityBytesPerS(
      this.params,
      this.params.egressBytesPerSByKind[kinds[from] as number] as number,
      this.params.ingressBytesPerSByKind[kinds[to] as number] as number,
      rttUs,
      lossProbability,
    );
  }

  private join(nowUs: number, slot: number): void {
    const from = this.slotFrom[slot] as number;
    let queue = this.egressQueues.get(from);
    if (queue === undefined) {
      const capacityBytesPerS = this.params.egressBytesPerSByKind[this.topology.nodeKind[from] as number] as number;
      queue = new EgressQueue(from, capacityBytesPerS, this.egress, nowUs);
      this.egressQueues.set(from, queue);
    }
    this.slotPhase[slot] = PHASE_SENDING;
    queue.add(nowUs, slot, this.slotRemainingBytes[slot] as number);
    this.scheduleCompletion(queue);
  }

  private onEgressCompletion(nowUs: number, queue: EgressQueue): void {
    queue.token = -1;
    const finished = this.finishedScratch;
    queue.takeFinished(nowUs, finished);
    this.scheduleCompletion(queue);
    for (const slot of finished) {
      const gate = this.slotGate[slot] === 0 ? undefined : this.gates.get(this.slotGate[slot] as number);
      if (gate === undefined) {
        this.startArriving(nowUs, slot);
      } else {
        this.slotPhase[slot] = PHASE_GATED;
        gate.heldIds.push(this.slotId[slot] as number);
      }
    }
  }

  private readonly finishedScratch: number[] = [];

  /** One kernel event per queue, at its next finish rounded up to a microsecond: moved by cancel + schedule. */
  private scheduleCompletion(queue: EgressQueue): void {
    if (queue.token >= 0) {
      this.sim.cancel(queue.token);
      queue.token = -1;
    }
    const nowUs = this.sim.nowUs;
    const finishUs = queue.nextFinishUs(nowUs);
    if (finishUs === Infinity) return;
    const delayUs = finishUs <= nowUs ? 0 : Math.ceil(finishUs - nowUs);
    queue.token = this.sim.scheduleAt(nowUs + delayUs, this, EVENT_EGRESS, queue);
  }

  /**
   * The last byte has left the sender: it arrives after the path's one-way delay. A target that can take the
   * arrival in its own timeline (TransferTarget.arrivalKnown) is told now and no event is scheduled; the path
   * must then stay as it is until the arrival, which the target checks.
   */
  private startArriving(nowUs: number, slot: number): void {
    const arrivalUs = nowUs + Math.round(this.slotArrivalDelayUs[slot] as number);
    const target = this.slotTarget[slot] as TransferTarget;
    if (target.arrivalKnown !== undefined && !this.faults.pathBlocked(this.slotFrom[slot] as number, this.slotTo[slot] as number, this.slotSizeBytes[slot] as number)) {
      if (target.arrivalKnown(nowUs, arrivalUs, this.slotKind[slot] as number, this.slotArg[slot])) {
        this.counters.transfersDelivered++;
        this.freeSlot(slot);
        return;
      }
    }
    this.slotPhase[slot] = PHASE_ARRIVING;
    this.slotToken[slot] = this.sim.scheduleAt(arrivalUs, this, EVENT_ARRIVE, slot);
  }

  private allocateSlot(): number {
    if (this.freeSlots.length === 0) this.grow(this.capacity * 2);
    return this.freeSlots.pop() as number;
  }

  private freeSlot(slot: number): void {
    this.slotOfId.delete(this.slotId[slot] as number);
    this.slotPhase[slot] = PHASE_FREE;
    this.slotTarget[slot] = null;
    this.slotArg[slot] = undefined;
    this.freeSlots.push(slot);
  }

  private grow(newCapacity: number): void {
    const old = this.capacity;
    this.slotId = grownFloat64(this.slotId, newCapacity);
    this.slotFrom = grownInt32(this.slotFrom, newCapacity);
    this.slotTo = grownInt32(this.slotTo, newCapacity);
    this.slotSizeBytes = grownFloat64(this.slotSizeBytes, newCapacity);
    const phase = new Uint8Array(newCapacity);
    phase.set(this.slotPhase);
    this.slotPhase = phase;
    this.slotRemainingBytes = grownFloat64(this.slotRemainingBytes, newCapacity);
    this.egress.grow(newCapacity);
    this.slotArrivalDelayUs = grownFloat64(this.slotArrivalDelayUs, newCapacity);
    this.slotToken = grownFloat64(this.slotToken, newCapacity);
    this.slotKind = grownInt32(this.slotKind, newCapacity);
    this.slotGate = grownInt32(this.slotGate, newCapacity);
    for (let slot = old; slot < newCapacity; slot++) {
      this.slotTarget.push(null);
      this.slotArg.push(undefined);
    }
    // Push in reverse so slots are handed out lowest first (purely cosmetic, but deterministic).
    for (let slot = newCapacity - 1; slot >= old; slot--) this.freeSlots.push(slot);
    this.capacity = newCapacity;
  }
}
