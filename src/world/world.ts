// The simulated world: topology, network and faults, the Storage Points and Publishers, the parent
// cache sites and the clusters, wired together on one kernel. The World is the host of the pure
// machines: it delivers their messages through the network model, runs their timers, and feeds their
// observations to the invariant checker and the run's metrics. It knows the machines; they don't know it.
import { Simulator, RandomStreams, type EventTarget, type Rng } from '../kernel/index.js';
import type { Address, MachineInput, MachineOutput } from '../kernel/machine.js';
import { Network, FaultSchedule, NodeKind, type Topology } from '../network/index.js';
import { StoragePoint } from '../acms/storage-point.js';
import { FIRST_SP_INDEX, type FrontendDesign, type FrontEndNode } from '../acms/frontends/design.js';
import type { FrontEndWireMessage } from '../acms/frontends/messages.js';
import { PrimaryBackupPoint } from '../acms/frontends/primary-backup.js';
import { defaultPrimaryBackupParams } from '../acms/frontends/primary-backup-params.js';
import { SingleStoragePoint } from '../acms/frontends/single.js';
import { Publisher } from '../acms/publisher.js';
import type { HttpCache, HttpCacheCommand } from '../acms/http-cache.js';
import { PushNotifier } from '../acms/push-notifier.js';
import { FrontendInvariantChecker } from '../acms/invariants.js';
import { defaultPublisherParams, defaultStoragePointParams } from '../acms/frontend-params.js';
import type { FrontendMessage, PublisherCommand, PublisherObservation, StoragePointCommand, StoragePointObservation } from '../acms/frontend-messages.js';
import type { DeliveryMessage, FileResponseMessage } from '../acms/delivery-messages.js';
import type { DeliveryDesign } from '../acms/delivery-design.js';
import { PerMinuteTable } from '../metrics/index.js';
import type { ClusterEnvironment, ClusterPort, ClusterSpec, SettledAnswer } from './cluster/port.js';
import { ClusterEngine } from './cluster/engine.js';
import { ReferenceCluster } from './cluster/reference-host.js';
import { LogIndexes } from './cluster/log-index.js';
import { FleetTables } from './cluster/fleet-tables.js';
import { RunMetrics } from './run-metrics.js';
import { ParentSites } from './parent-sites.js';
import type { WorkloadItem, WorldConfig } from './config.js';
import { BULK_TRANSFER_MIN_BYTES, cachedClusterSpec, directClusterSpec, isBulkFileAnswer, parentCacheOptions, type DeliverySpecContext } from './delivery-specs.js';
import { SubmissionLog } from './submission-log.js';
import { FileAnswersInFlight } from './file-answers.js';

type AnyMessage = FrontEndWireMessage | DeliveryMessage;

/** A message in flight (the kernel event's argument). Pooled: released once delivered, so it must not be kept. */
interface Delivery {
  from: Address;
  to: Address;
  message: AnyMessage | null;
}

interface TimerFiring {
  readonly address: Address;
  readonly timer: string;
}

const KIND_DELIVER = 1;
const KIND_TIMER = 2;
const KIND_SUBMIT = 3;

/**
 * push's notifications draw by their sender's sequence number, above every request id, so that they shift no draw
 * of the link's other traffic (and a design without them draws what it did).
 */
const NOTIFY_DRAW_KEY_BASE = 2 ** 40;

export class World implements EventTarget {
  readonly targetId = 1;
  readonly sim = new Simulator();
  readonly streams: RandomStreams;
  readonly topology: Topology;
  readonly faults: FaultSchedule;
  readonly network: Network;
  /** One front-end machine per SP address: ACMS's StoragePoint, or a what-if design's (config.frontend). */
  readonly storagePoints: FrontEndNode[] = [];
  readonly publishers: Publisher[] = [];
  /** The parent cache sites: their machines, and what a cluster's request to one gets. */
  private readonly parents: ParentSites;
  /** How a new index reaches the Receivers (config.deliveryDesign; cached, ACMS's, when absent). Read per message. */
  readonly deliveryDesign: DeliveryDesign;
  /** design.delivery: push: one notifier beside each SP, telling the parent sites when the SP's index changes. */
  private readonly notifiers: PushNotifier[] = [];
  readonly clusters: ClusterPort[] = [];
  readonly checker: FrontendInvariantChecker;
  readonly metrics: RunMetrics;
  readonly submissions: SubmissionLog;
  readonly spLoad: PerMinuteTable;
  private readonly timerTokens = new Map<string, number>();
  /** Bulk file answers on their way (the transfer to stop if the requester gives up), and requests given up on. */
  private readonly fileAnswers = new FileAnswersInFlight();
  private readonly sizeOfVersion = new Map<number, number>();
  /** Where the current run() stops: clusters never step past it. */
  private runEndUs = 0;
  private readonly clusterEnvironment: ClusterEnvironment;

