// The cluster delivery engine: one cluster's HTTP cache and the Receivers of its edge servers, with the
// behaviour of the pure machines (src/acms/http-cache.ts, src/acms/receiver.ts, driven as reference-host.ts
// drives them) in typed arrays, and polls stepped through in one per-cluster timeline that runs ahead of
// the kernel's clock while nothing outside the cluster is involved. test/world/engine-differential.test.ts
// holds it to the reference: the same deliveries to the microsecond, the same cache counts.
//
// Hot path (86 million polls and 214 million installs in the paper replay): no allocation per poll or
// install; the cache's upstream side (a few exchanges per version per cluster) is written for the reader.
import type { Address } from '../../kernel/machine.js';
import type { SnapshotLogEntry, SnapshotView } from '../../acms/snapshot.js';
import { HTTP_REQUEST_BYTES, type DeliveryMessage } from '../../acms/delivery-messages.js';
import { lanInstallUs, type ClusterEnvironment, type ClusterPort, type ClusterSpec, type SettledAnswer } from './port.js';
import { ClusterReceivers } from './engine-receivers.js';
import { grownFloat64 } from '../../kernel/typed-arrays.js';
import type { FleetTables } from './fleet-tables.js';
import { FileCounts } from './file-counts.js';
import { NO_ROW, type UpstreamRequests } from './upstream-requests.js';

const KIND_WAKE = 1;
const KIND_CACHE_TIMER = 2;
/** An answer known at its request but arriving after the request's deadline: it travels as a kernel event. */
const KIND_LATE_ANSWER = 3;

/** No request (fleet.requests' NO_ROW). */
const NONE = NO_ROW;

export class ClusterEngine implements ClusterPort {
  readonly targetId: number;
  readonly clusterIndex: number;
  // The spec's values read per poll, install or request, copied here: the spec's objects are the cluster's own, and
  // reading through them was two more cache lines to fetch at each activation.
  private readonly cacheAddress: Address;
  private readonly indexTtlUs: number;
  private readonly firstEdgeServerIndex: number;
  private readonly lanBytesPerS: number;
  private readonly receivers: ClusterReceivers;
  private readonly receiverCount: number;
  private readonly upstreams: readonly Address[];
  private readonly requestTimeoutUs: number;
  private readonly minThroughputBytesPerS: number;
  /** push (spec.cache.notifyReceivers). */
  private readonly notifyReceivers: boolean;

  // ---- the cluster cache ----
  private cacheUp = true;
  private rootView: SnapshotView | null = null;
  private rootLastModifiedUs = -1;
  private rootFetchedAtUs = -Infinity;
  /** The root index's request in flight (a row of fleet.requests), NONE when none. */
  private rootRequest = NONE;
  /**
   * The Receivers waiting for the root index's revalidation, in the order they asked, with what they asked
   * (If-Modified-Since, origin SP): the first receiverCount at the cluster's Receiver slots of the fleet's waiter
   * tables, any more (a revalidation that outlasts a poll interval) in waiterOverflow.
   */
  private waiterCount = 0;
  private waiterOverflow: RootWaiterOverflow | null = null;
  /** push: a notification came while the root request was in flight; revalidate again when it is answered. */
  private revalidateAgain = false;
  /** The fleet's tables, which hold the Receivers' state and the cache's tables below (fleet-tables.ts). */
  private readonly fleet: FleetTables;
  /**
   * The cache's slot in fleet.cachedKey (file-major: its entry for fileId is at fileId * fleet.cacheStride +
   * cacheSlot): the version of each file the cache holds (NO_VERSION_HELD for none). Not its size: a version has one
   * size, which every request for it carries (the index lists it), so a hit installs with that. A second table of 2,000 slots per cluster was 16 KB each: 270 MB at 150,000 servers, 1.8 GB
   * at 1,000,000.
   */
  private readonly cacheSlot: number;
  /**
   * Requests in flight, the root index's and each version's being fetched, in the order they were made (ids grow
   * with each request): a list of rows of fleet.requests from inFlightHead to inFlightTail. A few at a time, so a scan
   * finds one sooner than a hash table. (After a cache loses its disk it fetches every file listed again, up to the
   * file count at once: quadratic in that count, once, a few million steps at 2,000 files.)
   */
  private inFlightHead = NONE;
  private inFlightTail = NONE;
  /** The fleet's pool of requests (fleet.requests). */
  private readonly requests: UpstreamRequests;
  /** Where the back-offs of the cache's upstreams start in fleet.backoffUntilUs, in the order of upstreams. */
  private readonly backoffBase: number;
  private nextRequestId = 1;
  /** Requests in flight whose answer is not known: while there are any, the timeline runs ahead only through local polls. */
  private unsettled = 0;
  /**
   * No unknown answer can arrive before this (the least earliestAnswerUs of the unsettled requests), or NaN when it
   * must be found again (a request was settled or finished).
   */
  private earliestUnknownAnswerUs = Infinity;
  /** Unsettled fetches per file: an item that touches such a file cannot run ahead of the unknown answer. */
  private readonly unsettledFetchesOfFile = new FileCounts();
  /**
   * Settled answers not yet arrived, in arrival order (equal times in the order they were sent): [agendaHead,
   * agendaTail). Both go back to 0 whenever it is all taken; the arrays keep their size (emptying a JavaScript array
   * gave up its storage, and the next answer allocated it again).
   */
  private agendaAtUs = new Float64Array(8);
  private agendaMessage: (DeliveryMessage | null)[] = [];
  private agendaHead = 0;
  private agendaTail = 0;
  /**
   * The cache's time-out timer, over requests whose answer is not known (a settled answer arrives before its
   * deadline), and the standing kernel event that serves it. It fires at or before every such deadline.
   */
  private timerArmedAtUs = Infinity;
  private timerEventAtUs = Infinity;
  private timerToken = -1;
  cacheHits = 0;
  cacheMisses = 0;

