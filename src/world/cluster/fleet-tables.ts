// The engine's state of every cluster in fleet-wide tables (struct of arrays): a cluster's Receivers are contiguous
// slots of the per-Receiver tables, and its cache's table of files and back-offs contiguous runs of the per-cluster
// ones. Hot path: clusters are activated in time order, at random in memory. With tables of its own (or views of a
// buffer of its own), each activation fetched a cluster's table objects before their data, one dependent cache miss
// after another; fleet-wide tables share their headers, which stay in cache, so only the cluster's entries are
// fetched. Tables grow as clusters are built: nothing may keep a table across a call that could build a cluster.
import { grownFloat64, grownInt32 } from '../../kernel/typed-arrays.js';
import type { LogIndex } from './log-index.js';
import { InstalledExceptions } from './installed-exceptions.js';
import { PendingFileTable } from './pending-files.js';
import { UpstreamRequests } from './upstream-requests.js';

export class FleetTables {
  private receiversUsed = 0;

  // ---- per Receiver slot (engine-receivers.ts) ----
  running = new Uint8Array(0);
  /** The next poll's time; Infinity while stopped. */
  nextPollUs = new Float64Array(0);
  /** The last-modified time of the root index held (If-Modified-Since), -1 before the first. */
  sinceUs = new Float64Array(0);
  /** Each Receiver's LAN round trip to its cluster cache (ClusterSpec.lanRttUs), for the install's closed form. */
  lanRttUs = new Float64Array(0);
  /** The origin SP of the root index held (IndexGetMessage.heldOriginSp), -1 before the first. */
  sinceOriginSp = new Int32Array(0);
  /** How much of its log the index each Receiver holds lists (viewIndex). */
  viewLength = new Int32Array(0);
  /** Draws each Receiver has made. */
  draws = new Int32Array(0);
  /**
   * keyedBase(drawSeed, firstDrawKey + i): the half of Receiver i's draws that depends on the Receiver alone, kept
   * (as a signed 32-bit integer: keyedDraw reduces modulo 2^32). Hot path: a draw at every poll.
   */
  drawBase = new Int32Array(0);
  /**
   * Per cluster, its Receivers' places in order of (next poll, place), as a ring over the cluster's slots that starts at
   * the cluster's head (ClusterReceivers.pollHead): the k-th to poll is at pollOrder[base + (head + k) mod count], and
   * orderSlot[base + i] is where place i is in the ring (relative to base). Hot path: a poll takes the first out and
   * puts it back behind every Receiver due before it, nearly always at the end or a step or two before it. With a
   * binary heap it sank from the top to a leaf at every poll: choosing the next poll took 0.92 G instructions per
   * simulated hour of the paper replay, 0.55 G with the ring. A Receiver moved further (a poll jitter near 1, a restart)
   * costs a step per Receiver it passes: at most a cluster's size (TopologyParams.clusterSizeMax, 50 by default).
   */
  pollOrder = new Int32Array(0);
  orderSlot = new Int32Array(0);
  /** The log of the index each Receiver holds (null before its first). */
  viewIndex: (LogIndex | null)[] = [];
  /** The installed versions that are not what a Receiver's index lists (the files of versions being fetched, mostly). */
  readonly exceptions = new InstalledExceptions(0);
  /** Files each Receiver wants but has not installed: requested, or failed and to be asked for again. */
  readonly pending = new PendingFileTable(0);
  /**
   * The cluster cache's waiters for its root index's revalidation, in the order they asked, at the cluster's Receiver
   * slots (a Receiver waits once per revalidation, unless one outlasts its poll interval: engine.ts keeps the rest).
   */
  waiterReceiver = new Int32Array(0);
  waiterSinceUs = new Float64Array(0);
  waiterOriginSp = new Int32Array(0);

  // ---- per cluster cache (engine.ts) ----
  private cachesUsed = 0;
  /** The number of files every cluster cache's table covers (ClusterReceiverSettings.fileCount), fixed by the first. */
  private cacheFileCount = -1;
  /**
   * The version of each file each cluster cache holds (NO_VERSION_HELD for none), file-major: cache slot s's entry
   * for fileId is at fileId * cacheStride + s. Hot path: a poll reads the entries of the files its new index lists,
   * and those are the same few recent files in every cluster, so file-major they are a few columns of the table, which
   * stay in cache while clusters are activated one after the other. Cache-major (a run of 2,000 files per cluster, 16 KB), every activation
   * fetched a line of its own per file it read, from a table of 27 MB at 15,000 servers and 270 MB at 150,000.
   */
  cachedKey = new Float64Array(0);
  /** The cache slots per file in cachedKey: at least the caches allocated. */
  cacheStride = 0;
  private backoffSlotsUsed = 0;
  /** Until when each of a cluster cache's upstreams is backed off, one slot per upstream. */
  backoffUntilUs = new Float64Array(0);
  /** Every cluster cache's requests upstream in flight, with their waiters. */
  readonly requests = new UpstreamRequests();

