// Latency: the ordering of averages by locality, LAN inside a cluster, determinism of jitter.
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.js';
import { uniformInt } from '../../src/kernel/distributions.js';
import { LatencyModel } from '../../src/network/latency.js';
import { LinkStreams } from '../../src/network/link-streams.js';
import { buildTopology } from '../../src/network/topology-builder.js';

const topology = buildTopology(new RandomStreams(11));

type Category = 'sameIsp' | 'sameCountry' | 'sameContinent' | 'intercontinental';

function categoryOf(a: number, b: number): Category | undefined {
  const t = topology;
  if (t.nodeCluster[a] === t.nodeCluster[b]) return undefined; // LAN, measured separately
  if (t.nodeIsp[a] === t.nodeIsp[b]) return 'sameIsp';
  if (t.nodeCountry[a] === t.nodeCountry[b]) return 'sameCountry';
  if (t.nodeContinent[a] === t.nodeContinent[b]) return 'sameContinent';
  return 'intercontinental';
}

describe('latency', () => {
  it('orders averages: same ISP < same country < same continent < intercontinental', () => {
    const model = new LatencyModel(topology, new LinkStreams(new RandomStreams(11), topology.nodeCount));
    const pick = new RandomStreams(99).stream('test/pairs');
    const sums: Record<Category, number> = { sameIsp: 0, sameCountry: 0, sameContinent: 0, intercontinental: 0 };
    const counts: Record<Category, number> = { sameIsp: 0, sameCountry: 0, sameContinent: 0, intercontinental: 0 };
    // Pairs drawn from a shared first server: for each of 4,000 servers, one partner of each category.
    for (let i = 0; i < 4000; i++) {
      const a = topology.edgeServerAddress(uniformInt(pick, 0, topology.edgeServerCount - 1));
      const isp = topology.nodeIsp[a] as number;
      const partners: number[] = [];
      // Same ISP, other cluster (when the ISP has several).
      for (let c = 0; c < topology.clusterCount; c++) {
        if (topology.clusterIsp[c] === isp && c !== topology.nodeCluster[a]) partners.push(topology.firstEdgeServerAddressOfCluster(c));
      }
      for (let tries = 0; tries < 60; tries++) partners.push(topology.edgeServerAddress(uniformInt(pick, 0, topology.edgeServerCount - 1)));
      for (const b of partners) {
        const category = categoryOf(a, b);
        if (category === undefined) continue;
        sums[category] += model.oneWayUs(a, b);
        counts[category]++;
      }
    }
    const mean = (c: Category): number => sums[c] / counts[c];
    for (const c of Object.keys(counts) as Category[]) expect(counts[c]).toBeGreaterThan(100);
    expect(mean('sameIsp')).toBeLessThan(mean('sameCountry'));
    expect(mean('sameCountry')).toBeLessThan(mean('sameContinent'));
    expect(mean('sameContinent')).toBeLessThan(mean('intercontinental'));
    // Plausible magnitudes (one way): intercontinental tens of ms, same ISP a few ms.
    expect(mean('intercontinental')).toBeGreaterThan(40_000);
    expect(mean('intercontinental')).toBeLessThan(200_000);
    expect(mean('sameIsp')).toBeLessThan(15_000);
  });

  it('is a sub-millisecond LAN between an edge server and its own cluster cache', () => {
    const model = new LatencyModel(topology, new LinkStreams(new RandomStreams(1), topology.nodeCount));
    const cache = topology.clusterCacheAddress(3);
    const server = topology.firstEdgeServerAddressOfCluster(3);
    for (let i = 0; i < 50; i++) {
      const delayUs = model.oneWayUs(server, cache);
      expect(delayUs).toBeGreaterThanOrEqual(200);
      expect(delayUs).toBeLessThan(1000);
    }
  });

  it('gives integer delays that repeat with the same seed', () => {
    const a = new LatencyModel(topology, new LinkStreams(new RandomStreams(4), topology.nodeCount));
    const b = new LatencyModel(topology, new LinkStreams(new RandomStreams(4), topology.nodeCount));
    const from = topology.spAddress(0);
    const to = topology.edgeServerAddress(1234);
    for (let i = 0; i < 20; i++) {
      const delayUs = a.oneWayUs(from, to);
      expect(Number.isInteger(delayUs)).toBe(true);
      expect(delayUs).toBe(b.oneWayUs(from, to));
      expect(delayUs).toBeGreaterThanOrEqual(Math.floor(a.baseOneWayUs(from, to)));
    }
  });
});