  // ---- the timeline ----
  private wakeAtUs = Infinity;
  private wakeToken = -1;

  constructor(private readonly spec: ClusterSpec, private readonly env: ClusterEnvironment) {
    this.targetId = spec.targetId;
    this.clusterIndex = spec.clusterIndex;
    this.cacheAddress = spec.cacheAddress;
    this.indexTtlUs = spec.cache.indexTtlUs;
    this.firstEdgeServerIndex = spec.firstEdgeServerIndex;
    this.lanBytesPerS = spec.lanBytesPerS;
    this.upstreams = spec.cache.upstreams;
    this.requestTimeoutUs = spec.cache.requestTimeoutUs;
    this.minThroughputBytesPerS = spec.cache.minThroughputBytesPerS;
    this.notifyReceivers = spec.cache.notifyReceivers === true;
    if (this.upstreams.length === 0 || this.upstreams.length > 30) throw new RangeError(`a cluster cache needs 1 to 30 upstreams, got ${this.upstreams.length}`);
    this.receiverCount = spec.receiverCount;
    this.receivers = new ClusterReceivers(this.receiverCount, spec.receiver.fileCount, spec.receiverDrawSeed, spec.firstEdgeServerIndex, spec.receiver, env.logIndexes, spec.lanRttUs, env.fleet);
    this.fleet = env.fleet;
    this.cacheSlot = env.fleet.allocateCache(spec.receiver.fileCount);
    this.requests = env.fleet.requests;
    this.backoffBase = env.fleet.allocateBackoffs(this.upstreams.length);
  }

  // ---- the port ----------------------------------------------------------------------------------------

  start(nowUs: number): void {
    for (let i = 0; i < this.receiverCount; i++) this.receivers.start(nowUs, i);
    this.armWake();
  }

  setReceiverUp(nowUs: number, edgeServerIndex: number, up: boolean): void {
    const i = edgeServerIndex - this.firstEdgeServerIndex;
    if (this.receivers.isRunning(i) === up) return;
    if (up) this.receivers.start(nowUs, i);
    else this.receivers.stop(i);
    this.armWake();
  }

  setCacheUp(nowUs: number, up: boolean, diskLost: boolean): void {
    this.cacheUp = up;
    if (!up || diskLost) this.wipe();
    if (!up) for (let i = 0; i < this.receiverCount; i++) if (this.receivers.isRunning(i)) this.receivers.lostConnections(i);
    this.resume(nowUs);
  }

  deliverToCache(nowUs: number, _from: Address, message: DeliveryMessage): void {
    if (!this.cacheUp) return;
    this.answered(nowUs, message);
    this.resume(nowUs);
  }

  /**
   * An answer to a request that went unsettled is now known (a bulk transfer whose last byte has left its sender):
   * taken into the agenda if it is the request's only attempt and arrives before its deadline, so no other
   * answer to that request id can come first; then the cluster may step ahead again.
   */
  answerKnown(nowUs: number, arrivalUs: number, message: DeliveryMessage): boolean {
    if (!this.cacheUp || message.type === 'notify') return false;
    const row = this.requestOf(message.requestId);
    if (row === NONE) return false;
    const requests = this.requests;
    if (requests.isSettled(row) || requests.targetsTriedOf(row) !== 1 || arrivalUs >= requests.deadlineOf(row)) return false;
    this.setSettled(row, true);
    requests.setEverUnsettled(row, false);
    if (this.unsettled === 0) this.disarmTimer();
    this.addToAgenda(arrivalUs, message);
    this.resume(nowUs);
    return true;
  }

  /** An upstream answer reached the cache (through the kernel, or from the agenda). */
  private answered(nowUs: number, message: DeliveryMessage): void {
    switch (message.type) {
      case 'indexResponse':
      case 'indexNotModified':
        this.indexAnswered(nowUs, message.requestId, message.type === 'indexResponse' ? message.view : null);
        break;
      case 'fileResponse':
        this.fileAnswered(nowUs, message.requestId, message.found, message.sizeBytes);
        break;
      case 'requestFailed':
        this.upstreamFailed(nowUs, message.requestId, false);
        break;
      case 'notify':
        this.notified(nowUs);
        break;
      default:
        throw new Error(`a cluster cache was sent ${message.type} from upstream`);
    }
  }

