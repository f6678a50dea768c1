// The `primary-backup` front end as a pure machine, one per SP address. SP 0 starts as primary; it names each
// submission from its own clock, stores it, replicates it to every backup and commits (shows it, tells the
// backups, answers its publisher) once every backup it can reach has acknowledged.
//
// Acknowledgement rule: the primary waits for the backups whose heartbeat answers it heard within
// heartbeatTimeoutUs when the submission arrived; a backup drops out of that set when it stops answering, and at
// replicationTimeoutUs the primary commits with whoever acknowledged. With no backup reachable it commits on its
// own write. So a primary cut off from every backup keeps accepting alone.
//
// Fail-over: backups count rounds of heartbeatTimeoutUs without a heartbeat; the backup k places after the
// primary in the fixed order 0, 1, ..., S-1 (wrapping) takes over after k silent rounds, with the next term.
// Nothing fences the old primary: if it is only cut off from the backups, it keeps accepting while the new one
// does too (a split brain), and two versions of one file can be accepted by different primaries. When the old
// primary hears of the newer term (after the heal) it steps down, discards its state (rolledBack) and copies the
// new primary's commit log: what it alone accepted is gone. Ties in a term go to the lower index.
import type { Address, MachineInput, MachineOutput } from '../../kernel/machine.js';
import type { AgreementRecord, MergeResponseMessage, StoragePointCommand, StoragePointObservation, SubmitMessage } from '../frontend-messages.js';
import { validateStoragePointParams, type StoragePointParams } from '../frontend-params.js';
import { Snapshot } from '../snapshot.js';
import { assertStoragePointIndex, makeVersionId } from '../version.js';
import { FIRST_SP_INDEX, type FrontEndNode } from './design.js';
import type { CommitMessage, FrontEndWireMessage, HeartbeatMessage } from './messages.js';
import { validatePrimaryBackupParams, type PrimaryBackupParams } from './primary-backup-params.js';
import { answerFileFetch, answerFileGet, answerIndexGet } from '../reader-answers.js';

export interface PrimaryBackupOptions {
  readonly index: number;
  readonly params: StoragePointParams;
  readonly pb: PrimaryBackupParams;
  /** The SP's own (possibly skewed) clock as a function of true time. */
  readonly localClockUs: (nowUs: number) => number;
}

type Input = MachineInput<FrontEndWireMessage, StoragePointCommand>;
type Output = MachineOutput<FrontEndWireMessage, StoragePointObservation>;

/** Masks of backups are int32 bitmasks. */
const MAX_NODES = 32;
const HEARTBEAT_TIMER = 'heartbeat';
const SILENCE_TIMER = 'silence';
const REPLICATION_TIMER = 'repl/';
/** Fetches re-sent per heartbeat: bounds the burst after a long outage. */
const FETCH_RETRIES_PER_HEARTBEAT = 32;

/** What survives a crash (a disk loss or a roll-back replaces it whole). */
class Disk {
  readonly stored = new Map<number, AgreementRecord>();
  readonly committed = new Set<number>();
  /** Commits in the order this node learnt them: what it sends backups that ask (mergeRequest). */
  readonly log: AgreementRecord[] = [];
  /** Committed versions this node shows nothing as new as and does not hold yet. */
  readonly missing = new Map<number, AgreementRecord>();
  constructor(readonly snapshot: Snapshot, readonly incarnation: number) {}
}

interface Pending {
  readonly record: AgreementRecord;
  readonly publisher: Address;
  readonly submissionId: number;
  readonly attempt: number;
  /** Backups still to acknowledge. */
  waitingMask: number;
}

/** How much of its primary's commit log (of one incarnation) a backup holds. */
interface Watermark {
  primary: number;
  incarnation: number;
  length: number;
}

/** (termA, primaryA) is newer than (termB, primaryB): a higher term, or the same term and a lower index. */
export function newerLeadership(termA: number, primaryA: number, termB: number, primaryB: number): boolean {
  return termA > termB || (termA === termB && primaryA < primaryB);
}

