// One-way delay between two nodes, computed per message from per-node coordinates (no N x N
// matrices): propagation over an inflated great-circle path, access delay by tier, and seeded jitter.
import type { Rng } from '../kernel/random.js';
import type { LinkStreams } from './link-streams.js';
import { distanceKmFromUnit } from './geo.js';
import type { Topology } from './topology.js';

export interface LatencyParams {
  /**
   * Signal speed in fibre, km/s: about two thirds of c (refractive index ~1.47), i.e. ~200 km per ms.
   */
  fibreSpeedKmPerS: number;
  /**
   * Real routes are longer than the great circle. Singla et al. (HotNets 2014, "The Internet at the
   * speed of light") measured median minimum RTTs about 3.2x the c-latency, i.e. about 2x the
   * fibre-speed great-circle figure; Subramanian et al. (2002) report similar inflation. Default 2.0.
   */
  routeInflation: number;
  /** Edge server to its own cluster cache (same machine room, switched LAN). Assumption: 0.2 ms. */
  lanDelayUs: number;
  /**
   * Access delay of each endpoint, by node kind (index = NodeKind): the hops from the host to its ISP's
   * backbone. Assumptions: Storage Point and parent site in well-connected data centres 0.5 ms;
   * publisher behind a customer's corporate network 2 ms; cluster cache and edge server inside an
   * ISP's metro/aggregation network 1 ms.
   */
  accessDelayUsByKind: readonly number[];
  /** Added when the endpoints are in different ISPs: a peering or transit hand-off. Assumption: 1 ms. */
  interIspDelayUs: number;
  /** Jitter is uniform on [0, jitterFixedUs + jitterFraction * base delay). Assumption: 0.2 ms + 5%. */
  jitterFixedUs: number;
  jitterFraction: number;
}

export const DEFAULT_LATENCY_PARAMS: Readonly<LatencyParams> = {
  fibreSpeedKmPerS: 199_862,
  routeInflation: 2.0,
  lanDelayUs: 200,
  accessDelayUsByKind: [500, 2000, 500, 1000, 1000],
  interIspDelayUs: 1000,
  jitterFixedUs: 200,
  jitterFraction: 0.05,
};

export class LatencyModel {
  readonly params: Readonly<LatencyParams>;
  private readonly usPerKm: number;
  private readonly accessUs: Float64Array;

  constructor(
    private readonly topology: Topology,
    /** Per-link streams: a message's jitter is drawn from its own link's stream. */
    private readonly links: LinkStreams,
    overrides: Partial<LatencyParams> = {},
  ) {
    this.params = { ...DEFAULT_LATENCY_PARAMS, ...overrides };
    this.usPerKm = (1e6 / this.params.fibreSpeedKmPerS) * this.params.routeInflation;
    this.accessUs = Float64Array.from(this.params.accessDelayUsByKind);
  }

  /** True when both nodes are in the same cluster (an edge server and its cluster cache, or two servers). */
  sameCluster(from: number, to: number): boolean {
    const cluster = this.topology.nodeCluster[from] as number;
    return cluster >= 0 && cluster === this.topology.nodeCluster[to];
  }

  /** Deterministic one-way delay without jitter, in (fractional) microseconds. Hot path: no allocation. */
  baseOneWayUs(from: number, to: number): number {
    const t = this.topology;
    if (from === to) return 0;
    if (this.sameCluster(from, to)) return this.params.lanDelayUs;
    const distanceKm = distanceKmFromUnit(
      t.nodeUnitX[from] as number,
      t.nodeUnitY[from] as number,
      t.nodeUnitZ[from] as number,
      t.nodeUnitX[to] as number,
      t.nodeUnitY[to] as number,
      t.nodeUnitZ[to] as number,
    );
    let delayUs = distanceKm * this.usPerKm;
    delayUs += (this.accessUs[t.nodeKind[from] as number] as number) + (this.accessUs[t.nodeKind[to] as number] as number);
    if (t.nodeIsp[from] !== t.nodeIsp[to]) delayUs += this.params.interIspDelayUs;
    return delayUs;
  }

  /** Round-trip time without jitter, integer microseconds (the base delay is symmetric). */
  rttUs(from: number, to: number): number {
    return Math.round(2 * this.baseOneWayUs(from, to));
  }

  /** One-way delay with jitter, integer microseconds. Draws once from the link's stream. */
  oneWayUs(from: number, to: number): number {
    return this.withJitterUs(this.baseOneWayUs(from, to), this.links.of(from, to));
  }

  /**
   * A base delay plus a jitter draw from rng (the link's stream), rounded: lets a caller that already has
   * the base and the stream skip finding them again.
   */
  withJitterUs(baseUs: number, rng: Rng): number {
    return jitteredUs(baseUs, this.jitterSpanUs(baseUs), rng);
  }

  /** The most jitter a delay of baseUs gets (jitteredUs's spanUs), for a caller that keeps it per path. */
  jitterSpanUs(baseUs: number): number {
    return this.params.jitterFixedUs + this.params.jitterFraction * baseUs;
  }
}

/** A base delay plus a jitter draw from rng of at most spanUs, rounded to a microsecond. */
export function jitteredUs(baseUs: number, spanUs: number, rng: Rng): number {
  return jitteredByUs(baseUs, spanUs, rng());
}

/** jitteredUs for a draw already taken (uniform in [0, 1)). */
export function jitteredByUs(baseUs: number, spanUs: number, draw: number): number {
  return Math.round(baseUs + draw * spanUs);
}
