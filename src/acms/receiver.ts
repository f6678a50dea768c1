// The Receiver on an edge server: polls the root index through its cluster's HTTP cache with
// If-Modified-Since, asks for every changed file it subscribes to by version-unique name, and installs
// versions, never going backwards. A pure machine (src/kernel/machine.ts).
//
// The reference for the cluster engine (src/world/cluster/engine.ts), which must deliver the same.
// Outputs are reused records, valid until the next handle() call on this machine: the host consumes
// them first (src/world/cluster/reference-host.ts copies messages into its queue).
import type { Address, Machine, MachineInput, MachineOutput } from '../kernel/machine.js';
import type { Rng } from '../kernel/random.js';
import type { SnapshotLogEntry, SnapshotView } from './snapshot.js';
import {
  HTTP_REQUEST_BYTES, clearOutputs, type DeliveryMessage, type DeliveryObservation,
} from './delivery-messages.js';

/**
 * start/stop: the edge server came up or went down. cacheLost: the cluster cache went down, resetting the
 * connections of the requests waiting on it: those files are asked for again at the next poll.
 */
export type ReceiverCommand = { readonly type: 'start' } | { readonly type: 'stop' } | { readonly type: 'cacheLost' };
type Input = MachineInput<DeliveryMessage, ReceiverCommand>;
type Output = MachineOutput<DeliveryMessage, DeliveryObservation>;

export interface ReceiverOptions {
  readonly cache: Address;
  readonly fileCount: number;
  readonly pollIntervalUs: number;
  /** Each poll interval is pollIntervalUs * (1 + u * pollJitter), u uniform in [-1, 1). */
  readonly pollJitter: number;
  /** Subscribed files: subscribed[fileId] !== 0. Null subscribes to every file (the default). Shared, read-only. */
  readonly subscribed: Uint8Array | null;
  readonly rng: Rng;
}

export const POLL_TIMER = 'poll';

const NONE = -Infinity;

interface MutableSend { type: 'send'; to: Address; message: DeliveryMessage; sizeBytes: number }
interface MutableObserve { type: 'observe'; observation: DeliveryObservation }
interface MutableSetTimer { type: 'setTimer'; timer: string; atUs: number }
interface MutableFileGet { type: 'fileGet'; requestId: number; fileId: number; versionKey: number; sizeBytes: number }
interface MutableIndexGet { type: 'indexGet'; requestId: number; ifModifiedSinceUs: number; heldOriginSp: number }
interface MutableInstalled { type: 'installed'; fileId: number; versionKey: number; previousKey: number; sizeBytes: number }

export class Receiver implements Machine<DeliveryMessage, ReceiverCommand, DeliveryObservation> {
  private running = false;
  private rootLastModifiedUs = -1;
  private view: SnapshotView | null = null;
  /** Newest version installed per file. */
  private readonly installedKey: Float64Array;
  /**
   * Files whose newest listed version is not installed yet: requested, or failed and to be asked for
   * again. Sparse (a few entries at a time), so 15,000 receivers need one typed array each, not three.
   */
  private readonly pendingKey = new Map<number, number>();
  private readonly pendingSizeBytes = new Map<number, number>();
  /** Files in pendingKey whose request failed, asked for again at the next poll (insertion order). */
  private readonly failedFileIds = new Set<number>();
  /** Index entries read by diffs so far: the work a poll does, which grows with changes, not with files. */
  entriesExamined = 0;
  private readonly outputs: Output[] = [];
  private readonly indexGet: MutableIndexGet = { type: 'indexGet', requestId: 0, ifModifiedSinceUs: -1, heldOriginSp: -1 };
  private readonly indexSend: MutableSend;
  private readonly pollTimer: MutableSetTimer = { type: 'setTimer', timer: POLL_TIMER, atUs: 0 };
  private readonly installedObservation: MutableInstalled = { type: 'installed', fileId: 0, versionKey: 0, previousKey: NONE, sizeBytes: 0 };
  private readonly observe: MutableObserve = { type: 'observe', observation: this.installedObservation };
  private readonly fileSends: MutableSend[] = [];

