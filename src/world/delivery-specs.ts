// The caches and Receivers of the delivery tiers as the World builds them: each parent cache's options and each
// cluster's spec, with the calibrated values they use and where those come from.
import type { Address } from '../kernel/machine.js';
import type { Topology } from '../network/index.js';
import type { HttpCacheOptions } from '../acms/http-cache.js';
import type { DeliveryDesign } from '../acms/delivery-design.js';
import { HTTP_NOT_MODIFIED_BYTES } from '../acms/delivery-messages.js';
import type { ClusterSpec } from './cluster/port.js';
import type { WorldConfig } from './config.js';

/**
 * Messages of this many bytes or more are bulk transfers sharing the sender's egress; below, single messages whose
 * delay is the closed form (slow-start rounds and the path's rate, unshared). An assumption, not a calibrated value:
 * 64 KB is about 45 segments, several round trips past TCP's initial window of 10 (RFC 6928).
 */
export const BULK_TRANSFER_MIN_BYTES = 64 * 1024;

/** Whether the answer carrying a file of sizeBytes travels as a bulk transfer (with its headers). */
export function isBulkFileAnswer(sizeBytes: number): boolean {
  return sizeBytes + HTTP_NOT_MODIFIED_BYTES >= BULK_TRANSFER_MIN_BYTES;
}

/**
 * A file download counts as failed when slower than this (an assumption, like curl's --speed-limit): 100 KB/s is
 * below the loss-limited rate of a single TCP flow on a 300 ms path at 0.1% loss (~150 KB/s, Mathis), so only a
 * stalled or black-holed transfer trips it. A cluster cache allows twice as long: its parent may have to fetch first.
 */
const PARENT_MIN_THROUGHPUT_BYTES_PER_S = 100_000;
const CLUSTER_MIN_THROUGHPUT_BYTES_PER_S = 50_000;
/** LAN between an edge server and its cluster cache: 1 Gbit/s (an assumption: a rack or site switch). */
const LAN_BYTES_PER_S = 125_000_000;
/** Kernel target ids of the clusters (the World, faults and network take 1 to 3). */
const CLUSTER_TARGET_BASE = 100;

/** What the specs are made from. */
export interface DeliverySpecContext {
  readonly topology: Topology;
  readonly config: WorldConfig;
  readonly deliveryDesign: DeliveryDesign;
  /** The network's one-way delay between two nodes, without jitter. */
  baseOneWayUs(from: Address, to: Address): number;
  /** The SPs that serve readers, nearest to `from` first. */
  spsByDistance(from: Address): Address[];
}

/** Parent site j: an HttpCache whose upstreams are the SPs, nearest first, keeping every version it fetched. */
export function parentCacheOptions(context: DeliverySpecContext, j: number, clusters: readonly Address[]): HttpCacheOptions {
  const delivery = context.config.delivery;
  return {
    upstreams: context.spsByDistance(context.topology.parentSiteAddress(j)),
    indexTtlUs: delivery.parentTtlUs,
    requestTimeoutUs: delivery.requestTimeoutUs,
    upstreamBackoffUs: delivery.spBackoffUs,
    minThroughputBytesPerS: PARENT_MIN_THROUGHPUT_BYTES_PER_S,
    keepOlderVersions: true,
    ...(context.deliveryDesign === 'push' ? { notifyChildren: clusters } : {}),
    // Only answers that travel as bulk transfers are forwarded while they arrive: a smaller one is one message
    // in the network model, with no bytes on the wire to overlap.
    ...(context.config.cacheForwarding === 'cut-through' ? { cutThroughMinBytes: BULK_TRANSFER_MIN_BYTES - HTTP_NOT_MODIFIED_BYTES } : {}),
  };
}

/** ACMS's cluster: the cluster cache, whose upstream is its parent site first, and its edge servers' Receivers. */
export function cachedClusterSpec(context: DeliverySpecContext, c: number, receiverDrawSeed: number): ClusterSpec {
  const topology = context.topology;
  const delivery = context.config.delivery;
  const push = context.deliveryDesign === 'push';
  const pushPollIntervalUs = context.config.deliveryDesign?.pushPollIntervalUs ?? 0;
  const cacheAddress = topology.clusterCacheAddress(c);
  const parent = topology.parentSiteAddress(topology.parentSiteOfCluster(c));
  const firstAddress = topology.firstEdgeServerAddressOfCluster(c);
  const count = topology.edgeServerCountOfCluster(c);
  const firstIndex = topology.edgeServerIndex(firstAddress);
  const lanRttUs = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    lanRttUs[i] = context.baseOneWayUs(cacheAddress, firstAddress + i) * 2;
  }
  return {
    clusterIndex: c, cacheAddress, firstReceiverAddress: firstAddress, firstEdgeServerIndex: firstIndex,
    cache: {
      upstreams: [parent, ...context.spsByDistance(cacheAddress)],
      indexTtlUs: delivery.edgeTtlUs,
      // A cluster cache waits for its parent, which may itself time out on an SP and fail over.
      requestTimeoutUs: delivery.requestTimeoutUs * 2,
      upstreamBackoffUs: delivery.spBackoffUs,
      minThroughputBytesPerS: CLUSTER_MIN_THROUGHPUT_BYTES_PER_S,
      ...(push ? { notifyReceivers: true } : {}),
    },
    // Every receiver subscribes to every file (the paper's measurement). Under push, polling is the fall-back.
    receiver: { fileCount: context.config.fileCount, pollIntervalUs: push ? pushPollIntervalUs : delivery.pollIntervalUs, pollJitter: delivery.pollJitter },
    receiverCount: count, receiverDrawSeed, lanRttUs, lanBytesPerS: LAN_BYTES_PER_S, targetId: CLUSTER_TARGET_BASE + c,
  };
}

/**
 * design.delivery: direct. Edge server k polls the SPs itself: its own HTTP client is the "cache" of a cluster of
 * one, at the server's own address, with a TTL of 0 (every poll asks an SP, If-Modified-Since) and the SPs nearest
 * first as upstreams, as a parent site has them. What it stores is the server's own copy; handing it to the
 * Receiver on the same host costs nothing. The server keeps its topology cluster for the fault rules (its
 * cluster's fault transitions include its own outages).
 */
export function directClusterSpec(context: DeliverySpecContext, k: number, receiverDrawSeed: number): ClusterSpec {
  const topology = context.topology;
  const delivery = context.config.delivery;
  const address = topology.edgeServerAddress(k);
  return {
    clusterIndex: topology.clusterOfEdgeServer(k), cacheAddress: address, firstReceiverAddress: address, firstEdgeServerIndex: k,
    cache: {
      upstreams: context.spsByDistance(address),
      indexTtlUs: 0,
      requestTimeoutUs: delivery.requestTimeoutUs,
      upstreamBackoffUs: delivery.spBackoffUs,
      minThroughputBytesPerS: PARENT_MIN_THROUGHPUT_BYTES_PER_S,
    },
    receiver: { fileCount: context.config.fileCount, pollIntervalUs: delivery.pollIntervalUs, pollJitter: delivery.pollJitter },
    receiverCount: 1, receiverDrawSeed, lanRttUs: new Float64Array(1), lanBytesPerS: Infinity, targetId: CLUSTER_TARGET_BASE + k,
  };
}
