// `npm run bench`: runs each benchmark in its own process (so peak memory is its own), interleaving
// the candidate with a reference measured in the same run, and reports medians and ratios.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

interface Trial { implementation: string; eventsPerS: number; wallS: number; peakRssMiB: number }

const here = path.dirname(fileURLToPath(import.meta.url));
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

function runTrial(script: string, args: string[], nodeOptions: string[] = []): Trial {
  const output = execFileSync(process.execPath, [...nodeOptions, path.join(here, script), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(output.trim().split('\n').pop() as string) as Trial;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function benchPhold(): void {
  const kernel: Trial[] = [];
  const reference: Trial[] = [];
  for (let i = 0; i < repeats; i++) {
    kernel.push(runTrial('phold.js', ['kernel']));
    reference.push(runTrial('phold.js', ['reference']));
  }
  const kernelRate = median(kernel.map((t) => t.eventsPerS));
  const referenceRate = median(reference.map((t) => t.eventsPerS));
  console.log('PHOLD, 10,000 processes, 10 M events, median of %d interleaved runs', repeats);
  console.log('  acmsim kernel:                 %s M events/s, peak RSS %s MiB',
    (kernelRate / 1e6).toFixed(2), median(kernel.map((t) => t.peakRssMiB)).toFixed(0));
  console.log('  reference (heap-js, new object per event): %s M events/s, peak RSS %s MiB',
    (referenceRate / 1e6).toFixed(2), median(reference.map((t) => t.peakRssMiB)).toFixed(0));
  console.log('  ratio kernel / reference:      %s', (kernelRate / referenceRate).toFixed(2));
}

/**
 * A slice of the paper replay at the paper's submission rate (2 h by default, BENCH_REPLAY_HOURS to change;
 * 48 for the whole replay), with the per-cluster event organisation against the one-event-per-poll reference.
 */
function benchReplay(): void {
  const hours = process.env.BENCH_REPLAY_HOURS ?? '2';
  const replayRepeats = Number(process.env.BENCH_REPEATS ?? 1);
  const cohort: Trial[] = [];
  const reference: Trial[] = [];
  const heapCap = ['--max-old-space-size=1536'];
  for (let i = 0; i < replayRepeats; i++) {
    cohort.push(runTrial('replay.js', [hours, 'cohort'], heapCap));
    reference.push(runTrial('replay.js', [hours, 'per-receiver'], heapCap));
  }
  const cohortWallS = median(cohort.map((t) => t.wallS));
  const referenceWallS = median(reference.map((t) => t.wallS));
  console.log('Paper replay, %s simulated hours on 15,000 edge servers, median of %d run(s)', hours, replayRepeats);
  console.log('  per-cluster polls (default): %s s wall, %s M events/s, peak RSS %s MiB',
    cohortWallS.toFixed(1), (median(cohort.map((t) => t.eventsPerS)) / 1e6).toFixed(2), median(cohort.map((t) => t.peakRssMiB)).toFixed(0));
  console.log('  one event per poll (reference): %s s wall, peak RSS %s MiB',
    referenceWallS.toFixed(1), median(reference.map((t) => t.peakRssMiB)).toFixed(0));
  console.log('  ratio reference / default wall: %s; 48 h extrapolated at this rate: %s s',
    (referenceWallS / cohortWallS).toFixed(2), ((cohortWallS * 48) / Number(hours)).toFixed(0));
}

const only = process.argv[2];
if (only === undefined || only === 'phold') benchPhold();
if (only === 'replay') benchReplay();
