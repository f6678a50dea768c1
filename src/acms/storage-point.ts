// The Storage Point as a pure machine: acceptance with replication to a quorum, Vector Exchange
// agreement, the snapshot it serves to readers, recovery by index merging, and crash/restart.
//
// Clock-skew ("refused") rule: a peer stores a replica only when the version's timestamp t satisfies
//   local - maxClockSkewUs - replicationTimeoutUs <= t <= local + maxClockSkewUs
// where local is the peer's own clock on arrival. The future bound is the dangerous one (a version
// stamped ahead would shadow later submissions of the same file); the past bound adds the replication
// timeout because a large file may legitimately arrive that long after it was stamped. An SP whose clock
// is beyond the bound collects refusals, answers its publisher "failed" (refusedByPeers) as soon as a
// quorum is out of reach, and the publisher fails over to its next SP. Within the bound nothing changes.
import type { Rng } from '../kernel/random.js';
import type { Address, Machine, MachineInput, MachineOutput } from '../kernel/machine.js';
import type {
  AgreementRecord,
  FrontendMessage,
  MergeResponseMessage,
  StoragePointCommand,
  StoragePointObservation,
  SubmitFailureReason,
  SubmitMessage,
} from './frontend-messages.js';
import { answerFileFetch, answerFileGet, answerIndexGet } from './reader-answers.js';
import { validateStoragePointParams, type StoragePointParams } from './frontend-params.js';
import { Snapshot } from './snapshot.js';
import { assertStoragePointIndex, makeVersionId, type VersionId } from './version.js';

/** Bit vectors are int32 bitmasks. */
export const MAX_STORAGE_POINTS_PER_VECTOR = 32;

export interface StoragePointOptions {
  /** This SP's index, which is also its address. */
  readonly index: number;
  readonly params: StoragePointParams;
  /** The SP's own (possibly skewed) clock as a function of true time; the host wires it to its skew model. */
  readonly localClockUs: (nowUs: number) => number;
  /** The SP's own stream, used only for merge-timer jitter. */
  readonly rng: Rng;
}

type Input = MachineInput<FrontendMessage, StoragePointCommand>;
type Output = MachineOutput<FrontendMessage, StoragePointObservation>;

/** A merge watermark: how much of one peer's agreement log (of one incarnation) has been consumed. */
interface Watermark {
  incarnation: number;
  length: number;
}

/** What survives a crash; a restart with diskLost replaces it whole. */
class Disk {
  /** Every file version on disk (temporary replicas and installed copies), by versionKey. */
  readonly stored = new Map<number, AgreementRecord>();
  /** Vector Exchange bit vectors, by versionKey. */
  readonly bits = new Map<number, number>();
  readonly agreements = new Map<number, AgreementRecord>();
  /** Agreements in the order this SP recorded them: what merge responses page through. */
  readonly agreementLog: AgreementRecord[] = [];
  /** Agreed versions newer than the snapshot that this SP does not hold yet. */
  readonly missing = new Map<number, AgreementRecord>();
  readonly watermarks: Watermark[];

  constructor(
    readonly snapshot: Snapshot,
    spCount: number,
  ) {
    this.watermarks = [];
    for (let i = 0; i < spCount; i++) this.watermarks.push({ incarnation: -1, length: 0 });
  }
}

/** The accepting SP's volatile record of one submission in progress. */
interface Acceptance {
  readonly record: AgreementRecord;
  readonly publisher: Address;
  readonly submissionId: number;
  readonly attempt: number;
  storedMask: number;
  refusedCount: number;
  exchanging: boolean;
}

export function popCount(bits: number): number {
  let count = 0;
  let rest = bits >>> 0;
  while (rest !== 0) {
    rest &= rest - 1;
    count++;
  }
  return count;
}

const MERGE_TIMER = 'merge';
const REPLICATION_TIMER = 'repl/';
const AGREEMENT_TIMER = 'agree/';
/** Fetches re-sent per merge round: bounds the burst after a long outage (later rounds send the rest). */
const FETCH_RETRIES_PER_MERGE = 32;

