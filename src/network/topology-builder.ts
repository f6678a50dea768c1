// Generates a Topology from the seed streams and the counts: ISPs over countries, cluster sizes,
// parent sites, Storage Points and publishers. Deterministic in (seed, params).
import type { RandomStreams, Rng } from '../kernel/random.js';
import { lognormal, pareto, WeightedChoice } from '../kernel/distributions.js';
import { CONTINENTS, continentIndex, heaviestCountries, type Country } from './countries.js';
import { randomPointNear } from './geo.js';
import { DEFAULT_TOPOLOGY_PARAMS, NodeKind, Topology, type TopologyParams } from './topology.js';

/**
 * Builds a topology. Deterministic in (seed, params): each part draws from its own stream
 * ("topology/isps", "topology/clusters", ...), so changing the server count does not move the ISPs.
 */
export function buildTopology(streams: RandomStreams, overrides: Partial<TopologyParams> = {}): Topology {
  const params: TopologyParams = { ...DEFAULT_TOPOLOGY_PARAMS, ...overrides };
  validateParams(params);
  const countries = heaviestCountries(params.countries);
  const isps = buildIsps(streams.stream('topology/isps'), countries, params);
  const clusters = buildClusters(streams.stream('topology/clusters'), isps.ispWeight, params);
  const sites = placeParentSites(countries, isps, clusters.clusterIsp, params.parentSitesPerContinent);

  const clusterCount = clusters.clusterIsp.length;
  const topology = new Topology({
    params,
    countries,
    ...isps,
    clusterIsp: clusters.clusterIsp,
    clusterFirstEdgeServer: clusters.clusterFirstEdgeServer,
    clusterEdgeServerCount: clusters.clusterEdgeServerCount,
    clusterParentSite: new Int32Array(clusterCount),
    parentSiteContinent: sites.continent,
  });

  const point = new Float64Array(2);
  // Storage Points: the heaviest ISP of each chosen country.
  const spCountries = chooseSpCountries(countries, params.storagePoints);
  for (let i = 0; i < spCountries.length; i++) {
    const isp = topology.countryFirstIsp[spCountries[i] as number] as number;
    setNode(topology, i, NodeKind.StoragePoint, isp, -1, topology.ispLatDeg[isp] as number, topology.ispLonDeg[isp] as number);
  }
  // Publishers: weighted-random ISPs, somewhere in the ISP's region.
  const publisherRng = streams.stream('topology/publishers');
  const ispChoice = new WeightedChoice(Array.from(isps.ispWeight));
  for (let i = 0; i < params.publishers; i++) {
    const isp = ispChoice.draw(publisherRng);
    ispPoint(publisherRng, topology, isp, point);
    setNode(topology, topology.publisherBase + i, NodeKind.Publisher, isp, -1, point[0] as number, point[1] as number);
  }
  for (let j = 0; j < topology.parentSiteCount; j++) {
    const isp = sites.isp[j] as number;
    setNode(topology, topology.parentSiteBase + j, NodeKind.ParentSite, isp, -1, topology.ispLatDeg[isp] as number, topology.ispLonDeg[isp] as number);
  }
  // Clusters: the cache and all edge servers of a cluster share one location (one machine room).
  const clusterRng = streams.stream('topology/cluster-locations');
  for (let c = 0; c < clusterCount; c++) {
    const isp = topology.clusterIsp[c] as number;
    ispPoint(clusterRng, topology, isp, point);
    const lat = point[0] as number;
    const lon = point[1] as number;
    setNode(topology, topology.clusterCacheBase + c, NodeKind.ClusterCache, isp, c, lat, lon);
    const first = topology.edgeServerBase + (topology.clusterFirstEdgeServer[c] as number);
    const count = topology.clusterEdgeServerCount[c] as number;
    for (let a = first; a < first + count; a++) setNode(topology, a, NodeKind.EdgeServer, isp, c, lat, lon);
  }
  assignParentSites(topology);
  return topology;
}