  readonly workload: readonly WorkloadItem[];
  private spLoadRequests = 0;
  /** Root index requests that reached an SP (the load ACMS's cache hierarchy is meant to keep small). */
  spIndexRequests = 0;
  /** Cache requests that failed at once because the upstream's name did not resolve to an answering address. */
  unresolvedRequests = 0;
  private spLoadBytes = 0;

  /** The topology and workload are built once by the integrator (src/run/), which also checks the scenario against them. */
  constructor(readonly config: WorldConfig, topology: Topology, workload: readonly WorkloadItem[]) {
    this.streams = new RandomStreams(config.seed);
    this.deliveryDesign = config.deliveryDesign?.design ?? 'cached';
    const push = this.deliveryDesign === 'push';
    this.topology = topology;
    this.workload = workload;
    this.faults = new FaultSchedule(this.sim, this.topology, this.streams, config.faults, { targetId: 2 });
    this.network = new Network(this.sim, this.topology, this.streams, {
      faults: this.faults.state, latency: config.network, transfer: config.network, targetId: 3,
    });
    const spCount = this.topology.storagePointCount;
    this.checker = new FrontendInvariantChecker(spCount, undefined, this.design);
    this.metrics = new RunMetrics(this.sampleMask(config.sampleReceivers, this.streams.stream('metrics/sample')));
    this.submissions = new SubmissionLog(workload.length);
    this.spLoad = new PerMinuteTable(spCount);
    this.clusterEnvironment = {
      sim: this.sim,
      sendUpstream: (nowUs, from, to, message, sizeBytes, settle) => settle ? this.sendClusterRequest(nowUs, from, to, message, sizeBytes) : this.send(nowUs, from, to, message, sizeBytes),
      wouldSettle: (sendUs, from, to, message) => this.parents.wouldSettle(sendUs, from, to, message),
      answerSure: (sendUs, from, to, message) => this.parents.answerSure(sendUs, from, to, message),
      earliestAnswerUs: (sendUs, from, to, message) => this.parents.earliestAnswerUs(sendUs, from, to, message),
      abandon: (nowUs, from, to, requestId, sizeBytes) => this.abandon(from, to, requestId, sizeBytes),
      installs: this.metrics.installs,
      // Under push a notification may reach a cluster at any time, and nothing bounds when: clusters keep to the
      // kernel's clock (exact, and slower).
      runAheadLimitUs: (nowUs, cluster) => Math.min(
        this.faults.nextTransitionInClusterUs(nowUs, cluster), this.runEndUs + 1, push ? this.sim.nowUs + 1 : Infinity,
      ),
      logIndexes: new LogIndexes(config.fileCount),
      fleet: new FleetTables(),
    };
    this.buildFrontEnd(spCount);
    this.parents = this.buildParentSites();
    this.buildDelivery();
    this.faults.onNodeChange((address, up, diskLost) => this.nodeChanged(address, up, diskLost));
    for (let i = 0; i < workload.length; i++) this.sim.scheduleAt((workload[i] as WorkloadItem).timeUs, this, KIND_SUBMIT, i);
  }

  get design(): FrontendDesign {
    return this.config.frontend?.design ?? 'quorum';
  }

  private buildFrontEnd(spCount: number): void {
    const spParams = defaultStoragePointParams(spCount, this.config.spParams);
    const pbParams = defaultPrimaryBackupParams(this.config.frontend?.primaryBackup);
    for (let i = 0; i < spCount; i++) {
      const address = this.topology.spAddress(i);
      const localClockUs = (nowUs: number): number => this.faults.localClockUs(address, nowUs);
      // Only the quorum design draws (merge jitter), from its own streams: the others shift no one's draws.
      switch (this.design) {
        case 'quorum':
          this.storagePoints.push(new StoragePoint({ index: i, params: spParams, localClockUs, rng: this.streams.stream(`sp/${i}`) }));
          break;
        case 'primary-backup':
          this.storagePoints.push(new PrimaryBackupPoint({ index: i, params: spParams, pb: pbParams, localClockUs }));
          break;
        case 'single':
          this.storagePoints.push(new SingleStoragePoint({ index: i, params: spParams, localClockUs }));
          break;
      }
    }
    const publisherParams = defaultPublisherParams();
    for (let p = 0; p < this.topology.publisherCount; p++) {
      const address = this.topology.publisherAddress(p);
      this.publishers.push(new Publisher({ params: publisherParams, spOrder: this.submissionOrder(address), rng: this.streams.stream(`publisher/${p}`) }));
    }
    for (let i = 0; i < spCount; i++) this.feedStoragePoint(this.topology.spAddress(i), { type: 'command', command: { type: 'start' } });
  }