export class StoragePoint implements Machine<FrontendMessage, StoragePointCommand, StoragePointObservation> {
  readonly index: number;
  readonly params: StoragePointParams;
  private readonly localClock: (nowUs: number) => number;
  private readonly rng: Rng;
  private readonly ownBit: number;
  private disk: Disk;
  private up = true;
  /** Disk lives so far; a merge watermark names the incarnation of the log it points into. */
  private incarnation = 0;
  private readonly acceptances = new Map<number, Acceptance>();
  /** versionKey -> true time the fetch was sent. */
  private readonly fetchesInFlight = new Map<number, number>();
  private nextRequestId = 1;
  /**
   * Last id timestamp issued. Kept outside Disk on purpose: versionKey must stay unique per SP even if a
   * disk loss coincides with the local clock stepping back (maps everywhere are keyed by versionKey).
   */
  private lastTimestampUs = -Infinity;
  private mergeCursor: number;
  /** Inputs that arrived while the SP was down (a host bug or a race); ignored and counted. */
  inputsWhileDown = 0;

  constructor(options: StoragePointOptions) {
    validateStoragePointParams(options.params);
    assertStoragePointIndex(options.index);
    if (options.params.spCount > MAX_STORAGE_POINTS_PER_VECTOR) {
      throw new RangeError(`bit vectors hold at most ${MAX_STORAGE_POINTS_PER_VECTOR} SPs, got ${options.params.spCount}`);
    }
    if (options.index >= options.params.spCount) throw new RangeError(`SP index ${options.index} is not below spCount ${options.params.spCount}`);
    this.index = options.index;
    this.params = options.params;
    this.localClock = options.localClockUs;
    this.rng = options.rng;
    this.ownBit = 1 << this.index;
    this.mergeCursor = this.index;
    this.disk = this.freshDisk(0);
  }

  get isUp(): boolean {
    return this.up;
  }

  get snapshot(): Snapshot {
    return this.disk.snapshot;
  }

  /** Number of agreements this SP has recorded (its agreement log length). */
  get agreementCount(): number {
    return this.disk.agreementLog.length;
  }

  isStored(versionKey: number): boolean {
    return this.disk.stored.has(versionKey);
  }

  isAgreed(versionKey: number): boolean {
    return this.disk.agreements.has(versionKey);
  }

