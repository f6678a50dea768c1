// An HTTP cache on the delivery path: one per cluster (serving its edge servers' Receivers) and one per
// parent site (serving cluster caches). It serves the root index while fresh (indexTtlUs), revalidates a
// stale one upstream with If-Modified-Since, keeps data files by version-unique name (newest per file),
// coalesces concurrent misses into one upstream request, and fails over between upstreams on a timeout.
// With cut-through it answers a file it is still fetching at once, its body forwarded as it arrives.
// A pure machine (src/kernel/machine.ts).
//
// Requesters with requestId 0 are local (the cluster's own Receivers, answered synchronously by the
// host); they get shared immutable index responses, and output records are reused between calls:
// the host must consume the outputs before calling handle() again.
import type { Address, Machine, MachineInput, MachineOutput } from '../kernel/machine.js';
import type { SnapshotView } from './snapshot.js';
import {
  HTTP_NOT_MODIFIED_BYTES, HTTP_REQUEST_BYTES, clearOutputs, indexAnswerSizeBytes,
  type DeliveryMessage, type FileResponseMessage, type IndexGetMessage, type IndexNotModifiedMessage, type IndexResponseMessage,
  type RequestFailedMessage,
} from './delivery-messages.js';
import { indexUnchangedFor } from './frontend-messages.js';

export type HttpCacheCommand = { readonly type: 'wipe' };
/**
 * Cut-through only: the fetch of a version whose answers were sent while it still arrived has ended. forwardDone:
 * the upstream's last byte is here, so those answers can end too. forwardAborted: the fetch failed (or the cache was
 * wiped), so they are cut short, as a requester sees a truncated response.
 */
export type HttpCacheObservation =
  /** sizeBytes: the version's size as the cache stores it (what it answers a later request for it with). */
  | { readonly type: 'forwardDone'; readonly versionKey: number; readonly sizeBytes: number }
  | { readonly type: 'forwardAborted'; readonly versionKey: number }
  /**
   * The cache gave up waiting for an upstream's answer to a file request (a time-out): it closes that connection, so
   * the host stops the answer's bytes if they are on their way (the upstream's write fails at the reset).
   */
  | { readonly type: 'abandoned'; readonly target: Address; readonly requestId: number; readonly sizeBytes: number };

/** How a cache passes a file on: after storing all of it, or while it still arrives (scenario key network.cacheForwarding). */
export const CACHE_FORWARDING_MODES = ['store-and-forward', 'cut-through'] as const;
export type CacheForwarding = (typeof CACHE_FORWARDING_MODES)[number];
type Input = MachineInput<DeliveryMessage, HttpCacheCommand>;
type Output = MachineOutput<DeliveryMessage, HttpCacheObservation>;

export interface HttpCacheOptions {
  /** Upstreams in order of preference: the parent site first (if any), then Storage Points nearest first. */
  readonly upstreams: readonly Address[];
  readonly indexTtlUs: number;
  readonly requestTimeoutUs: number;
  /** How long an upstream that timed out is avoided. */
  readonly upstreamBackoffUs: number;
  /**
   * A file download may take requestTimeoutUs plus its size at this rate before it counts as failed (like
   * curl's --speed-limit): a slow but progressing transfer is not abandoned, a black-holed one is.
   */
  readonly minThroughputBytesPerS: number;
  /**
   * Keep every version ever fetched, not only the newest per file. Parent sites do (18 of them x 14,276
   * versions is small): then "present" never turns back into "absent" until a wipe, which is what lets the
   * host answer a parent's cache hit ahead of time (src/world/parent-answers.ts).
   */
  readonly keepOlderVersions?: boolean;
  /**
   * design.delivery: push. On a notification from upstream the cache revalidates its root index at once (again when
   * the answer comes, if one was already on its way: it may have left before the change); when the index it holds
   * then changes, it notifies these children (cluster caches, or the Receivers of its cluster). Absent: no push.
   */
  readonly notifyChildren?: readonly Address[];
  /**
   * Cut-through: a file of at least this many bytes that is being fetched is answered at once, with a
   * fileResponse marked `streamed` whose body the host forwards as it arrives and ends with forwardDone or
   * forwardAborted (Squid relays a response while it arrives; Traffic Server's read-while-writer serves an object
   * still being written). Absent: store-and-forward, every answer waits for the whole file.
   */
  readonly cutThroughMinBytes?: number;
}