  /** The parent cache sites: each an HttpCache whose upstreams are the SPs, nearest first. */
  private buildParentSites(): ParentSites {
    const topology = this.topology;
    const push = this.deliveryDesign === 'push';
    const specs = this.specContext;
    const clustersOfParent: Address[][] = [];
    for (let j = 0; j < topology.parentSiteCount; j++) clustersOfParent.push([]);
    for (let c = 0; c < topology.clusterCount; c++) (clustersOfParent[topology.parentSiteOfCluster(c)] as Address[]).push(topology.clusterCacheAddress(c));
    const context = {
      sim: this.sim, topology, network: this.network, faults: this.faults,
      runEndUs: () => this.runEndUs,
      clusterIndexOfCache: (address: Address) => (this.clusterOfCache(address) as ClusterPort).clusterIndex,
      drawKeyOf: (from: Address, to: Address, message: DeliveryMessage) => this.drawKeyOf(from, to, message),
      abandon: (requester: Address, upstream: Address, requestId: number, sizeBytes: number) => this.abandon(requester, upstream, requestId, sizeBytes),
    };
    return new ParentSites(
      context, this.config.delivery.parentTtlUs, !push, (j) => parentCacheOptions(specs, j, clustersOfParent[j] as Address[]),
      this.config.checkParentAnswers === true,
    );
  }

  /** The parent sites' requests answered from their caches and sent upstream, summed (the run's summary reports them). */
  get parentCacheCounts(): { readonly hits: number; readonly misses: number } {
    let hits = 0;
    let misses = 0;
    for (let p = 0; p < this.topology.parentSiteCount; p++) {
      hits += this.parents.hitsOf(p);
      misses += this.parents.missesOf(p);
    }
    return { hits, misses };
  }

  /** Cut-through: answers a parent started while it still fetched the version. */
  get forwardedAnswers(): number {
    return this.parents.forwardedAnswers;
  }

  /** What the parent caches' options and the clusters' specs are made from (delivery-specs.ts). */
  private get specContext(): DeliverySpecContext {
    return {
      topology: this.topology, config: this.config, deliveryDesign: this.deliveryDesign,
      baseOneWayUs: (from, to) => this.network.latency.baseOneWayUs(from, to),
      spsByDistance: (from) => this.spsByDistance(from),
    };
  }

  private buildDelivery(): void {
    const topology = this.topology;
    const push = this.deliveryDesign === 'push';
    const parentSites: Address[] = [];
    for (let j = 0; j < topology.parentSiteCount; j++) parentSites.push(topology.parentSiteAddress(j));
    if (push) for (let i = 0; i < topology.storagePointCount; i++) this.notifiers.push(new PushNotifier(parentSites));
    // Receivers draw by (edge server, draw number), not from a stream each: 15,000 generator objects cost more
    // to touch than the draws themselves, and keyed draws do not depend on the order receivers are run in.
    const receiverDrawSeed = this.streams.keyedSeed('receivers');
    const specs = this.specContext;
    const clusterCount = this.deliveryDesign === 'direct' ? topology.edgeServerCount : topology.clusterCount;
    if (this.config.organisation !== 'reference') this.clusterEnvironment.fleet.reserve(topology.edgeServerCount, clusterCount, this.config.fileCount);
    if (this.deliveryDesign === 'direct') {
      for (let k = 0; k < topology.edgeServerCount; k++) this.addCluster(directClusterSpec(specs, k, receiverDrawSeed));
      return;
    }
    for (let c = 0; c < topology.clusterCount; c++) this.addCluster(cachedClusterSpec(specs, c, receiverDrawSeed));
  }

  private addCluster(spec: ClusterSpec): void {
    const cluster = this.config.organisation === 'reference'
      ? new ReferenceCluster(spec, this.clusterEnvironment)
      : new ClusterEngine(spec, this.clusterEnvironment);
    this.clusters.push(cluster);
    cluster.start(0);
  }


  /**
   * Where the run ends: clusters never step past it, and nothing arriving after it is answered early. A caller
   * that steps the kernel itself (the CLI, in bounded steps) sets it first.
   */
  setRunEnd(runEndUs: number): void {
    this.runEndUs = runEndUs;
  }

