// Topology: determinism, exact default counts, cluster and SP placement invariants, lookups.
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.js';
import { COUNTRY_TABLE, CONTINENTS, heaviestCountries } from '../../src/network/countries.js';
import { NodeKind, type Topology } from '../../src/network/topology.js';
import { buildTopology } from '../../src/network/topology-builder.js';

const defaultTopology = buildTopology(new RandomStreams(1));

function fingerprint(t: Topology): string {
  let sum = 0;
  for (let a = 0; a < t.nodeCount; a++) sum = (sum * 31 + Math.round((t.nodeLatDeg[a] as number) * 1000) + (t.nodeIsp[a] as number)) % 1_000_000_007;
  return `${t.clusterCount}/${sum}`;
}

describe('country table', () => {
  it('has 60 distinct real codes on 6 continents, including MY', () => {
    expect(COUNTRY_TABLE).toHaveLength(60);
    expect(new Set(COUNTRY_TABLE.map((c) => c.code)).size).toBe(60);
    expect(new Set(COUNTRY_TABLE.map((c) => c.continent))).toEqual(new Set(CONTINENTS));
    expect(COUNTRY_TABLE.find((c) => c.code === 'MY')?.continent).toBe('AS');
    for (const c of COUNTRY_TABLE) {
      expect(c.code).toMatch(/^[A-Z]{2}$/);
      expect(Math.abs(c.latDeg)).toBeLessThanOrEqual(90);
      expect(c.weight).toBeGreaterThan(0);
    }
  });

  it('takes the N heaviest countries', () => {
    const top = heaviestCountries(3).map((c) => c.code);
    expect(top).toEqual(['US', 'CN', 'JP']);
  });
});