interface Waiter {
  readonly from: Address;
  readonly requestId: number;
  readonly ifModifiedSinceUs: number;
  /** The origin SP of the index the requester holds (see IndexGetMessage.heldOriginSp). */
  readonly heldOriginSp: number;
}

/** A data file being fetched upstream, and who waits for it. */
interface PendingFile {
  readonly fileId: number;
  readonly versionKey: number;
  waiters: Waiter[];
  /** Cut-through: every waiter was answered at once, and the fetch's end is reported instead (forwardDone). */
  readonly streamed: boolean;
}

interface UpstreamRequest {
  readonly requestId: number;
  /** -1 for the root index, else the file version. */
  readonly versionKey: number;
  readonly fileId: number;
  /** Expected size of the answer (from the index), for the deadline; 0 for the root index. */
  readonly sizeBytes: number;
  target: Address;
  targetsTried: number;
  /** Bit i set: upstreams[i] has been tried by this request. */
  triedMask: number;
  /** When the current attempt times out. */
  deadlineUs: number;
}

/**
 * One timer serves all requests in flight: it is armed at the earliest deadline and, when it fires,
 * times out what is overdue and re-arms. Answered requests leave nothing behind in the event queue,
 * which a timer per request would (most requests are answered long before their deadline).
 */
export const TIMEOUT_TIMER = 'timeouts';

const CLEAR_TIMEOUT_TIMER = { type: 'clearTimer' as const, timer: TIMEOUT_TIMER };

interface MutableFileResponse { type: 'fileResponse'; requestId: number; fileId: number; versionKey: number; found: boolean; sizeBytes: number }

interface MutableSend { type: 'send'; to: Address; message: DeliveryMessage; sizeBytes: number }

const LOCAL_NOT_MODIFIED: IndexNotModifiedMessage = { type: 'indexNotModified', requestId: 0, lastModifiedUs: -1 };

export class HttpCache implements Machine<DeliveryMessage, HttpCacheCommand, HttpCacheObservation> {
  private rootView: SnapshotView | null = null;
  private rootLastModifiedUs = -1;
  private rootFetchedAtUs = -Infinity;
  private rootLocalResponse: IndexResponseMessage | null = null;
  private rootRequest: UpstreamRequest | null = null;
  private rootWaiters: Waiter[] = [];
  /** push: a notification came while the root request was in flight; revalidate again when it is answered. */
  private revalidateAgain = false;
  private nextNotifySeq = 0;
  // Data files: the newest present version of each file, struct-of-arrays by fileId. Names are
  // version-unique, so an entry never goes stale; an older version is evicted when a newer one arrives
  // (a receiver asks for the newest version its index lists). 1,700 caches x 2,000 files fit in ~55 MB,
  // where a map of every version ever fetched grew to gigabytes over the 48-hour replay.
  private presentKey = new Float64Array(0);
  private presentSize = new Float64Array(0);
  private readonly pendingFiles = new Map<number, PendingFile>();
  /** Versions no longer the newest of their file, kept when options.keepOlderVersions is set. */
  private readonly olderVersions: Map<number, number> | null;
  private readonly requests = new Map<number, UpstreamRequest>();
  private readonly backoffUntilUs: Float64Array;
  private nextRequestId = 1;
  private timerArmedAtUs = Infinity;

  private readonly outputs: Output[] = [];
  private readonly sendPool: MutableSend[] = [];
  private readonly localFilePool: MutableFileResponse[] = [];
  private localFilesUsed = 0;
  private readonly setTimerRecord = { type: 'setTimer' as const, timer: TIMEOUT_TIMER, atUs: 0 };
  private sendsUsed = 0;

  /** Counters for metrics: requests answered from the cache, and those that needed upstream. */
  hits = 0;
  misses = 0;

  constructor(private readonly options: HttpCacheOptions) {
    if (options.upstreams.length === 0 || options.upstreams.length > 30) {
      throw new RangeError(`an HTTP cache needs 1 to 30 upstreams, got ${options.upstreams.length}`);
    }
    if (options.indexTtlUs < 0) throw new RangeError(`indexTtlUs must be >= 0, got ${options.indexTtlUs}`);
    this.backoffUntilUs = new Float64Array(options.upstreams.length).fill(-Infinity);
    this.olderVersions = options.keepOlderVersions === true ? new Map() : null;
  }