  /** Runs the simulation until untilUs, the end of the whole run. */
  run(untilUs: number): void {
    this.setRunEnd(untilUs);
    this.sim.run({ untilUs });
  }

  // ---- kernel events ----------------------------------------------------------------------------------

  onEvent(nowUs: number, kind: number, arg: unknown): void {
    switch (kind) {
      case KIND_DELIVER: {
        const delivery = arg as Delivery;
        this.answerArrived(delivery);
        this.deliver(nowUs, delivery.from, delivery.to, delivery.message as AnyMessage);
        delivery.message = null;
        this.deliveryPool.push(delivery);
        return;
      }
      case KIND_TIMER: {
        const firing = arg as TimerFiring;
        this.timerTokens.delete(`${firing.address}/${firing.timer}`);
        if (!this.faults.isUp(firing.address)) return;
        this.feed(firing.address, { type: 'timer', timer: firing.timer });
        return;
      }
      case KIND_SUBMIT:
        this.submit(nowUs, arg as number);
        return;
    }
  }

  /**
   * A bulk transfer's last byte left its sender and will arrive at arrivalUs: a cluster engine may take the
   * answer into its own timeline (ClusterPort.answerKnown) when nothing can change the path before then.
   */
  arrivalKnown(nowUs: number, arrivalUs: number, kind: number, arg: unknown): boolean {
    if (kind !== KIND_DELIVER) return false;
    const delivery = arg as Delivery;
    const cluster = this.clusterOfCache(delivery.to);
    if (cluster === undefined || !this.faults.isUp(delivery.to)) return false;
    if (arrivalUs > this.runEndUs || arrivalUs >= this.faults.nextTransitionInClusterUs(nowUs, cluster.clusterIndex)) return false;
    if (!cluster.answerKnown(nowUs, arrivalUs, delivery.message as DeliveryMessage)) return false;
    this.answerArrived(delivery);
    delivery.message = null;
    this.deliveryPool.push(delivery);
    return true;
  }

  private submit(nowUs: number, index: number): void {
    const item = this.workload[index] as WorkloadItem;
    const publisher = item.publisher % this.publishers.length;
    this.submissions.submitted(index, publisher, nowUs);
    this.feedPublisher(this.topology.publisherAddress(publisher), {
      type: 'command', command: { type: 'submit', fileId: item.fileId, fileName: item.fileName, sizeBytes: item.sizeBytes },
    });
  }

  private deliver(nowUs: number, from: Address, to: Address, message: AnyMessage): void {
    if (!this.faults.isUp(to)) return;
    if (message.type === 'indexGet' && to < this.topology.storagePointCount) this.spIndexRequests++;
    const cluster = this.clusterOfCache(to);
    if (cluster !== undefined) {
      cluster.deliverToCache(nowUs, from, message as DeliveryMessage);
      return;
    }
    this.feed(to, { type: 'receive', from, message });
  }

  /** Delivery records are reused (one per message in flight; most messages are delivered within a second). */
  private readonly deliveryPool: Delivery[] = [];

  private delivery(from: Address, to: Address, message: AnyMessage): Delivery {
    const record = this.deliveryPool.pop();
    if (record === undefined) return { from, to, message };
    record.from = from;
    record.to = to;
    record.message = message;
    return record;
  }

  // ---- machines other than clusters: SPs, publishers, parent caches ---------------------------------------

  private feedStoragePoint(address: Address, input: MachineInput<FrontEndWireMessage, StoragePointCommand>): void {
    const nowUs = this.sim.nowUs;
    const outputs = (this.storagePoints[address] as FrontEndNode).handle(nowUs, input);
    this.apply(address, outputs, (observation) => this.spObserved(nowUs, address, observation));
  }

  private feedPublisher(address: Address, input: MachineInput<FrontendMessage, PublisherCommand>): void {
    const nowUs = this.sim.nowUs;
    const outputs = (this.publishers[address - this.topology.publisherBase] as Publisher).handle(nowUs, input);
    this.apply(address, outputs, (observation) => this.publisherObserved(nowUs, address, observation));
  }

  private feedParent(address: Address, input: MachineInput<DeliveryMessage, HttpCacheCommand>): void {
    const nowUs = this.sim.nowUs;
    const p = address - this.topology.parentSiteBase;
    this.apply(address, this.parents.handle(p, nowUs, input), (observation) => this.parents.observed(p, nowUs, observation));
  }