  bitsOf(versionKey: number): number {
    return this.disk.bits.get(versionKey) ?? 0;
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
        // A random first phase spreads the SPs' merge rounds over one interval.
        out.push({ type: 'setTimer', timer: MERGE_TIMER, atUs: nowUs + Math.round(this.rng() * this.params.mergeIntervalUs) });
        return;
      case 'crash':
        if (!this.up) throw new Error(`SP ${this.index} crashed while already down`);
        this.up = false;
        for (const key of this.acceptances.keys()) {
          out.push({ type: 'clearTimer', timer: REPLICATION_TIMER + key });
          out.push({ type: 'clearTimer', timer: AGREEMENT_TIMER + key });
        }
        this.acceptances.clear();
        this.fetchesInFlight.clear();
        out.push({ type: 'clearTimer', timer: MERGE_TIMER });
        out.push({ type: 'observe', observation: { type: 'crashed' } });
        return;
      case 'restart':
        if (this.up) throw new Error(`SP ${this.index} restarted while up`);
        this.up = true;
        if (command.diskLost) {
          this.incarnation++;
          this.disk = this.freshDisk(nowUs);
          out.push({ type: 'observe', observation: { type: 'diskLost' } });
        }
        out.push({ type: 'observe', observation: { type: 'restarted', diskLost: command.diskLost } });
        // Catch up at once rather than waiting a whole interval: a restarted SP is the one most behind.
        out.push({ type: 'setTimer', timer: MERGE_TIMER, atUs: nowUs + Math.round(this.rng() * this.params.mergeIntervalUs * 0.1) });
        return;
    }
  }

  private freshDisk(nowUs: number): Disk {
    const snapshot = new Snapshot(this.index, this.params.subIndexCount, Math.round(this.localClock(nowUs)));
    return new Disk(snapshot, this.params.spCount);
  }

  // ---- timers ---------------------------------------------------------------------------------------

  private onTimer(nowUs: number, timer: string, out: Output[]): void {
    if (timer === MERGE_TIMER) {
      this.startMergeRound(nowUs, out);
      return;
    }
    if (timer.startsWith(REPLICATION_TIMER)) {
      const acceptance = this.acceptances.get(Number(timer.slice(REPLICATION_TIMER.length)));
      if (acceptance !== undefined && !acceptance.exchanging) this.fail(acceptance, 'replicationTimeout', out);
      return;
    }
    if (timer.startsWith(AGREEMENT_TIMER)) {
      const acceptance = this.acceptances.get(Number(timer.slice(AGREEMENT_TIMER.length)));
      if (acceptance !== undefined && acceptance.exchanging) this.fail(acceptance, 'agreementTimeout', out);
      return;
    }
    throw new Error(`SP ${this.index}: unknown timer ${timer}`);
  }

  // ---- messages -------------------------------------------------------------------------------------

  private onMessage(nowUs: number, from: Address, message: FrontendMessage, out: Output[]): void {
    switch (message.type) {
      case 'submit':
        this.onSubmit(nowUs, from, message, out);
        return;
      case 'replicate':
        this.onReplicate(nowUs, from, message.version, message.sizeBytes, out);
        return;
      case 'replicateAck':
        this.onReplicateAck(nowUs, from, message.versionKey, message.stored, out);
        return;
      case 'vector':
        this.mergeBits(nowUs, { version: message.version, sizeBytes: message.sizeBytes }, message.bits, out);
        return;
      case 'mergeRequest':
        this.onMergeRequest(from, message.requestId, message.incarnation, message.sinceLength, out);
        return;
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
      case 'submitAccepted':
      case 'submitFailed':
      case 'indexNotModified':
      case 'indexResponse':
      case 'fileResponse':
        // Answers meant for publishers and readers: a misrouted message is a peer fault, ignored.
        return;
    }
  }

  // ---- acceptance -------------------------------------------------------------------------------------

  private onSubmit(nowUs: number, publisher: Address, submit: SubmitMessage, out: Output[]): void {
    // Ids come from the local clock, forced strictly increasing so two submissions never share one.
    const timestampUs = Math.max(Math.round(this.localClock(nowUs)), this.lastTimestampUs + 1);
    this.lastTimestampUs = timestampUs;
    const version = makeVersionId(submit.fileId, submit.fileName, timestampUs, this.index);
    const record: AgreementRecord = { version, sizeBytes: submit.sizeBytes };
    out.push({ type: 'observe', observation: { type: 'accepting', version, sizeBytes: submit.sizeBytes, publisher } });
    const acceptance: Acceptance = {
      record,
      publisher,
      submissionId: submit.submissionId,
      attempt: submit.attempt,
      storedMask: this.ownBit,
      refusedCount: 0,
      exchanging: false,
    };
    this.acceptances.set(version.versionKey, acceptance);
    this.store(nowUs, record, out);
    for (let peer = 0; peer < this.params.spCount; peer++) {
      if (peer === this.index) continue;
      out.push({ type: 'send', to: peer, message: { type: 'replicate', version, sizeBytes: submit.sizeBytes }, sizeBytes: Math.max(submit.sizeBytes, this.params.controlMessageBytes) });
    }
    out.push({ type: 'setTimer', timer: REPLICATION_TIMER + version.versionKey, atUs: nowUs + this.params.replicationTimeoutUs });
    if (popCount(acceptance.storedMask) >= this.params.quorum) this.startExchange(nowUs, acceptance, out);
  }

  private onReplicate(nowUs: number, from: Address, version: VersionId, sizeBytes: number, out: Output[]): void {
    const skewUs = version.timestampUs - Math.round(this.localClock(nowUs));
    const tooNew = skewUs > this.params.maxClockSkewUs;
    const tooOld = skewUs < -(this.params.maxClockSkewUs + this.params.replicationTimeoutUs);
    const alreadyStored = this.disk.stored.has(version.versionKey);
    if ((tooNew || tooOld) && !alreadyStored) {
      out.push({ type: 'observe', observation: { type: 'refused', version, skewUs } });
      out.push({ type: 'send', to: from, message: { type: 'replicateAck', versionKey: version.versionKey, stored: false }, sizeBytes: this.params.controlMessageBytes });
      return;
    }
    this.store(nowUs, { version, sizeBytes }, out);
    out.push({ type: 'send', to: from, message: { type: 'replicateAck', versionKey: version.versionKey, stored: true }, sizeBytes: this.params.controlMessageBytes });
  }

  private onReplicateAck(nowUs: number, from: Address, versionKey: number, stored: boolean, out: Output[]): void {
    const acceptance = this.acceptances.get(versionKey);
    if (acceptance === undefined || acceptance.exchanging) return;
    if (!stored) {
      acceptance.refusedCount++;
      if (acceptance.refusedCount > this.params.spCount - this.params.quorum) this.fail(acceptance, 'refusedByPeers', out);
      return;
    }
    if (from < 0 || from >= this.params.spCount) return;
    acceptance.storedMask |= 1 << from;
    if (popCount(acceptance.storedMask) >= this.params.quorum) this.startExchange(nowUs, acceptance, out);
  }

  private startExchange(nowUs: number, acceptance: Acceptance, out: Output[]): void {
    const key = acceptance.record.version.versionKey;
    acceptance.exchanging = true;
    out.push({ type: 'clearTimer', timer: REPLICATION_TIMER + key });
    out.push({ type: 'setTimer', timer: AGREEMENT_TIMER + key, atUs: nowUs + this.params.agreementTimeoutUs });
    this.mergeBits(nowUs, acceptance.record, 0, out);
  }

  private fail(acceptance: Acceptance, reason: SubmitFailureReason, out: Output[]): void {
    const version = acceptance.record.version;
    this.acceptances.delete(version.versionKey);
    out.push({ type: 'clearTimer', timer: REPLICATION_TIMER + version.versionKey });
    out.push({ type: 'clearTimer', timer: AGREEMENT_TIMER + version.versionKey });
    out.push({
      type: 'send',
      to: acceptance.publisher,
      message: { type: 'submitFailed', submissionId: acceptance.submissionId, attempt: acceptance.attempt, reason },
      sizeBytes: this.params.controlMessageBytes,
    });
    out.push({ type: 'observe', observation: { type: 'failed', version, publisher: acceptance.publisher, submissionId: acceptance.submissionId, reason } });
  }

  // ---- Vector Exchange --------------------------------------------------------------------------------

  /**
   * Merges received bits into this SP's vector for the version; sets its own bit when it holds the file
   * (receiving a vector, or starting one, means the exchange has begun); re-broadcasts on any change.
   */
  private mergeBits(nowUs: number, record: AgreementRecord, incomingBits: number, out: Output[]): void {
    const key = record.version.versionKey;
    const oldBits = this.disk.bits.get(key) ?? 0;
    let bits = oldBits | incomingBits;
    if ((bits & this.ownBit) === 0 && this.disk.stored.has(key)) {
      bits |= this.ownBit;
      out.push({ type: 'observe', observation: { type: 'bitSet', version: record.version } });
    }
    if (bits === oldBits) return;
    this.disk.bits.set(key, bits);
    for (let peer = 0; peer < this.params.spCount; peer++) {
      if (peer === this.index) continue;
      out.push({ type: 'send', to: peer, message: { type: 'vector', version: record.version, sizeBytes: record.sizeBytes, bits }, sizeBytes: this.params.controlMessageBytes });
    }
    if (popCount(bits) < this.params.quorum) return;
    if (!this.disk.agreements.has(key)) this.recordAgreement(nowUs, record, 'exchange', this.holderFromBits(bits), out);
    const acceptance = this.acceptances.get(key);
    if (acceptance !== undefined && acceptance.exchanging) this.accept(acceptance, out);
  }

  /** A peer whose bit says it holds the file, searched from the next index so load spreads. */
  private holderFromBits(bits: number): number {
    for (let step = 1; step < this.params.spCount; step++) {
      const peer = (this.index + step) % this.params.spCount;
      if ((bits & (1 << peer)) !== 0) return peer;
    }
    return -1;
  }

  private accept(acceptance: Acceptance, out: Output[]): void {
    const version = acceptance.record.version;
    this.acceptances.delete(version.versionKey);
    out.push({ type: 'clearTimer', timer: AGREEMENT_TIMER + version.versionKey });
    out.push({
      type: 'send',
      to: acceptance.publisher,
      message: { type: 'submitAccepted', submissionId: acceptance.submissionId, attempt: acceptance.attempt, version },
      sizeBytes: this.params.controlMessageBytes,
    });
    out.push({ type: 'observe', observation: { type: 'accepted', version, publisher: acceptance.publisher, submissionId: acceptance.submissionId } });
  }

  // ---- storage, agreements and the snapshot -------------------------------------------------------------

  private store(nowUs: number, record: AgreementRecord, out: Output[]): void {
    const key = record.version.versionKey;
    if (this.disk.stored.has(key)) return;
    this.disk.stored.set(key, record);
    out.push({ type: 'observe', observation: { type: 'stored', version: record.version, sizeBytes: record.sizeBytes } });
    this.disk.missing.delete(key);
    // A replica that arrives after the vector did joins the exchange now.
    if (this.disk.bits.has(key)) this.mergeBits(nowUs, record, 0, out);
    if (this.disk.agreements.has(key)) this.makeVisible(nowUs, record, out);
  }

  /**
   * Records an agreement persistently. fetchFrom: a peer to download the file from, -1 to leave it to the
   * next merge round, or null when a newer agreed version of the file is already on its way (no download).
   */
  private recordAgreement(nowUs: number, record: AgreementRecord, via: 'exchange' | 'merge', fetchFrom: number | null, out: Output[]): void {
    const key = record.version.versionKey;
    this.disk.agreements.set(key, record);
    this.disk.agreementLog.push(record);
    out.push({ type: 'observe', observation: { type: 'agreed', version: record.version, via } });
    if (this.disk.stored.has(key)) {
      this.makeVisible(nowUs, record, out);
      return;
    }
    const shown = this.disk.snapshot.versionOf(record.version.fileId);
    if (fetchFrom === null || (shown !== undefined && shown.versionKey >= key)) return;
    this.disk.missing.set(key, record);
    if (fetchFrom >= 0) this.fetch(nowUs, record, fetchFrom, out);
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

  // ---- recovery by index merging ---------------------------------------------------------------------

  private startMergeRound(nowUs: number, out: Output[]): void {
    const jitter = 1 + this.params.mergeJitterFraction * (2 * this.rng() - 1);
    out.push({ type: 'setTimer', timer: MERGE_TIMER, atUs: nowUs + Math.max(1, Math.round(this.params.mergeIntervalUs * jitter)) });
    if (this.params.spCount < 2) return;
    // Round robin over peers: the machine cannot see liveness, so a dead peer costs one silent round.
    this.mergeCursor = (this.mergeCursor + 1) % this.params.spCount;
    if (this.mergeCursor === this.index) this.mergeCursor = (this.mergeCursor + 1) % this.params.spCount;
    const peer = this.mergeCursor;
    this.requestMerge(peer, out);
    this.retryMissing(nowUs, peer, out);
  }

  private requestMerge(peer: number, out: Output[]): void {
    const watermark = this.disk.watermarks[peer] as Watermark;
    out.push({
      type: 'send',
      to: peer,
      message: { type: 'mergeRequest', requestId: this.nextRequestId++, incarnation: watermark.incarnation, sinceLength: watermark.length },
      sizeBytes: this.params.controlMessageBytes,
    });
  }

  /** Re-asks this round's peer for agreed files still missing whose earlier fetch got no answer in time. */
  private retryMissing(nowUs: number, peer: number, out: Output[]): void {
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
      this.fetch(nowUs, record, peer, out);
      if (++sent >= FETCH_RETRIES_PER_MERGE) break;
    }
    for (const key of superseded) this.disk.missing.delete(key);
  }

  private onMergeRequest(from: Address, requestId: number, incarnation: number, sinceLength: number, out: Output[]): void {
    const log = this.disk.agreementLog;
    const startLength = incarnation === this.incarnation ? Math.min(Math.max(0, sinceLength), log.length) : 0;
    const entries = log.slice(startLength, startLength + this.params.mergeBatchMaxEntries);
    const response: MergeResponseMessage = { type: 'mergeResponse', requestId, incarnation: this.incarnation, startLength, entries, logLength: log.length };
    out.push({ type: 'send', to: from, message: response, sizeBytes: this.params.controlMessageBytes + entries.length * this.params.indexEntryBytes });
  }

  private onMergeResponse(nowUs: number, from: Address, response: MergeResponseMessage, out: Output[]): void {
    if (from < 0 || from >= this.params.spCount || from === this.index) return;
    const watermark = this.disk.watermarks[from] as Watermark;
    const endLength = response.startLength + response.entries.length;
    if (response.incarnation !== watermark.incarnation) {
      watermark.incarnation = response.incarnation;
      watermark.length = 0;
    }
    watermark.length = Math.max(watermark.length, endLength);
    // Only the newest agreed version of each file in this page is worth downloading.
    const newestInPage = new Map<number, number>();
    for (const entry of response.entries) {
      const best = newestInPage.get(entry.version.fileId);
      if (best === undefined || entry.version.versionKey > best) newestInPage.set(entry.version.fileId, entry.version.versionKey);
    }
    let learned = 0;
    for (const entry of response.entries) {
      const key = entry.version.versionKey;
      if (this.disk.agreements.has(key)) continue;
      learned++;
      const fetchFrom = newestInPage.get(entry.version.fileId) === key ? from : null;
      this.recordAgreement(nowUs, entry, 'merge', fetchFrom, out);
    }
    out.push({ type: 'observe', observation: { type: 'merged', peer: from, entries: response.entries.length, learned } });
    if (response.logLength > endLength && response.entries.length > 0) this.requestMerge(from, out);
  }
}
