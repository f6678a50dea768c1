// `acmsim demo`: the smallest end-to-end run, kept as a smoke check of the kernel and host.
import { MachineHost, RandomStreams, Simulator, uniformInt, type Link } from '../kernel/index.js';
import { PingMachine, type PingMessage, type PingObservation } from '../kernel/example-ping.js';

export function runDemo(seed: number): void {
  const sim = new Simulator();
  const jitter = new RandomStreams(seed).stream('demo/link');
  const link: Link = { transmitDelayUs: () => 20_000 + uniformInt(jitter, 0, 5_000) };
  const rttsUs: number[] = [];
  const host = new MachineHost<PingMessage, 'start', PingObservation>(sim, link, (_now, _address, observation) => {
    rttsUs.push(observation.rttUs);
  });
  host.add(1, new PingMachine(2, 1_000_000));
  host.add(2, new PingMachine(1, 1_000_000));
  host.command(1, 'start');
  sim.run({ untilUs: 60_000_000 });
  const meanMs = rttsUs.reduce((sum, rtt) => sum + rtt, 0) / rttsUs.length / 1000;
  console.log(`demo: ${sim.eventsProcessed} events, ${rttsUs.length} round trips, mean RTT ${meanMs.toFixed(3)} ms, fingerprint ${sim.fingerprint.toString(16)}`);
}
