// Online checker of the front end's safety invariants, fed the Storage Points' observations.
// It knows S and the true majority on its own, so an SP configured with a smaller quorum is caught.
// The quorum design (ACMS) promises invariants 1-4. The what-if designs (primary-backup, single) promise what a
// serial front end promises: the same four without a majority (the acceptor stores it, some SP keeps it, only
// committed versions are shown, nothing goes backwards) and 5, one history per file, which a split brain breaks.
import type { FrontendDesign } from './frontends/design.js';
import type { StoragePointObservation } from './frontend-messages.js';
import { majorityOf } from './frontend-params.js';
import { versionName, type VersionId } from './version.js';

export type InvariantNumber = 1 | 2 | 3 | 4 | 5;

export const INVARIANT_TITLES: Readonly<Record<InvariantNumber, string>> = {
  1: 'an accepted id is stored and agreed by a majority at acceptance',
  2: 'an accepted version is never lost by a future majority',
  3: 'a snapshot shows only agreed versions',
  4: 'the visible version of a file never goes backwards at an SP',
  5: 'one history per file: a version is accepted only by an SP that holds the file\'s last accepted version',
};

/** The titles for the serial designs (primary-backup, single), which promise no majority. */
export const SERIAL_INVARIANT_TITLES: Readonly<Record<InvariantNumber, string>> = {
  1: 'an accepted id is stored by its accepting SP at acceptance',
  2: 'an accepted version is never lost (some SP holds it or a newer one)',
  3: 'a snapshot shows only committed versions',
  4: INVARIANT_TITLES[4],
  5: INVARIANT_TITLES[5],
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
  /** The invariants this design promises, in order (quorum: 1-4, so its summaries stay as they were). */
  readonly invariants: readonly InvariantNumber[];
  checks = 0;
  violations = 0;
  readonly violationsByInvariant: Partial<Record<InvariantNumber, number>> = {};
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
  /** Serial designs: the last version of each file accepted, in acceptance order (invariant 5). */
  private readonly lastAccepted = new Map<number, VersionId>();
  /** Serial designs: versions some SP committed (invariant 3). */
  private readonly committed = new Set<number>();
  private readonly serial: boolean;
  private readonly titles: Readonly<Record<InvariantNumber, string>>;

  constructor(
    readonly spCount: number,
    private readonly maxReports = 100,
    readonly design: FrontendDesign = 'quorum',
  ) {
    if (!Number.isInteger(spCount) || spCount < 1 || spCount > 32) throw new RangeError(`spCount must be in [1, 32], got ${spCount}`);
    this.serial = design !== 'quorum';
    this.majority = majorityOf(spCount);
    this.invariants = this.serial ? [1, 2, 3, 4, 5] : [1, 2, 3, 4];
    this.titles = this.serial ? SERIAL_INVARIANT_TITLES : INVARIANT_TITLES;
    for (const n of this.invariants) this.violationsByInvariant[n] = 0;
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
      case 'agreed':
        if (this.serial) this.committed.add(observation.version.versionKey);
        return;
      case 'accepted':
        if (this.serial) this.checkSerialAcceptance(nowUs, sp, observation.version);
        else this.checkAcceptance(nowUs, sp, observation.version);
        return;
      case 'visible':
        this.checkVisible(nowUs, sp, observation.version);
        return;
      case 'diskLost':
      case 'rolledBack':
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
    const counts = this.invariants.map((n) => `#${n}:${this.violationsByInvariant[n] ?? 0}`).join(' ');
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

  /**
   * Invariants 1 and 5, and 2 at its first moment, for a serial design. 5: the accepting SP must hold the file's
   * last accepted version (or show a newer one); a primary that did not see it forked the file's history.
   */
  private checkSerialAcceptance(nowUs: number, sp: number, version: VersionId): void {
    const key = version.versionKey;
    this.checks++;
    if (!(this.storedBySp[sp] as Set<number>).has(key)) {
      this.report(1, nowUs, version, [sp], `${versionName(version)} accepted by SP ${sp}, which does not store it`);
    }
    const last = this.lastAccepted.get(version.fileId);
    this.checks++;
    if (last !== undefined && !this.heldBefore(sp, last, version)) {
      this.report(5, nowUs, version, [sp, last.originSp], `SP ${sp} accepted ${versionName(version)} without holding ${versionName(last)}, the file's last accepted version (accepted by SP ${last.originSp}): two histories of file ${version.fileId} (a split brain, or a lost update)`);
    }
    this.lastAccepted.set(version.fileId, version);
    const newest = this.newestAccepted.get(version.fileId);
    if (newest === undefined || newest.versionKey < key) this.newestAccepted.set(version.fileId, version);
    this.checkNotLost(nowUs, version);
  }

  /** Whether sp held `older` before it made `accepting` visible (its snapshot already shows `accepting`). */
  private heldBefore(sp: number, older: VersionId, accepting: VersionId): boolean {
    if ((this.storedBySp[sp] as Set<number>).has(older.versionKey)) return true;
    const shownKey = (this.visibleBySp[sp] as Map<number, number>).get(older.fileId);
    return shownKey !== undefined && shownKey !== accepting.versionKey && shownKey > older.versionKey;
  }

  private holds(sp: number, version: VersionId): boolean {
    if ((this.storedBySp[sp] as Set<number>).has(version.versionKey)) return true;
    const shownKey = (this.visibleBySp[sp] as Map<number, number>).get(version.fileId);
    return shownKey !== undefined && shownKey > version.versionKey;
  }

  // Invariant 2: more than S - majority SPs hold the version or show a newer one, so every majority has one.
  private checkNotLost(nowUs: number, version: VersionId): void {
    const holders = this.holdersOf(version);
    this.checks++;
    // A serial design needs one holder, not a majority: that is its promise, and its weakness.
    if (this.serial) {
      if (holders.length === 0) this.report(2, nowUs, version, [version.originSp], `${versionName(version)} (accepted by SP ${version.originSp}) is held by no SP, and none shows a newer version of file ${version.fileId}`);
      return;
    }
    if (holders.length <= this.spCount - this.majority) {
      this.report(2, nowUs, version, holders, `${versionName(version)} (accepted) is held only by SPs [${holders.join(',')}]: a majority of the other ${this.spCount - holders.length} SPs could lose it`);
    }
  }

  private holdersOf(version: VersionId): number[] {
    const holders: number[] = [];
    for (let i = 0; i < this.spCount; i++) if (this.holds(i, version)) holders.push(i);
    return holders;
  }

  // Invariants 3 and 4.
  private checkVisible(nowUs: number, sp: number, version: VersionId): void {
    const key = version.versionKey;
    this.checks++;
    if (this.serial) {
      if (!this.committed.has(key)) this.report(3, nowUs, version, [sp], `SP ${sp} shows ${versionName(version)}, which no SP committed`);
      this.checkForward(nowUs, sp, version);
      return;
    }
    const setters = bitList(this.bitsEver.get(key) ?? 0, this.spCount);
    if (setters.length < this.majority) {
      this.report(3, nowUs, version, [sp, ...setters], `SP ${sp} shows ${versionName(version)} but only SPs [${setters.join(',')}] ever set their bit (a majority is ${this.majority})`);
    }
    this.checkForward(nowUs, sp, version);
  }

  private checkForward(nowUs: number, sp: number, version: VersionId): void {
    const key = version.versionKey;
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
    this.violationsByInvariant[invariant] = (this.violationsByInvariant[invariant] ?? 0) + 1;
    if (this.reports.length >= this.maxReports) return;
    const message = `t=${(timeUs / 1e6).toFixed(6)} s: invariant ${invariant} (${this.titles[invariant]}) violated: ${detail}`;
    this.reports.push({ invariant, timeUs, fileId: version.fileId, versionKey: version.versionKey, sps: [...new Set(sps)], message });
  }
}

function bitList(bits: number, spCount: number): number[] {
  const list: number[] = [];
  for (let i = 0; i < spCount; i++) if ((bits & (1 << i)) !== 0) list.push(i);
  return list;
}
