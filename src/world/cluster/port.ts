// The port between the World and one cluster (its HTTP cache and the Receivers of its edge servers), and
// what a cluster needs to be built. Two hosts stand behind it: the reference (pure machines, one kernel
// event per poll) and the engine (the same behaviour in typed arrays); test/world/ holds them equal.
import type { EventTarget, Simulator } from '../../kernel/simulator.js';
import type { Address } from '../../kernel/machine.js';
import type { DeliveryMessage } from '../../acms/delivery-messages.js';
import type { LogIndexes } from './log-index.js';
import type { FleetTables } from './fleet-tables.js';
import type { InstallBatch } from '../../metrics/install-batch.js';

/** Which host runs the clusters: 'engine' (fast, the default) or 'reference' (pure machines, one event per poll). */
export type ClusterOrganisation = 'engine' | 'reference';

export const CLUSTER_ORGANISATIONS: readonly ClusterOrganisation[] = ['engine', 'reference'];

/** What a cluster needs from the world around it. */
export interface ClusterEnvironment {
  readonly sim: Simulator;
  /**
   * Sends a message from the cluster cache out over the network at sendUs: the kernel's clock, or a later time
   * before runAheadLimitUs. With settle, an answer already determined now is returned (its arrival and
   * message) instead of being delivered later through deliverToCache; otherwise null. The answer may be a record the
   * environment reuses: it is read before the next call.
   */
  sendUpstream(sendUs: number, from: Address, to: Address, message: DeliveryMessage, sizeBytes: number, settle: boolean): SettledAnswer | null;
  /**
   * Whether a request sent at sendUs would get a settled answer: a hint, asked before stepping ahead through a
   * send. Either answer keeps the run exact (draws are keyed by request id); a wrong one costs kernel events.
   */
  wouldSettle(sendUs: number, from: Address, to: Address, message: DeliveryMessage): boolean;
  /**
   * Whether a request just sent, whose answer is not known, can only succeed before its deadline barring a fault
   * transition (a parent holding the file, on an open path). The cluster then keeps running what does not touch
   * that file. Only true when certain.
   */
  answerSure(sendUs: number, from: Address, to: Address, message: DeliveryMessage): boolean;
  /**
   * For a request just sent whose answer is not known: a time before which no answer to it can arrive (a lower bound:
   * the request's own trip, then the quickest answer its upstream could give, whatever that upstream then does), or
   * Infinity when the request is lost on its way. A cluster's items before every such time, and before its time-outs,
   * cannot be changed by those answers. Only a true lower bound keeps the run exact; a low one only costs events.
   */
  earliestAnswerUs(sendUs: number, from: Address, to: Address, message: DeliveryMessage): number;
  /**
   * The cluster cache gave up on its file request requestId (for a file of sizeBytes) to upstream `to` (a time-out)
   * and closed the connection: the answer's bytes, if on their way, stop (see HttpCacheObservation 'abandoned').
   */
  abandon(nowUs: number, from: Address, to: Address, requestId: number, sizeBytes: number): void;
  /** Where a Receiver's install of a version is recorded; installUs includes the LAN transfer from the cluster cache. */
  readonly installs: InstallBatch;
  /**
   * Work before this time (exclusive) may run ahead of the kernel's clock: nothing the cluster depends on
   * can change before it (the next fault transition that concerns this cluster, or just past the end of the run).
   */
  runAheadLimitUs(nowUs: number, clusterIndex: number): number;
  /** The index of every SP log the clusters' Receivers hold a position in, shared by all clusters (engine only). */
  readonly logIndexes: LogIndexes;
  /** Every engine cluster's state that fleet-wide tables hold (engine only). */
  readonly fleet: FleetTables;
}

/** The cluster cache's settings (see HttpCacheOptions, whose meaning they share). */
export interface ClusterCacheSettings {
  readonly upstreams: readonly Address[];
  readonly indexTtlUs: number;
  readonly requestTimeoutUs: number;
  readonly upstreamBackoffUs: number;
  readonly minThroughputBytesPerS: number;
  /**
   * design.delivery: push (see HttpCacheOptions.notifyChildren): a notification from upstream makes the cache
   * revalidate at once, and a change of its index makes every Receiver poll at once.
   */
  readonly notifyReceivers?: boolean;
}

/** The Receivers' settings (see ReceiverOptions); every Receiver subscribes to every file. */
export interface ClusterReceiverSettings {
  readonly fileCount: number;
  readonly pollIntervalUs: number;
  readonly pollJitter: number;
}

/** An upstream answer known at the time of the request: when it will arrive, and what it says. */
export interface SettledAnswer {
  readonly arrivalUs: number;
  readonly message: DeliveryMessage;
}

/** Everything one cluster is built from. */
export interface ClusterSpec {
  readonly clusterIndex: number;
  readonly cacheAddress: Address;
  /** Address and edge-server index of the first Receiver; the rest follow contiguously. */
  readonly firstReceiverAddress: Address;
  readonly firstEdgeServerIndex: number;
  readonly cache: ClusterCacheSettings;
  readonly receiver: ClusterReceiverSettings;
  /** How many Receivers (edge servers) the cluster has. */
  readonly receiverCount: number;
  /**
   * The seed of the Receivers' draws (start phase and poll jitter): Receiver i's k-th draw is
   * keyedUniform(receiverDrawSeed, firstEdgeServerIndex + i, k), whichever host runs it.
   */
  readonly receiverDrawSeed: number;
  /** Per Receiver: LAN round trip to the cache; and the LAN's bandwidth, for install times. */
  readonly lanRttUs: Float64Array;
  readonly lanBytesPerS: number;
  readonly targetId: number;
}

/** What the World calls on a cluster. */
export interface ClusterPort extends EventTarget {
  readonly clusterIndex: number;
  /** Starts every Receiver (first polls at random phases). */
  start(nowUs: number): void;
  /** An edge server went down or came back. */
  setReceiverUp(nowUs: number, edgeServerIndex: number, up: boolean): void;
  /** The cluster cache went down (its state and requests in flight are lost) or came back (empty if diskLost). */
  setCacheUp(nowUs: number, up: boolean, diskLost: boolean): void;
  /** A message for the cluster cache arrived over the network (an upstream answer). */
  deliverToCache(nowUs: number, from: Address, message: DeliveryMessage): void;
  /**
   * An upstream answer will arrive at arrivalUs, and nothing can change its path before then (the World checks):
   * true if the cluster takes it into its own timeline, and then it is not delivered through deliverToCache.
   */
  answerKnown(nowUs: number, arrivalUs: number, message: DeliveryMessage): boolean;
  /** Requests answered from the cluster cache, and those that needed upstream. */
  readonly cacheHits: number;
  readonly cacheMisses: number;
}

/** Install time at edge server i: the LAN round trip and the body's time on the LAN (rounded to a microsecond). */
export function lanInstallUs(nowUs: number, lanRttUs: number, sizeBytes: number, lanBytesPerS: number): number {
  return nowUs + Math.round(lanRttUs + (sizeBytes * 1e6) / lanBytesPerS);
}