  constructor(private readonly options: ReceiverOptions) {
    if (options.pollIntervalUs <= 0) throw new RangeError(`pollIntervalUs must be positive, got ${options.pollIntervalUs}`);
    if (options.pollJitter < 0 || options.pollJitter >= 1) throw new RangeError(`pollJitter must be in [0, 1), got ${options.pollJitter}`);
    this.installedKey = new Float64Array(options.fileCount).fill(NONE);
    this.indexSend = { type: 'send', to: options.cache, message: this.indexGet, sizeBytes: HTTP_REQUEST_BYTES };
  }

  /** The installed version of a file, or -Infinity. */
  installedVersion(fileId: number): number {
    return this.installedKey[fileId] ?? NONE;
  }

  handle(nowUs: number, input: Input): readonly Output[] {
    const outputs = this.outputs;
    clearOutputs(outputs);
    switch (input.type) {
      case 'command':
        if (input.command.type === 'cacheLost') {
          for (const fileId of this.pendingKey.keys()) this.failedFileIds.add(fileId);
        } else if (input.command.type === 'start') {
          // A (re)started receiver first polls at a random phase of its interval, so a fleet does not poll in lockstep.
          this.running = true;
          this.pollTimer.atUs = nowUs + Math.round(this.options.rng() * this.options.pollIntervalUs);
          outputs.push(this.pollTimer);
        } else {
          this.running = false;
          // Answers to requests in flight will not reach a stopped server: ask again after the restart.
          for (const fileId of this.pendingKey.keys()) this.failedFileIds.add(fileId);
          outputs.push({ type: 'clearTimer', timer: POLL_TIMER });
        }
        return outputs;
      case 'timer': {
        if (input.timer !== POLL_TIMER) throw new Error(`Receiver has no timer ${input.timer}`);
        this.poll(nowUs);
        return outputs;
      }
      case 'receive':
        // push: the cluster cache's index changed; poll now (the next poll is drawn from here, as after any poll).
        if (input.message.type === 'notify') this.poll(nowUs);
        else this.receive(input.message);
        return outputs;
    }
  }

  /** Asks again for failed files and for the root index (If-Modified-Since), and sets the next poll. */
  private poll(nowUs: number): void {
    if (!this.running) return;
    const outputs = this.outputs;
    this.askAgainForFailed();
    this.indexGet.ifModifiedSinceUs = this.rootLastModifiedUs;
    this.indexGet.heldOriginSp = this.view?.originSp ?? -1;
    outputs.push(this.indexSend);
    this.pollTimer.atUs = this.chooseNextPoll(nowUs);
    outputs.push(this.pollTimer);
  }

  private chooseNextPoll(nowUs: number): number {
    const jitter = (2 * this.options.rng() - 1) * this.options.pollJitter;
    return nowUs + Math.round(this.options.pollIntervalUs * (1 + jitter));
  }

  /** Where the diff against view starts: after what we hold of the same log, or at 0 for another SP's log. */
  private diffStart(view: SnapshotView): number {
    const previous = this.view;
    return previous !== null && previous.log === view.log && previous.length <= view.length ? previous.length : 0;
  }

  /**
   * Walking a log backwards: is this the newest entry of its file (the one the sub-index lists) and a file we
   * subscribe to? Older entries of the same file are superseded: the index no longer shows them.
   */
  private isNewestListed(entry: SnapshotLogEntry, seen: Set<number>): boolean {
    const fileId = entry.fileId;
    if (seen.has(fileId)) return false;
    seen.add(fileId);
    const subscribed = this.options.subscribed;
    return subscribed === null || subscribed[fileId] !== 0;
  }

  private receive(message: DeliveryMessage): void {
    switch (message.type) {
      case 'indexNotModified':
        return;
      case 'indexResponse':
        this.applyIndex(message.view);
        return;
      case 'fileResponse':
        if (message.found) this.install(message.fileId, message.versionKey, message.sizeBytes);
        else this.markFailed(message.fileId, message.versionKey);
        return;
      case 'requestFailed':
        if (message.fileId >= 0) this.markFailed(message.fileId, message.versionKey);
        return;
      default:
        throw new Error(`Receiver cannot handle ${message.type}`);
    }
  }