function validateParams(p: TopologyParams): void {
  const positiveIntegers: (keyof TopologyParams)[] = ['countries', 'isps', 'edgeServers', 'storagePoints', 'clusterSizeMin', 'clusterSizeMax'];
  for (const key of positiveIntegers) {
    if (!Number.isInteger(p[key]) || p[key] < 1) throw new RangeError(`topology ${key} must be a positive integer, got ${p[key]}`);
  }
  if (!Number.isInteger(p.publishers) || p.publishers < 0) throw new RangeError(`topology publishers must be >= 0, got ${p.publishers}`);
  if (!Number.isInteger(p.parentSitesPerContinent) || p.parentSitesPerContinent < 0) {
    throw new RangeError(`topology parentSitesPerContinent must be >= 0, got ${p.parentSitesPerContinent}`);
  }
  if (p.isps < p.countries) throw new RangeError(`every country needs an ISP: isps (${p.isps}) < countries (${p.countries})`);
  if (p.edgeServers < p.isps) throw new RangeError(`every ISP needs a cluster: edgeServers (${p.edgeServers}) < isps (${p.isps})`);
  if (p.storagePoints > p.countries) {
    throw new RangeError(`Storage Points need distinct countries: storagePoints (${p.storagePoints}) > countries (${p.countries})`);
  }
  if (p.clusterSizeMin > p.clusterSizeMax) throw new RangeError('clusterSizeMin must not exceed clusterSizeMax');
}

function setNode(t: Topology, address: number, kind: NodeKind, isp: number, cluster: number, latDeg: number, lonDeg: number): void {
  const country = t.ispCountry[isp] as number;
  t.nodeKind[address] = kind;
  t.nodeIsp[address] = isp;
  t.nodeCountry[address] = country;
  t.nodeContinent[address] = continentIndex((t.countries[country] as Country).continent);
  t.nodeCluster[address] = cluster;
  t.nodeLatDeg[address] = latDeg;
  t.nodeLonDeg[address] = lonDeg;
  const lat = (latDeg * Math.PI) / 180;
  const lon = (lonDeg * Math.PI) / 180;
  const cosLat = Math.cos(lat);
  t.nodeUnitX[address] = cosLat * Math.cos(lon);
  t.nodeUnitY[address] = cosLat * Math.sin(lon);
  t.nodeUnitZ[address] = Math.sin(lat);
}

function ispPoint(rng: Rng, t: Topology, isp: number, out: Float64Array): void {
  const country = t.countries[t.ispCountry[isp] as number] as Country;
  randomPointNear(rng, t.ispLatDeg[isp] as number, t.ispLonDeg[isp] as number, country.spreadKm * t.params.ispSpreadFraction, out);
}

/** ISPs per country by weight (largest remainder, at least one each), shares Pareto, homes near the country's point. */
function buildIsps(rng: Rng, countries: Country[], params: TopologyParams) {
  const countryCount = countries.length;
  const countryIspCount = new Int32Array(countryCount).fill(1);
  let totalWeight = 0;
  for (const country of countries) totalWeight += country.weight;
  const spare = params.isps - countryCount;
  const remainders: { index: number; fraction: number }[] = [];
  let assigned = 0;
  for (let i = 0; i < countryCount; i++) {
    const quota = (spare * (countries[i] as Country).weight) / totalWeight;
    const whole = Math.floor(quota);
    countryIspCount[i] = (countryIspCount[i] as number) + whole;
    assigned += whole;
    remainders.push({ index: i, fraction: quota - whole });
  }
  remainders.sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (let r = 0; r < spare - assigned; r++) {
    const index = (remainders[r] as { index: number }).index;
    countryIspCount[index] = (countryIspCount[index] as number) + 1;
  }

  const ispCountry = new Uint8Array(params.isps);
  const ispWeight = new Float64Array(params.isps);
  const ispLatDeg = new Float64Array(params.isps);
  const ispLonDeg = new Float64Array(params.isps);
  const countryFirstIsp = new Int32Array(countryCount);
  const point = new Float64Array(2);
  let isp = 0;
  for (let i = 0; i < countryCount; i++) {
    const country = countries[i] as Country;
    const count = countryIspCount[i] as number;
    countryFirstIsp[i] = isp;
    const shares: number[] = [];
    let shareTotal = 0;
    for (let j = 0; j < count; j++) {
      const share = pareto(rng, 1, params.ispSharePareto);
      shares.push(share);
      shareTotal += share;
    }
    // Biggest first, so ISP countryFirstIsp[i] is the country's incumbent.
    shares.sort((a, b) => b - a);
    for (let j = 0; j < count; j++) {
      ispCountry[isp] = i;
      ispWeight[isp] = (country.weight * (shares[j] as number)) / shareTotal;
      randomPointNear(rng, country.latDeg, country.lonDeg, country.spreadKm, point);
      ispLatDeg[isp] = point[0] as number;
      ispLonDeg[isp] = point[1] as number;
      isp++;
    }
  }
  return { ispCountry, ispWeight, ispLatDeg, ispLonDeg, countryFirstIsp, countryIspCount };
}