  onEvent(nowUs: number, kind: number, arg: unknown): void {
    if (kind === KIND_LATE_ANSWER) {
      this.deliverToCache(nowUs, -1, arg as DeliveryMessage);
      return;
    }
    if (kind === KIND_CACHE_TIMER) {
      this.timerToken = -1;
      this.timerEventAtUs = Infinity;
      if (this.timerArmedAtUs <= nowUs) {
        if (this.cacheUp) this.timeout(nowUs);
        else this.timerArmedAtUs = Infinity;
      } else if (this.timerArmedAtUs !== Infinity) {
        this.scheduleTimerEvent(this.timerArmedAtUs);
      }
      this.resume(nowUs);
      return;
    }
    this.wakeToken = -1;
    this.wakeAtUs = Infinity;
    this.step(nowUs, nowUs);
    this.resume(nowUs);
  }

  // ---- the timeline ------------------------------------------------------------------------------------

  /** Steps ahead as far as the cluster can on its own, then waits for the kernel at the next poll. */
  private resume(nowUs: number): void {
    this.runAhead(nowUs);
    this.armWake();
  }

  /** The time of the timeline's next item: a poll, or a settled answer's arrival (Infinity when none). */
  private nextItemUs(): number {
    const i = this.receivers.earliestPoll();
    const pollUs = i < 0 ? Infinity : this.receivers.nextPollOf(i);
    const answerUs = this.firstAnswerUs();
    return Math.min(pollUs, answerUs);
  }

  /**
   * Runs the timeline's next item if it is due by dueUs, at max(its time, nowUs): a poll before a settled answer of
   * the same time (the poll's event was scheduled first). Returns false when nothing was due.
   */
  private step(nowUs: number, dueUs: number): boolean {
    const i = this.receivers.earliestPoll();
    const pollUs = i < 0 ? Infinity : this.receivers.nextPollOf(i);
    const answerUs = this.firstAnswerUs();
    const isPoll = pollUs <= answerUs;
    const atUs = isPoll ? pollUs : answerUs;
    if (atUs > dueUs) return false;
    this.runItem(nowUs, isPoll, i, atUs);
    return true;
  }

  /** Runs the next item, Receiver i's poll or the agenda's first answer, at max(its time atUs, nowUs). */
  private runItem(nowUs: number, isPoll: boolean, i: number, atUs: number): void {
    if (isPoll) {
      this.poll(Math.max(atUs, nowUs), i);
      return;
    }
    const message = this.takeFirstAnswer();
    if (this.cacheUp) this.answered(Math.max(atUs, nowUs), message);
  }

  /**
   * Runs the timeline ahead of the kernel's clock as far as nothing outside the cluster can change what it does
   * (the rules of src/world/README.md): before the next fault transition that concerns the cluster, and while every
   * request upstream has a known answer (then every input the cluster will get before its next item is in its own
   * timeline). While a request's answer is unknown, only polls that touch nothing outside the cluster run ahead: the
   * Receiver waits for no file, and the cache answers the poll whole (a fresh root index, every wanted file present
   * with no fetch of that file under way). The first item that breaks a rule waits for a kernel event at its time.
   */
  private runAhead(nowUs: number): void {
    if (!this.cacheUp) return;
    const limitUs = this.env.runAheadLimitUs(nowUs, this.clusterIndex);
    const receivers = this.receivers;
    // Hot path: the next item is found once per turn.
    for (;;) {
      const i = receivers.earliestPoll();
      const pollUs = i < 0 ? Infinity : receivers.nextPollOf(i);
      const answerUs = this.firstAnswerUs();
      const isPoll = pollUs <= answerUs;
      const atUs = isPoll ? pollUs : answerUs;
      if (atUs >= limitUs || !this.cacheUp) return;
      if (atUs > nowUs) {
        if (this.unsettled > 0 && !this.commutesWithUnknownAnswers(atUs, isPoll, i)) return;
        if (isPoll && !this.revalidationSettlesAt(atUs)) return;
      }
      this.runItem(nowUs, isPoll, i, atUs);
    }
  }

  /**
   * Whether the timeline's next item (a poll of Receiver i, or the agenda's first answer), at atUs, gives the same
   * result whether or not the unknown answers to requests in flight come before it. An unknown root index changes
   * what every poll reads; a time-out changes back-offs and re-sends, so nothing runs past the earliest unknown
   * deadline. An unknown file answer concerns its file only: an item that does not touch that file commutes with it,
   * except a poll of a Receiver waiting on a fetch that may fail (it would ask again). Sends are fine: request ids and
   * draws do not depend on what comes back first.
   */
  private commutesWithUnknownAnswers(atUs: number, isPoll: boolean, i: number): boolean {
    // Nothing unknown can come before the item: no answer can arrive yet, and no time-out is due.
    if (atUs < this.timerArmedAtUs && atUs < this.unknownAnswersNotBeforeUs()) return true;
    const requests = this.requests;
    const root = this.rootRequest;
    if (root !== NONE && !requests.isSettled(root)) return false;
    // The time-out timer is armed at or before every unknown deadline, so only past it can one be due.
    if (atUs >= this.timerArmedAtUs) {
      for (let row = this.inFlightHead; row !== NONE; row = requests.nextOf(row)) {
        if (!requests.isSettled(row) && requests.deadlineOf(row) <= atUs) return false;
      }
    }
    if (isPoll) return this.pollCommutes(atUs, i);
    return this.answerCommutes(this.agendaMessage[this.agendaHead] as DeliveryMessage);
  }

