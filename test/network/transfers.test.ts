// Messages and bulk transfers: size, slow start, fair egress sharing, cancellation, loss, breakage.
import { describe, expect, it } from 'vitest';
import { Simulator, type EventTarget } from '../../src/kernel/simulator.js';
import { RandomStreams } from '../../src/kernel/random.js';
import { buildTopology } from '../../src/network/topology-builder.js';
import { FaultState } from '../../src/network/fault-state.js';
import { Network, type NetworkOptions } from '../../src/network/transfers.js';
import type { Topology } from '../../src/network/topology.js';

const topology = buildTopology(new RandomStreams(3));
const MB = 1_000_000;

class Arrivals implements EventTarget {
  readonly targetId = 99;
  readonly timesUs = new Map<unknown, number>();
  onEvent(nowUs: number, _kind: number, arg: unknown): void {
    this.timesUs.set(arg, nowUs);
  }
}

function setup(options: NetworkOptions = {}, t: Topology = topology) {
  const sim = new Simulator();
  const network = new Network(sim, t, new RandomStreams(3), { ...options, transfer: { pathLossProbability: 0, ...options.transfer } });
  return { sim, network, arrivals: new Arrivals() };
}

/** Cluster caches in the SP's own country, so that the path, not the distance, dominates. */
function cachesNear(sp: number, count: number): number[] {
  const caches: number[] = [];
  for (let c = 0; c < topology.clusterCount && caches.length < count; c++) {
    const cache = topology.clusterCacheAddress(c);
    if (topology.nodeCountry[cache] === topology.nodeCountry[sp]) caches.push(cache);
  }
  return caches;
}

describe('messages', () => {
  it('take longer when larger, and satisfy the kernel Link interface', () => {
    const { network } = setup();
    const from = topology.spAddress(0);
    const to = topology.spAddress(3);
    const small = network.transmitDelayUs(0, from, to, 200);
    const large = network.messageDelayUs(0, from, to, 2 * MB);
    expect(Number.isInteger(small)).toBe(true);
    expect(small).toBeGreaterThan(0);
    // 2 MB at 12.5 MB/s is at least 160 ms more, plus slow-start round trips.
    expect(large - small).toBeGreaterThan(160_000);
  });

  it('add retransmission timeouts on lossy paths', () => {
    const clean = setup().network;
    const lossy = setup({ transfer: { pathLossProbability: 0.2 } }).network;
    const from = topology.spAddress(0);
    const to = topology.edgeServerAddress(500);
    let cleanSumUs = 0;
    let lossySumUs = 0;
    let lossyMaxUs = 0;
    for (let i = 0; i < 400; i++) {
      cleanSumUs += clean.messageDelayUs(0, from, to, 500);
      const delayUs = lossy.messageDelayUs(0, from, to, 500);
      lossySumUs += delayUs;
      lossyMaxUs = Math.max(lossyMaxUs, delayUs);
    }
    // About 20% of messages wait at least one 200 ms timeout.
    expect(lossySumUs / 400 - cleanSumUs / 400).toBeGreaterThan(20_000);
    expect(lossyMaxUs - cleanSumUs / 400).toBeGreaterThan(200_000);
  });

  it('give a keyed message the same delay whatever was sent on its path before (the per-path memo of its size)', () => {
    const from = topology.clusterCacheAddress(3);
    const to = topology.parentSiteAddress(0);
    const sizes = [300, 300, 300, 70_000, 300, 1_200_000, 1_200_000, 300, 5, 70_000];
    const lossy = { transfer: { pathLossProbability: 0.05 } };
    // One network asked in turn (its memo kept, then replaced, between sizes); one fresh network per message.
    const reused = setup(lossy).network;
    let retransmitted = 0;
    for (let key = 0; key < 200; key++) {
      const sizeBytes = sizes[key % sizes.length] as number;
      const fresh = setup(lossy).network;
      const delayUs = reused.peekKeyedDelayUs(from, to, sizeBytes, key);
      expect(delayUs).toBe(fresh.peekKeyedDelayUs(from, to, sizeBytes, key));
      if (delayUs > fresh.messageLowerBoundUs(from, to) + 200_000) retransmitted++;
    }
    // The loss draws were exercised too, not only the jitter.
    expect(retransmitted).toBeGreaterThan(0);
  });
});

