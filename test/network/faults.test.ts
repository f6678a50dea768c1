// Faults: partitions (both ways and one way), MTU black holes, crash and restart, random processes,
// clock skew, DNS failure, extra loss and latency, and the errors a scenario loader reports.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/kernel/simulator.js';
import { RandomStreams } from '../../src/kernel/random.js';
import { uniformInt } from '../../src/kernel/distributions.js';
import { buildTopology } from '../../src/network/topology-builder.js';
import { FaultSchedule, FaultSpecError, type FaultSpec } from '../../src/network/faults.js';
import { SelectorError, resolveSelector } from '../../src/network/selectors.js';
import { Network } from '../../src/network/transfers.js';
import { NodeKind } from '../../src/network/topology.js';

const topology = buildTopology(new RandomStreams(7));
const S = 1_000_000;

function setup(specs: FaultSpec[], seed = 7, horizonUs?: number) {
  const sim = new Simulator();
  const streams = new RandomStreams(seed);
  const faults = new FaultSchedule(sim, topology, streams, specs, { targetId: 1, horizonUs });
  const network = new Network(sim, topology, streams, { faults: faults.state, targetId: 2 });
  return { sim, faults, network };
}

/** A deterministic sample of addresses of every kind. */
function sampleAddresses(count: number): number[] {
  const rng = new RandomStreams(1).stream('test/sample');
  const addresses: number[] = [];
  for (let a = 0; a < topology.clusterCacheBase + 40; a++) addresses.push(a);
  for (let i = 0; i < count; i++) addresses.push(uniformInt(rng, 0, topology.nodeCount - 1));
  return addresses;
}

const myCountry = topology.countryIndex('MY');

/** Some nodes in Malaysia and some elsewhere. */
function pairsAcrossMalaysia(): number[] {
  const inside: number[] = [];
  for (let a = 0; a < topology.nodeCount && inside.length < 40; a++) if (topology.nodeCountry[a] === myCountry) inside.push(a);
  return [...inside, ...sampleAddresses(120)];
}

