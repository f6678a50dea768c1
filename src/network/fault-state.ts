// The faults in force right now, as the network and the protocols query them: which nodes are up,
// which paths are cut (partition, MTU black hole), extra loss and delay, skewed clocks, failed DNS, and
// which renumbered names a resolver cannot reach.
// faults.ts decides when conditions start and end; this file only answers questions about them.

export type PartitionDirection = 'both' | 'inbound' | 'outbound';

/** A path condition: applies to a path when it touches (or, for partitions, crosses) the mask. */
interface MaskCondition {
  readonly id: number;
  readonly mask: Uint8Array;
}
interface Partition extends MaskCondition {
  readonly direction: PartitionDirection;
}
interface MtuBlackhole extends MaskCondition {
  readonly mtuBytes: number;
}
interface ExtraLoss extends MaskCondition {
  readonly probability: number;
}
interface ExtraLatency extends MaskCondition {
  readonly extraUs: number;
}
interface ClockSkew extends MaskCondition {
  readonly offsetUs: number;
  readonly driftPpm: number;
  readonly sinceUs: number;
}

export class FaultState {
  private readonly downCount: Uint16Array;
  private readonly dnsFailCount: Uint16Array;
  private readonly partitions: Partition[] = [];
  private readonly mtus: MtuBlackhole[] = [];
  private readonly losses: ExtraLoss[] = [];
  private readonly latencies: ExtraLatency[] = [];
  private readonly skews: ClockSkew[] = [];
  /** Per resolver in a renumbering's failure window: the masks of the renumbered nodes it cannot reach. */
  private readonly unreachableNames = new Map<number, Uint8Array[]>();
  private nextId = 1;
  // Fast path: with no path condition in force, path queries only read two liveness counters.
  private pathConditionCount = 0;
  /** Changes whenever a condition on paths (partition, MTU, loss, latency) begins or ends. */
  pathGeneration = 0;

  constructor(readonly nodeCount: number) {
    this.downCount = new Uint16Array(nodeCount);
    this.dnsFailCount = new Uint16Array(nodeCount);
  }

  isUp(address: number): boolean {
    return this.downCount[address] === 0;
  }

  /** Marks a node down once more (outages can overlap). Returns true if it was up before. */
  markDown(address: number): boolean {
    const before = this.downCount[address] as number;
    this.downCount[address] = before + 1;
    return before === 0;
  }

  /** Undoes one markDown. Returns true if the node is up now. */
  markUp(address: number): boolean {
    const before = this.downCount[address] as number;
    if (before === 0) throw new Error(`node ${address} is not down`);
    this.downCount[address] = before - 1;
    return before === 1;
  }

  /**
   * Is a message or transfer of sizeBytes from `from` to `to` dropped outright? True when an endpoint
   * is down, a partition separates them in that direction, or a black hole on a path touching either
   * endpoint's ISP/country swallows packets above its MTU. Hot path: no allocation.
   */
  pathBlocked(from: number, to: number, sizeBytes: number): boolean {
    if (this.downCount[from] !== 0 || this.downCount[to] !== 0) return true;
    if (this.pathConditionCount === 0) return false;
    for (let i = 0; i < this.partitions.length; i++) {
      const partition = this.partitions[i] as Partition;
      const fromInside = partition.mask[from] === 1;
      const toInside = partition.mask[to] === 1;
      if (fromInside === toInside) continue;
      if (partition.direction === 'both') return true;
      if (partition.direction === 'inbound' && toInside) return true;
      if (partition.direction === 'outbound' && fromInside) return true;
    }
    for (let i = 0; i < this.mtus.length; i++) {
      const hole = this.mtus[i] as MtuBlackhole;
      if (sizeBytes > hole.mtuBytes && (hole.mask[from] === 1 || hole.mask[to] === 1)) return true;
    }
    return false;
  }

  /** Extra loss probability on the path (independent conditions combine as 1 - prod(1 - p)). */
  extraLossProbability(from: number, to: number): number {
    if (this.losses.length === 0) return 0;
    let pass = 1;
    for (let i = 0; i < this.losses.length; i++) {
      const loss = this.losses[i] as ExtraLoss;
      if (loss.mask[from] === 1 || loss.mask[to] === 1) pass *= 1 - loss.probability;
    }
    return 1 - pass;
  }

  /** Extra one-way delay on the path, microseconds (conditions add up). */
  extraDelayUs(from: number, to: number): number {
    if (this.latencies.length === 0) return 0;
    let extraUs = 0;
    for (let i = 0; i < this.latencies.length; i++) {
      const latency = this.latencies[i] as ExtraLatency;
      if (latency.mask[from] === 1 || latency.mask[to] === 1) extraUs += latency.extraUs;
    }
    return extraUs;
  }