describe('topology', () => {
  it('has exactly the default counts: 60 countries, 1,200 ISPs, 15,000 edge servers, 5 SPs', () => {
    const t = defaultTopology;
    expect(t.countryCount).toBe(60);
    expect(t.ispCount).toBe(1200);
    expect(t.edgeServerCount).toBe(15000);
    expect(t.storagePointCount).toBe(5);
    expect(t.publisherCount).toBe(8);
    let edges = 0;
    for (let c = 0; c < t.clusterCount; c++) edges += t.clusterEdgeServerCount[c] as number;
    expect(edges).toBe(15000);
    expect(t.nodeCount).toBe(5 + 8 + t.parentSiteCount + t.clusterCount + 15000);
  });

  it('is the same for the same seed and differs for another seed', () => {
    const again = buildTopology(new RandomStreams(1));
    expect(fingerprint(again)).toBe(fingerprint(defaultTopology));
    expect(Array.from(again.clusterIsp)).toEqual(Array.from(defaultTopology.clusterIsp));
    const other = buildTopology(new RandomStreams(2));
    expect(fingerprint(other)).not.toBe(fingerprint(defaultTopology));
  });

  it('gives every ISP at least one cluster and every country at least one ISP', () => {
    const t = defaultTopology;
    const clustersPerIsp = new Int32Array(t.ispCount);
    for (let c = 0; c < t.clusterCount; c++) clustersPerIsp[t.clusterIsp[c] as number]++;
    expect(Math.min(...clustersPerIsp)).toBeGreaterThanOrEqual(1);
    expect(Math.min(...t.countryIspCount)).toBeGreaterThanOrEqual(1);
    // Heavier countries get more ISPs.
    expect(t.countryIspCount[t.countryIndex('US')]).toBeGreaterThan(t.countryIspCount[t.countryIndex('MY')] as number);
  });

  it('keeps cluster sizes in the documented range and clusters typically 2 to 50', () => {
    const t = defaultTopology;
    let small = 0;
    for (let c = 0; c < t.clusterCount; c++) {
      const size = t.clusterEdgeServerCount[c] as number;
      expect(size).toBeGreaterThanOrEqual(1);
      expect(size).toBeLessThanOrEqual(51);
      if (size < 2) small++;
    }
    expect(small).toBe(0);
    expect(t.clusterCount).toBeGreaterThan(1200);
    expect(t.clusterCount).toBeLessThan(3000);
  });

  it('puts the 5 SPs in distinct countries and ISPs, over several continents', () => {
    const t = defaultTopology;
    const countries = new Set<number>();
    const isps = new Set<number>();
    const continents = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const a = t.spAddress(i);
      expect(t.nodeKind[a]).toBe(NodeKind.StoragePoint);
      countries.add(t.nodeCountry[a] as number);
      isps.add(t.nodeIsp[a] as number);
      continents.add(t.nodeContinent[a] as number);
    }
    expect(countries.size).toBe(5);
    expect(isps.size).toBe(5);
    expect(continents.size).toBeGreaterThanOrEqual(3);
  });

  it('lays out addresses in blocks and answers lookups consistently', () => {
    const t = defaultTopology;
    expect(t.kindOf(0)).toBe(NodeKind.StoragePoint);
    expect(t.kindOf(t.publisherAddress(0))).toBe(NodeKind.Publisher);
    expect(t.kindOf(t.parentSiteAddress(0))).toBe(NodeKind.ParentSite);
    expect(t.kindOf(t.clusterCacheAddress(0))).toBe(NodeKind.ClusterCache);
    expect(t.kindOf(t.edgeServerAddress(0))).toBe(NodeKind.EdgeServer);
    expect(t.edgeServerAddress(14999)).toBe(t.nodeCount - 1);
    for (let c = 0; c < t.clusterCount; c += 97) {
      const first = t.firstEdgeServerAddressOfCluster(c);
      for (let a = first; a < first + t.edgeServerCountOfCluster(c); a++) {
        expect(t.nodeCluster[a]).toBe(c);
        expect(t.clusterOfEdgeServer(t.edgeServerIndex(a))).toBe(c);
        expect(t.nodeIsp[a]).toBe(t.clusterIsp[c]);
      }
      const cache = t.clusterCacheAddress(c);
      expect(t.nodeCluster[cache]).toBe(c);
      const parent = t.parentSiteAddress(t.parentSiteOfCluster(c));
      expect(t.nodeContinent[parent]).toBe(t.nodeContinent[cache]);
    }
    expect(t.countryCode(t.countryIndex('MY'))).toBe('MY');
    expect(t.countryIndex('my')).toBe(t.countryIndex('MY'));
    expect(t.countryIndex('XX')).toBe(-1);
    expect(t.describe(t.edgeServerAddress(7))).toBe('edge-server/7');
    expect(() => t.edgeServerAddress(15000)).toThrow(RangeError);
  });

  it('places parent sites on every continent, the nearest one serving each cluster', () => {
    const t = defaultTopology;
    expect(t.parentSiteCount).toBe(18);
    expect(new Set(Array.from(t.parentSiteContinent))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it('provisions parent sites by demand: an equal share of its continent\'s clusters each, on the same continent', () => {
    for (const seed of [1, 2, 3]) {
      const t = buildTopology(new RandomStreams(seed));
      const load = new Array<number>(t.parentSiteCount).fill(0);
      const clustersOn = new Array<number>(CONTINENTS.length).fill(0);
      const sitesOn = new Array<number>(CONTINENTS.length).fill(0);
      for (let j = 0; j < t.parentSiteCount; j++) sitesOn[t.parentSiteContinent[j] as number]++;
      for (let c = 0; c < t.clusterCount; c++) {
        const site = t.parentSiteOfCluster(c);
        const continent = t.nodeContinent[t.clusterCacheAddress(c)] as number;
        expect(t.parentSiteContinent[site]).toBe(continent);
        load[site]++;
        clustersOn[continent]++;
      }
      for (let j = 0; j < t.parentSiteCount; j++) {
        const k = t.parentSiteContinent[j] as number;
        expect(load[j]).toBeLessThanOrEqual(Math.ceil((clustersOn[k] as number) / (sitesOn[k] as number)));
      }
      // The busiest site serves at most about twice the average (three fixed sites per continent gave one 320 and another 4).
      expect(Math.max(...load)).toBeLessThan((2 * t.clusterCount) / t.parentSiteCount);
    }
  });

  it('scales down: fewer countries, ISPs and servers still satisfy the invariants', () => {
    const t = buildTopology(new RandomStreams(5), { countries: 8, isps: 20, edgeServers: 30, storagePoints: 3, publishers: 2 });
    expect(t.countryCount).toBe(8);
    expect(t.ispCount).toBe(20);
    expect(t.edgeServerCount).toBe(30);
    let edges = 0;
    for (let c = 0; c < t.clusterCount; c++) edges += t.clusterEdgeServerCount[c] as number;
    expect(edges).toBe(30);
    const owners = new Set(Array.from(t.clusterIsp));
    expect(owners.size).toBe(20);
    expect(() => buildTopology(new RandomStreams(5), { isps: 10, edgeServers: 5 })).toThrow(RangeError);
  });
});