  /**
   * A message or a timer for the machine at `address`, by the kind of node it is: a message is typed by what the wire
   * carries to that kind (the SPs' protocol and the caches' requests to an SP, the SPs' answers to a publisher,
   * delivery messages to a parent cache).
   */
  private feed(address: Address, input: MachineInput<AnyMessage, never>): void {
    switch (this.topology.kindOf(address)) {
      case NodeKind.StoragePoint:
        this.feedStoragePoint(address, input as MachineInput<FrontEndWireMessage, never>);
        return;
      case NodeKind.Publisher:
        this.feedPublisher(address, input as MachineInput<FrontendMessage, never>);
        return;
      case NodeKind.ParentSite:
        this.feedParent(address, input as MachineInput<DeliveryMessage, never>);
        return;
      default:
        throw new Error(`no machine at ${this.topology.describe(address)}`);
    }
  }

  private apply<Message extends AnyMessage, Observation>(address: Address, outputs: readonly MachineOutput<Message, Observation>[], observe: (observation: Observation) => void): void {
    const nowUs = this.sim.nowUs;
    for (let k = 0; k < outputs.length; k++) {
      const output = outputs[k] as MachineOutput<Message, Observation>;
      switch (output.type) {
        case 'send':
          this.send(nowUs, address, output.to, output.message, output.sizeBytes);
          break;
        case 'setTimer':
          this.setTimer(address, output.timer, output.atUs);
          break;
        case 'clearTimer':
          this.clearTimer(address, output.timer);
          break;
        case 'observe':
          observe(output.observation);
          break;
      }
    }
  }

  /**
   * Sends a message through the network model; a lost one simply never arrives. nowUs is the send time: the
   * kernel's clock, or for a cluster stepping ahead a later time before anything that concerns it can change
   * (ClusterEnvironment.runAheadLimitUs), and so for its parent's large answer settled at the request's send. With settle, an answer already determined at the send (a DNS failure,
   * or a parent's settled small answer) is returned instead of scheduled, for the cluster's own timeline.
   */
  private send(nowUs: number, from: Address, to: Address, message: AnyMessage, sizeBytes: number, settle = false): SettledAnswer | null {
    if ((message.type === 'indexGet' || message.type === 'fileGet') && !this.faults.canResolveName(from, to, nowUs)) {
      // DNS failure or a renumbering's window (seed 000's BIND story): the name of the cache or SP does not resolve,
      // or resolves to an old address that no longer answers; the request fails at once.
      this.unresolvedRequests++;
      const failed: DeliveryMessage = { type: 'requestFailed', requestId: message.requestId, fileId: message.type === 'fileGet' ? message.fileId : -1, versionKey: message.type === 'fileGet' ? message.versionKey : -1 };
      if (settle) return { arrivalUs: nowUs, message: failed };
      this.sim.scheduleAt(nowUs, this, KIND_DELIVER, this.delivery(to, from, failed));
      return null;
    }
    if (this.topology.kindOf(from) === NodeKind.StoragePoint) this.countSpLoad(nowUs, from, message, sizeBytes);
    const drawKey = this.drawKeyOf(from, to, message);
    if (sizeBytes >= BULK_TRANSFER_MIN_BYTES) {
      // A transfer that is dropped never hands its record back: it is left to the garbage collector.
      if (message.type === 'fileResponse') this.sendFileTransfer(nowUs, from, to, message, sizeBytes, drawKey);
      else this.network.startTransfer(nowUs, from, to, sizeBytes, this, KIND_DELIVER, this.delivery(from, to, message), drawKey, 0);
      return null;
    }
    const delayUs = this.network.messageDelayUs(nowUs, from, to, sizeBytes, drawKey);
    if (delayUs < 0) return null;
    return this.arrive(nowUs + delayUs, from, to, message, settle);
  }

  /**
   * A small message that arrives at arrivalUs: a cluster's request its parent answers whatever happens before then
   * (ParentSites.answerEarly) is answered at the send, anything else travels as an event.
   */
  private arrive(arrivalUs: number, from: Address, to: Address, message: AnyMessage, settle: boolean): SettledAnswer | null {
    if (this.topology.kindOf(to) === NodeKind.ParentSite && (message.type === 'indexGet' || message.type === 'fileGet') &&
      this.parents.answerEarly(arrivalUs, from, to, message)) {
      // A large answer leaves as it would from the request's own event, sent at the request's arrival: its draws are
      // keyed by the request, and nothing that concerns the path changes before then.
      const transfer = this.parents.earlyTransfer;
      // Drawn by the request id, as drawKeyOf keys every message of a cluster's exchange.
      if (transfer !== null) this.sendFileTransfer(arrivalUs, to, from, transfer, this.parents.earlyTransferSizeBytes, transfer.requestId);
      return this.takeEarlyAnswers(to, from, settle);
    }
    this.sim.scheduleAt(arrivalUs, this, KIND_DELIVER, this.delivery(from, to, message));
    return null;
  }