  /** Size of a present data file, or -1 if a fileGet would have to go upstream. */
  private presentSizeBytes(fileId: number, versionKey: number): number {
    if (fileId < this.presentKey.length && this.presentKey[fileId] === versionKey) return this.presentSize[fileId] as number;
    return this.olderVersions?.get(versionKey) ?? -1;
  }

  handle(nowUs: number, input: Input): readonly Output[] {
    clearOutputs(this.outputs);
    this.sendsUsed = 0;
    this.localFilesUsed = 0;
    switch (input.type) {
      case 'receive':
        this.receive(nowUs, input.from, input.message);
        break;
      case 'timer':
        this.timeout(nowUs, input.timer);
        break;
      case 'command':
        this.wipe();
        break;
    }
    return this.outputs;
  }

  private receive(nowUs: number, from: Address, message: DeliveryMessage): void {
    switch (message.type) {
      case 'indexGet':
        this.indexGet(nowUs, from, message);
        return;
      case 'fileGet':
        this.fileGet(nowUs, from, message.requestId, message.fileId, message.versionKey, message.sizeBytes);
        return;
      case 'indexResponse':
      case 'indexNotModified':
        this.indexAnswered(nowUs, message);
        return;
      case 'fileResponse':
        this.fileAnswered(nowUs, message);
        return;
      case 'requestFailed':
        this.upstreamFailed(nowUs, message.requestId, false);
        return;
      case 'notify':
        this.notified(nowUs);
        return;
    }
  }

  /** push: upstream's index changed; revalidate now (or once the revalidation on its way is answered). */
  private notified(nowUs: number): void {
    if (this.options.notifyChildren === undefined) return;
    if (this.rootRequest !== null) {
      this.revalidateAgain = true;
      return;
    }
    this.rootRequest = this.startUpstream(nowUs, -1, -1, 0);
  }

  // ---- the root index ----------------------------------------------------------------------------

  /** A Waiter record is made only on a miss: most index requests are hits, answered at once. */
  private indexGet(nowUs: number, from: Address, message: IndexGetMessage): void {
    if (nowUs < this.rootFetchedAtUs + this.options.indexTtlUs) {
      this.hits++;
      this.answerIndex(from, message);
      return;
    }
    this.misses++;
    this.rootWaiters.push({ from, requestId: message.requestId, ifModifiedSinceUs: message.ifModifiedSinceUs, heldOriginSp: message.heldOriginSp });
    if (this.rootRequest === null) {
      this.rootRequest = this.startUpstream(nowUs, -1, -1, 0);
    }
  }

  private indexAnswered(nowUs: number, message: IndexResponseMessage | IndexNotModifiedMessage): void {
    const request = this.rootRequest;
    if (request === null || request.requestId !== message.requestId) return; // late answer to a request given up on
    this.finishUpstream(request);
    this.rootRequest = null;
    let changed = false;
    if (message.type === 'indexResponse') {
      // Fail-over may reach an SP whose snapshot is older than ours; keep ours then (per-file order is
      // enforced by the Receivers too, but the cache should not serve a visibly older index).
      const held = this.rootView;
      if (held === null || message.view.log !== held.log || message.view.length >= held.length) {
        changed = held === null || message.view.log !== held.log || message.view.length !== held.length || message.view.lastModifiedUs !== this.rootLastModifiedUs;
        this.rootView = message.view;
        this.rootLastModifiedUs = message.view.lastModifiedUs;
        this.rootLocalResponse = { type: 'indexResponse', requestId: 0, view: message.view };
      }
    }
    this.rootFetchedAtUs = nowUs;
    const waiters = this.rootWaiters;
    this.rootWaiters = [];
    for (const waiter of waiters) this.answerIndex(waiter.from, waiter);
    const children = this.options.notifyChildren;
    if (children !== undefined) {
      if (changed) {
        const notify = { type: 'notify' as const, seq: this.nextNotifySeq++ };
        for (const child of children) this.send(child, notify, HTTP_REQUEST_BYTES);
      }
      if (this.revalidateAgain) {
        this.revalidateAgain = false;
        this.rootRequest = this.startUpstream(nowUs, -1, -1, 0);
      }
    }
  }