  private unknownAnswersNotBeforeUs(): number {
    if (Number.isNaN(this.earliestUnknownAnswerUs)) {
      let earliestUs = Infinity;
      const requests = this.requests;
      for (let row = this.inFlightHead; row !== NONE; row = requests.nextOf(row)) {
        if (!requests.isSettled(row) && requests.earliestAnswerOf(row) < earliestUs) earliestUs = requests.earliestAnswerOf(row);
      }
      this.earliestUnknownAnswerUs = earliestUs;
    }
    return this.earliestUnknownAnswerUs;
  }

  private pollCommutes(atUs: number, i: number): boolean {
    const receivers = this.receivers;
    const unsettledOfFile = this.unsettledFetchesOfFile;
    if (receivers.hasPending(i)) {
      const pending = receivers.pending;
      for (let entry = receivers.firstPendingOf(i); entry >= 0; entry = pending.nextOf(entry)) {
        if (pending.hasFailed(entry)) {
          if (unsettledOfFile.of(pending.fileIdOf(entry)) !== 0) return false; // asked again at this poll: it touches the file
          continue;
        }
        const row = this.fetchOf(pending.fileIdOf(entry), pending.versionKeyOf(entry));
        if (row === NONE) return false;
        if (!this.requests.isSettled(row) && !this.requests.isSure(row)) return false;
      }
    }
    if (atUs >= this.rootFetchedAtUs + this.indexTtlUs) return true; // a revalidation or a wait for one
    const view = this.rootView;
    if (view === null || receivers.holdsCurrent(i, view, this.rootLastModifiedUs)) return true;
    const changed = receivers.changedFiles(i, view);
    const fileIds = receivers.changed.fileId;
    for (let c = 0; c < changed; c++) if (unsettledOfFile.of(fileIds[c] as number) !== 0) return false;
    return true;
  }

  private answerCommutes(message: DeliveryMessage): boolean {
    if (message.type === 'notify') throw new Error('a notification is never a settled answer');
    const row = this.requestOf(message.requestId);
    if (row === NONE) return true; // an answer nobody waits for any more changes nothing
    if (this.requests.versionKeyOf(row) !== -1) return this.unsettledFetchesOfFile.of(this.requests.fileIdOf(row)) === 0;
    if (row !== this.rootRequest) return true;
    // The root index's waiters will diff the index the cache then holds (the answer's, or its own after a 304 or
    // when it keeps a longer one): none of the files that adds for them may have a fetch with an unknown answer.
    return (message.type !== 'indexResponse' || this.waitersTouchNoUnsettledFile(message.view)) && this.waitersTouchNoUnsettledFile(this.rootView);
  }

  private waitersTouchNoUnsettledFile(view: SnapshotView | null): boolean {
    if (view === null) return true;
    let start = view.length;
    for (let w = 0; w < this.waiterCount; w++) start = Math.min(start, this.receivers.diffStart(this.waiterAt(w), view));
    for (let k = start; k < view.length; k++) {
      if (this.unsettledFetchesOfFile.of((view.log[k] as SnapshotLogEntry).fileId) !== 0) return false;
    }
    return true;
  }

  /**
   * Whether the item at atUs, if it is a poll that would revalidate the root index, would get a settled answer from
   * the parent. If not, the cluster waits for the kernel's clock: by then another cluster may have had the parent
   * revalidate, and the answer becomes settled (one event instead of an exchange through the kernel).
   */
  private revalidationSettlesAt(atUs: number): boolean {
    const i = this.receivers.earliestPoll();
    if (i < 0 || this.receivers.nextPollOf(i) !== atUs) return true;
    if (this.rootRequest !== NONE || atUs < this.rootFetchedAtUs + this.indexTtlUs) return true;
    const target = this.upstreams[this.chooseUpstream(atUs, 0)] as Address;
    const message: DeliveryMessage = { type: 'indexGet', requestId: this.nextRequestId, ifModifiedSinceUs: this.rootLastModifiedUs, heldOriginSp: this.rootView?.originSp ?? -1 };
    return this.env.wouldSettle(atUs, this.cacheAddress, target, message);
  }

  private armWake(): void {
    const atUs = this.nextItemUs();
    if (atUs === this.wakeAtUs) return;
    const sim = this.env.sim;
    if (this.wakeToken >= 0) sim.cancel(this.wakeToken);
    this.wakeToken = -1;
    this.wakeAtUs = atUs;
    if (atUs !== Infinity) this.wakeToken = sim.scheduleAt(Math.max(atUs, sim.nowUs), this, KIND_WAKE, 0);
  }

  // ---- a Receiver's poll and its exchanges with the cache (as Receiver.handle and HttpCache.handle) ---------

  private poll(nowUs: number, i: number): void {
    const receivers = this.receivers;
    receivers.chooseNextPoll(nowUs, i);
    const failed = receivers.takeFailed(i);
    if (failed !== null) {
      for (const fileId of failed) {
        const wanted = receivers.pendingKeyOf(i, fileId);
        if (wanted !== undefined && wanted > receivers.installedOf(i, fileId)) {
          this.fileGet(nowUs, i, fileId, wanted, receivers.pendingSizeOf(i, fileId));
        }
      }
    }
    this.indexGet(nowUs, i, receivers.sinceOf(i), receivers.sinceOriginSpOf(i));
  }