/**
 * Cluster sizes and owners. Every ISP first gets one cluster; further clusters go to ISPs drawn by
 * weight until the servers run out. The last cluster takes the exact remainder, so the total is exactly
 * edgeServers. Clusters are then ordered by ISP (stable), and edge servers numbered cluster by cluster.
 */
function buildClusters(rng: Rng, ispWeight: Float64Array, params: TopologyParams) {
  const ispCount = ispWeight.length;
  const target = params.edgeServers;
  const mu = Math.log(params.clusterSizeMedian);
  const drawSize = (): number => {
    const size = Math.round(lognormal(rng, mu, params.clusterSizeSigma));
    return Math.min(params.clusterSizeMax, Math.max(params.clusterSizeMin, size));
  };
  const sizes: number[] = [];
  const owners: number[] = [];
  let total = 0;
  for (let isp = 0; isp < ispCount; isp++) {
    const size = drawSize();
    sizes.push(size);
    owners.push(isp);
    total += size;
  }
  // Few servers per ISP: shrink the first clusters (never below one server) to fit exactly.
  while (total > target) {
    for (let c = 0; c < sizes.length && total > target; c++) {
      if ((sizes[c] as number) > 1) {
        sizes[c] = (sizes[c] as number) - 1;
        total--;
      }
    }
  }
  const choice = new WeightedChoice(Array.from(ispWeight));
  while (total < target) {
    let size = drawSize();
    const remaining = target - total;
    if (size > remaining) size = remaining;
    // Do not leave a remainder smaller than a cluster: fold it into this one (may exceed the max by < min).
    if (remaining - size < params.clusterSizeMin) size = remaining;
    sizes.push(size);
    owners.push(choice.draw(rng));
    total += size;
  }

  // Stable counting sort of clusters by owner ISP.
  const clusterCount = sizes.length;
  const perIsp = new Int32Array(ispCount + 1);
  for (let c = 0; c < clusterCount; c++) {
    const bucket = (owners[c] as number) + 1;
    perIsp[bucket] = (perIsp[bucket] as number) + 1;
  }
  for (let i = 0; i < ispCount; i++) perIsp[i + 1] = (perIsp[i + 1] as number) + (perIsp[i] as number);
  const clusterIsp = new Int32Array(clusterCount);
  const clusterEdgeServerCount = new Int32Array(clusterCount);
  for (let c = 0; c < clusterCount; c++) {
    const owner = owners[c] as number;
    const slot = perIsp[owner] as number;
    perIsp[owner] = slot + 1;
    clusterIsp[slot] = owner;
    clusterEdgeServerCount[slot] = sizes[c] as number;
  }
  const clusterFirstEdgeServer = new Int32Array(clusterCount);
  let next = 0;
  for (let c = 0; c < clusterCount; c++) {
    clusterFirstEdgeServer[c] = next;
    next += clusterEdgeServerCount[c] as number;
  }
  return { clusterIsp, clusterFirstEdgeServer, clusterEdgeServerCount };
}

/**
 * Parent sites: parentSitesPerContinent times the number of continents in all, placed where the clusters
 * are, as a CDN provisions its second tier for the edge it serves. Each continent with clusters gets one
 * site, the rest are shared out between continents by their cluster counts, then within a continent
 * between its countries the same way (D'Hondt: the next site goes where it would serve the most clusters).
 * A country's sites are at its biggest ISPs, where a real CDN would rent space in a major exchange.
 * (Three sites per continent regardless of demand left one 1 Gbit/s site serving about 320 clusters and
 * another 4: see README, "Replaying the paper".)
 */