  /**
   * Diffs the new root index against the one we hold and asks for the newest listed version of every
   * changed subscribed file. Same log: only the entries added since, so the cost is the number of changes,
   * not of files. A different SP's log (after a fail-over): the whole prefix, which rebuilds the newest
   * version per file. Walks backwards so that superseded entries are skipped.
   */
  private applyIndex(view: SnapshotView): void {
    const log = view.log;
    const seen = new Set<number>();
    let fileSendsUsed = 0;
    const start = this.diffStart(view);
    this.entriesExamined += view.length - start;
    for (let i = view.length - 1; i >= start; i--) {
      const entry = log[i] as SnapshotLogEntry;
      if (this.isNewestListed(entry, seen)) fileSendsUsed = this.want(entry.fileId, entry.versionKey, entry.sizeBytes, fileSendsUsed);
    }
    this.view = view;
    this.rootLastModifiedUs = view.lastModifiedUs;
  }

  private want(fileId: number, versionKey: number, sizeBytes: number, fileSendsUsed: number): number {
    if (versionKey <= (this.installedKey[fileId] as number)) return fileSendsUsed;
    const pending = this.pendingKey.size === 0 ? undefined : this.pendingKey.get(fileId);
    if (pending !== undefined && versionKey <= pending) return fileSendsUsed;
    this.pendingKey.set(fileId, versionKey);
    this.pendingSizeBytes.set(fileId, sizeBytes);
    this.failedFileIds.delete(fileId);
    return this.request(fileId, versionKey, sizeBytes, fileSendsUsed);
  }

  /** sizeBytes: the size the index lists for this version. */
  private request(fileId: number, versionKey: number, sizeBytes: number, fileSendsUsed: number): number {
    let send = this.fileSends[fileSendsUsed];
    if (send === undefined) {
      const message: MutableFileGet = { type: 'fileGet', requestId: 0, fileId, versionKey, sizeBytes };
      send = { type: 'send', to: this.options.cache, message, sizeBytes: HTTP_REQUEST_BYTES };
      this.fileSends.push(send);
    } else {
      const message = send.message as MutableFileGet;
      message.fileId = fileId;
      message.versionKey = versionKey;
      message.sizeBytes = sizeBytes;
    }
    this.outputs.push(send);
    return fileSendsUsed + 1;
  }

  private install(fileId: number, versionKey: number, sizeBytes: number): void {
    // Never backwards: an older version (a late answer, or an SP with an older snapshot) is not installed.
    const previousKey = this.installedKey[fileId] as number;
    if (versionKey <= previousKey) return;
    this.installedKey[fileId] = versionKey;
    const pending = this.pendingKey.size === 0 ? undefined : this.pendingKey.get(fileId);
    if (pending !== undefined && pending <= versionKey) {
      this.pendingKey.delete(fileId);
      this.pendingSizeBytes.delete(fileId);
      this.failedFileIds.delete(fileId);
    }
    const observation = this.installedObservation;
    observation.fileId = fileId;
    observation.versionKey = versionKey;
    observation.previousKey = previousKey;
    observation.sizeBytes = sizeBytes;
    this.outputs.push(this.observe);
  }

  /** The request for the wanted version failed: ask again on the next poll (if nothing newer came meanwhile). */
  private markFailed(fileId: number, versionKey: number): void {
    if (this.pendingKey.get(fileId) !== versionKey) return;
    this.failedFileIds.add(fileId);
  }

  /** Re-requests files whose last request failed, if they are still wanted and missing. */
  private askAgainForFailed(): void {
    if (this.failedFileIds.size === 0) return;
    let fileSendsUsed = 0;
    const fileIds = [...this.failedFileIds];
    this.failedFileIds.clear();
    for (const fileId of fileIds) {
      const wanted = this.pendingKey.get(fileId);
      if (wanted !== undefined && wanted > (this.installedKey[fileId] as number)) {
        fileSendsUsed = this.request(fileId, wanted, this.pendingSizeBytes.get(fileId) ?? 0, fileSendsUsed);
      }
    }
  }
}
