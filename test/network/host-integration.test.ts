// The network behind the kernel's generic host: the Network is the Link, the fault schedule the
// liveness check. Pings across a partition stop and resume when it heals.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/kernel/simulator.js';
import { RandomStreams } from '../../src/kernel/random.js';
import { MachineHost } from '../../src/kernel/host.js';
import { PingMachine, type PingMessage, type PingObservation } from '../../src/kernel/example-ping.js';
import { buildTopology } from '../../src/network/topology-builder.js';
import { FaultSchedule } from '../../src/network/faults.js';
import { Network } from '../../src/network/transfers.js';

describe('network behind MachineHost', () => {
  it('delivers pings at plausible RTTs and none across a partition', () => {
    const topology = buildTopology(new RandomStreams(21), { edgeServers: 2000, isps: 200 });
    const sim = new Simulator();
    const streams = new RandomStreams(21);
    const faults = new FaultSchedule(sim, topology, streams, [
      { kind: 'partition', target: { sps: [1] }, atUs: 10_000_000, forUs: 10_000_000 },
    ]);
    const network = new Network(sim, topology, streams, { faults: faults.state });
    const rtts: { atUs: number; rttUs: number }[] = [];
    const host = new MachineHost<PingMessage, 'start', PingObservation>(
      sim,
      network,
      (nowUs, _address, observation) => rtts.push({ atUs: nowUs, rttUs: observation.rttUs }),
      (address) => faults.isUp(address),
      3,
    );
    const a = topology.spAddress(0);
    const b = topology.spAddress(1);
    host.add(a, new PingMachine(b, 1_000_000));
    host.add(b, new PingMachine(a, 1_000_000_000));
    host.command(a, 'start');
    sim.run({ untilUs: 30_000_000 });
    const during = rtts.filter((r) => r.atUs > 10_500_000 && r.atUs < 20_000_000);
    expect(during).toHaveLength(0);
    expect(rtts.filter((r) => r.atUs < 10_000_000).length).toBeGreaterThanOrEqual(9);
    expect(rtts.filter((r) => r.atUs > 20_500_000).length).toBeGreaterThanOrEqual(9);
    const rttUs = network.latency.rttUs(a, b);
    for (const r of rtts) {
      expect(r.rttUs).toBeGreaterThanOrEqual(rttUs - 2);
      expect(r.rttUs).toBeLessThan(rttUs * 1.2 + 2000 + 3_000_000); // jitter, and a rare retransmission
    }
  });
});