function placeParentSites(
  countries: Country[],
  isps: { readonly ispCountry: Uint8Array; readonly countryFirstIsp: Int32Array; readonly countryIspCount: Int32Array },
  clusterIsp: Int32Array,
  perContinent: number,
) {
  const clustersInCountry = new Float64Array(countries.length);
  for (let c = 0; c < clusterIsp.length; c++) {
    const country = isps.ispCountry[clusterIsp[c] as number] as number;
    clustersInCountry[country] = (clustersInCountry[country] as number) + 1;
  }
  const continentOfCountry = countries.map((country) => continentIndex(country.continent));
  const clustersInContinent = new Float64Array(CONTINENTS.length);
  let continentsWithCountries = 0;
  const seen = new Set<number>();
  for (let i = 0; i < countries.length; i++) {
    const k = continentOfCountry[i] as number;
    clustersInContinent[k] = (clustersInContinent[k] as number) + (clustersInCountry[i] as number);
    if (!seen.has(k)) continentsWithCountries++;
    seen.add(k);
  }
  const total = perContinent * continentsWithCountries;
  const sitesInContinent = new Float64Array(CONTINENTS.length);
  for (let k = 0; k < CONTINENTS.length; k++) if (perContinent > 0 && (clustersInContinent[k] as number) > 0) sitesInContinent[k] = 1;
  dHondt(clustersInContinent, sitesInContinent, total);
  const sitesInCountry = new Float64Array(countries.length);
  for (let k = 0; k < CONTINENTS.length; k++) {
    const members: number[] = [];
    for (let i = 0; i < countries.length; i++) if (continentOfCountry[i] === k) members.push(i);
    const clusters = Float64Array.from(members, (i) => clustersInCountry[i] as number);
    const sites = new Float64Array(members.length);
    dHondt(clusters, sites, sitesInContinent[k] as number);
    members.forEach((i, m) => { sitesInCountry[i] = sites[m] as number; });
  }
  const isp: number[] = [];
  const continent: number[] = [];
  for (let i = 0; i < countries.length; i++) {
    for (let j = 0; j < (sitesInCountry[i] as number); j++) {
      isp.push((isps.countryFirstIsp[i] as number) + (j % (isps.countryIspCount[i] as number)));
      continent.push(continentOfCountry[i] as number);
    }
  }
  return { isp: Int32Array.from(isp), continent: Uint8Array.from(continent) };
}

/** Hands out seats until they total `total`, each to the party with the most votes per seat it would then hold. */
function dHondt(votes: Float64Array, seats: Float64Array, total: number): void {
  let given = seats.reduce((sum, n) => sum + n, 0);
  for (; given < total; given++) {
    let best = -1;
    for (let i = 0; i < votes.length; i++) {
      if ((votes[i] as number) === 0) continue;
      if (best < 0 || (votes[i] as number) / ((seats[i] as number) + 1) > (votes[best] as number) / ((seats[best] as number) + 1)) best = i;
    }
    if (best < 0) return;
    seats[best] = (seats[best] as number) + 1;
  }
}

/**
 * Storage Point countries: biggest markets first, at most ceil(S / 3) per continent so the quorum
 * spans continents (relaxed only if the countries run out). Returns country indexes.
 */
function chooseSpCountries(countries: Country[], count: number): number[] {
  const capPerContinent = Math.max(1, Math.ceil(count / 3));
  const perContinent = new Map<string, number>();
  const chosen: number[] = [];
  for (let i = 0; i < countries.length && chosen.length < count; i++) {
    const continent = (countries[i] as Country).continent;
    const used = perContinent.get(continent) ?? 0;
    if (used >= capPerContinent) continue;
    perContinent.set(continent, used + 1);
    chosen.push(i);
  }
  for (let i = 0; i < countries.length && chosen.length < count; i++) {
    if (!chosen.includes(i)) chosen.push(i);
  }
  return chosen;
}

/**
 * Each cluster's parent: the nearest site on its continent that still has room, a site taking at most an
 * equal share of its continent's clusters (rounded up), as a CDN's mapping balances load over the sites it
 * provisioned. Clusters are taken in index order, so the result is deterministic.
 */
function assignParentSites(t: Topology): void {
  const sitesByContinent: number[][] = CONTINENTS.map(() => []);
  for (let j = 0; j < t.parentSiteCount; j++) (sitesByContinent[t.parentSiteContinent[j] as number] as number[]).push(j);
  const clustersOnContinent = new Float64Array(CONTINENTS.length);
  for (let c = 0; c < t.clusterCount; c++) {
    const k = t.nodeContinent[t.clusterCacheBase + c] as number;
    clustersOnContinent[k] = (clustersOnContinent[k] as number) + 1;
  }
  const load = new Float64Array(t.parentSiteCount);
  for (let c = 0; c < t.clusterCount; c++) {
    const address = t.clusterCacheBase + c;
    const k = t.nodeContinent[address] as number;
    const sites = sitesByContinent[k] as number[];
    const capacity = Math.ceil((clustersOnContinent[k] as number) / Math.max(1, sites.length));
    let best = -1;
    let bestDot = -2;
    for (const j of sites) {
      if ((load[j] as number) >= capacity) continue;
      const site = t.parentSiteBase + j;
      const dot =
        (t.nodeUnitX[address] as number) * (t.nodeUnitX[site] as number) +
        (t.nodeUnitY[address] as number) * (t.nodeUnitY[site] as number) +
        (t.nodeUnitZ[address] as number) * (t.nodeUnitZ[site] as number);
      if (dot > bestDot) {
        bestDot = dot;
        best = j;
      }
    }
    t.clusterParentSite[c] = best;
    if (best >= 0) load[best] = (load[best] as number) + 1;
  }
}