  /**
   * Room for this many Receivers and cluster caches of fileCount files in all, so that the tables are made once at their size
   * (the cache's table is 16 KB per cluster at 2,000 files, 1.8 GB at 1,000,000 servers: grown by doubling it would
   * be copied, and held twice while it is).
   */
  reserve(receiverCount: number, cacheCount: number, fileCount: number): void {
    if (receiverCount > this.nextPollUs.length) this.growReceivers(receiverCount);
    this.setCacheFileCount(fileCount);
    if (cacheCount > this.cacheStride) this.growCaches(cacheCount);
  }

  /** Room for count more Receivers, contiguous: returns the first one's slot. */
  allocateReceivers(count: number): number {
    const base = this.receiversUsed;
    this.receiversUsed += count;
    if (this.receiversUsed > this.nextPollUs.length) this.growReceivers(Math.max(this.receiversUsed, 2 * this.nextPollUs.length, 64));
    this.exceptions.ensureReceivers(this.receiversUsed);
    this.pending.ensureReceivers(this.receiversUsed);
    return base;
  }

  /** A cluster cache's table of fileCount files, each holding no version: returns its slot (cachedKey). */
  allocateCache(fileCount: number): number {
    this.setCacheFileCount(fileCount);
    const slot = this.cachesUsed++;
    if (this.cachesUsed > this.cacheStride) this.growCaches(Math.max(this.cachesUsed, 2 * this.cacheStride, 64));
    return slot;
  }

  /** The version of fileId that the cache at slot holds (NO_VERSION_HELD for none). */
  cachedKeyOf(slot: number, fileId: number): number {
    return this.cachedKey[fileId * this.cacheStride + slot] as number;
  }

  /** The cache at slot holds no version of any file (it lost its disk). */
  clearCache(slot: number): void {
    const stride = this.cacheStride;
    for (let fileId = 0; fileId < this.cacheFileCount; fileId++) this.cachedKey[fileId * stride + slot] = NO_VERSION_HELD;
  }

  private setCacheFileCount(fileCount: number): void {
    if (this.cacheFileCount === fileCount) return;
    if (this.cacheFileCount >= 0) throw new RangeError(`every cluster cache covers ${this.cacheFileCount} files, not ${fileCount}`);
    if (!Number.isInteger(fileCount) || fileCount < 0) throw new RangeError(`a cache covers a whole number of files, got ${fileCount}`);
    this.cacheFileCount = fileCount;
  }

  /** Room for stride caches per file; each file's entries move to their new row, new slots hold nothing. */
  private growCaches(stride: number): void {
    const old = this.cachedKey;
    const oldStride = this.cacheStride;
    const grown = new Float64Array(this.cacheFileCount * stride).fill(NO_VERSION_HELD);
    for (let fileId = 0; fileId < this.cacheFileCount; fileId++) grown.set(old.subarray(fileId * oldStride, (fileId + 1) * oldStride), fileId * stride);
    this.cachedKey = grown;
    this.cacheStride = stride;
  }

  /** A cluster cache's back-offs of upstreamCount upstreams, none backed off: returns the first one's slot. */
  allocateBackoffs(upstreamCount: number): number {
    const base = this.backoffSlotsUsed;
    this.backoffSlotsUsed += upstreamCount;
    if (this.backoffSlotsUsed > this.backoffUntilUs.length) this.backoffUntilUs = grownFloat64(this.backoffUntilUs, Math.max(this.backoffSlotsUsed, 2 * this.backoffUntilUs.length, 64));
    this.backoffUntilUs.fill(-Infinity, base, this.backoffSlotsUsed);
    return base;
  }

  private growReceivers(capacity: number): void {
    const running = new Uint8Array(capacity);
    running.set(this.running);
    this.running = running;
    this.nextPollUs = grownFloat64(this.nextPollUs, capacity);
    this.sinceUs = grownFloat64(this.sinceUs, capacity);
    this.lanRttUs = grownFloat64(this.lanRttUs, capacity);
    this.sinceOriginSp = grownInt32(this.sinceOriginSp, capacity);
    this.viewLength = grownInt32(this.viewLength, capacity);
    this.draws = grownInt32(this.draws, capacity);
    this.drawBase = grownInt32(this.drawBase, capacity);
    this.pollOrder = grownInt32(this.pollOrder, capacity);
    this.orderSlot = grownInt32(this.orderSlot, capacity);
    this.waiterReceiver = grownInt32(this.waiterReceiver, capacity);
    this.waiterSinceUs = grownFloat64(this.waiterSinceUs, capacity);
    this.waiterOriginSp = grownInt32(this.waiterOriginSp, capacity);
    for (let r = this.viewIndex.length; r < capacity; r++) this.viewIndex.push(null);
  }
}

/** What a cluster cache's table holds for a file it has no version of (every version key is above it). */
export const NO_VERSION_HELD = -Infinity;