  /** The node's own clock: true time plus every skew in force (offset, plus drift since the skew began). */
  localClockUs(address: number, nowUs: number): number {
    if (this.skews.length === 0) return nowUs;
    let skewUs = 0;
    for (let i = 0; i < this.skews.length; i++) {
      const skew = this.skews[i] as ClockSkew;
      if (skew.mask[address] === 1) skewUs += skew.offsetUs + (skew.driftPpm * (nowUs - skew.sinceUs)) / 1e6;
    }
    return Math.round(nowUs + skewUs);
  }

  /** Can this node resolve the names of caches and Storage Points (DNS working for it)? */
  canResolve(address: number): boolean {
    return this.dnsFailCount[address] === 0;
  }

  /**
   * Can `from` resolve `to`'s name to an address that answers? False when `from`'s DNS fails, or while it is in a
   * renumbering's failure window (renumbering.ts) and `to` is one of the renumbered nodes.
   */
  canResolveName(from: number, to: number): boolean {
    if (this.dnsFailCount[from] !== 0) return false;
    if (this.unreachableNames.size === 0) return true;
    const masks = this.unreachableNames.get(from);
    if (masks === undefined) return true;
    for (let i = 0; i < masks.length; i++) if ((masks[i] as Uint8Array)[to] === 1) return false;
    return true;
  }

  /** The resolver cannot reach the nodes in the mask; undo with removeUnreachableNames(resolver, mask). */
  addUnreachableNames(resolver: number, mask: Uint8Array): void {
    const masks = this.unreachableNames.get(resolver);
    if (masks === undefined) this.unreachableNames.set(resolver, [mask]);
    else masks.push(mask);
  }

  removeUnreachableNames(resolver: number, mask: Uint8Array): void {
    const masks = this.unreachableNames.get(resolver);
    const index = masks === undefined ? -1 : masks.indexOf(mask);
    if (masks === undefined || index < 0) throw new Error(`resolver ${resolver} has no such renumbering window`);
    masks.splice(index, 1);
    if (masks.length === 0) this.unreachableNames.delete(resolver);
  }

  addPartition(mask: Uint8Array, direction: PartitionDirection): number {
    return this.addPath(this.partitions, { id: this.nextId++, mask, direction });
  }

  addMtuBlackhole(mask: Uint8Array, mtuBytes: number): number {
    return this.addPath(this.mtus, { id: this.nextId++, mask, mtuBytes });
  }

  addLoss(mask: Uint8Array, probability: number): number {
    return this.addPath(this.losses, { id: this.nextId++, mask, probability });
  }

  addLatency(mask: Uint8Array, extraUs: number): number {
    return this.addPath(this.latencies, { id: this.nextId++, mask, extraUs });
  }

  addClockSkew(mask: Uint8Array, offsetUs: number, driftPpm: number, sinceUs: number): number {
    const id = this.nextId++;
    this.skews.push({ id, mask, offsetUs, driftPpm, sinceUs });
    return id;
  }

  /** DNS failure for every node in the mask; undo with removeDnsFailure(mask). */
  addDnsFailure(mask: Uint8Array): void {
    for (let a = 0; a < mask.length; a++) if (mask[a] === 1) this.dnsFailCount[a] = (this.dnsFailCount[a] as number) + 1;
  }

  removeDnsFailure(mask: Uint8Array): void {
    for (let a = 0; a < mask.length; a++) if (mask[a] === 1) this.dnsFailCount[a] = (this.dnsFailCount[a] as number) - 1;
  }

  /** Ends a condition started by one of the add* methods (not DNS). Unknown ids are a caller bug. */
  remove(id: number): void {
    for (const list of [this.partitions, this.mtus, this.losses, this.latencies] as MaskCondition[][]) {
      const index = list.findIndex((condition) => condition.id === id);
      if (index >= 0) {
        list.splice(index, 1);
        this.pathConditionCount--;
        this.pathGeneration++;
        return;
      }
    }
    const skewIndex = this.skews.findIndex((skew) => skew.id === id);
    if (skewIndex < 0) throw new Error(`no fault condition with id ${id}`);
    this.skews.splice(skewIndex, 1);
  }

  private addPath<T extends MaskCondition>(list: T[], condition: T): number {
    if (condition.mask.length !== this.nodeCount) throw new Error('a fault mask must cover every node');
    list.push(condition);
    this.pathConditionCount++;
    this.pathGeneration++;
    return condition.id;
  }
}
