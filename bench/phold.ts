// PHOLD on the acmsim kernel (issue 2's benchmark) and a reference in the same process type:
// 10,000 logical processes, one event in flight each, exponential delays with mean 1 s, each event
// schedules one new event at a uniformly random process. Prints one JSON line.
//   node dist/bench/phold.js kernel|reference [events]
import { Heap } from 'heap-js';
import { RandomStreams, Simulator, exponential, type EventTarget, type Rng } from '../src/kernel/index.js';

const PROCESS_COUNT = 10_000;
const MEAN_DELAY_US = 1_000_000;

function runKernel(events: number, rng: Rng): number {
  const sim = new Simulator();
  const processes: EventTarget[] = [];
  const onEvent = (): void => {
    const next = processes[Math.floor(rng() * PROCESS_COUNT)] as EventTarget;
    sim.scheduleAfter(Math.round(exponential(rng, MEAN_DELAY_US)), next, 0);
  };
  for (let i = 0; i < PROCESS_COUNT; i++) processes.push({ targetId: i, onEvent });
  for (const process of processes) sim.scheduleAt(Math.round(exponential(rng, MEAN_DELAY_US)), process, 0);
  sim.run({ maxEvents: events });
  return sim.eventsProcessed;
}

/** The textbook way: heap-js with a new event object per event (PERF_NOTES: ~1.9 M ev/s). */
function runReference(events: number, rng: Rng): number {
  interface Event { timeUs: number; seq: number; process: number }
  const heap = new Heap<Event>((a, b) => a.timeUs - b.timeUs || a.seq - b.seq);
  let seq = 0;
  for (let i = 0; i < PROCESS_COUNT; i++) heap.push({ timeUs: Math.round(exponential(rng, MEAN_DELAY_US)), seq: seq++, process: i });
  let processed = 0;
  while (processed < events) {
    const event = heap.pop() as Event;
    processed++;
    heap.push({ timeUs: event.timeUs + Math.round(exponential(rng, MEAN_DELAY_US)), seq: seq++, process: Math.floor(rng() * PROCESS_COUNT) });
  }
  return processed;
}

const implementation = process.argv[2] ?? 'kernel';
const events = Number(process.argv[3] ?? 10_000_000);
const rng = new RandomStreams(1).stream('phold');
const startNs = process.hrtime.bigint();
const processed = implementation === 'reference' ? runReference(events, rng) : runKernel(events, rng);
const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
console.log(JSON.stringify({
  bench: 'phold',
  implementation,
  events: processed,
  wallS,
  eventsPerS: processed / wallS,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
}));
