// The generated platform: countries, ISPs, clusters of edge servers, parent cache sites, Storage
// Points and publishers, each node with one flat integer address. Typed arrays, no per-server objects.
import { CONTINENTS, continentIndex, type Country } from './countries.js';

/** What a node is. Addresses are laid out in this order: SPs, publishers, parent sites, cluster caches, edge servers. */
export const NodeKind = {
  StoragePoint: 0,
  Publisher: 1,
  ParentSite: 2,
  ClusterCache: 3,
  EdgeServer: 4,
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];
export const NODE_KIND_NAMES = ['sp', 'publisher', 'parent-site', 'cluster-cache', 'edge-server'] as const;

export interface TopologyParams {
  /** Number of countries, the heaviest first. Paper: 60. */
  countries: number;
  /** Paper: 1,200 ISPs. */
  isps: number;
  /** Paper: 15,000 edge servers. */
  edgeServers: number;
  /** Paper's figures show 5 Storage Points (a quorum of 3). */
  storagePoints: number;
  /** Assumption: a handful of publishing sites submit configuration. */
  publishers: number;
  /**
   * Parent cache sites: this many per continent on average, i.e. 18 for 6 continents. Assumption: the
   * paper describes tiered distribution but gives no count. They are provisioned by demand: shared out
   * between continents and countries by their cluster counts, each serving an equal share of its
   * continent's clusters (see placeParentSites in topology-builder.ts).
   */
  parentSitesPerContinent: number;
  /**
   * Cluster size is lognormal with this median and sigma, rounded and clamped to [min, max].
   * Assumption chosen to fit the "typically 2 to 50 servers": median 6, sigma 0.9 gives a mean
   * of about 9 servers, so 15,000 servers make about 1,650 clusters (about 1.4 per ISP).
   */
  clusterSizeMedian: number;
  clusterSizeSigma: number;
  clusterSizeMin: number;
  clusterSizeMax: number;
  /**
   * ISP market shares within a country are Pareto with this shape. Assumption: ISP sizes are heavy
   * tailed (a few incumbents, many small ISPs); 1.2 gives the incumbent roughly a third to half of a country.
   */
  ispSharePareto: number;
  /** An ISP's clusters sit within this fraction of its country's spread radius of the ISP's home (assumption: regional ISPs). */
  ispSpreadFraction: number;
}

export const DEFAULT_TOPOLOGY_PARAMS: Readonly<TopologyParams> = {
  countries: 60,
  isps: 1200,
  edgeServers: 15000,
  storagePoints: 5,
  publishers: 8,
  parentSitesPerContinent: 3,
  clusterSizeMedian: 6,
  clusterSizeSigma: 0.9,
  clusterSizeMin: 2,
  clusterSizeMax: 50,
  ispSharePareto: 1.2,
  ispSpreadFraction: 0.25,
};

export class Topology {
  readonly params: Readonly<TopologyParams>;
  /** Countries in index order (heaviest first). */
  readonly countries: readonly Country[];
  readonly countryCount: number;
  readonly ispCount: number;
  readonly clusterCount: number;
  readonly edgeServerCount: number;
  readonly storagePointCount: number;
  readonly publisherCount: number;
  readonly parentSiteCount: number;
  readonly nodeCount: number;

  // First address of each block.
  readonly publisherBase: number;
  readonly parentSiteBase: number;
  readonly clusterCacheBase: number;
  readonly edgeServerBase: number;

  // Per node (indexed by address).
  readonly nodeKind: Uint8Array;
  readonly nodeIsp: Int32Array;
  readonly nodeCountry: Uint8Array;
  readonly nodeContinent: Uint8Array;
  /** Cluster index for cluster caches and edge servers, -1 otherwise. */
  readonly nodeCluster: Int32Array;
  readonly nodeLatDeg: Float64Array;
  readonly nodeLonDeg: Float64Array;
  /** Unit vectors, precomputed so a latency query needs no trigonometry of the coordinates. */
  readonly nodeUnitX: Float64Array;
  readonly nodeUnitY: Float64Array;
  readonly nodeUnitZ: Float64Array;

  // Per ISP. ISPs of a country are contiguous, biggest share first.
  readonly ispCountry: Uint8Array;
  readonly ispWeight: Float64Array;
  readonly ispLatDeg: Float64Array;
  readonly ispLonDeg: Float64Array;
  /** First ISP index of each country, and how many it has. */
  readonly countryFirstIsp: Int32Array;
  readonly countryIspCount: Int32Array;

  // Per cluster. Clusters of an ISP are contiguous; edge servers of a cluster are contiguous.
  readonly clusterIsp: Int32Array;
  /** Index k (not address) of the cluster's first edge server. */
  readonly clusterFirstEdgeServer: Int32Array;
  readonly clusterEdgeServerCount: Int32Array;
  readonly clusterParentSite: Int32Array;

  // Per parent site.
  readonly parentSiteContinent: Uint8Array;

  private readonly countryIndexByCode: Map<string, number>;