  /**
   * A large file answer, as a bulk transfer (send()). Kept apart from send(), whose checks of which message it sends
   * meet every kind of message and so compile to generic property look-ups: the answers a parent settles at their
   * request's send (arrive) come here straight.
   */
  private sendFileTransfer(nowUs: number, from: Address, to: Address, message: FileResponseMessage, sizeBytes: number, drawKey: number): void {
    // The requester gave up and closed the connection before the answer left: the write fails, nothing is sent.
    if (this.fileAnswers.takeAbandoned(to, from, message.requestId)) return;
    const gate = message.streamed === true ? this.parents.forwardGate(from, message.versionKey) : 0;
    const transfer = this.network.startTransfer(nowUs, from, to, sizeBytes, this, KIND_DELIVER, this.delivery(from, to, message), drawKey, gate);
    if (transfer < 0) this.noticeStall(nowUs, from, to, message);
    else this.fileAnswers.sent(to, from, message.requestId, transfer);
  }

  /**
   * send() with settle for what the cluster engine sends with it: its cache's request to an upstream (its parent site,
   * or an SP after fail-over), about 680,000 an hour in the paper replay. Such a message is a request (a small message),
   * goes out from a cluster, never from an SP, and draws by its request id (drawKeyOf): what send() asks to tell
   * messages apart is not asked again. The answer returned is a record reused by the next call.
   */
  private sendClusterRequest(nowUs: number, from: Address, to: Address, message: DeliveryMessage, sizeBytes: number): SettledAnswer | null {
    if ((message.type !== 'indexGet' && message.type !== 'fileGet') || sizeBytes >= BULK_TRANSFER_MIN_BYTES || this.clusterOfCache(from) === undefined) {
      throw new Error(`a cluster's settled send is a small request from its cache, not a ${message.type} of ${sizeBytes} bytes from ${from}`);
    }
    if (!this.faults.canResolveName(from, to, nowUs)) return this.send(nowUs, from, to, message, sizeBytes, true);
    const delayUs = this.network.messageDelayUs(nowUs, from, to, sizeBytes, message.requestId);
    if (delayUs < 0) return null;
    return this.arrive(nowUs + delayUs, from, to, message, true);
  }

  /**
   * The draws of an exchange between a cluster cache and its upstreams are keyed by the cache's request id (unique
   * per request and link: a request is sent at most once to each upstream), so they do not depend on when the
   * exchange is simulated: a cluster stepping ahead draws what the one-event-per-poll reference draws, whether
   * or not an answer is settled early. Other traffic draws from its link's stream. -1 for those.
   */
  private drawKeyOf(from: Address, to: Address, message: AnyMessage): number {
    if (message.type === 'notify') return NOTIFY_DRAW_KEY_BASE + message.seq;
    const touchesCluster = this.clusterOfCache(from) !== undefined || this.clusterOfCache(to) !== undefined;
    return touchesCluster && 'requestId' in message ? message.requestId : -1;
  }

  /**
   * A parent's answers settled at the request's send (ParentSites.answerEarly): one event each (its arrival) instead of
   * two, or with settle, none: the answer goes back to the cluster, which keeps it in its own timeline.
   */
  private takeEarlyAnswers(parent: Address, cluster: Address, settle: boolean): SettledAnswer | null {
    const parents = this.parents;
    let settled: SettledAnswer | null = null;
    for (let k = 0; k < parents.earlyCount; k++) {
      const arrivalUs = parents.earlyArrivalUs[k] as number;
      const message = parents.earlyMessage[k] as DeliveryMessage;
      if (settle) {
        this.settled.arrivalUs = arrivalUs;
        this.settled.message = message;
        settled = this.settled;
      } else {
        this.sim.scheduleAt(arrivalUs, this, KIND_DELIVER, this.delivery(parent, cluster, message));
      }
    }
    return settled;
  }

  /** The settled answer handed to a cluster (takeEarlyAnswers), reused: the cluster takes it before it sends again. */
  private readonly settled: { arrivalUs: number; message: DeliveryMessage } = { arrivalUs: Infinity, message: { type: 'notify', seq: -1 } };