export class PrimaryBackupPoint implements FrontEndNode {
  readonly index: number;
  readonly params: StoragePointParams;
  readonly pb: PrimaryBackupParams;
  private readonly localClock: (nowUs: number) => number;
  private up = true;
  private disk: Disk;
  private incarnations = 0;
  // Persistent leadership state (kept across crashes and disk losses: a few bytes an operator would not lose).
  private termNow = 0;
  private primaryNow = FIRST_SP_INDEX;
  /** The last term this node led, -1 if none: adopting a newer term after leading means rolling back. */
  private ledTerm = -1;
  // Volatile state.
  private leading = false;
  private silentRounds = 0;
  private readonly lastAckUs: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private watermark: Watermark = { primary: -1, incarnation: -1, length: 0 };
  private syncSentUs = -Infinity;
  /** versionKey -> true time the fetch was sent. */
  private readonly fetchesInFlight = new Map<number, number>();
  private nextRequestId = 1;
  private lastTimestampUs = -Infinity;
  inputsWhileDown = 0;

  constructor(options: PrimaryBackupOptions) {
    validateStoragePointParams(options.params);
    validatePrimaryBackupParams(options.pb);
    assertStoragePointIndex(options.index);
    if (options.params.spCount > MAX_NODES) throw new RangeError(`primary-backup masks hold at most ${MAX_NODES} SPs, got ${options.params.spCount}`);
    if (options.index >= options.params.spCount) throw new RangeError(`SP index ${options.index} is not below spCount ${options.params.spCount}`);
    this.index = options.index;
    this.params = options.params;
    this.pb = options.pb;
    this.localClock = options.localClockUs;
    for (let i = 0; i < this.params.spCount; i++) this.lastAckUs.push(-Infinity);
    this.disk = this.freshDisk(0);
  }

