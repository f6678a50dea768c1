// PHOLD on the acmsim kernel (issue 2's benchmark) and a reference in the same process type:
// 10,000 logical processes, one event in flight each, exponential delays with mean 1 s, each event
// schedules one new event at a uniformly random process. Prints one JSON line.
// With -cancel, each event also moves, with probability 0.42, another process's pending event to a new time (a
// cancellation and a new event), as the paper replay moves its clusters' wakes: 240,000 cancellations an hour beside
// 570,000 events run. Its reference cancels lazily through a Set of cancelled ids, the textbook way.
//   node dist/bench/phold.js kernel|reference|kernel-cancel|reference-cancel [events]
import { Heap } from 'heap-js';
import { RandomStreams, Simulator, exponential, type EventTarget, type Rng } from '../src/kernel/index.js';

const PROCESS_COUNT = 10_000;
const MEAN_DELAY_US = 1_000_000;
const MOVE_PROBABILITY = 0.42;

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

/** PHOLD where each process's pending event is known by its token, and an event may move another's. */
function runKernelCancel(events: number, rng: Rng): number {
  const sim = new Simulator();
  const processes: EventTarget[] = [];
  const tokens = new Float64Array(PROCESS_COUNT);
  // Each process has one pending event; an event lands on a random process, whose pending one it replaces.
  const onEvent = (): void => {
    const next = Math.floor(rng() * PROCESS_COUNT);
    sim.cancel(tokens[next] as number);
    tokens[next] = sim.scheduleAfter(Math.round(exponential(rng, MEAN_DELAY_US)), processes[next] as EventTarget, 0);
    if (rng() < MOVE_PROBABILITY) {
      const moved = Math.floor(rng() * PROCESS_COUNT);
      sim.cancel(tokens[moved] as number);
      tokens[moved] = sim.scheduleAfter(Math.round(exponential(rng, MEAN_DELAY_US)), processes[moved] as EventTarget, 0);
    }
  };
  for (let i = 0; i < PROCESS_COUNT; i++) processes.push({ targetId: i, onEvent });
  for (let i = 0; i < PROCESS_COUNT; i++) tokens[i] = sim.scheduleAt(Math.round(exponential(rng, MEAN_DELAY_US)), processes[i] as EventTarget, 0);
  // maxEvents counts the cancelled events the kernel drops as well.
  while (sim.eventsProcessed < events) sim.run({ maxEvents: events - sim.eventsProcessed });
  return sim.eventsProcessed;
}

/** The same with heap-js, a new event object per event and a Set of cancelled sequence numbers. */
function runReferenceCancel(events: number, rng: Rng): number {
  interface Event { timeUs: number; seq: number; process: number }
  const heap = new Heap<Event>((a, b) => a.timeUs - b.timeUs || a.seq - b.seq);
  const cancelled = new Set<number>();
  const pending = new Float64Array(PROCESS_COUNT);
  let seq = 0;
  const schedule = (timeUs: number, process: number): void => {
    pending[process] = seq;
    heap.push({ timeUs, seq: seq++, process });
  };
  for (let i = 0; i < PROCESS_COUNT; i++) schedule(Math.round(exponential(rng, MEAN_DELAY_US)), i);
  let processed = 0;
  while (processed < events) {
    const event = heap.pop() as Event;
    if (cancelled.delete(event.seq)) continue;
    processed++;
    // The event being run is no longer pending: cancelling it is a no-op, as in the kernel.
    const next = Math.floor(rng() * PROCESS_COUNT);
    if (pending[next] !== event.seq) cancelled.add(pending[next] as number);
    schedule(event.timeUs + Math.round(exponential(rng, MEAN_DELAY_US)), next);
    if (rng() < MOVE_PROBABILITY) {
      const moved = Math.floor(rng() * PROCESS_COUNT);
      if (pending[moved] !== event.seq) cancelled.add(pending[moved] as number);
      schedule(event.timeUs + Math.round(exponential(rng, MEAN_DELAY_US)), moved);
    }
  }
  return processed;
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
const runs: Record<string, (events: number, rng: Rng) => number> = {
  kernel: runKernel, reference: runReference, 'kernel-cancel': runKernelCancel, 'reference-cancel': runReferenceCancel,
};
const run = runs[implementation];
if (run === undefined) throw new Error(`phold: unknown implementation ${implementation}: ${Object.keys(runs).join(', ')}`);
const processed = run(events, rng);
const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
console.log(JSON.stringify({
  bench: 'phold',
  implementation,
  events: processed,
  wallS,
  eventsPerS: processed / wallS,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
}));