  /**
   * A download whose body cannot get through (an MTU black hole passes the small header packets but not the
   * full-sized ones; a partition passes nothing) makes no progress, and the requester abandons it after an idle
   * timeout instead of waiting the whole allowance a slow but progressing transfer gets. This stands for the
   * requester's own read timeout: it is delivered to it directly, not over the network.
   */
  private noticeStall(nowUs: number, from: Address, to: Address, message: { requestId: number; fileId: number; versionKey: number }): void {
    const failed: DeliveryMessage = { type: 'requestFailed', requestId: message.requestId, fileId: message.fileId, versionKey: message.versionKey };
    this.sim.scheduleAt(nowUs + this.config.delivery.requestTimeoutUs, this, KIND_DELIVER, this.delivery(from, to, failed));
  }

  /**
   * A cache gave up on its file request to `upstream` (a time-out) and closed the connection: an answer on its way
   * stops, and one not yet sent will not be (an upstream's write to a closed connection fails). Without this, an
   * abandoned download kept its sender's egress to its last byte, which swamped the SPs under direct delivery.
   */
  private abandon(requester: Address, upstream: Address, requestId: number, sizeBytes: number): void {
    // A small answer is one message, with no bytes on the wire to stop (and nothing to remember).
    if (!isBulkFileAnswer(sizeBytes)) return;
    const transfer = this.fileAnswers.abandon(requester, upstream, requestId);
    if (transfer !== undefined) this.network.cancelTransfer(transfer);
  }

  /** A bulk file answer arrived (or its arrival was taken into a cluster's timeline): no longer one to stop. */
  private answerArrived(delivery: Delivery): void {
    const message = delivery.message as AnyMessage;
    if (message.type !== 'fileResponse' || !isBulkFileAnswer(message.sizeBytes)) return;
    this.fileAnswers.arrived(delivery.to, delivery.from, message.requestId);
  }

  private countSpLoad(nowUs: number, sp: Address, message: AnyMessage, sizeBytes: number): void {
    if (message.type === 'indexResponse' || message.type === 'indexNotModified' || message.type === 'fileResponse') {
      this.spLoad.add(sp, nowUs, 1, sizeBytes);
      this.spLoadRequests++;
      this.spLoadBytes += sizeBytes;
    }
  }

  get spLoadTotals(): { readonly requests: number; readonly bytes: number } {
    return { requests: this.spLoadRequests, bytes: this.spLoadBytes };
  }

  private setTimer(address: Address, timer: string, atUs: number): void {
    const key = `${address}/${timer}`;
    const previous = this.timerTokens.get(key);
    if (previous !== undefined) this.sim.cancel(previous);
    this.timerTokens.set(key, this.sim.scheduleAt(Math.max(atUs, this.sim.nowUs), this, KIND_TIMER, { address, timer }));
  }

  private clearTimer(address: Address, timer: string): void {
    const key = `${address}/${timer}`;
    const previous = this.timerTokens.get(key);
    if (previous === undefined) return;
    this.sim.cancel(previous);
    this.timerTokens.delete(key);
  }

  // ---- observations ---------------------------------------------------------------------------------------

  /**
   * A version counts as accepted from the moment agreement takes place: the first SP that sees a majority of
   * bits records it (the slides: "once a majority of bits are set we say that agreement takes place"). That is
   * also when it may become visible and start to propagate, so propagation is measured from there. The
   * accepting SP's answer to its publisher can come later (its vector may be the one delayed), and is what
   * submissions.csv reports as the outcome.
   */
  private spObserved(nowUs: number, sp: Address, observation: StoragePointObservation): void {
    this.checker.observe(nowUs, sp, observation);
    if (observation.type === 'visible' && this.notifiers.length > 0) {
      this.apply(sp, (this.notifiers[sp] as PushNotifier).handle(nowUs, { type: 'command', command: { type: 'indexChanged' } }), () => {});
    }
    if (observation.type === 'accepting') {
      this.sizeOfVersion.set(observation.version.versionKey, observation.sizeBytes);
    } else if (observation.type === 'agreed') {
      const key = observation.version.versionKey;
      if (this.metrics.versionOf(key) !== undefined) return;
      const size = this.sizeOfVersion.get(key);
      if (size === undefined) throw new Error(`SP ${sp} agreed on version ${key} that no SP started`);
      this.metrics.recordAccepted(nowUs, key, observation.version.fileId, size);
    }
  }