  private indexGet(nowUs: number, i: number, sinceUs: number, heldOriginSp: number): void {
    if (!this.cacheUp) return; // refused: a failed index request changes nothing at the Receiver
    if (nowUs < this.rootFetchedAtUs + this.indexTtlUs) {
      this.cacheHits++;
      this.answerIndex(nowUs, i, sinceUs, heldOriginSp);
      return;
    }
    this.cacheMisses++;
    this.addWaiter(i, sinceUs, heldOriginSp);
    if (this.rootRequest === NONE) this.rootRequest = this.startUpstream(nowUs, -1, -1, 0);
  }

  /** The index the cache holds, to Receiver i: a 304 when it holds this one already (same origin SP, no older). */
  private answerIndex(nowUs: number, i: number, sinceUs: number, heldOriginSp: number): void {
    const view = this.rootView;
    if (view === null || (view.originSp === heldOriginSp && this.rootLastModifiedUs <= sinceUs)) return; // 304 Not Modified
    this.applyIndex(nowUs, i, view);
  }

  /** Receiver i diffs a new root index and asks for the newest listed version of each changed file. */
  private applyIndex(nowUs: number, i: number, view: SnapshotView): void {
    const receivers = this.receivers;
    // The Receiver holds the new index from here on (Receiver.handle sets it after the requests, but nothing below
    // reads it, and holding it keeps installed versions as they are): a hit then installs what the index lists, which
    // needs no exception, instead of making one that the move would take back.
    const changed = receivers.takeIndex(i, view);
    // Read here, after the walk (which may have grown it); nothing below walks again before the loop ends.
    const found = receivers.changed;
    for (let c = 0; c < changed; c++) {
      const fileId = found.fileId[c] as number;
      const key = found.versionKey[c] as number;
      if (receivers.hasPending(i)) {
        const pending = receivers.pendingKeyOf(i, fileId);
        if (pending !== undefined && key <= pending) {
          receivers.keepInstalled(i, c);
          continue;
        }
      }
      if (this.cacheUp && this.fleet.cachedKey[fileId * this.fleet.cacheStride + this.cacheSlot] === key) {
        // A hit is answered at once: the pending entry it would make is cleared by the install straight away.
        this.cacheHits++;
        receivers.installListed(i, c);
        this.recordInstall(nowUs, i, fileId, key, found.sizeBytes[c] as number);
        continue;
      }
      receivers.keepInstalled(i, c);
      const sizeBytes = found.sizeBytes[c] as number;
      receivers.setPending(i, fileId, key, sizeBytes);
      this.fileGet(nowUs, i, fileId, key, sizeBytes);
    }
  }

  private fileGet(nowUs: number, i: number, fileId: number, versionKey: number, sizeBytes: number): void {
    if (!this.cacheUp) {
      this.receivers.markFailed(i, fileId, versionKey);
      return;
    }
    if (this.fleet.cachedKey[fileId * this.fleet.cacheStride + this.cacheSlot] === versionKey) {
      this.cacheHits++;
      this.install(nowUs, i, fileId, versionKey, sizeBytes);
      return;
    }
    this.cacheMisses++;
    const fetch = this.fetchOf(fileId, versionKey);
    if (fetch !== NONE) this.requests.addWaiter(fetch, i);
    else this.startUpstream(nowUs, fileId, versionKey, sizeBytes, i);
  }

  private install(nowUs: number, i: number, fileId: number, versionKey: number, sizeBytes: number): void {
    if (!this.receivers.install(i, fileId, versionKey)) return;
    this.recordInstall(nowUs, i, fileId, versionKey, sizeBytes);
  }

  /** Records Receiver i's install of versionKey (replacing receivers.replacedKey), the LAN transfer included. */
  private recordInstall(nowUs: number, i: number, fileId: number, versionKey: number, sizeBytes: number): void {
    const installUs = lanInstallUs(nowUs, this.receivers.lanRttOf(i), sizeBytes, this.lanBytesPerS);
    this.env.installs.add(installUs, this.firstEdgeServerIndex + i, fileId, versionKey, this.receivers.replacedKey);
  }

  // ---- the cache's upstream side (as HttpCache) --------------------------------------------------------------

  /** push: upstream's index changed; revalidate now (or once the revalidation on its way is answered). */
  private notified(nowUs: number): void {
    if (!this.notifyReceivers) return;
    if (this.rootRequest !== NONE) {
      this.revalidateAgain = true;
      return;
    }
    this.rootRequest = this.startUpstream(nowUs, -1, -1, 0);
  }

