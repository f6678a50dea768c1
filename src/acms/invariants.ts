// Online checker of the front end's four safety invariants, fed the Storage Points' observations.
// It knows S and the true majority on its own, so an SP configured with a smaller quorum is caught.
import type { StoragePointObservation } from './frontend-messages.js';
import { majorityOf } from './frontend-params.js';
import { versionName, type VersionId } from './version.js';

export type InvariantNumber = 1 | 2 | 3 | 4;

export const INVARIANT_TITLES: Readonly<Record<InvariantNumber, string>> = {
  1: 'an accepted id is stored and agreed by a majority at acceptance',
  2: 'an accepted version is never lost by a future majority',
  3: 'a snapshot shows only agreed versions',
  4: 'the visible version of a file never goes backwards at an SP',
};

export interface InvariantViolation {
  readonly invariant: InvariantNumber;
  readonly timeUs: number;
  readonly fileId: number;
  readonly versionKey: number;
  /** The SPs involved (the observing SP, the holders or the bit setters, as the message says). */
  readonly sps: readonly number[];
  readonly message: string;
}

export class FrontendInvariantChecker {
  readonly majority: number;
  checks = 0;
  violations = 0;
  readonly violationsByInvariant: Record<InvariantNumber, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  /** The first maxReports violations, in order (the counts above keep counting past the cap). */
  readonly reports: InvariantViolation[] = [];
  private readonly storedBySp: Set<number>[] = [];
  private readonly visibleBySp: Map<number, number>[] = [];
  /** Bits currently set (a disk loss clears that SP's bits). */
  private readonly bitsNow = new Map<number, number>();
  /** Bits ever set: a version is agreed once a true majority of SPs have set their bit. */
  private readonly bitsEver = new Map<number, number>();
  /** Newest accepted version of each file: if it survives, every older accepted version does too. */
  private readonly newestAccepted = new Map<number, VersionId>();

  constructor(
    readonly spCount: number,
    private readonly maxReports = 100,
  ) {
    if (!Number.isInteger(spCount) || spCount < 1 || spCount > 32) throw new RangeError(`spCount must be in [1, 32], got ${spCount}`);
    this.majority = majorityOf(spCount);
    for (let sp = 0; sp < spCount; sp++) {
      this.storedBySp.push(new Set());
      this.visibleBySp.push(new Map());
    }
  }

  /** Feed every observation of SP `sp`, in simulation order. Other observation types are ignored. */
  observe(nowUs: number, sp: number, observation: StoragePointObservation): void {
    if (!Number.isInteger(sp) || sp < 0 || sp >= this.spCount) throw new RangeError(`no SP ${sp}`);
    switch (observation.type) {
      case 'stored':
        (this.storedBySp[sp] as Set<number>).add(observation.version.versionKey);
        return;
      case 'bitSet': {
        const key = observation.version.versionKey;
        const bit = 1 << sp;
        this.bitsNow.set(key, (this.bitsNow.get(key) ?? 0) | bit);
        this.bitsEver.set(key, (this.bitsEver.get(key) ?? 0) | bit);
        return;
      }
      case 'accepted':
        this.checkAcceptance(nowUs, sp, observation.version);
        return;
      case 'visible':
        this.checkVisible(nowUs, sp, observation.version);
        return;
      case 'diskLost':
        this.onDiskLost(nowUs, sp);
        return;
      default:
        return;
    }
  }

  get ok(): boolean {
    return this.violations === 0;
  }

  /** A one-line summary for run results. */
  summary(): string {
    const counts = ([1, 2, 3, 4] as const).map((n) => `#${n}:${this.violationsByInvariant[n]}`).join(' ');
    return `invariants: ${this.checks} checks, ${this.violations} violations (${counts})`;
  }

