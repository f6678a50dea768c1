// `npm run bench`: runs each benchmark in its own process (so peak memory is its own), interleaving
// the candidate with a reference measured in the same run, and reports medians and ratios.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

interface Trial { implementation: string; eventsPerS: number; wallS: number; peakRssMiB: number }

const here = path.dirname(fileURLToPath(import.meta.url));
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

function runTrial(script: string, args: string[]): Trial {
  const output = execFileSync(process.execPath, [path.join(here, script), ...args], { encoding: 'utf8' });
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

const only = process.argv[2];
if (only === undefined || only === 'phold') benchPhold();
