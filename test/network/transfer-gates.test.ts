// Gates for cut-through forwarding: a transfer behind a gate shares its sender's egress as any other, but its last
// byte leaves no earlier than the gate opens: it arrives at max(its own arrival, opening + one-way).
import { describe, expect, it } from 'vitest';
import { Simulator, type EventTarget } from '../../src/kernel/simulator.js';
import { RandomStreams } from '../../src/kernel/random.js';
import { buildTopology } from '../../src/network/topology-builder.js';
import { Network } from '../../src/network/transfers.js';

const topology = buildTopology(new RandomStreams(3));
const MB = 1_000_000;
const SP = topology.spAddress(0);
const PARENT = topology.parentSiteAddress(0);
const CACHE = topology.clusterCacheAddress(0);

class Arrivals implements EventTarget {
  readonly targetId = 99;
  readonly timesUs = new Map<unknown, number>();
  onEvent(nowUs: number, _kind: number, arg: unknown): void {
    this.timesUs.set(arg, nowUs);
  }
}

function setup() {
  const sim = new Simulator();
  const network = new Network(sim, topology, new RandomStreams(3), { transfer: { pathLossProbability: 0 } });
  return { sim, network, arrivals: new Arrivals() };
}

const at = (sim: Simulator, timeUs: number, action: () => void): void => {
  sim.scheduleAt(timeUs, { targetId: 7, onEvent: action });
};

/** Arrival of a 10 MB transfer from the parent to the cache with no gate (the same draws as in a gated run). */
function ungatedArrivalUs(): number {
  const { sim, network, arrivals } = setup();
  network.startTransfer(0, PARENT, CACHE, 10 * MB, arrivals, 0, 'plain', 5);
  sim.run();
  return arrivals.timesUs.get('plain') as number;
}

describe('transfer gates (cut-through)', () => {
  it('hold the last byte until the gate opens, then arrive one path delay later', () => {
    const { sim, network, arrivals } = setup();
    const gate = network.createGate();
    network.startTransfer(0, PARENT, CACHE, 10 * MB, arrivals, 0, 'gated', 5, gate);
    const openUs = 20_000_000;
    at(sim, openUs, () => network.openGate(openUs, gate));
    sim.run();
    const arrivalUs = arrivals.timesUs.get('gated') as number;
    const ownArrivalUs = ungatedArrivalUs();
    expect(ownArrivalUs).toBeLessThan(openUs);
    const oneWayUs = network.latency.baseOneWayUs(PARENT, CACHE);
    expect(arrivalUs).toBeGreaterThan(openUs + network.messageLowerBoundUs(PARENT, CACHE));
    expect(arrivalUs).toBeLessThan(openUs + 1.2 * oneWayUs + 1_000);
  });

  it('change nothing when the gate opens before the transfer has sent its bytes', () => {
    const { sim, network, arrivals } = setup();
    const gate = network.createGate();
    network.startTransfer(0, PARENT, CACHE, 10 * MB, arrivals, 0, 'gated', 5, gate);
    at(sim, 1_000, () => network.openGate(1_000, gate));
    sim.run();
    expect(arrivals.timesUs.get('gated')).toBe(ungatedArrivalUs());
  });

  it('share the egress while sending, and free it while they wait for the gate', () => {
    const { sim, network, arrivals } = setup();
    const gate = network.createGate();
    network.startTransfer(0, SP, CACHE, 50 * MB, arrivals, 0, 'gated', 5, gate);
    network.startTransfer(0, SP, topology.clusterCacheAddress(1), 50 * MB, arrivals, 0, 'other', 6);
    sim.run();
    // Two 50 MB transfers at the SP's 12.5 MB/s: about 8 s for both, the gated one held at the end.
    expect(arrivals.timesUs.get('other') as number).toBeGreaterThan(7_900_000);
    expect(arrivals.timesUs.get('other') as number).toBeLessThan(8_600_000);
    expect(arrivals.timesUs.has('gated')).toBe(false);
    expect(network.activeTransferCount()).toBe(1);
    expect(network.activeTransferCount(SP)).toBe(0);
  });

  it('cancel their transfers when aborted, held or still sending', () => {
    const { sim, network, arrivals } = setup();
    const gate = network.createGate();
    network.startTransfer(0, PARENT, CACHE, 1 * MB, arrivals, 0, 'held', 5, gate);
    network.startTransfer(0, PARENT, topology.clusterCacheAddress(1), 100 * MB, arrivals, 0, 'sending', 6, gate);
    at(sim, 2_000_000, () => network.abortGate(gate));
    sim.run();
    expect(arrivals.timesUs.size).toBe(0);
    expect(network.counters.transfersCancelled).toBe(2);
    expect(network.activeTransferCount()).toBe(0);
    expect(() => network.openGate(sim.nowUs, gate)).toThrow(/not closed/);
  });
});