describe('partition', () => {
  it('drops exactly the traffic between the set and the rest, both ways', () => {
    const { sim, network } = setup([{ kind: 'partition', target: { countries: ['MY'] }, atUs: 1 * S, forUs: 10 * S }]);
    sim.run({ untilUs: 2 * S });
    const nodes = pairsAcrossMalaysia();
    let crossing = 0;
    const wrong: string[] = [];
    for (const from of nodes) {
      for (const to of nodes) {
        const cross = (topology.nodeCountry[from] === myCountry) !== (topology.nodeCountry[to] === myCountry);
        if (cross) crossing++;
        if (network.messageDelayUs(sim.nowUs, from, to, 100) < 0 !== cross) wrong.push(`${from}->${to}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(crossing).toBeGreaterThan(1000);
    sim.run({ untilUs: 12 * S });
    for (const from of nodes) for (const to of nodes) if (network.messageDelayUs(sim.nowUs, from, to, 100) < 0) wrong.push(`${from}->${to}`);
    expect(wrong).toEqual([]);
  });

  it('drops only one direction when one-way', () => {
    const { sim, network } = setup([{ kind: 'partition', target: { sps: [1] }, direction: 'inbound', atUs: 0 }]);
    sim.run({ untilUs: 1 });
    const sp1 = topology.spAddress(1);
    for (const other of sampleAddresses(50)) {
      if (other === sp1) continue;
      expect(network.messageDelayUs(1, other, sp1, 100)).toBe(-1); // into the set: dropped
      expect(network.messageDelayUs(1, sp1, other, 100)).toBeGreaterThan(0); // out of it: delivered
    }
    const outbound = setup([{ kind: 'partition', target: { sps: [1] }, direction: 'outbound', atUs: 0 }]);
    outbound.sim.run({ untilUs: 1 });
    expect(outbound.network.messageDelayUs(1, sp1, topology.spAddress(0), 100)).toBe(-1);
    expect(outbound.network.messageDelayUs(1, topology.spAddress(0), sp1, 100)).toBeGreaterThan(0);
  });
});

describe('MTU black hole', () => {
  it('drops exactly the messages above the threshold, on paths touching the target only', () => {
    const { sim, network } = setup([{ kind: 'mtu-blackhole', target: { countries: ['MY'] }, mtuBytes: 1400, atUs: 0 }]);
    sim.run({ untilUs: 1 });
    const nodes = pairsAcrossMalaysia();
    const wrong: string[] = [];
    let touching = 0;
    for (const from of nodes) {
      for (const to of nodes) {
        if (from === to) continue;
        const touches = topology.nodeCountry[from] === myCountry || topology.nodeCountry[to] === myCountry;
        if (touches) touching++;
        if (network.messageDelayUs(1, from, to, 1400) < 0) wrong.push(`${from}->${to} at 1400`);
        if (network.messageDelayUs(1, from, to, 1401) < 0 !== touches) wrong.push(`${from}->${to} at 1401`);
        if (network.messageDelayUs(1, from, to, 5_000_000) < 0 !== touches) wrong.push(`${from}->${to} at 5 MB`);
      }
    }
    expect(wrong).toEqual([]);
    expect(touching).toBeGreaterThan(1000);
  });

  it('targets ISPs as well as countries', () => {
    const isp = topology.nodeIsp[topology.spAddress(2)] as number;
    const { sim, network } = setup([{ kind: 'mtu-blackhole', target: { isps: [isp] }, mtuBytes: 576, atUs: 0 }]);
    sim.run({ untilUs: 1 });
    expect(network.messageDelayUs(1, topology.spAddress(0), topology.spAddress(2), 600)).toBe(-1);
    expect(network.messageDelayUs(1, topology.spAddress(0), topology.spAddress(2), 576)).toBeGreaterThan(0);
    expect(network.messageDelayUs(1, topology.spAddress(0), topology.spAddress(3), 600)).toBeGreaterThan(0);
  });
});

describe('crash and restart', () => {
  it('drops traffic to and from a crashed SP, restores it on restart, and tells subscribers', () => {
    const { sim, faults, network } = setup([{ kind: 'sp-crash', target: { sps: [2] }, diskLost: true, atUs: 5 * S, forUs: 60 * S }]);
    const changes: string[] = [];
    faults.onNodeChange((address, up, diskLost) => changes.push(`${sim.nowUs}:${address}:${up}:${diskLost}`));
    const sp2 = topology.spAddress(2);
    const sp0 = topology.spAddress(0);
    expect(network.messageDelayUs(0, sp0, sp2, 100)).toBeGreaterThan(0);
    sim.run({ untilUs: 6 * S });
    expect(faults.isUp(sp2)).toBe(false);
    expect(network.messageDelayUs(sim.nowUs, sp0, sp2, 100)).toBe(-1);
    expect(network.messageDelayUs(sim.nowUs, sp2, sp0, 100)).toBe(-1);
    expect(network.messageDelayUs(sim.nowUs, sp0, topology.spAddress(1), 100)).toBeGreaterThan(0);
    sim.run({ untilUs: 70 * S });
    expect(faults.isUp(sp2)).toBe(true);
    expect(network.messageDelayUs(sim.nowUs, sp0, sp2, 100)).toBeGreaterThan(0);
    expect(changes).toEqual([`${5 * S}:2:false:true`, `${65 * S}:2:true:true`]);
    expect(faults.timeline.map((row) => `${row.timeS} ${row.kind} ${row.action} ${row.target}`)).toEqual([
      '5 sp-crash start sps=2',
      '65 sp-crash end sps=2',
    ]);
  });

  it('takes down whole clusters (servers and cache) for an edge outage, but only SPs for sp-crash', () => {
    const { sim, faults } = setup([
      { kind: 'edge-outage', target: { clusters: [4] }, atUs: 0, forUs: S },
      { kind: 'sp-crash', target: { countries: ['US'] }, atUs: 0, forUs: S },
    ]);
    sim.run({ untilUs: 1 });
    const first = topology.firstEdgeServerAddressOfCluster(4);
    for (let a = first; a < first + topology.edgeServerCountOfCluster(4); a++) expect(faults.isUp(a)).toBe(false);
    expect(faults.isUp(topology.clusterCacheAddress(4))).toBe(false);
    expect(faults.isUp(topology.clusterCacheAddress(5))).toBe(true);
    let usDown = 0;
    for (let a = 0; a < topology.nodeCount; a++) {
      if (!faults.isUp(a) && topology.nodeKind[a] === NodeKind.StoragePoint) usDown++;
      if (topology.nodeCountry[a] === topology.countryIndex('US') && topology.nodeKind[a] !== NodeKind.StoragePoint && topology.nodeCluster[a] !== 4) {
        expect(faults.isUp(a)).toBe(true);
      }
    }
    expect(usDown).toBe(1);
  });
});

describe('random fault processes', () => {
  const specs: FaultSpec[] = [
    { kind: 'sp-crash', target: { sps: [0, 1, 2, 3, 4] }, mtbfUs: 3600 * S, mttrUs: 600 * S },
    { kind: 'partition', target: { fraction: 0.05 }, mtbfUs: 7200 * S, mttrUs: 300 * S },
    { kind: 'edge-outage', target: { fraction: 0.01 }, mtbfUs: 24 * 3600 * S, mttrUs: 1800 * S },
  ];

  it('are reproducible from the seed and differ with another seed', () => {
    const run = (seed: number) => {
      const { sim, faults } = setup(specs, seed, 48 * 3600 * S);
      sim.run({ untilUs: 48 * 3600 * S });
      return faults.timeline.map((row) => `${row.timeS}|${row.kind}|${row.action}|${row.target}`);
    };
    const a = run(7);
    expect(a.length).toBeGreaterThan(50);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
  });

  it('alternate down and up per node, with outages of about mttr on average', () => {
    const { sim, faults } = setup([specs[0] as FaultSpec], 7, 400 * 3600 * S);
    const downSinceUs = new Map<number, number>();
    const outagesUs: number[] = [];
    faults.onNodeChange((address, up) => {
      if (!up) {
        expect(downSinceUs.has(address)).toBe(false);
        downSinceUs.set(address, sim.nowUs);
      } else {
        outagesUs.push(sim.nowUs - (downSinceUs.get(address) as number));
        downSinceUs.delete(address);
      }
    });
    sim.run({ untilUs: 400 * 3600 * S });
    expect(outagesUs.length).toBeGreaterThan(300);
    const meanS = outagesUs.reduce((s, v) => s + v, 0) / outagesUs.length / S;
    expect(meanS).toBeGreaterThan(450);
    expect(meanS).toBeLessThan(750);
  });

  it('bound each cluster by its own servers\' outages and every other fault, not by other clusters\' servers', () => {
    const { sim, faults } = setup([specs[1] as FaultSpec, specs[2] as FaultSpec], 7, 48 * 3600 * S);
    const changed: number[] = [];
    faults.onNodeChange((address) => changed.push(address));
    const horizonUs = new Float64Array(topology.clusterCount);
    let aboveGlobal = 0;
    let edgeTransitions = 0;
    let othersStopped = 0;
    while (sim.nowUs < 48 * 3600 * S) {
      const globalUs = faults.nextTransitionUs(sim.nowUs);
      for (let c = 0; c < topology.clusterCount; c++) {
        horizonUs[c] = faults.nextTransitionInClusterUs(sim.nowUs, c);
        if (horizonUs[c] > globalUs) aboveGlobal++;
      }
      changed.length = 0;
      if (!sim.step()) break;
      for (const address of changed) {
        if (topology.kindOf(address) !== NodeKind.EdgeServer) continue;
        const cluster = topology.nodeCluster[address] as number;
        // The server's own cluster knew that something could change at this time...
        expect(horizonUs[cluster]).toBeLessThanOrEqual(sim.nowUs);
        edgeTransitions++;
        // ...while, unless another kind of fault was due too, every other cluster could run on past it.
        if (globalUs > sim.nowUs && horizonUs.some((h, c) => c !== cluster && h <= sim.nowUs && h === horizonUs[cluster])) othersStopped++;
      }
    }
    expect(aboveGlobal).toBe(0);
    expect(edgeTransitions).toBeGreaterThan(100);
    expect(othersStopped).toBe(0);
  });

  it('select exact random fractions of servers or clusters', () => {
    const rng = new RandomStreams(1).stream('x');
    const servers = resolveSelector(topology, { fraction: 0.1, of: 'edge-servers' }, rng);
    let count = 0;
    for (let a = 0; a < servers.length; a++) count += servers[a] as number;
    expect(count).toBe(1500);
    const clusters = resolveSelector(topology, { fraction: 0.1 }, rng, 'clusters');
    let caches = 0;
    for (let a = 0; a < clusters.length; a++) if (clusters[a] === 1 && topology.nodeKind[a] === NodeKind.ClusterCache) caches++;
    expect(caches).toBe(Math.round(0.1 * topology.clusterCount));
  });
});

describe('other faults', () => {
  it('skews the clock of selected nodes only, with offset and drift', () => {
    const { sim, faults } = setup([{ kind: 'clock-skew', target: { sps: [4] }, offsetUs: 2 * S, driftPpm: 100, atUs: 10 * S, forUs: 100 * S }]);
    const sp4 = topology.spAddress(4);
    expect(faults.localClockUs(sp4, 0)).toBe(0);
    sim.run({ untilUs: 60 * S });
    // 2 s offset plus 100 ppm of 50 s = 5 ms.
    expect(faults.localClockUs(sp4, sim.nowUs)).toBe(60 * S + 2 * S + 5000);
    expect(faults.localClockUs(topology.spAddress(3), sim.nowUs)).toBe(60 * S);
    sim.run({ untilUs: 120 * S });
    expect(faults.localClockUs(sp4, sim.nowUs)).toBe(120 * S);
  });

  it('fails name resolution for the selected clusters during a DNS failure', () => {
    const { sim, faults } = setup([{ kind: 'dns-failure', target: { clusters: [9] }, atUs: S, forUs: S }]);
    const server = topology.firstEdgeServerAddressOfCluster(9);
    expect(faults.canResolve(server, 0)).toBe(true);
    sim.run({ untilUs: 1.5 * S });
    expect(faults.canResolve(server, sim.nowUs)).toBe(false);
    expect(faults.canResolve(topology.clusterCacheAddress(9), sim.nowUs)).toBe(false);
    expect(faults.canResolve(topology.firstEdgeServerAddressOfCluster(10), sim.nowUs)).toBe(true);
    sim.run({ untilUs: 3 * S });
    expect(faults.canResolve(server, sim.nowUs)).toBe(true);
  });

  it('adds exactly the extra latency on selected paths', () => {
    const base = setup([]);
    const slow = setup([{ kind: 'latency', target: { continents: ['OC'] }, extraUs: 150_000, atUs: 0 }]);
    slow.sim.run({ untilUs: 1 });
    const sp0 = topology.spAddress(0);
    let oceania = -1;
    for (let a = 0; a < topology.nodeCount; a++) if (topology.nodeContinent[a] === topology.continentIndex('OC')) oceania = a;
    // Same seed, same draws: the difference is exactly the extra delay (loss draws aside).
    const plainUs = base.network.messageDelayUs(0, sp0, oceania, 100);
    const slowUs = slow.network.messageDelayUs(1, sp0, oceania, 100);
    expect(slowUs - plainUs).toBeGreaterThanOrEqual(150_000);
    expect(slowUs - plainUs).toBeLessThan(151_000);
    expect(slow.network.messageDelayUs(1, sp0, topology.spAddress(1), 100)).toBe(base.network.messageDelayUs(0, sp0, topology.spAddress(1), 100));
  });

  it('adds loss (retransmission delay) on selected paths', () => {
    const lossy = setup([{ kind: 'loss', target: { sps: [3] }, probability: 0.5, atUs: 0 }]);
    lossy.sim.run({ untilUs: 1 });
    let lossySumUs = 0;
    let cleanSumUs = 0;
    for (let i = 0; i < 200; i++) {
      lossySumUs += lossy.network.messageDelayUs(1, topology.spAddress(0), topology.spAddress(3), 100);
      cleanSumUs += lossy.network.messageDelayUs(1, topology.spAddress(0), topology.spAddress(1), 100);
    }
    expect(lossySumUs / 200).toBeGreaterThan(cleanSumUs / 200 + 100_000);
  });
});

describe('errors for the scenario loader', () => {
  it('throws a SelectorError naming an unknown country, continent or index', () => {
    expect(() => setup([{ kind: 'partition', target: { countries: ['MY', 'XX'] }, atUs: 0 }])).toThrow(SelectorError);
    expect(() => setup([{ kind: 'partition', target: { countries: ['XX'] }, atUs: 0 }])).toThrow(/'XX'/);
    expect(() => setup([{ kind: 'loss', target: { continents: ['AN'] }, probability: 0.1, atUs: 0 }])).toThrow(/'AN'/);
    expect(() => setup([{ kind: 'sp-crash', target: { sps: [5] }, atUs: 0 }])).toThrow(/sps index 5/);
    expect(() => setup([{ kind: 'sp-crash', target: { planets: [1] } as never, atUs: 0 }])).toThrow(SelectorError);
    expect(() => setup([{ kind: 'partition', target: { fraction: 1.5 }, atUs: 0 }])).toThrow(SelectorError);
  });

  it('throws a FaultSpecError for bad timing or parameters', () => {
    expect(() => setup([{ kind: 'sp-crash', target: { sps: [0] } }])).toThrow(FaultSpecError);
    expect(() => setup([{ kind: 'sp-crash', target: { sps: [0] }, atUs: 0, mtbfUs: 5 }])).toThrow(FaultSpecError);
    expect(() => setup([{ kind: 'mtu-blackhole', target: { sps: [0] }, mtuBytes: -1, atUs: 0 }])).toThrow(/mtuBytes/);
    expect(() => setup([{ kind: 'meteor', target: { sps: [0] }, atUs: 0 } as never])).toThrow(/unknown kind 'meteor'/);
    expect(() => setup([{ kind: 'sp-crash', target: { countries: ['MY'] }, atUs: 0 }])).toThrow(/selects no sp/);
  });
});
