// The TCP arithmetic shared by messages and bulk transfers: path capacity (access links and the
// Mathis loss limit), slow-start rounds up to the bandwidth-delay product, and retransmission delays.
import type { Rng } from '../kernel/random.js';
import { NodeKind } from './topology.js';

export interface TransferParams {
  /**
   * Egress (upload) capacity by node kind (index = NodeKind), bytes/s; concurrent transfers from one
   * node share it. Assumptions for 2005-era hosting: Storage Point 100 Mbit/s (12.5 MB/s); publisher
   * 10 Mbit/s (a customer office uplink); parent site 1 Gbit/s (a site of several machines at an
   * exchange); cluster cache and edge server 100 Mbit/s (Fast Ethernet NICs). The Storage Point's entry is
   * spEgressBytesPerS (transferParamsWith puts it there).
   */
  egressBytesPerSByKind: readonly number[];
  /**
   * A Storage Point's egress, bytes/s: 100 Mbit/s by default (the assumption above). A scenario may set it
   * (network.spEgressBytesPerS): the SPs' egress is what every parent site's fetches share, so a fleet with more
   * parent sites than the paper's 18 needs more of it to stay in the same regime (bench/replay.ts scales it so).
   */
  spEgressBytesPerS: number;
  /** Ingress (download) capacity by node kind, bytes/s: a cap on each path, not shared. Same assumptions as egress. */
  ingressBytesPerSByKind: readonly number[];
  /** TCP maximum segment size: 1460 B, a 1500 B Ethernet MTU less 40 B of IP and TCP headers. */
  segmentBytes: number;
  /** Initial congestion window in segments: 10 (RFC 6928). Use 3 for RFC 3390, closer to 2005. */
  initialWindowSegments: number;
  /**
   * Round trips before the first data byte of a bulk transfer leaves: 1.5 = the TCP three-way handshake
   * (1 RTT) plus the HTTP request's one-way trip. Assumption: one fresh connection per transfer.
   */
  transferSetupRoundTrips: number;
  /** Round trips before a protocol message leaves. 0: protocol messages use connections already open (assumption). */
  messageSetupRoundTrips: number;
  /**
   * Baseline packet loss on every path that leaves a cluster (LAN paths lose nothing). Assumption of
   * 0.1%, the order of magnitude reported by wide-area monitoring (e.g. PingER) for well-connected
   * regions in the mid-2000s. Fault 'loss' adds to it.
   */
  pathLossProbability: number;
  /**
   * Minimum retransmission timeout. RFC 6298 says 1 s; Linux uses 200 ms (TCP_RTO_MIN). Default 200 ms;
   * the timeout used is minRtoUs + RTT (Linux's SRTT + 4 RTTVAR with a stable RTT is near RTT + floor),
   * doubling on each further loss of the same packet (RFC 6298 back-off).
   */
  minRtoUs: number;
  /** Retransmissions counted at most per packet; after that the packet is taken as delivered (bounds the delay). */
  maxRetransmissions: number;
}

/** A Storage Point's egress and ingress by default: 100 Mbit/s (see egressBytesPerSByKind). */
const SP_LINK_BYTES_PER_S = 12.5e6;

export const DEFAULT_TRANSFER_PARAMS: Readonly<TransferParams> = {
  egressBytesPerSByKind: [SP_LINK_BYTES_PER_S, 1.25e6, 125e6, 12.5e6, 12.5e6],
  spEgressBytesPerS: SP_LINK_BYTES_PER_S,
  ingressBytesPerSByKind: [SP_LINK_BYTES_PER_S, 1.25e6, 125e6, 12.5e6, 12.5e6],
  segmentBytes: 1460,
  initialWindowSegments: 10,
  transferSetupRoundTrips: 1.5,
  messageSetupRoundTrips: 0,
  pathLossProbability: 0.001,
  minRtoUs: 200_000,
  maxRetransmissions: 6,
};

/** The defaults with overrides applied, the Storage Points' egress (spEgressBytesPerS) in its place in the table. */
export function transferParamsWith(overrides: Partial<TransferParams> = {}): TransferParams {
  const params = { ...DEFAULT_TRANSFER_PARAMS, ...overrides };
  const egress = [...params.egressBytesPerSByKind];
  egress[NodeKind.StoragePoint] = params.spEgressBytesPerS;
  return { ...params, egressBytesPerSByKind: egress };
}