  /** The index held, to `to` for its request (a waiter, or an index request answered at once). */
  private answerIndex(to: Address, request: Omit<Waiter, 'from'>): void {
    const requestId = request.requestId;
    const view = this.rootView;
    if (view === null || indexUnchangedFor(view.originSp, this.rootLastModifiedUs, request)) {
      const message = requestId === 0
        ? LOCAL_NOT_MODIFIED
        : { type: 'indexNotModified' as const, requestId, lastModifiedUs: this.rootLastModifiedUs };
      this.send(to, message, HTTP_NOT_MODIFIED_BYTES);
      return;
    }
    const message = requestId === 0
      ? (this.rootLocalResponse as IndexResponseMessage)
      : { type: 'indexResponse' as const, requestId, view };
    this.send(to, message, indexAnswerSizeBytes(view));
  }

  // ---- data files (version-unique, cached forever) ---------------------------------------------------

  private fileGet(nowUs: number, from: Address, requestId: number, fileId: number, versionKey: number, sizeBytes: number): void {
    const presentBytes = this.presentSizeBytes(fileId, versionKey);
    if (presentBytes >= 0) {
      this.hits++;
      // The size of the version asked for: an older version a parent keeps has a size of its own.
      this.answerFile(from, requestId, fileId, versionKey, presentBytes);
      return;
    }
    this.misses++;
    let pending = this.pendingFiles.get(versionKey);
    if (pending === undefined) {
      pending = { fileId, versionKey, waiters: [], streamed: sizeBytes >= (this.options.cutThroughMinBytes ?? Infinity) };
      this.addPendingFile(pending);
    }
    pending.waiters.push({ from, requestId, ifModifiedSinceUs: -1, heldOriginSp: -1 });
    if (pending.waiters.length === 1) this.startUpstream(nowUs, fileId, versionKey, sizeBytes);
    if (pending.streamed) {
      const message: FileResponseMessage = { type: 'fileResponse', requestId, fileId, versionKey, found: true, sizeBytes, streamed: true };
      this.send(from, message, sizeBytes + HTTP_NOT_MODIFIED_BYTES);
    }
  }

  private fileAnswered(nowUs: number, message: FileResponseMessage): void {
    const request = this.requests.get(message.requestId);
    if (request === undefined) return;
    const pending = this.pendingFiles.get(request.versionKey);
    if (pending === undefined) throw new Error(`cache lost track of version ${request.versionKey}`);
    if (!message.found) {
      // The upstream does not have it (an SP that has not caught up yet): try the next upstream.
      this.upstreamFailed(nowUs, message.requestId, false);
      return;
    }
    this.finishUpstream(request);
    this.removePendingFile(pending);
    this.store(pending.fileId, pending.versionKey, message.sizeBytes);
    if (pending.streamed) {
      this.outputs.push({ type: 'observe', observation: { type: 'forwardDone', versionKey: pending.versionKey, sizeBytes: message.sizeBytes } });
      return;
    }
    for (const waiter of pending.waiters) this.answerFile(waiter.from, waiter.requestId, pending.fileId, pending.versionKey, message.sizeBytes);
  }

  private addPendingFile(pending: PendingFile): void {
    this.pendingFiles.set(pending.versionKey, pending);
  }

  private removePendingFile(pending: PendingFile): void {
    this.pendingFiles.delete(pending.versionKey);
  }

  /** Keeps a fetched version unless a newer version of the file is already here. */
  private store(fileId: number, versionKey: number, sizeBytes: number): void {
    if (fileId >= this.presentKey.length) this.growFiles(fileId + 1);
    const older = this.olderVersions;
    if (versionKey <= (this.presentKey[fileId] as number)) {
      older?.set(versionKey, sizeBytes);
      return;
    }
    if (older !== null && this.presentKey[fileId] !== -Infinity) older.set(this.presentKey[fileId] as number, this.presentSize[fileId] as number);
    this.presentKey[fileId] = versionKey;
    this.presentSize[fileId] = sizeBytes;
  }