  private indexAnswered(nowUs: number, requestId: number, view: SnapshotView | null): void {
    const row = this.rootRequest;
    if (row === NONE || this.requests.requestIdOf(row) !== requestId) return; // a late answer to a request given up on
    this.rootRequest = NONE;
    this.finishUpstream(row);
    let changed = false;
    if (view !== null) {
      const held = this.rootView;
      if (held === null || view.log !== held.log || view.length >= held.length) {
        changed = held === null || view.log !== held.log || view.length !== held.length || view.lastModifiedUs !== this.rootLastModifiedUs;
        this.rootView = view;
        this.rootLastModifiedUs = view.lastModifiedUs;
      }
    }
    this.rootFetchedAtUs = nowUs;
    // Answering a waiter sends file requests and nothing else (a revalidation asked for meanwhile has left above, and
    // its answer waits in the agenda): no waiter comes while they are answered.
    const waiting = this.waiterCount;
    // push, in HttpCache's order: the revalidation asked for meanwhile leaves first (the waiters' file requests follow
    // from their answers); then each Receiver told polls at once, one after the other in index order.
    const push = this.notifyReceivers;
    if (push && this.revalidateAgain) {
      this.revalidateAgain = false;
      this.rootRequest = this.startUpstream(nowUs, -1, -1, 0);
    }
    for (let w = 0; w < waiting; w++) {
      const i = this.waiterAt(w);
      if (this.receivers.isRunning(i)) this.answerIndex(nowUs, i, this.waiterSinceAt(w), this.waiterOriginSpAt(w));
    }
    if (this.waiterCount !== waiting) throw new Error(`cluster ${this.clusterIndex}'s cache got a root waiter while answering its waiters`);
    this.clearWaiters();
    if (push && changed) for (let i = 0; i < this.receiverCount; i++) this.receivers.pollNow(nowUs, i);
  }

  private fileAnswered(nowUs: number, requestId: number, found: boolean, sizeBytes: number): void {
    const row = this.requestOf(requestId);
    if (row === NONE) return;
    const requests = this.requests;
    const fileId = requests.fileIdOf(row);
    const versionKey = requests.versionKeyOf(row);
    if (versionKey === -1) throw new Error(`cluster ${this.clusterIndex}'s cache got a file answer to its root index request`);
    if (!found) {
      this.upstreamFailed(nowUs, requestId, false);
      return;
    }
    const waiters = requests.takeWaiters(row);
    this.finishUpstream(row);
    this.store(fileId, versionKey);
    for (let w = waiters; w !== NONE; w = requests.nextWaiter(w)) {
      const i = requests.placeOf(w);
      if (this.receivers.isRunning(i)) this.install(nowUs, i, fileId, versionKey, sizeBytes);
    }
    requests.freeWaiters(waiters);
  }

  /** Keeps a fetched version unless a newer version of the file is already here. */
  private store(fileId: number, versionKey: number): void {
    const cachedKey = this.fleet.cachedKey;
    const at = fileId * this.fleet.cacheStride + this.cacheSlot;
    if (versionKey <= (cachedKey[at] as number)) return;
    cachedKey[at] = versionKey;
  }

  /** A new request upstream, for the root index (versionKey -1) or for a version that Receiver firstWaiter waits for. */
  private startUpstream(nowUs: number, fileId: number, versionKey: number, sizeBytes: number, firstWaiter = -1): number {
    const requests = this.requests;
    // Made settled: counted as unsettled by sendUpstream unless its answer is known.
    const row = requests.allocate(this.nextRequestId++, versionKey, fileId, sizeBytes);
    if (firstWaiter >= 0) requests.addWaiter(row, firstWaiter);
    if (this.inFlightTail === NONE) this.inFlightHead = row;
    else requests.setNext(this.inFlightTail, row);
    this.inFlightTail = row;
    this.sendUpstream(nowUs, row);
    return row;
  }

  private sendUpstream(nowUs: number, row: number): void {
    const requests = this.requests;
    const choice = this.chooseUpstream(nowUs, requests.triedMaskOf(row));
    const target = this.upstreams[choice] as Address;
    requests.markSent(row, choice, target);
    const requestId = requests.requestIdOf(row);
    const versionKey = requests.versionKeyOf(row);
    const sizeBytes = requests.sizeBytesOf(row);
    const message: DeliveryMessage = versionKey === -1
      ? { type: 'indexGet', requestId, ifModifiedSinceUs: this.rootLastModifiedUs, heldOriginSp: this.rootView?.originSp ?? -1 }
      : { type: 'fileGet', requestId, fileId: requests.fileIdOf(row), versionKey, sizeBytes };
    const answer = this.env.sendUpstream(nowUs, this.cacheAddress, target, message, HTTP_REQUEST_BYTES, true);
    const deadlineUs = nowUs + this.requestTimeoutUs + Math.round((sizeBytes * 1e6) / this.minThroughputBytesPerS);
    requests.setDeadline(row, deadlineUs);
    const everUnsettled = requests.wasEverUnsettled(row);
    const settled = answer !== null && answer.arrivalUs < deadlineUs && !everUnsettled;
    if (!settled) {
      // An earlier attempt's answer (the same request id) may still come: the bound covers every attempt.
      const earliestUs = answer !== null ? answer.arrivalUs : this.env.earliestAnswerUs(nowUs, this.cacheAddress, target, message);
      const boundUs = everUnsettled ? Math.min(requests.earliestAnswerOf(row), earliestUs) : earliestUs;
      requests.setEarliestAnswer(row, boundUs);
      if (boundUs < this.earliestUnknownAnswerUs) this.earliestUnknownAnswerUs = boundUs;
    }
    this.setSettled(row, settled);
    requests.setEverUnsettled(row, !settled);
    requests.setSure(row, !settled && this.env.answerSure(nowUs, this.cacheAddress, target, message));
    if (settled) {
      this.addToAgenda((answer as SettledAnswer).arrivalUs, (answer as SettledAnswer).message);
      return;
    }
    if (answer !== null) this.env.sim.scheduleAt(answer.arrivalUs, this, KIND_LATE_ANSWER, answer.message);
    if (deadlineUs < this.timerArmedAtUs) this.armTimer(deadlineUs);
  }