  // Invariant 1, and invariant 2 at its first moment.
  private checkAcceptance(nowUs: number, sp: number, version: VersionId): void {
    const key = version.versionKey;
    const bits = this.bitsNow.get(key) ?? 0;
    const committed: number[] = [];
    for (let i = 0; i < this.spCount; i++) {
      if ((bits & (1 << i)) !== 0 && (this.storedBySp[i] as Set<number>).has(key)) committed.push(i);
    }
    this.checks++;
    if (committed.length < this.majority) {
      this.report(1, nowUs, version, [sp, ...committed], `${versionName(version)} accepted by SP ${sp} while only SPs [${committed.join(',')}] had stored it and set their bit (a majority is ${this.majority} of ${this.spCount})`);
    }
    const newest = this.newestAccepted.get(version.fileId);
    if (newest === undefined || newest.versionKey < key) this.newestAccepted.set(version.fileId, version);
    this.checkNotLost(nowUs, version);
  }

  // Invariant 2: more than S - majority SPs hold the version or show a newer one, so every majority has one.
  private checkNotLost(nowUs: number, version: VersionId): void {
    const holders = this.holdersOf(version);
    this.checks++;
    if (holders.length <= this.spCount - this.majority) {
      this.report(2, nowUs, version, holders, `${versionName(version)} (accepted) is held only by SPs [${holders.join(',')}]: a majority of the other ${this.spCount - holders.length} SPs could lose it`);
    }
  }

  private holdersOf(version: VersionId): number[] {
    const holders: number[] = [];
    for (let i = 0; i < this.spCount; i++) {
      const shownKey = (this.visibleBySp[i] as Map<number, number>).get(version.fileId);
      if ((this.storedBySp[i] as Set<number>).has(version.versionKey) || (shownKey !== undefined && shownKey > version.versionKey)) holders.push(i);
    }
    return holders;
  }

  // Invariants 3 and 4.
  private checkVisible(nowUs: number, sp: number, version: VersionId): void {
    const key = version.versionKey;
    const setters = bitList(this.bitsEver.get(key) ?? 0, this.spCount);
    this.checks++;
    if (setters.length < this.majority) {
      this.report(3, nowUs, version, [sp, ...setters], `SP ${sp} shows ${versionName(version)} but only SPs [${setters.join(',')}] ever set their bit (a majority is ${this.majority})`);
    }
    const visible = this.visibleBySp[sp] as Map<number, number>;
    const shownKey = visible.get(version.fileId);
    this.checks++;
    if (shownKey !== undefined && shownKey >= key) {
      this.report(4, nowUs, version, [sp], `SP ${sp} went from version key ${shownKey} back to ${versionName(version)} (key ${key}) for file ${version.fileId}`);
      return;
    }
    visible.set(version.fileId, key);
  }

  /** The SP starts empty (a new snapshot log, so invariant 4 restarts for it); re-check every accepted file. */
  private onDiskLost(nowUs: number, sp: number): void {
    const stored = this.storedBySp[sp] as Set<number>;
    const keep = ~(1 << sp);
    for (const key of stored) {
      const bits = this.bitsNow.get(key);
      if (bits !== undefined) this.bitsNow.set(key, bits & keep);
    }
    stored.clear();
    (this.visibleBySp[sp] as Map<number, number>).clear();
    for (const version of this.newestAccepted.values()) this.checkNotLost(nowUs, version);
  }

  private report(invariant: InvariantNumber, timeUs: number, version: VersionId, sps: readonly number[], detail: string): void {
    this.violations++;
    this.violationsByInvariant[invariant]++;
    if (this.reports.length >= this.maxReports) return;
    const message = `t=${(timeUs / 1e6).toFixed(6)} s: invariant ${invariant} (${INVARIANT_TITLES[invariant]}) violated: ${detail}`;
    this.reports.push({ invariant, timeUs, fileId: version.fileId, versionKey: version.versionKey, sps: [...new Set(sps)], message });
  }
}

function bitList(bits: number, spCount: number): number[] {
  const list: number[] = [];
  for (let i = 0; i < spCount; i++) if ((bits & (1 << i)) !== 0) list.push(i);
  return list;
}