describe('transfers', () => {
  it('take longer for larger files', () => {
    const { sim, network, arrivals } = setup();
    const sp = topology.spAddress(0);
    const [cache] = cachesNear(sp, 1);
    network.startTransfer(0, sp, cache as number, 1 * MB, arrivals, 0, 'small');
    sim.run();
    const smallUs = arrivals.timesUs.get('small') as number;
    const second = setup();
    second.network.startTransfer(0, sp, cache as number, 100 * MB, second.arrivals, 0, 'big');
    second.sim.run();
    const bigUs = second.arrivals.timesUs.get('big') as number;
    expect(smallUs).toBeGreaterThan(80_000); // 1 MB at 12.5 MB/s
    // 100 MB at the 12.5 MB/s bottleneck is 8 s.
    expect(bigUs).toBeGreaterThan(8_000_000);
    expect(bigUs).toBeLessThan(8_500_000);
  });

  it('share the sender egress: 20 concurrent 100 MB pulls take about 20 times one pull', () => {
    const sp = topology.spAddress(0);
    const caches = cachesNear(sp, 20);
    expect(caches).toHaveLength(20);
    const single = setup();
    single.network.startTransfer(0, sp, caches[0] as number, 100 * MB, single.arrivals, 0, 0);
    single.sim.run();
    const singleUs = single.arrivals.timesUs.get(0) as number;

    const shared = setup();
    caches.forEach((cache, i) => shared.network.startTransfer(0, sp, cache, 100 * MB, shared.arrivals, 0, i));
    expect(shared.network.activeTransferCount()).toBe(20);
    shared.sim.run();
    const timesUs = [...shared.arrivals.timesUs.values()];
    expect(timesUs).toHaveLength(20);
    const meanUs = timesUs.reduce((s, v) => s + v, 0) / timesUs.length;
    // 2,000 MB through 12.5 MB/s is 160 s; all finish together under fair sharing.
    expect(meanUs).toBeGreaterThan(15 * singleUs);
    expect(Math.max(...timesUs)).toBeGreaterThan(159_000_000);
    expect(Math.max(...timesUs)).toBeLessThan(162_000_000);
    expect(shared.network.activeTransferCount()).toBe(0);
  });

  it('share spEgressBytesPerS at a Storage Point: twice the egress, half the time for 20 concurrent pulls', () => {
    const sp = topology.spAddress(0);
    const caches = cachesNear(sp, 20);
    const lastArrivalUs = (spEgressBytesPerS: number): number => {
      const { sim, network, arrivals } = setup({ transfer: { spEgressBytesPerS } });
      caches.forEach((cache, i) => network.startTransfer(0, sp, cache, 100 * MB, arrivals, 0, i));
      sim.run();
      return Math.max(...arrivals.timesUs.values());
    };
    // 2,000 MB: 160 s through 12.5 MB/s (the default), 80 s through 25 MB/s; each flow's own cap is above its share.
    expect(lastArrivalUs(12.5e6)).toBeGreaterThan(159_000_000);
    expect(lastArrivalUs(12.5e6)).toBeLessThan(162_000_000);
    expect(lastArrivalUs(25e6)).toBeGreaterThan(79_000_000);
    expect(lastArrivalUs(25e6)).toBeLessThan(82_000_000);
  });

  it('recompute shares when a transfer starts or ends', () => {
    const { sim, network, arrivals } = setup();
    const sp = topology.spAddress(0);
    const [a, b] = cachesNear(sp, 2) as [number, number];
    network.startTransfer(0, sp, a, 100 * MB, arrivals, 0, 'first');
    const starter: EventTarget = {
      targetId: 5,
      onEvent: (nowUs) => {
        network.startTransfer(nowUs, sp, b, 100 * MB, arrivals, 0, 'second');
      },
    };
    sim.scheduleAt(4_000_000, starter);
    sim.run();
    // First: ~50 MB alone in 4 s, then 50 MB at half rate (8 s): ~12 s. Second: 50 MB at half, 50 MB alone: ~16 s.
    const firstUs = arrivals.timesUs.get('first') as number;
    const secondUs = arrivals.timesUs.get('second') as number;
    expect(firstUs).toBeGreaterThan(11_800_000);
    expect(firstUs).toBeLessThan(12_400_000);
    expect(secondUs).toBeGreaterThan(15_800_000);
    expect(secondUs).toBeLessThan(16_400_000);
  });

  it('give a path-capped transfer its cap and the rest to the others (max-min fairness)', () => {
    const { sim, network, arrivals } = setup({ transfer: { ingressBytesPerSByKind: [12.5e6, 1.25e6, 125e6, 12.5e6, 2.5e6] } });
    const sp = topology.spAddress(0);
    const [cache] = cachesNear(sp, 1) as [number];
    const edge = topology.firstEdgeServerAddressOfCluster(topology.nodeCluster[cache] as number);
    // The edge server can take 2.5 MB/s; the cache gets the remaining 10 MB/s.
    network.startTransfer(0, sp, edge, 25 * MB, arrivals, 0, 'edge');
    network.startTransfer(0, sp, cache, 150 * MB, arrivals, 0, 'cache');
    sim.run();
    expect(arrivals.timesUs.get('edge') as number).toBeGreaterThan(9_900_000);
    expect(arrivals.timesUs.get('edge') as number).toBeLessThan(10_300_000);
    // 100 MB at 10 MB/s during the first 10 s, then 50 MB at 12.5 MB/s: 14 s.
    expect(arrivals.timesUs.get('cache') as number).toBeGreaterThan(13_900_000);
    expect(arrivals.timesUs.get('cache') as number).toBeLessThan(14_300_000);
  });

  it('can be cancelled, and the others speed up', () => {
    const { sim, network, arrivals } = setup();
    const sp = topology.spAddress(0);
    const [a, b] = cachesNear(sp, 2) as [number, number];
    const keep = network.startTransfer(0, sp, a, 100 * MB, arrivals, 0, 'keep');
    const drop = network.startTransfer(0, sp, b, 100 * MB, arrivals, 0, 'drop');
    expect(keep).toBeGreaterThan(0);
    sim.scheduleAt(4_000_000, { targetId: 6, onEvent: () => expect(network.cancelTransfer(drop)).toBe(true) });
    sim.run();
    expect(arrivals.timesUs.has('drop')).toBe(false);
    expect(network.cancelTransfer(drop)).toBe(false);
    // ~25 MB in 4 s at half rate, then 75 MB alone: ~10 s.
    expect(arrivals.timesUs.get('keep') as number).toBeGreaterThan(9_800_000);
    expect(arrivals.timesUs.get('keep') as number).toBeLessThan(10_400_000);
    expect(network.counters.transfersCancelled).toBe(1);
  });

  it('refuse a broken path at start and drop a transfer whose path breaks in flight', () => {
    const faults = new FaultState(topology.nodeCount);
    const { sim, network, arrivals } = setup({ faults });
    const sp = topology.spAddress(0);
    const [cache] = cachesNear(sp, 1) as [number];
    const mask = new Uint8Array(topology.nodeCount);
    mask[cache] = 1;
    const id = network.startTransfer(0, sp, cache, 10 * MB, arrivals, 0, 'lost');
    expect(id).toBeGreaterThan(0);
    sim.scheduleAt(100_000, { targetId: 7, onEvent: () => faults.addMtuBlackhole(mask, 1500) });
    sim.run();
    expect(arrivals.timesUs.has('lost')).toBe(false);
    expect(network.counters.transfersDropped).toBe(1);
    // Now the black hole is in force: a large transfer is refused, a small one passes.
    expect(network.startTransfer(sim.nowUs, sp, cache, 10 * MB, arrivals, 0, 'refused')).toBe(-1);
    expect(network.startTransfer(sim.nowUs, sp, cache, 1000, arrivals, 0, 'small')).toBeGreaterThan(0);
    sim.run();
    expect(arrivals.timesUs.has('small')).toBe(true);
  });

  it('are limited by loss on long lossy paths (Mathis bound)', () => {
    const lossy = setup({ transfer: { pathLossProbability: 0.01 } });
    const sp = topology.spAddress(0);
    const far = topology.clusterCacheAddress(topology.clusterCount - 1);
    lossy.network.startTransfer(0, sp, far, 10 * MB, lossy.arrivals, 0, 'x');
    lossy.sim.run();
    const clean = setup();
    clean.network.startTransfer(0, sp, far, 10 * MB, clean.arrivals, 0, 'x');
    clean.sim.run();
    expect(lossy.arrivals.timesUs.get('x') as number).toBeGreaterThan(2 * (clean.arrivals.timesUs.get('x') as number));
  });
});