  private growFiles(count: number): void {
    const capacity = Math.max(count, this.presentKey.length * 2, 64);
    const key = new Float64Array(capacity).fill(-Infinity);
    key.set(this.presentKey);
    const size = new Float64Array(capacity);
    size.set(this.presentSize);
    this.presentKey = key;
    this.presentSize = size;
  }

  /**
   * An answer to a remote requester is a new small object (it travels as an event and dies young). A local
   * requester (requestId 0) gets a record reused between calls, like the output records: its host copies it
   * before calling handle() again.
   */
  private answerFile(to: Address, requestId: number, fileId: number, versionKey: number, sizeBytes: number): void {
    let message: FileResponseMessage;
    if (requestId === 0) {
      let record = this.localFilePool[this.localFilesUsed];
      if (record === undefined) {
        record = { type: 'fileResponse', requestId: 0, fileId, versionKey, found: true, sizeBytes };
        this.localFilePool.push(record);
      } else {
        record.fileId = fileId;
        record.versionKey = versionKey;
        record.sizeBytes = sizeBytes;
      }
      this.localFilesUsed++;
      message = record;
    } else {
      message = { type: 'fileResponse', requestId, fileId, versionKey, found: true, sizeBytes };
    }
    this.send(to, message, sizeBytes + HTTP_NOT_MODIFIED_BYTES);
  }

  // ---- upstream requests, time-outs and fail-over ----------------------------------------------------

  private startUpstream(nowUs: number, fileId: number, versionKey: number, sizeBytes: number): UpstreamRequest {
    const requestId = this.nextRequestId++;
    const request: UpstreamRequest = { requestId, versionKey, fileId, sizeBytes, target: -1, targetsTried: 0, triedMask: 0, deadlineUs: 0 };
    this.requests.set(requestId, request);
    this.sendUpstream(nowUs, request);
    return request;
  }

  private sendUpstream(nowUs: number, request: UpstreamRequest): void {
    const choice = this.chooseUpstream(nowUs, request.triedMask);
    request.target = this.options.upstreams[choice] as Address;
    request.triedMask |= 1 << choice;
    request.targetsTried++;
    const message: DeliveryMessage = request.versionKey === -1
      ? { type: 'indexGet', requestId: request.requestId, ifModifiedSinceUs: this.rootLastModifiedUs, heldOriginSp: this.rootView?.originSp ?? -1 }
      : { type: 'fileGet', requestId: request.requestId, fileId: request.fileId, versionKey: request.versionKey, sizeBytes: request.sizeBytes };
    this.send(request.target, message, HTTP_REQUEST_BYTES);
    const transferAllowanceUs = Math.round((request.sizeBytes * 1e6) / this.options.minThroughputBytesPerS);
    request.deadlineUs = nowUs + this.options.requestTimeoutUs + transferAllowanceUs;
    if (request.deadlineUs < this.timerArmedAtUs) this.armTimer(request.deadlineUs);
  }

  /** One reused record: two arms in one call would both read the later (earlier-deadline) time, which is the one wanted. */
  private armTimer(atUs: number): void {
    this.timerArmedAtUs = atUs;
    this.setTimerRecord.atUs = atUs;
    this.outputs.push(this.setTimerRecord);
  }

  /**
   * Among the upstreams this request has not tried yet: the first in preference order that is not backed
   * off, or if all are, the one free soonest. Returns its index in upstreams.
   */
  private chooseUpstream(nowUs: number, triedMask: number): number {
    const upstreams = this.options.upstreams;
    let soonest = -1;
    for (let i = 0; i < upstreams.length; i++) {
      if ((triedMask & (1 << i)) !== 0) continue;
      if ((this.backoffUntilUs[i] as number) <= nowUs) return i;
      if (soonest < 0 || (this.backoffUntilUs[i] as number) < (this.backoffUntilUs[soonest] as number)) soonest = i;
    }
    if (soonest < 0) throw new Error('chooseUpstream called with every upstream tried');
    return soonest;
  }