  constructor(init: TopologyInit) {
    this.params = init.params;
    this.countries = init.countries;
    this.countryCount = init.countries.length;
    this.ispCount = init.ispCountry.length;
    this.clusterCount = init.clusterIsp.length;
    this.edgeServerCount = init.params.edgeServers;
    this.storagePointCount = init.params.storagePoints;
    this.publisherCount = init.params.publishers;
    this.parentSiteCount = init.parentSiteContinent.length;
    this.publisherBase = this.storagePointCount;
    this.parentSiteBase = this.publisherBase + this.publisherCount;
    this.clusterCacheBase = this.parentSiteBase + this.parentSiteCount;
    this.edgeServerBase = this.clusterCacheBase + this.clusterCount;
    this.nodeCount = this.edgeServerBase + this.edgeServerCount;
    this.ispCountry = init.ispCountry;
    this.ispWeight = init.ispWeight;
    this.ispLatDeg = init.ispLatDeg;
    this.ispLonDeg = init.ispLonDeg;
    this.countryFirstIsp = init.countryFirstIsp;
    this.countryIspCount = init.countryIspCount;
    this.clusterIsp = init.clusterIsp;
    this.clusterFirstEdgeServer = init.clusterFirstEdgeServer;
    this.clusterEdgeServerCount = init.clusterEdgeServerCount;
    this.clusterParentSite = init.clusterParentSite;
    this.parentSiteContinent = init.parentSiteContinent;
    const n = this.nodeCount;
    this.nodeKind = new Uint8Array(n);
    this.nodeIsp = new Int32Array(n);
    this.nodeCountry = new Uint8Array(n);
    this.nodeContinent = new Uint8Array(n);
    this.nodeCluster = new Int32Array(n).fill(-1);
    this.nodeLatDeg = new Float64Array(n);
    this.nodeLonDeg = new Float64Array(n);
    this.nodeUnitX = new Float64Array(n);
    this.nodeUnitY = new Float64Array(n);
    this.nodeUnitZ = new Float64Array(n);
    this.countryIndexByCode = new Map();
    for (let i = 0; i < this.countries.length; i++) {
      this.countryIndexByCode.set((this.countries[i] as Country).code, i);
    }
  }

  spAddress(i: number): number {
    checkIndex('storage point', i, this.storagePointCount);
    return i;
  }

  publisherAddress(i: number): number {
    checkIndex('publisher', i, this.publisherCount);
    return this.publisherBase + i;
  }

  parentSiteAddress(j: number): number {
    checkIndex('parent site', j, this.parentSiteCount);
    return this.parentSiteBase + j;
  }

  clusterCacheAddress(c: number): number {
    checkIndex('cluster', c, this.clusterCount);
    return this.clusterCacheBase + c;
  }

  edgeServerAddress(k: number): number {
    checkIndex('edge server', k, this.edgeServerCount);
    return this.edgeServerBase + k;
  }

  /** Edge server index k of an address (address - edgeServerBase), or -1 when it is not an edge server. */
  edgeServerIndex(address: number): number {
    return address >= this.edgeServerBase && address < this.nodeCount ? address - this.edgeServerBase : -1;
  }

  /** Cluster of edge server k (an index, not an address). */
  clusterOfEdgeServer(k: number): number {
    checkIndex('edge server', k, this.edgeServerCount);
    return this.nodeCluster[this.edgeServerBase + k] as number;
  }

  /** Address of the first edge server of cluster c; its servers are the next clusterEdgeServerCount[c] addresses. */
  firstEdgeServerAddressOfCluster(c: number): number {
    checkIndex('cluster', c, this.clusterCount);
    return this.edgeServerBase + (this.clusterFirstEdgeServer[c] as number);
  }

  edgeServerCountOfCluster(c: number): number {
    checkIndex('cluster', c, this.clusterCount);
    return this.clusterEdgeServerCount[c] as number;
  }

  /** Parent site index (not address) designated for cluster c: the nearest one on its continent (-1 if it has none). */
  parentSiteOfCluster(c: number): number {
    checkIndex('cluster', c, this.clusterCount);
    return this.clusterParentSite[c] as number;
  }

  kindOf(address: number): NodeKind {
    checkIndex('address', address, this.nodeCount);
    return this.nodeKind[address] as NodeKind;
  }

  /** Country index of an ISO code, or -1 when the code is not in this topology. */
  countryIndex(code: string): number {
    return this.countryIndexByCode.get(code.toUpperCase()) ?? -1;
  }

  countryCode(index: number): string {
    checkIndex('country', index, this.countryCount);
    return (this.countries[index] as Country).code;
  }

  /** Continent index of a code ('AF', 'AS', 'EU', 'NA', 'SA', 'OC'), or -1. */
  continentIndex(code: string): number {
    return continentIndex(code.toUpperCase());
  }

  continentCode(index: number): string {
    checkIndex('continent', index, CONTINENTS.length);
    return CONTINENTS[index] as string;
  }

  /** A short human label for an address, e.g. "sp/2", "edge-server/1234". */
  describe(address: number): string {
    const kind = this.kindOf(address);
    const bases = [0, this.publisherBase, this.parentSiteBase, this.clusterCacheBase, this.edgeServerBase];
    return `${NODE_KIND_NAMES[kind]}/${address - (bases[kind] as number)}`;
  }
}

function checkIndex(what: string, i: number, count: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= count) {
    throw new RangeError(`${what} index ${i} is out of range [0, ${count})`);
  }
}

/** The arrays a builder hands to the Topology constructor. */
export interface TopologyInit {
  params: Readonly<TopologyParams>;
  countries: Country[];
  ispCountry: Uint8Array;
  ispWeight: Float64Array;
  ispLatDeg: Float64Array;
  ispLonDeg: Float64Array;
  countryFirstIsp: Int32Array;
  countryIspCount: Int32Array;
  clusterIsp: Int32Array;
  clusterFirstEdgeServer: Int32Array;
  clusterEdgeServerCount: Int32Array;
  clusterParentSite: Int32Array;
  parentSiteContinent: Uint8Array;
}