  /** Moves a request between settled and unsettled, keeping the counts the run-ahead rules read. */
  private setSettled(row: number, settled: boolean): void {
    const requests = this.requests;
    if (requests.isSettled(row) === settled) return;
    requests.setSettledFlag(row, settled);
    if (settled) this.earliestUnknownAnswerUs = NaN;
    else if (requests.earliestAnswerOf(row) < this.earliestUnknownAnswerUs) this.earliestUnknownAnswerUs = requests.earliestAnswerOf(row);
    const step = settled ? -1 : 1;
    this.unsettled += step;
    if (requests.versionKeyOf(row) !== -1) this.unsettledFetchesOfFile.add(requests.fileIdOf(row), step);
  }

  private addToAgenda(atUs: number, message: DeliveryMessage): void {
    if (this.agendaTail === this.agendaAtUs.length) this.agendaAtUs = grownFloat64(this.agendaAtUs, 2 * this.agendaAtUs.length);
    const times = this.agendaAtUs;
    const messages = this.agendaMessage;
    let k = this.agendaTail++;
    while (k > this.agendaHead && (times[k - 1] as number) > atUs) {
      times[k] = times[k - 1] as number;
      messages[k] = messages[k - 1] as DeliveryMessage;
      k--;
    }
    times[k] = atUs;
    messages[k] = message;
  }

  private firstAnswerUs(): number {
    return this.agendaHead < this.agendaTail ? (this.agendaAtUs[this.agendaHead] as number) : Infinity;
  }

  private takeFirstAnswer(): DeliveryMessage {
    const message = this.agendaMessage[this.agendaHead] as DeliveryMessage;
    this.agendaMessage[this.agendaHead] = null;
    this.agendaHead++;
    if (this.agendaHead === this.agendaTail) {
      this.agendaHead = 0;
      this.agendaTail = 0;
    }
    return message;
  }

  /** The request in flight with this id (its row), or NONE. */
  private requestOf(requestId: number): number {
    const requests = this.requests;
    for (let row = this.inFlightHead; row !== NONE; row = requests.nextOf(row)) {
      if (requests.requestIdOf(row) === requestId) return row;
    }
    return NONE;
  }

  /** The request in flight fetching this version of fileId (its row), or NONE. */
  private fetchOf(fileId: number, versionKey: number): number {
    const requests = this.requests;
    for (let row = this.inFlightHead; row !== NONE; row = requests.nextOf(row)) {
      if (requests.versionKeyOf(row) === versionKey && requests.fileIdOf(row) === fileId) return row;
    }
    return NONE;
  }

  /** The first upstream in preference order not tried by this request and not backed off; else the one free soonest. */
  private chooseUpstream(nowUs: number, triedMask: number): number {
    const backoffUntilUs = this.fleet.backoffUntilUs;
    let soonest = -1;
    for (let u = 0; u < this.upstreams.length; u++) {
      if ((triedMask & (1 << u)) !== 0) continue;
      const untilUs = backoffUntilUs[this.backoffBase + u] as number;
      if (untilUs <= nowUs) return u;
      if (soonest < 0 || untilUs < (backoffUntilUs[this.backoffBase + soonest] as number)) soonest = u;
    }
    if (soonest < 0) throw new Error('chooseUpstream called with every upstream tried');
    return soonest;
  }

  private timeout(nowUs: number): void {
    this.timerArmedAtUs = Infinity;
    // In the order the requests were made (a Map's order, as HttpCache's).
    const requests = this.requests;
    const overdue: number[] = [];
    for (let row = this.inFlightHead; row !== NONE; row = requests.nextOf(row)) {
      if (requests.deadlineOf(row) <= nowUs) overdue.push(requests.requestIdOf(row));
    }
    for (const requestId of overdue) this.upstreamFailed(nowUs, requestId, true);
    let nextUs = Infinity;
    for (let row = this.inFlightHead; row !== NONE; row = requests.nextOf(row)) {
      if (!requests.isSettled(row)) nextUs = Math.min(nextUs, requests.deadlineOf(row));
    }
    if (nextUs < this.timerArmedAtUs) this.armTimer(nextUs);
  }

  private upstreamFailed(nowUs: number, requestId: number, timedOut: boolean): void {
    const row = this.requestOf(requestId);
    if (row === NONE) return;
    const requests = this.requests;
    const target = requests.targetOf(row);
    const fileId = requests.fileIdOf(row);
    const versionKey = requests.versionKeyOf(row);
    if (timedOut) {
      this.fleet.backoffUntilUs[this.backoffBase + this.upstreams.indexOf(target)] = nowUs + this.spec.cache.upstreamBackoffUs;
      if (versionKey !== -1) this.env.abandon(nowUs, this.cacheAddress, target, requestId, requests.sizeBytesOf(row));
    }
    if (requests.targetsTriedOf(row) < this.upstreams.length) {
      this.sendUpstream(nowUs, row);
      return;
    }
    if (versionKey === -1) {
      // Every waiter's index request fails; a failed index request changes nothing at a Receiver.
      this.rootRequest = NONE;
      this.finishUpstream(row);
      this.revalidateAgain = false;
      this.clearWaiters();
      return;
    }
    const waiters = requests.takeWaiters(row);
    this.finishUpstream(row);
    for (let w = waiters; w !== NONE; w = requests.nextWaiter(w)) {
      const i = requests.placeOf(w);
      if (this.receivers.isRunning(i)) this.receivers.markFailed(i, fileId, versionKey);
    }
    requests.freeWaiters(waiters);
  }