  private timeout(nowUs: number, timer: string): void {
    if (timer !== TIMEOUT_TIMER) throw new Error(`HttpCache has no timer ${timer}`);
    this.timerArmedAtUs = Infinity;
    const overdue: number[] = [];
    for (const request of this.requests.values()) if (request.deadlineUs <= nowUs) overdue.push(request.requestId);
    for (const requestId of overdue) this.upstreamFailed(nowUs, requestId, true);
    let nextUs = Infinity;
    for (const request of this.requests.values()) nextUs = Math.min(nextUs, request.deadlineUs);
    if (nextUs < this.timerArmedAtUs) this.armTimer(nextUs);
  }

  /** The current upstream did not answer usefully: back off from it if it timed out, try the next, or give up. */
  private upstreamFailed(nowUs: number, requestId: number, timedOut: boolean): void {
    const request = this.requests.get(requestId);
    if (request === undefined) return;
    if (timedOut) {
      const index = this.options.upstreams.indexOf(request.target);
      this.backoffUntilUs[index] = nowUs + this.options.upstreamBackoffUs;
      if (request.versionKey !== -1) this.outputs.push({ type: 'observe', observation: { type: 'abandoned', target: request.target, requestId, sizeBytes: request.sizeBytes } });
    }
    if (request.targetsTried < this.options.upstreams.length) {
      this.sendUpstream(nowUs, request);
      return;
    }
    this.finishUpstream(request);
    if (request.versionKey === -1) {
      this.rootRequest = null;
      this.revalidateAgain = false; // the fall-back poll heals what a failed revalidation misses
      const waiters = this.rootWaiters;
      this.rootWaiters = [];
      for (const waiter of waiters) {
        this.send(waiter.from, { type: 'requestFailed', requestId: waiter.requestId, fileId: -1, versionKey: -1 }, HTTP_NOT_MODIFIED_BYTES);
      }
      return;
    }
    const pending = this.pendingFiles.get(request.versionKey) as PendingFile;
    this.removePendingFile(pending);
    if (pending.streamed) this.outputs.push({ type: 'observe', observation: { type: 'forwardAborted', versionKey: pending.versionKey } });
    for (const waiter of pending.waiters) {
      const failed: RequestFailedMessage = { type: 'requestFailed', requestId: waiter.requestId, fileId: pending.fileId, versionKey: pending.versionKey };
      this.send(waiter.from, failed, HTTP_NOT_MODIFIED_BYTES);
    }
  }

  /**
   * The last request in flight takes the time-out timer with it: a timer left armed would fire with
   * nothing overdue (one kernel event per upstream request, a tenth of the replay's events). The next
   * request arms it again at its own deadline, so every time-out still fires when it did.
   */
  private finishUpstream(request: UpstreamRequest): void {
    this.requests.delete(request.requestId);
    if (this.requests.size === 0 && this.timerArmedAtUs !== Infinity) {
      this.timerArmedAtUs = Infinity;
      this.outputs.push(CLEAR_TIMEOUT_TIMER);
    }
  }

  /** A cache-outage with a lost disk: everything cached is gone; requests in flight are forgotten. */
  private wipe(): void {
    this.requests.clear();
    if (this.timerArmedAtUs !== Infinity) this.outputs.push({ type: 'clearTimer', timer: TIMEOUT_TIMER });
    this.timerArmedAtUs = Infinity;
    // Answers being forwarded are cut short with the fetches they came from.
    for (const pending of this.pendingFiles.values()) {
      if (pending.streamed) this.outputs.push({ type: 'observe', observation: { type: 'forwardAborted', versionKey: pending.versionKey } });
    }
    this.pendingFiles.clear();
    this.presentKey.fill(-Infinity);
    this.olderVersions?.clear();
    this.rootView = null;
    this.rootLastModifiedUs = -1;
    this.rootFetchedAtUs = -Infinity;
    this.rootLocalResponse = null;
    this.rootRequest = null;
    this.rootWaiters = [];
    this.revalidateAgain = false;
  }

  private send(to: Address, message: DeliveryMessage, sizeBytes: number): void {
    let record = this.sendPool[this.sendsUsed];
    if (record === undefined) {
      record = { type: 'send', to, message, sizeBytes };
      this.sendPool.push(record);
    } else {
      record.to = to;
      record.message = message;
      record.sizeBytes = sizeBytes;
    }
    this.sendsUsed++;
    this.outputs.push(record);
  }
}

