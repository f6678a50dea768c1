import { describe, expect, it } from 'vitest';
import { MachineHost, Simulator, type Link } from '../../src/kernel/index.js';
import { PingMachine, type PingMessage, type PingObservation } from '../../src/kernel/example-ping.js';

describe('PingMachine, fed by hand (no kernel)', () => {
  it('pings on start, answers pings, and reports the round trip on a pong', () => {
    const machine = new PingMachine(2, 1_000_000);
    expect(machine.handle(0, { type: 'command', command: 'start' })).toEqual([
      { type: 'send', to: 2, message: { type: 'ping', sentUs: 0 }, sizeBytes: 64 },
      { type: 'setTimer', timer: 'ping', atUs: 1_000_000 },
    ]);
    expect(machine.handle(5, { type: 'receive', from: 2, message: { type: 'ping', sentUs: 3 } })).toEqual([
      { type: 'send', to: 2, message: { type: 'pong', sentUs: 3 }, sizeBytes: 64 },
    ]);
    expect(machine.handle(40_000, { type: 'receive', from: 2, message: { type: 'pong', sentUs: 0 } })).toEqual([
      { type: 'observe', observation: { type: 'rtt', rttUs: 40_000 } },
    ]);
  });
});

describe('MachineHost', () => {
  it('drives two machines over a link with latency and drops what the link loses', () => {
    const sim = new Simulator();
    const link: Link = { transmitDelayUs: (_now, _from, _to, sizeBytes) => (sizeBytes > 1500 ? -1 : 20_000) };
    const rtts: number[] = [];
    const host = new MachineHost<PingMessage, 'start', PingObservation>(sim, link, (_now, _address, observation) => {
      rtts.push(observation.rttUs);
    });
    host.add(1, new PingMachine(2, 1_000_000));
    host.add(2, new PingMachine(1, 1_000_000));
    host.command(1, 'start');
    sim.run({ untilUs: 3_500_000 });
    expect(rtts).toEqual([40_000, 40_000, 40_000, 40_000]);
  });

  it('delivers nothing to a node that is down', () => {
    const sim = new Simulator();
    const link: Link = { transmitDelayUs: () => 10_000 };
    const rtts: number[] = [];
    const host = new MachineHost<PingMessage, 'start', PingObservation>(
      sim, link, (_now, _a, observation) => rtts.push(observation.rttUs), (address) => address !== 2,
    );
    host.add(1, new PingMachine(2, 1_000_000));
    host.add(2, new PingMachine(1, 1_000_000));
    host.command(1, 'start');
    sim.run({ untilUs: 2_500_000 });
    expect(rtts).toEqual([]);
  });
});