  /**
   * The request is over (answered, or failed at every upstream): out of the list, keeping the others' order, and its
   * row back to the pool (take its waiters first).
   */
  private finishUpstream(row: number): void {
    const requests = this.requests;
    let previous = NONE;
    let at = this.inFlightHead;
    while (at !== NONE && at !== row) {
      previous = at;
      at = requests.nextOf(at);
    }
    if (at === NONE) throw new Error(`cluster ${this.clusterIndex}'s cache finished a request it does not hold`);
    const next = requests.nextOf(row);
    if (previous === NONE) this.inFlightHead = next;
    else requests.setNext(previous, next);
    if (this.inFlightTail === row) this.inFlightTail = previous;
    this.setSettled(row, true);
    requests.free(row);
    if (this.unsettled === 0) this.disarmTimer();
  }

  /**
   * No request waits on a time-out any more: the timer goes, and its kernel event with it. Left standing, the event
   * fired for nothing about 49,000 times an hour in the paper replay, each an activation of the cluster.
   */
  private disarmTimer(): void {
    this.timerArmedAtUs = Infinity;
    if (this.timerToken < 0) return;
    this.env.sim.cancel(this.timerToken);
    this.timerToken = -1;
    this.timerEventAtUs = Infinity;
  }

  private armTimer(atUs: number): void {
    this.timerArmedAtUs = atUs;
    if (this.timerEventAtUs > atUs) this.scheduleTimerEvent(atUs);
  }

  /** One kernel event stays scheduled; when it finds the deadline moved later it moves itself there. */
  private scheduleTimerEvent(atUs: number): void {
    const sim = this.env.sim;
    if (this.timerToken >= 0) sim.cancel(this.timerToken);
    this.timerEventAtUs = atUs;
    this.timerToken = sim.scheduleAt(Math.max(atUs, sim.nowUs), this, KIND_CACHE_TIMER, 0);
  }

  /** The cache lost everything: content, the root index, and requests in flight (their waiters are not told). */
  private wipe(): void {
    const requests = this.requests;
    for (let row = this.inFlightHead; row !== NONE;) {
      const next = requests.nextOf(row);
      requests.free(row);
      row = next;
    }
    this.inFlightHead = NONE;
    this.inFlightTail = NONE;
    this.unsettled = 0;
    this.earliestUnknownAnswerUs = Infinity;
    this.unsettledFetchesOfFile.clear();
    this.agendaMessage.fill(null);
    this.agendaHead = 0;
    this.agendaTail = 0;
    this.timerArmedAtUs = Infinity;
    this.fleet.clearCache(this.cacheSlot);
    this.rootView = null;
    this.rootLastModifiedUs = -1;
    this.rootFetchedAtUs = -Infinity;
    this.rootRequest = NONE;
    this.clearWaiters();
    this.revalidateAgain = false;
  }

  // ---- the root index's waiters ----

  private addWaiter(i: number, sinceUs: number, originSp: number): void {
    const w = this.waiterCount++;
    if (w < this.receiverCount) {
      const fleet = this.fleet;
      const slot = this.receivers.base + w;
      fleet.waiterReceiver[slot] = i;
      fleet.waiterSinceUs[slot] = sinceUs;
      fleet.waiterOriginSp[slot] = originSp;
      return;
    }
    this.waiterOverflow ??= { receiver: [], sinceUs: [], originSp: [] };
    this.waiterOverflow.receiver.push(i);
    this.waiterOverflow.sinceUs.push(sinceUs);
    this.waiterOverflow.originSp.push(originSp);
  }

  /** The w-th waiter's Receiver, and below what it asked. */
  private waiterAt(w: number): number {
    if (w < this.receiverCount) return this.fleet.waiterReceiver[this.receivers.base + w] as number;
    return (this.waiterOverflow as RootWaiterOverflow).receiver[w - this.receiverCount] as number;
  }

  private waiterSinceAt(w: number): number {
    if (w < this.receiverCount) return this.fleet.waiterSinceUs[this.receivers.base + w] as number;
    return (this.waiterOverflow as RootWaiterOverflow).sinceUs[w - this.receiverCount] as number;
  }

  private waiterOriginSpAt(w: number): number {
    if (w < this.receiverCount) return this.fleet.waiterOriginSp[this.receivers.base + w] as number;
    return (this.waiterOverflow as RootWaiterOverflow).originSp[w - this.receiverCount] as number;
  }

  /** Every waiter is answered (or failed). */
  private clearWaiters(): void {
    this.waiterCount = 0;
    this.waiterOverflow = null;
  }
}

/** Root waiters beyond the cluster's Receiver count (rare: a revalidation that outlasts a poll interval). */
interface RootWaiterOverflow {
  readonly receiver: number[];
  readonly sinceUs: number[];
  readonly originSp: number[];
}