describe('random draws per link', () => {
  it('give a link the same delays and losses whatever the other links carry', () => {
    // Lossy enough that retransmission draws matter as well as jitter.
    const quiet = setup({ transfer: { pathLossProbability: 0.05 } }).network;
    const busy = setup({ transfer: { pathLossProbability: 0.05 } }).network;
    const from = topology.spAddress(0);
    const to = topology.clusterCacheAddress(7);
    const other = topology.clusterCacheAddress(8);
    const quietDelaysUs: number[] = [];
    const busyDelaysUs: number[] = [];
    for (let i = 0; i < 300; i++) {
      quietDelaysUs.push(quiet.messageDelayUs(0, from, to, 20_000));
      // The busy network also sends on two other links, from the same sender and towards the same receiver.
      busy.messageDelayUs(0, from, other, 20_000);
      busy.messageDelayUs(0, topology.spAddress(1), to, 20_000);
      busyDelaysUs.push(busy.messageDelayUs(0, from, to, 20_000));
    }
    expect(busyDelaysUs).toEqual(quietDelaysUs);
    // And the draws do vary from message to message (jitter and retransmissions), so the equality means something.
    expect(new Set(quietDelaysUs).size).toBeGreaterThan(100);
  });

  it('differ between links and between seeds', () => {
    const a = setup().network;
    const b = new Network(new Simulator(), topology, new RandomStreams(4), { transfer: { pathLossProbability: 0 } });
    const from = topology.spAddress(0);
    const delays = (network: Network, to: number): number[] => Array.from({ length: 20 }, () => network.messageDelayUs(0, from, to, 500));
    const there = topology.clusterCacheAddress(7);
    expect(delays(a, there)).not.toEqual(delays(b, there));
    const jitterOf = (list: number[]): number[] => list.map((x) => x - Math.min(...list));
    expect(jitterOf(delays(a, there))).not.toEqual(jitterOf(delays(a, topology.clusterCacheAddress(9))));
  });
});