// Mathis, Semke, Mahdavi, Ott (1997): steady-state TCP throughput <= MSS / RTT * sqrt(3/2) / sqrt(p).
const MATHIS_CONSTANT = Math.sqrt(1.5);

/**
 * Throughput limit of one TCP connection: the smaller of the sender's egress, the receiver's
 * ingress, and the Mathis bound when the path loses packets.
 */
export function pathCapacityBytesPerS(p: TransferParams, egressBytesPerS: number, ingressBytesPerS: number, rttUs: number, lossProbability: number): number {
  let capacity = Math.min(egressBytesPerS, ingressBytesPerS);
  if (lossProbability > 0 && rttUs > 0) {
    const mathis = (p.segmentBytes * MATHIS_CONSTANT * 1e6) / (rttUs * Math.sqrt(lossProbability));
    if (mathis < capacity) capacity = mathis;
  }
  return capacity;
}

/**
 * Slow start: the window starts at the initial window and doubles each round trip until it reaches
 * the bandwidth-delay product (then the connection runs at the path rate) or the data is all sent.
 * Returns the number of extra round trips; the bytes sent during them are `slowStartBytes` of it.
 */
export function slowStartRounds(p: TransferParams, sizeBytes: number, rateBytesPerS: number, rttUs: number): number {
  const bdpBytes = (rateBytesPerS * rttUs) / 1e6;
  let windowBytes = p.initialWindowSegments * p.segmentBytes;
  let sentBytes = 0;
  let rounds = 0;
  while (sentBytes + windowBytes < sizeBytes && windowBytes < bdpBytes) {
    sentBytes += windowBytes;
    windowBytes *= 2;
    rounds++;
  }
  return rounds;
}

/** Bytes carried by the first `rounds` slow-start rounds (initial window, then doubling). */
export function slowStartBytes(p: TransferParams, rounds: number): number {
  return p.initialWindowSegments * p.segmentBytes * (Math.pow(2, rounds) - 1);
}

/**
 * Extra delay from losing a flight of `segments` packets: each attempt is lost with probability
 * 1 - (1 - p)^segments and costs a timeout, doubling per attempt. Draws nothing when p is 0.
 */
export function retransmissionDelayUs(p: TransferParams, rng: Rng, lossProbability: number, segments: number, rttUs: number): number {
  if (lossProbability <= 0) return 0;
  return retransmissionDelayAtUs(p, rng, attemptLossProbability(lossProbability, segments), rttUs);
}

/** The probability that a flight of `segments` packets loses one, each lost with lossProbability. */
export function attemptLossProbability(lossProbability: number, segments: number): number {
  return 1 - Math.pow(1 - lossProbability, segments);
}

/** Segment counts below this have their attemptLossProbability kept (AttemptLossMemo): 64 segments is 93 KB. */
const MEMO_SEGMENTS = 64;

/**
 * attemptLossProbability by segment count, kept for the loss probability asked last (nearly every path has the
 * baseline's). A path's memo of message terms (path-terms.ts) is for one size at a time, and the answers on a path vary
 * in size (each file has its own), so a third of the messages worked the power out again. The same call, so the same bits.
 */
export class AttemptLossMemo {
  private lossProbability = Number.NaN;
  private readonly bySegments = new Float64Array(MEMO_SEGMENTS).fill(Number.NaN);

  of(lossProbability: number, segments: number): number {
    if (segments >= MEMO_SEGMENTS) return attemptLossProbability(lossProbability, segments);
    if (lossProbability !== this.lossProbability) {
      this.bySegments.fill(Number.NaN);
      this.lossProbability = lossProbability;
    }
    let attemptLoss = this.bySegments[segments] as number;
    if (Number.isNaN(attemptLoss)) {
      attemptLoss = attemptLossProbability(lossProbability, segments);
      this.bySegments[segments] = attemptLoss;
    }
    return attemptLoss;
  }
}

/** retransmissionDelayUs for a flight lost with probability attemptLoss (attemptLossProbability); the caller checked there is loss. */
export function retransmissionDelayAtUs(p: TransferParams, rng: Rng, attemptLoss: number, rttUs: number): number {
  let timeoutUs = p.minRtoUs + rttUs;
  let delayUs = 0;
  for (let attempt = 0; attempt < p.maxRetransmissions && rng() < attemptLoss; attempt++) {
    delayUs += timeoutUs;
    timeoutUs *= 2;
  }
  return delayUs;
}
