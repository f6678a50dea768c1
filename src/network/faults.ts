// The fault schedule: turns a list of fault specs (the scenario format) into start/end events in the
// simulator, applies them to a FaultState, keeps a timeline for faults.csv, and tells subscribers
// when nodes go down or come back (Storage Point machines must hear of a crash and a restart).
import { Heap } from 'heap-js';
import type { EventTarget, Simulator } from '../kernel/simulator.js';
import { HeldEvents } from '../kernel/held-events.js';
import type { RandomStreams, Rng } from '../kernel/random.js';
import { exponential } from '../kernel/distributions.js';
import { keyedUniform } from '../kernel/random.js';
import { FaultState, type PartitionDirection } from './fault-state.js';
import { BIND48_REFRESH_LEFT_US, failureWindow, type FailureWindow, type Renumbering } from './renumbering.js';
import { describeSelector, keepKinds, resolveSelector, type FractionUnit, type Selector } from './selectors.js';
import { NODE_KIND_NAMES, NodeKind, type Topology } from './topology.js';

export const FAULT_KINDS = [
  'sp-crash',
  'edge-outage',
  'cache-outage',
  'partition',
  'mtu-blackhole',
  'loss',
  'latency',
  'clock-skew',
  'dns-failure',
  'renumber',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which of a renumbering's targeted nodes change address: Storage Points, parent sites, or both. */
export const RENUMBERED_NODES = ['sps', 'parents', 'both'] as const;
export type RenumberedNodes = (typeof RENUMBERED_NODES)[number];

/**
 * When a fault happens: either scheduled (starts at atUs, lasts forUs; no forUs = until the end of the
 * run) or a random process (up for an exponential time of mean mtbfUs, then down for an exponential
 * time of mean mttrUs, repeatedly). Node faults (sp-crash, edge-outage, cache-outage) run one
 * independent process per selected node; the other kinds run one process for the whole target.
 */
export interface FaultTiming {
  readonly atUs?: number;
  readonly forUs?: number;
  readonly mtbfUs?: number;
  readonly mttrUs?: number;
}

interface FaultBase extends FaultTiming {
  readonly target: Selector;
}

export type FaultSpec =
  /** Storage Points in the target crash and restart; diskLost: they come back with an empty disk. */
  | (FaultBase & { readonly kind: 'sp-crash'; readonly diskLost?: boolean })
  /** Edge servers (and, for whole clusters, their cluster caches) in the target are down. */
  | (FaultBase & { readonly kind: 'edge-outage'; readonly diskLost?: boolean })
  /** Cluster caches and parent sites in the target are down. */
  | (FaultBase & { readonly kind: 'cache-outage'; readonly diskLost?: boolean })
  /** The target set is cut off from the rest; 'inbound' drops only traffic into the set, 'outbound' only out of it. */
  | (FaultBase & { readonly kind: 'partition'; readonly direction?: PartitionDirection })
  /** Paths touching the target drop anything larger than mtuBytes; smaller messages pass (seed 000's "packet of death"). */
  | (FaultBase & { readonly kind: 'mtu-blackhole'; readonly mtuBytes: number })
  /** Paths touching the target lose packets with this extra probability. */
  | (FaultBase & { readonly kind: 'loss'; readonly probability: number })
  /** Paths touching the target take extraUs longer one way. */
  | (FaultBase & { readonly kind: 'latency'; readonly extraUs: number })
  /** Nodes in the target read a clock offsetUs ahead, drifting driftPpm from the fault's start. */
  | (FaultBase & { readonly kind: 'clock-skew'; readonly offsetUs?: number; readonly driftPpm?: number })
  /** Nodes in the target cannot resolve cache or SP names (seed 000's BIND story). */
  | (FaultBase & { readonly kind: 'dns-failure' })
  /**
   * The targeted SPs and/or parent sites move to new addresses at atUs (a one-off: no forUs, no random process),
   * seen through the resolvers of the caches that look them up (renumbering.ts; seed 000's BIND 4.8 story).
   * Defaults: renumbered 'both', addressesOverlap false, oldAddressesAnswerForUs 0, bind48Share 0.
   */
  | (FaultBase & {
    readonly kind: 'renumber';
    readonly renumbered?: RenumberedNodes;
    readonly dnsTtlUs: number;
    readonly addressesOverlap?: boolean;
    readonly oldAddressesAnswerForUs?: number;
    /** Share of resolvers that are BIND 4.8, drawn per resolver; the rest are correct. */
    readonly bind48Share?: number;
  });

/** A fault spec that cannot run (bad timing or parameter). Target problems throw SelectorError instead. */
export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

export interface FaultTimelineRow {
  readonly timeS: number;
  readonly kind: FaultKind;
  readonly action: 'start' | 'end';
  readonly target: string;
  readonly detail: string;
}
export const FAULT_TIMELINE_COLUMNS = ['timeS', 'kind', 'action', 'target', 'detail'] as const;

export type NodeChangeListener = (address: number, up: boolean, diskLost: boolean) => void;

export interface FaultScheduleOptions {
  /** The kernel target id of the schedule (feeds the trajectory fingerprint). */
  targetId?: number;
  /**
   * Random processes schedule no new failure after this time. Needed when a run goes until the queue
   * is empty: a random process otherwise keeps the queue busy forever. Default: no horizon.
   */
  horizonUs?: number;
}

const EVENT_START = 1;
const EVENT_END = 2;

/** One fault spec after resolution. */
interface InstalledFault {
  readonly index: number;
  readonly spec: FaultSpec;
  readonly mask: Uint8Array;
  /** Selected node addresses, for node faults. */
  readonly addresses: Int32Array;
  readonly targetText: string;
  readonly rng: Rng;
  /** Path-condition id while a group fault is in force. */
  conditionId: number;
}

/** The argument of a start/end event: a whole fault, or one node's process of a node fault. */
interface Activation {
  readonly fault: InstalledFault;
  /** -1 for the whole target. */
  readonly address: number;
  /** A renumbering's failure window of the resolver at `address`. */
  readonly window?: FailureWindow;
}

const NODE_FAULT_KINDS: Partial<Record<FaultKind, readonly NodeKind[]>> = {
  'sp-crash': [NodeKind.StoragePoint],
  'edge-outage': [NodeKind.EdgeServer, NodeKind.ClusterCache],
  'cache-outage': [NodeKind.ClusterCache, NodeKind.ParentSite],
};

const RENUMBERED_KINDS: Readonly<Record<RenumberedNodes, readonly NodeKind[]>> = {
  sps: [NodeKind.StoragePoint],
  parents: [NodeKind.ParentSite],
  both: [NodeKind.StoragePoint, NodeKind.ParentSite],
};

/** The node kinds a fault acts on, when it acts on nodes of certain kinds only. */
function targetKinds(spec: FaultSpec): readonly NodeKind[] | undefined {
  return spec.kind === 'renumber' ? RENUMBERED_KINDS[spec.renumbered ?? 'both'] : NODE_FAULT_KINDS[spec.kind];
}

/**
 * The nodes (mask) a fault acts on and, for a node fault (crash, outage), their addresses. A node fault that
 * selects none of its kind throws FaultSpecError: almost surely a scenario mistake (e.g. sp-crash on a country
 * with no SP, or a fraction that rounds to zero clusters). The count a fraction selects does not depend on rng,
 * so a scenario checker can call this with any generator to find such a fault before the run.
 */
export function selectFaultTargets(topology: Topology, index: number, spec: FaultSpec, rng: Rng): { mask: Uint8Array; addresses: number[] } {
  const unit: FractionUnit = spec.kind === 'edge-outage' ? 'edge-servers' : 'clusters';
  const mask = resolveSelector(topology, spec.target, rng, unit);
  const kinds = targetKinds(spec);
  const addresses: number[] = [];
  if (kinds === undefined) return { mask, addresses };
  keepKinds(topology, mask, kinds);
  for (let a = 0; a < mask.length; a++) if (mask[a] === 1) addresses.push(a);
  if (addresses.length === 0) {
    const names = kinds.map((kind) => NODE_KIND_NAMES[kind]).join(' or ');
    throw new FaultSpecError(`fault ${index} (${spec.kind}): target ${describeSelector(spec.target)} selects no ${names}`);
  }
  return { mask, addresses };
}

export class FaultSchedule implements EventTarget {
  readonly targetId: number;
  readonly state: FaultState;
  readonly timeline: FaultTimelineRow[] = [];
  private readonly faults: InstalledFault[] = [];
  private readonly listeners: NodeChangeListener[] = [];
  private readonly diskLostWhileDown: Uint8Array;
  private readonly horizonUs: number;
  /** Transitions that may affect more than one edge server: everything but a single server's own outage. */
  private readonly pendingTransitionsUs = new Heap<number>((a, b) => a - b);
  /**
   * A single edge server's outage starting or ending, kept per cluster: it changes nothing outside that
   * server's cluster, so other clusters need not stop for it (15,000 servers with a 30-day MTBF make a
   * transition about every 86 s, which would otherwise cut every cluster's run-ahead short).
   */
  private readonly edgeTransitionsUs: (Heap<number> | undefined)[];
  /**
   * The earliest of each cluster's own transitions as last found (Infinity when none), and of the others: asked for
   * every exchange and every run-ahead of a cluster. Hot path: a typed array read while it is not past, where each
   * cluster's heap was an object of its own to reach.
   */
  private readonly edgeNextUs: Float64Array;
  private globalNextUs = Infinity;
  /** Every pending transition, outside the kernel's queue but for the earliest (see HeldEvents). */
  private readonly transitions: HeldEvents;

  /** Validates and resolves every spec (throwing FaultSpecError / SelectorError), then schedules them. */
  constructor(
    private readonly sim: Simulator,
    private readonly topology: Topology,
    private readonly streams: RandomStreams,
    specs: readonly FaultSpec[],
    options: FaultScheduleOptions = {},
  ) {
    this.targetId = options.targetId ?? 0;
    this.horizonUs = options.horizonUs ?? Infinity;
    this.state = new FaultState(topology.nodeCount);
    this.diskLostWhileDown = new Uint8Array(topology.nodeCount);
    this.edgeTransitionsUs = new Array<Heap<number> | undefined>(topology.clusterCount).fill(undefined);
    this.edgeNextUs = new Float64Array(topology.clusterCount).fill(Infinity);
    this.transitions = new HeldEvents(sim, this);
    for (let i = 0; i < specs.length; i++) this.faults.push(this.resolve(i, specs[i] as FaultSpec, streams));
    for (const fault of this.faults) this.install(fault);
    this.transitions.arm();
  }

  /** Called on every transition of a node between up and down (not on overlapping outages). */
  onNodeChange(listener: NodeChangeListener): void {
    this.listeners.push(listener);
  }

  isUp(address: number): boolean {
    return this.state.isUp(address);
  }

  localClockUs(address: number, nowUs: number): number {
    return this.state.localClockUs(address, nowUs);
  }

  canResolve(address: number, _nowUs?: number): boolean {
    return this.state.canResolve(address);
  }

  /** Can `from` resolve `to`'s name to an address that answers (DNS working, no renumbering window in the way)? */
  canResolveName(from: number, to: number, _nowUs?: number): boolean {
    return this.state.canResolveName(from, to);
  }

  onEvent(nowUs: number, kind: number, arg: unknown): void {
    this.transitions.fired();
    this.transition(nowUs, kind, arg as Activation);
    this.transitions.arm();
  }

  private transition(nowUs: number, kind: number, activation: Activation): void {
    const fault = activation.fault;
    if (fault.spec.kind === 'renumber') {
      // Every window of a renumbering is scheduled when it is installed.
      if (kind === EVENT_START) this.start(nowUs, activation);
      else this.end(nowUs, activation);
      return;
    }
    if (kind === EVENT_START) {
      this.start(nowUs, activation);
      const forUs = fault.spec.mttrUs !== undefined ? Math.round(exponential(fault.rng, fault.spec.mttrUs)) : fault.spec.forUs;
      if (forUs !== undefined) this.scheduleTransition(nowUs + Math.max(1, forUs), EVENT_END, activation);
    } else {
      this.end(nowUs, activation);
      if (fault.spec.mtbfUs !== undefined) this.scheduleNextFailure(nowUs, activation);
    }
  }

  private resolve(index: number, spec: FaultSpec, streams: RandomStreams): InstalledFault {
    validateSpec(index, spec);
    const { mask, addresses } = selectFaultTargets(this.topology, index, spec, streams.stream(`faults/${index}/select`));
    return {
      index,
      spec,
      mask,
      addresses: Int32Array.from(addresses),
      targetText: describeSelector(spec.target),
      rng: streams.stream(`faults/${index}`),
      conditionId: 0,
    };
  }

  private install(fault: InstalledFault): void {
    const spec = fault.spec;
    if (spec.kind === 'renumber') {
      this.installRenumbering(fault, spec);
      return;
    }
    if (spec.atUs !== undefined) {
      this.scheduleTransition(Math.round(spec.atUs), EVENT_START, { fault, address: -1 });
      return;
    }
    if (NODE_FAULT_KINDS[spec.kind] !== undefined) {
      for (let i = 0; i < fault.addresses.length; i++) {
        this.scheduleNextFailure(this.sim.nowUs, { fault, address: fault.addresses[i] as number });
      }
    } else {
      this.scheduleNextFailure(this.sim.nowUs, { fault, address: -1 });
    }
  }

  /**
   * A renumbering: one timeline row when the record changes, then each resolver's failure window as a start and
   * an end of its own. The resolvers are the caches that look the renumbered nodes up: every cluster cache (its
   * upstreams are its parent site and the SPs), and the parent sites when an SP is renumbered. Each resolver's
   * phase and implementation are keyed draws by address under the fault's own label: no other draw shifts, and
   * a larger bind48Share marks a superset of resolvers at the same phases.
   */
  private installRenumbering(fault: InstalledFault, spec: Extract<FaultSpec, { kind: 'renumber' }>): void {
    const renumbering: Renumbering = {
      atUs: Math.round(spec.atUs as number),
      dnsTtlUs: spec.dnsTtlUs,
      addressesOverlap: spec.addressesOverlap ?? false,
      oldAddressesAnswerForUs: spec.oldAddressesAnswerForUs ?? 0,
    };
    const bind48Share = spec.bind48Share ?? 0;
    const drawSeed = this.streams.keyedSeed(`faults/${fault.index}/resolvers`);
    const topology = this.topology;
    let spRenumbered = false;
    for (let i = 0; i < fault.addresses.length; i++) {
      if (topology.kindOf(fault.addresses[i] as number) === NodeKind.StoragePoint) spRenumbered = true;
    }
    this.scheduleTransition(renumbering.atUs, EVENT_START, { fault, address: -1 });
    const schedule = (resolver: number): void => {
      const bind48 = keyedUniform(drawSeed, resolver, 1) < bind48Share;
      const window = failureWindow(renumbering, { bind48, phase: keyedUniform(drawSeed, resolver, 0) });
      if (window === null) return;
      this.scheduleTransition(window.startUs, EVENT_START, { fault, address: resolver, window });
      this.scheduleTransition(window.endUs, EVENT_END, { fault, address: resolver, window });
    };
    if (spRenumbered) for (let p = 0; p < topology.parentSiteCount; p++) schedule(topology.parentSiteAddress(p));
    for (let c = 0; c < topology.clusterCount; c++) schedule(topology.clusterCacheAddress(c));
  }

  /**
   * The earliest time at or after nowUs at which a fault may start or end (Infinity when none is
   * pending). Parts of the model that run ahead of the kernel's clock (a cluster stepping through
   * polls that touch nothing outside it) stop there, so no fault is missed.
   */
  nextTransitionUs(nowUs: number): number {
    if (this.globalNextUs < nowUs) this.globalNextUs = earliestFrom(this.pendingTransitionsUs, nowUs);
    return this.globalNextUs;
  }

  /**
   * Like nextTransitionUs, for a part of the model that lives in one cluster (its cache and edge servers):
   * also the outages of that cluster's own edge servers, and not those of other clusters.
   */
  nextTransitionInClusterUs(nowUs: number, cluster: number): number {
    let ownUs = this.edgeNextUs[cluster] as number;
    if (ownUs < nowUs) {
      ownUs = earliestFrom(this.edgeTransitionsUs[cluster] as Heap<number>, nowUs);
      this.edgeNextUs[cluster] = ownUs;
    }
    return Math.min(this.nextTransitionUs(nowUs), ownUs);
  }

  private scheduleTransition(atUs: number, kind: number, activation: Activation): void {
    const address = activation.address;
    if (address >= 0 && this.concernsOneCluster(activation)) {
      const cluster = this.topology.nodeCluster[address] as number;
      let times = this.edgeTransitionsUs[cluster];
      if (times === undefined) {
        times = new Heap<number>((a, b) => a - b);
        this.edgeTransitionsUs[cluster] = times;
      }
      times.push(atUs);
      if (atUs < (this.edgeNextUs[cluster] as number)) this.edgeNextUs[cluster] = atUs;
    } else {
      this.pendingTransitionsUs.push(atUs);
      if (atUs < this.globalNextUs) this.globalNextUs = atUs;
    }
    this.transitions.add(atUs, kind, activation);
  }

  /**
   * Does this transition change only what one cluster does? A single edge server's outage, or a renumbering window
   * of a cluster cache's resolver (it changes only whether that cache's own requests fail).
   */
  private concernsOneCluster(activation: Activation): boolean {
    const kind = this.topology.kindOf(activation.address);
    return kind === NodeKind.EdgeServer || (activation.fault.spec.kind === 'renumber' && kind === NodeKind.ClusterCache);
  }

  private scheduleNextFailure(nowUs: number, activation: Activation): void {
    const atUs = nowUs + Math.max(1, Math.round(exponential(activation.fault.rng, activation.fault.spec.mtbfUs as number)));
    if (atUs <= this.horizonUs) this.scheduleTransition(atUs, EVENT_START, activation);
  }

  private start(nowUs: number, activation: Activation): void {
    const { fault, address } = activation;
    const spec = fault.spec;
    const state = this.state;
    let detail = '';
    switch (spec.kind) {
      case 'sp-crash':
      case 'edge-outage':
      case 'cache-outage': {
        const diskLost = spec.diskLost === true;
        let count = 0;
        this.forEachNode(activation, (a) => {
          if (diskLost) this.diskLostWhileDown[a] = 1;
          if (state.markDown(a)) this.notify(a, false, diskLost);
          count++;
        });
        detail = address >= 0 ? `diskLost=${diskLost}` : `${count} nodes diskLost=${diskLost}`;
        break;
      }
      case 'partition': {
        const direction = spec.direction ?? 'both';
        fault.conditionId = state.addPartition(fault.mask, direction);
        detail = `direction=${direction}`;
        break;
      }
      case 'mtu-blackhole':
        fault.conditionId = state.addMtuBlackhole(fault.mask, spec.mtuBytes);
        detail = `mtuBytes=${spec.mtuBytes}`;
        break;
      case 'loss':
        fault.conditionId = state.addLoss(fault.mask, spec.probability);
        detail = `probability=${spec.probability}`;
        break;
      case 'latency':
        fault.conditionId = state.addLatency(fault.mask, spec.extraUs);
        detail = `extraUs=${spec.extraUs}`;
        break;
      case 'clock-skew': {
        const offsetUs = spec.offsetUs ?? 0;
        const driftPpm = spec.driftPpm ?? 0;
        fault.conditionId = state.addClockSkew(fault.mask, offsetUs, driftPpm, nowUs);
        detail = `offsetUs=${offsetUs} driftPpm=${driftPpm}`;
        break;
      }
      case 'dns-failure':
        state.addDnsFailure(fault.mask);
        break;
      case 'renumber':
        detail = this.startRenumbering(activation, spec);
        break;
    }
    this.record(nowUs, fault, 'start', address, detail);
  }

  private end(nowUs: number, activation: Activation): void {
    const { fault, address } = activation;
    const spec = fault.spec;
    switch (spec.kind) {
      case 'sp-crash':
      case 'edge-outage':
      case 'cache-outage':
        this.forEachNode(activation, (a) => {
          if (this.state.markUp(a)) {
            const diskLost = this.diskLostWhileDown[a] === 1;
            this.diskLostWhileDown[a] = 0;
            this.notify(a, true, diskLost);
          }
        });
        break;
      case 'dns-failure':
        this.state.removeDnsFailure(fault.mask);
        break;
      case 'renumber':
        if (address >= 0) this.state.removeUnreachableNames(address, fault.mask);
        break;
      default:
        this.state.remove(fault.conditionId);
        fault.conditionId = 0;
    }
    this.record(nowUs, fault, 'end', address, '');
  }

  /** The record changing (address -1: nothing to apply), or one resolver's window opening. Returns the row's detail. */
  private startRenumbering(activation: Activation, spec: Extract<FaultSpec, { kind: 'renumber' }>): string {
    const window = activation.window;
    if (activation.address < 0 || window === undefined) {
      return `${activation.fault.addresses.length} nodes renumbered=${spec.renumbered ?? 'both'} dnsTtlUs=${spec.dnsTtlUs} ` +
        `addressesOverlap=${spec.addressesOverlap ?? false} oldAddressesAnswerForUs=${spec.oldAddressesAnswerForUs ?? 0} bind48Share=${spec.bind48Share ?? 0}`;
    }
    this.state.addUnreachableNames(activation.address, activation.fault.mask);
    return `${window.cause} untilS=${window.endUs / 1e6}`;
  }

  private forEachNode(activation: Activation, visit: (address: number) => void): void {
    if (activation.address >= 0) {
      visit(activation.address);
      return;
    }
    const addresses = activation.fault.addresses;
    for (let i = 0; i < addresses.length; i++) visit(addresses[i] as number);
  }

  private notify(address: number, up: boolean, diskLost: boolean): void {
    for (const listener of this.listeners) listener(address, up, diskLost);
  }

  private record(nowUs: number, fault: InstalledFault, action: 'start' | 'end', address: number, detail: string): void {
    const target = address >= 0 ? this.topology.describe(address) : fault.targetText;
    this.timeline.push({ timeS: nowUs / 1e6, kind: fault.spec.kind, action, target, detail });
  }
}

/** The earliest time in a heap of transition times at or after nowUs (dropping the past ones), or Infinity. */
function earliestFrom(times: Heap<number>, nowUs: number): number {
  while (times.length > 0 && (times.peek() as number) < nowUs) times.pop();
  return times.length === 0 ? Infinity : (times.peek() as number);
}

function validateSpec(index: number, spec: FaultSpec): void {
  const where = `fault ${index} (${String(spec.kind)})`;
  if (!(FAULT_KINDS as readonly string[]).includes(spec.kind)) {
    throw new FaultSpecError(`fault ${index}: unknown kind '${String(spec.kind)}' (expected one of ${FAULT_KINDS.join(', ')})`);
  }
  if (spec.target === undefined) throw new FaultSpecError(`${where}: missing target`);
  const scheduled = spec.atUs !== undefined;
  const random = spec.mtbfUs !== undefined || spec.mttrUs !== undefined;
  if (scheduled === random) throw new FaultSpecError(`${where}: give either atUs (and forUs) or mtbfUs and mttrUs`);
  if (scheduled) {
    if (!(Number.isFinite(spec.atUs) && (spec.atUs as number) >= 0)) throw new FaultSpecError(`${where}: atUs must be >= 0`);
    if (spec.forUs !== undefined && !(spec.forUs > 0)) throw new FaultSpecError(`${where}: forUs must be > 0`);
  } else if (!((spec.mtbfUs as number) > 0 && (spec.mttrUs as number) > 0)) {
    throw new FaultSpecError(`${where}: mtbfUs and mttrUs must both be > 0`);
  }
  switch (spec.kind) {
    case 'partition':
      if (spec.direction !== undefined && !['both', 'inbound', 'outbound'].includes(spec.direction)) {
        throw new FaultSpecError(`${where}: direction must be both, inbound or outbound, got '${String(spec.direction)}'`);
      }
      break;
    case 'mtu-blackhole':
      if (!(Number.isInteger(spec.mtuBytes) && spec.mtuBytes > 0)) throw new FaultSpecError(`${where}: mtuBytes must be a positive integer`);
      break;
    case 'loss':
      if (!(spec.probability >= 0 && spec.probability <= 1)) throw new FaultSpecError(`${where}: probability must be in [0, 1]`);
      break;
    case 'latency':
      if (!(Number.isFinite(spec.extraUs) && spec.extraUs >= 0)) throw new FaultSpecError(`${where}: extraUs must be >= 0`);
      break;
    case 'renumber':
      validateRenumbering(where, spec);
      break;
    default:
      break;
  }
}

function validateRenumbering(where: string, spec: Extract<FaultSpec, { kind: 'renumber' }>): void {
  if (spec.atUs === undefined || spec.forUs !== undefined) throw new FaultSpecError(`${where}: a renumbering happens once: give atUs only`);
  if (spec.renumbered !== undefined && !(RENUMBERED_NODES as readonly string[]).includes(spec.renumbered)) {
    throw new FaultSpecError(`${where}: renumbered must be one of ${RENUMBERED_NODES.join(', ')}, got '${String(spec.renumbered)}'`);
  }
  if (!(Number.isInteger(spec.dnsTtlUs) && spec.dnsTtlUs > BIND48_REFRESH_LEFT_US)) {
    throw new FaultSpecError(`${where}: dnsTtlUs must be an integer above ${BIND48_REFRESH_LEFT_US} (BIND 4.8 refreshes when 15 minutes remain)`);
  }
  const oldUs = spec.oldAddressesAnswerForUs ?? 0;
  if (!(Number.isInteger(oldUs) && oldUs >= 0)) throw new FaultSpecError(`${where}: oldAddressesAnswerForUs must be an integer >= 0`);
  const share = spec.bind48Share ?? 0;
  if (!(share >= 0 && share <= 1)) throw new FaultSpecError(`${where}: bind48Share must be in [0, 1]`);
}