  private publisherObserved(nowUs: number, address: Address, observation: PublisherObservation): void {
    const publisher = address - this.topology.publisherBase;
    switch (observation.type) {
      case 'accepted':
        this.submissions.accepted(
          publisher, observation.submissionId, this.metrics.versionOf(observation.version.versionKey)?.acceptUs ?? nowUs,
          observation.version.versionKey, observation.sp,
        );
        break;
      case 'failed':
        this.submissions.failed(publisher, observation.submissionId, nowUs);
        break;
      default:
        break;
    }
  }

  // ---- faults that machines must be told about ----------------------------------------------------------------

  private nodeChanged(address: Address, up: boolean, diskLost: boolean): void {
    const nowUs = this.sim.nowUs;
    switch (this.topology.kindOf(address)) {
      case NodeKind.StoragePoint:
        this.feedStoragePoint(address, { type: 'command', command: up ? { type: 'restart', diskLost } : { type: 'crash' } });
        break;
      case NodeKind.EdgeServer: {
        const k = this.topology.edgeServerIndex(address);
        if (this.deliveryDesign === 'direct') {
          // The server's own HTTP client stops with it (its requests in flight are lost) and keeps its disk.
          const own = this.clusters[k] as ClusterPort;
          if (up) own.setCacheUp(nowUs, true, false);
          own.setReceiverUp(nowUs, k, up);
          if (!up) own.setCacheUp(nowUs, false, false);
          break;
        }
        (this.clusters[this.topology.clusterOfEdgeServer(k)] as ClusterPort).setReceiverUp(nowUs, k, up);
        break;
      }
      case NodeKind.ClusterCache:
        // Under direct delivery no cluster cache serves anyone: its outage changes nothing.
        this.clusterOfCache(address)?.setCacheUp(nowUs, up, diskLost);
        break;
      case NodeKind.ParentSite:
        // A cache site that goes down loses its requests in flight and, as a memory cache, its content.
        if (!up) {
          this.feedParent(address, { type: 'command', command: { type: 'wipe' } });
          this.parents.wiped(address - this.topology.parentSiteBase);
        }
        break;
      default:
        break;
    }
  }

  /** The cluster whose cache is at address: a cluster cache, or under design.delivery: direct an edge server. */
  private clusterOfCache(address: Address): ClusterPort | undefined {
    if (this.deliveryDesign === 'direct') {
      return this.topology.kindOf(address) === NodeKind.EdgeServer ? this.clusters[this.topology.edgeServerIndex(address)] : undefined;
    }
    const c = address - this.topology.clusterCacheBase;
    return c >= 0 && c < this.topology.clusterCount ? this.clusters[c] : undefined;
  }

  /**
   * Where a publisher submits: the nearest SP first (quorum: any SP accepts); the fixed fail-over order
   * (primary-backup: clients try the primary, then its successors); the one SP (single).
   */
  private submissionOrder(from: Address): Address[] {
    if (this.design === 'quorum') return this.spsByDistance(from);
    const order: Address[] = [];
    for (let i = 0; i < this.topology.storagePointCount; i++) order.push(this.topology.spAddress(i));
    return this.design === 'single' ? [this.topology.spAddress(FIRST_SP_INDEX)] : order;
  }

  /** Whether SP i is part of the front end (the single design's spares are not: nobody is sent to them). */
  spInDesign(i: number): boolean {
    return this.design !== 'single' || i === FIRST_SP_INDEX;
  }

  /** The SPs that serve readers, nearest first. */
  private spsByDistance(from: Address): Address[] {
    const sps: Address[] = [];
    for (let i = 0; i < this.topology.storagePointCount; i++) {
      if (this.spInDesign(i)) sps.push(this.topology.spAddress(i));
    }
    const rtt = (sp: Address): number => this.network.latency.baseOneWayUs(from, sp);
    return sps.sort((a, b) => rtt(a) - rtt(b) || a - b);
  }

  private sampleMask(sampleCount: number, rng: Rng): Uint8Array {
    const edgeServers = this.topology.edgeServerCount;
    const mask = new Uint8Array(edgeServers);
    const count = Math.min(sampleCount, edgeServers);
    // Partial Fisher-Yates over indexes: a uniform sample without replacement.
    const indexes = new Int32Array(edgeServers);
    for (let k = 0; k < edgeServers; k++) indexes[k] = k;
    for (let k = 0; k < count; k++) {
      const pick = k + Math.floor(rng() * (edgeServers - k));
      const chosen = indexes[pick] as number;
      indexes[pick] = indexes[k] as number;
      indexes[k] = chosen;
      mask[chosen] = 1;
    }
    return mask;
  }
}