  get snapshot(): Snapshot {
    return this.disk.snapshot;
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Whether this node acts as primary now. */
  get isLeading(): boolean {
    return this.leading;
  }

  get term(): number {
    return this.termNow;
  }

  /** The primary this node follows (itself when leading). */
  get primary(): number {
    return this.primaryNow;
  }

  isStored(versionKey: number): boolean {
    return this.disk.stored.has(versionKey);
  }

  isCommitted(versionKey: number): boolean {
    return this.disk.committed.has(versionKey);
  }

  get logLength(): number {
    return this.disk.log.length;
  }

  handle(nowUs: number, input: Input): readonly Output[] {
    const out: Output[] = [];
    if (input.type === 'command') {
      this.onCommand(nowUs, input.command, out);
      return out;
    }
    if (!this.up) {
      this.inputsWhileDown++;
      return out;
    }
    if (input.type === 'timer') this.onTimer(nowUs, input.timer, out);
    else this.onMessage(nowUs, input.from, input.message, out);
    return out;
  }

  // ---- commands -------------------------------------------------------------------------------------

  private onCommand(nowUs: number, command: StoragePointCommand, out: Output[]): void {
    switch (command.type) {
      case 'start':
        if (this.index === FIRST_SP_INDEX) this.lead(nowUs, out);
        else this.armSilence(nowUs, out);
        return;
      case 'crash':
        if (!this.up) throw new Error(`SP ${this.index} crashed while already down`);
        this.up = false;
        this.stopLeading(out);
        this.fetchesInFlight.clear();
        out.push({ type: 'clearTimer', timer: SILENCE_TIMER });
        out.push({ type: 'observe', observation: { type: 'crashed' } });
        return;
      case 'restart':
        if (this.up) throw new Error(`SP ${this.index} restarted while up`);
        this.up = true;
        if (command.diskLost) {
          this.disk = this.freshDisk(nowUs);
          out.push({ type: 'observe', observation: { type: 'diskLost' } });
        }
        out.push({ type: 'observe', observation: { type: 'restarted', diskLost: command.diskLost } });
        // It comes back as a backup of whoever it followed; if that was itself, it leads again after one
        // silent round unless it hears a newer primary first.
        this.watermark = { primary: -1, incarnation: -1, length: 0 };
        this.armSilence(nowUs, out);
        return;
    }
  }

  private freshDisk(nowUs: number): Disk {
    this.fetchesInFlight.clear();
    return new Disk(new Snapshot(this.index, this.params.subIndexCount, Math.round(this.localClock(nowUs))), this.incarnations++);
  }

  // ---- leadership -----------------------------------------------------------------------------------

  private lead(nowUs: number, out: Output[]): void {
    this.leading = true;
    this.primaryNow = this.index;
    this.ledTerm = this.termNow;
    // Every backup is given the benefit of the doubt for one time-out.
    for (let i = 0; i < this.lastAckUs.length; i++) this.lastAckUs[i] = nowUs;
    out.push({ type: 'clearTimer', timer: SILENCE_TIMER });
    this.heartbeatRound(nowUs, out);
  }

  private stopLeading(out: Output[]): void {
    if (this.leading) out.push({ type: 'clearTimer', timer: HEARTBEAT_TIMER });
    this.leading = false;
    // Submissions in progress get no answer: their publishers time out and try elsewhere.
    for (const key of this.pending.keys()) out.push({ type: 'clearTimer', timer: REPLICATION_TIMER + key });
    this.pending.clear();
  }

  /** Follow a newer primary. A node that led its current term discards its state: the new primary's log wins. */
  private follow(nowUs: number, term: number, primary: number, out: Output[]): void {
    const rollBack = this.ledTerm === this.termNow;
    this.stopLeading(out);
    this.termNow = term;
    this.primaryNow = primary;
    if (rollBack) {
      this.ledTerm = -1;
      this.disk = this.freshDisk(nowUs);
      out.push({ type: 'observe', observation: { type: 'rolledBack', newPrimary: primary, term } });
    }
    this.watermark = { primary: -1, incarnation: -1, length: 0 };
    this.armSilence(nowUs, out);
  }

  private armSilence(nowUs: number, out: Output[]): void {
    this.silentRounds = 0;
    out.push({ type: 'setTimer', timer: SILENCE_TIMER, atUs: nowUs + this.pb.heartbeatTimeoutUs });
  }

  private onTimer(nowUs: number, timer: string, out: Output[]): void {
    if (timer === HEARTBEAT_TIMER) {
      if (this.leading) this.heartbeatRound(nowUs, out);
      return;
    }
    if (timer === SILENCE_TIMER) {
      if (!this.leading) this.onSilence(nowUs, out);
      return;
    }
    if (timer.startsWith(REPLICATION_TIMER)) {
      // Backups that have not acknowledged by now are taken as unreachable.
      const pending = this.pending.get(Number(timer.slice(REPLICATION_TIMER.length)));
      if (pending !== undefined) this.commit(nowUs, pending, out);
      return;
    }
    throw new Error(`primary-backup SP ${this.index}: unknown timer ${timer}`);
  }

  private onSilence(nowUs: number, out: Output[]): void {
    this.silentRounds++;
    const spCount = this.params.spCount;
    const rank = (this.index - this.primaryNow + spCount) % spCount;
    if (this.silentRounds >= rank) {
      this.termNow++;
      this.lead(nowUs, out);
      return;
    }
    out.push({ type: 'setTimer', timer: SILENCE_TIMER, atUs: nowUs + this.pb.heartbeatTimeoutUs });
  }

  private heartbeatRound(nowUs: number, out: Output[]): void {
    out.push({ type: 'setTimer', timer: HEARTBEAT_TIMER, atUs: nowUs + this.pb.heartbeatIntervalUs });
    const heartbeat: HeartbeatMessage = { type: 'heartbeat', term: this.termNow, logIncarnation: this.disk.incarnation, logLength: this.disk.log.length };
    for (let peer = 0; peer < this.params.spCount; peer++) {
      if (peer !== this.index) out.push({ type: 'send', to: peer, message: heartbeat, sizeBytes: this.params.controlMessageBytes });
    }
    // Stop waiting for backups that stopped answering.
    const reachable = this.reachableMask(nowUs);
    const done: Pending[] = [];
    for (const pending of this.pending.values()) {
      pending.waitingMask &= reachable;
      if (pending.waitingMask === 0) done.push(pending);
    }
    for (const pending of done) this.commit(nowUs, pending, out);
  }

  private reachableMask(nowUs: number): number {
    let mask = 0;
    for (let peer = 0; peer < this.params.spCount; peer++) {
      if (peer !== this.index && (this.lastAckUs[peer] as number) >= nowUs - this.pb.heartbeatTimeoutUs) mask |= 1 << peer;
    }
    return mask;
  }

  // ---- messages -------------------------------------------------------------------------------------

  private onMessage(nowUs: number, from: Address, message: FrontEndWireMessage, out: Output[]): void {
    switch (message.type) {
      case 'submit':
        this.onSubmit(nowUs, from, message, out);
        return;
      case 'heartbeat':
        this.onHeartbeat(nowUs, from, message, out);
        return;
      case 'heartbeatAck':
        if (!this.leading || from < 0 || from >= this.params.spCount) return;
        if (message.term === this.termNow && message.primary === this.index) this.lastAckUs[from] = nowUs;
        else if (newerLeadership(message.term, message.primary, this.termNow, this.index)) this.follow(nowUs, message.term, message.primary, out);
        return;
      case 'replicate': {
        const follows = !this.leading && from === this.primaryNow;
        if (follows) this.store(nowUs, { version: message.version, sizeBytes: message.sizeBytes }, out);
        out.push({ type: 'send', to: from, message: { type: 'replicateAck', versionKey: message.version.versionKey, stored: follows }, sizeBytes: this.params.controlMessageBytes });
        return;
      }
      case 'replicateAck': {
        const pending = this.pending.get(message.versionKey);
        if (pending === undefined || from < 0 || from >= this.params.spCount) return;
        pending.waitingMask &= ~(1 << from);
        if (pending.waitingMask === 0) this.commit(nowUs, pending, out);
        return;
      }
      case 'commit':
        this.onCommit(nowUs, from, message, out);
        return;
      case 'mergeRequest': {
        const log = this.disk.log;
        const startLength = message.incarnation === this.disk.incarnation ? Math.min(Math.max(0, message.sinceLength), log.length) : 0;
        const entries = log.slice(startLength, startLength + this.params.mergeBatchMaxEntries);
        const response: MergeResponseMessage = { type: 'mergeResponse', requestId: message.requestId, incarnation: this.disk.incarnation, startLength, entries, logLength: log.length };
        out.push({ type: 'send', to: from, message: response, sizeBytes: this.params.controlMessageBytes + entries.length * this.params.indexEntryBytes });
        return;
      }
      case 'mergeResponse':
        this.onMergeResponse(nowUs, from, message, out);
        return;
      case 'fileFetch':
        answerFileFetch(this.disk.stored, this.params, from, message, out);
        return;
      case 'fileFetchResponse':
        this.fetchesInFlight.delete(message.version.versionKey);
        if (message.found) this.store(nowUs, { version: message.version, sizeBytes: message.sizeBytes }, out);
        return;
      case 'indexGet':
        answerIndexGet(this.disk.snapshot, this.params, from, message, out);
        return;
      case 'fileGet':
        answerFileGet(this.disk.stored, this.params, from, message, out);
        return;
      default:
        // Quorum-only messages (vector) and answers meant for publishers or readers: a peer fault, ignored.
        return;
    }
  }

  private onHeartbeat(nowUs: number, from: Address, heartbeat: HeartbeatMessage, out: Output[]): void {
    if (from < 0 || from >= this.params.spCount || from === this.index) return;
    const current = heartbeat.term === this.termNow && from === this.primaryNow && !this.leading;
    if (!current) {
      if (!newerLeadership(heartbeat.term, from, this.termNow, this.primaryNow)) {
        // A stale primary: tell it who leads now (if it is cut off, it never hears, and keeps accepting).
        out.push({ type: 'send', to: from, message: { type: 'heartbeatAck', term: this.termNow, primary: this.primaryNow }, sizeBytes: this.params.controlMessageBytes });
        return;
      }
      this.follow(nowUs, heartbeat.term, from, out);
    }
    this.armSilence(nowUs, out);
    out.push({ type: 'send', to: from, message: { type: 'heartbeatAck', term: this.termNow, primary: this.primaryNow }, sizeBytes: this.params.controlMessageBytes });
    this.catchUp(nowUs, from, heartbeat, out);
  }

  /** A backup that lacks commits the heartbeat announces asks for them; files it still misses are asked again. */
  private catchUp(nowUs: number, primary: number, heartbeat: HeartbeatMessage, out: Output[]): void {
    if (this.watermark.primary !== primary || this.watermark.incarnation !== heartbeat.logIncarnation) {
      this.watermark = { primary, incarnation: heartbeat.logIncarnation, length: 0 };
      this.syncSentUs = -Infinity;
    }
    if (heartbeat.logLength > this.watermark.length && nowUs - this.syncSentUs >= this.pb.heartbeatTimeoutUs) {
      this.syncSentUs = nowUs;
      out.push({
        type: 'send',
        to: primary,
        message: { type: 'mergeRequest', requestId: this.nextRequestId++, incarnation: this.watermark.incarnation, sinceLength: this.watermark.length },
        sizeBytes: this.params.controlMessageBytes,
      });
    }
    let sent = 0;
    const superseded: number[] = [];
    for (const [key, record] of this.disk.missing) {
      const shown = this.disk.snapshot.versionOf(record.version.fileId);
      if (shown !== undefined && shown.versionKey >= key) {
        superseded.push(key);
        continue;
      }
      const sentUs = this.fetchesInFlight.get(key);
      if (sentUs !== undefined && nowUs - sentUs < this.params.fetchTimeoutUs) continue;
      this.fetch(nowUs, record, primary, out);
      if (++sent >= FETCH_RETRIES_PER_HEARTBEAT) break;
    }
    for (const key of superseded) this.disk.missing.delete(key);
  }

  // ---- acceptance (primary) ---------------------------------------------------------------------------

  private onSubmit(nowUs: number, publisher: Address, submit: SubmitMessage, out: Output[]): void {
    if (!this.leading) {
      out.push({ type: 'send', to: publisher, message: { type: 'submitFailed', submissionId: submit.submissionId, attempt: submit.attempt, reason: 'notPrimary' }, sizeBytes: this.params.controlMessageBytes });
      return;
    }
    const timestampUs = Math.max(Math.round(this.localClock(nowUs)), this.lastTimestampUs + 1);
    this.lastTimestampUs = timestampUs;
    const version = makeVersionId(submit.fileId, submit.fileName, timestampUs, this.index);
    const record: AgreementRecord = { version, sizeBytes: submit.sizeBytes };
    out.push({ type: 'observe', observation: { type: 'accepting', version, sizeBytes: submit.sizeBytes, publisher } });
    this.store(nowUs, record, out);
    const pending: Pending = { record, publisher, submissionId: submit.submissionId, attempt: submit.attempt, waitingMask: this.reachableMask(nowUs) };
    for (let peer = 0; peer < this.params.spCount; peer++) {
      if (peer === this.index) continue;
      out.push({ type: 'send', to: peer, message: { type: 'replicate', version, sizeBytes: submit.sizeBytes }, sizeBytes: Math.max(submit.sizeBytes, this.params.controlMessageBytes) });
    }
    if (pending.waitingMask === 0) {
      this.commit(nowUs, pending, out);
      return;
    }
    this.pending.set(version.versionKey, pending);
    out.push({ type: 'setTimer', timer: REPLICATION_TIMER + version.versionKey, atUs: nowUs + this.params.replicationTimeoutUs });
  }

  private commit(nowUs: number, pending: Pending, out: Output[]): void {
    const version = pending.record.version;
    this.pending.delete(version.versionKey);
    out.push({ type: 'clearTimer', timer: REPLICATION_TIMER + version.versionKey });
    this.recordCommit(nowUs, pending.record, out);
    const commit: CommitMessage = { type: 'commit', term: this.termNow, version, sizeBytes: pending.record.sizeBytes, logLength: this.disk.log.length };
    for (let peer = 0; peer < this.params.spCount; peer++) {
      if (peer !== this.index) out.push({ type: 'send', to: peer, message: commit, sizeBytes: this.params.controlMessageBytes });
    }
    out.push({ type: 'send', to: pending.publisher, message: { type: 'submitAccepted', submissionId: pending.submissionId, attempt: pending.attempt, version }, sizeBytes: this.params.controlMessageBytes });
    out.push({ type: 'observe', observation: { type: 'accepted', version, publisher: pending.publisher, submissionId: pending.submissionId } });
  }

  // ---- following (backup) -----------------------------------------------------------------------------

  private onCommit(nowUs: number, from: Address, commit: CommitMessage, out: Output[]): void {
    if (this.leading || from !== this.primaryNow || commit.term !== this.termNow) return;
    const record: AgreementRecord = { version: commit.version, sizeBytes: commit.sizeBytes };
    if (!this.disk.committed.has(commit.version.versionKey)) this.learnCommit(nowUs, record, from, out);
    // Contiguous commits move the watermark; a gap is filled by the next heartbeat's mergeRequest.
    if (this.watermark.primary === from && this.watermark.length === commit.logLength - 1) this.watermark.length = commit.logLength;
  }

  private onMergeResponse(nowUs: number, from: Address, response: MergeResponseMessage, out: Output[]): void {
    if (this.leading || from !== this.primaryNow || this.watermark.primary !== from) return;
    this.syncSentUs = -Infinity;
    if (response.incarnation !== this.watermark.incarnation) this.watermark = { primary: from, incarnation: response.incarnation, length: 0 };
    const endLength = response.startLength + response.entries.length;
    if (response.startLength <= this.watermark.length) this.watermark.length = Math.max(this.watermark.length, endLength);
    for (const entry of response.entries) {
      if (!this.disk.committed.has(entry.version.versionKey)) this.learnCommit(nowUs, entry, from, out);
    }
    if (response.logLength > endLength && response.entries.length > 0) {
      out.push({ type: 'send', to: from, message: { type: 'mergeRequest', requestId: this.nextRequestId++, incarnation: response.incarnation, sinceLength: endLength }, sizeBytes: this.params.controlMessageBytes });
    }
  }

  private learnCommit(nowUs: number, record: AgreementRecord, primary: number, out: Output[]): void {
    this.recordCommit(nowUs, record, out);
    if (this.disk.stored.has(record.version.versionKey)) return;
    const shown = this.disk.snapshot.versionOf(record.version.fileId);
    if (shown !== undefined && shown.versionKey >= record.version.versionKey) return;
    this.disk.missing.set(record.version.versionKey, record);
    this.fetch(nowUs, record, primary, out);
  }

  // ---- storage and the snapshot -----------------------------------------------------------------------

  private recordCommit(nowUs: number, record: AgreementRecord, out: Output[]): void {
    const key = record.version.versionKey;
    this.disk.committed.add(key);
    this.disk.log.push(record);
    out.push({ type: 'observe', observation: { type: 'agreed', version: record.version, via: 'commit' } });
    if (this.disk.stored.has(key)) this.makeVisible(nowUs, record, out);
  }

  private store(nowUs: number, record: AgreementRecord, out: Output[]): void {
    const key = record.version.versionKey;
    if (this.disk.stored.has(key)) return;
    this.disk.stored.set(key, record);
    this.disk.missing.delete(key);
    out.push({ type: 'observe', observation: { type: 'stored', version: record.version, sizeBytes: record.sizeBytes } });
    if (this.disk.committed.has(key)) this.makeVisible(nowUs, record, out);
  }

  private makeVisible(nowUs: number, record: AgreementRecord, out: Output[]): void {
    const fileId = record.version.fileId;
    const previousKey = this.disk.snapshot.versionOf(fileId)?.versionKey;
    if (this.disk.snapshot.install(fileId, record.version.versionKey, record.sizeBytes, this.localClock(nowUs))) {
      out.push({ type: 'observe', observation: { type: 'visible', version: record.version, sizeBytes: record.sizeBytes, previousKey } });
    }
  }

  private fetch(nowUs: number, record: AgreementRecord, peer: number, out: Output[]): void {
    this.fetchesInFlight.set(record.version.versionKey, nowUs);
    out.push({ type: 'send', to: peer, message: { type: 'fileFetch', requestId: this.nextRequestId++, version: record.version }, sizeBytes: this.params.controlMessageBytes });
  }
}
