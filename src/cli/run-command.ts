// `acmsim run <scenario>`: load and validate, build the run, open the output directory (so a bad --out
// fails before simulating), simulate in bounded steps that a signal can stop, write every output atomically.
import path from 'node:path';
import { loadScenario, type Scenario } from '../scenario/index.js';
import { evaluateExpectations } from '../check/expectations.js';
import { summaryWithLiveness, type SummaryWithLiveness } from '../check/liveness.js';
import { propertyOfMetric } from '../fuzz/properties.js';
import { startRun, type RunInProgress, type RunSummary } from '../run/run.js';
import { METRICS_LIMITS } from '../scenario/limits.js';
import { World } from '../world/world.js';
import { CLUSTER_ORGANISATIONS, type ClusterOrganisation } from '../world/cluster/port.js';
import { compareWithReference, formatReferenceTable } from '../run/reference.js';
import { openOutput, writeOutputs } from '../run/outputs.js';
import type { OutputDir } from '../metrics/index.js';
import { ProgressLine, progressModeFor } from './progress.js';
import { UsageError } from './errors.js';
import { SignalWatch, exitCodeOf, yieldToEventLoop } from './signals.js';

export interface RunCommandOptions {
  readonly seed?: string;
  readonly out?: string;
  readonly set: string[];
  readonly sampleReceivers?: string;
  readonly organisation: string;
  readonly quiet?: boolean;
  /** false with --no-report: no charts, no report.html. */
  readonly report?: boolean;
}

/** A whole number in [0, max], checked here so that the message names the flag, not the field it sets. */
function wholeNumber(flag: string, value: string, max: number): string {
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`${flag}: got "${value}", expected a whole number from 0 to ${max}`);
  return value;
}

/**
 * Events run between two looks at the signal flag: about 20-50 ms of work at the kernel's 1-3 M events/s.
 * A signal's handler runs only when the loop yields, so this bounds how long Ctrl-C waits.
 */
export const EVENTS_PER_STEP = 50_000;

/** Test only: changes the world after it is built and before it runs (how fuzz mutants are replayed). */
export interface RunCommandHooks {
  readonly prepareWorld?: (world: World) => void;
}

/**
 * Runs the scenario and writes its results; returns the exit code: 0, or 1 when an expectation of the
 * scenario fails (each is named on stderr), as `acmsim check` would report it.
 */
export async function runCommand(scenarioPath: string, options: RunCommandOptions, hooks: RunCommandHooks = {}): Promise<number> {
  const overrides = [...options.set];
  if (options.seed !== undefined) overrides.push(`seed=${wholeNumber('--seed', options.seed, Number.MAX_SAFE_INTEGER)}`);
  if (options.sampleReceivers !== undefined) {
    overrides.push(`metrics.sampleReceivers=${wholeNumber('--sample-receivers', options.sampleReceivers, METRICS_LIMITS.sampleReceivers.max)}`);
  }
  if (!(CLUSTER_ORGANISATIONS as readonly string[]).includes(options.organisation)) {
    throw new UsageError(`--organisation: got "${options.organisation}", expected ${CLUSTER_ORGANISATIONS.join(' or ')}`);
  }
  const scenario = loadScenario(scenarioPath, overrides);
  const signals = new SignalWatch();
  try {
    // Topology (once, fault targets checked against it), workload and world, before anything is written.
    const run = startRun(scenario, { organisation: options.organisation as ClusterOrganisation });
    hooks.prepareWorld?.(run.world);
    const outPath = options.out ?? path.join('results', `${scenario.name}-seed${scenario.seed}`);
    const output = openOutput(outPath);
    try {
      const progress = new ProgressLine(progressModeFor(options.quiet === true));
      const completed = await simulate(run, signals, progress);
      progress.finish();
      if (!completed) {
        // An interrupted run leaves nothing behind: the temporary directory is removed, the final one never made.
        output.abort();
        const signal = signals.signal as NodeJS.Signals;
        process.stderr.write(`acmsim: interrupted by ${signal}; no results written\n`);
        process.exit(exitCodeOf(signal));
      }
      const finished = run.finish();
      const result = { ...finished, summary: summaryWithLiveness(scenario, finished) };
      const reference = scenario.reference === null ? null : compareWithReference(result.summary, scenario.reference);
      writeOutputs(output, result, Math.round(progress.elapsedS() * 1000) / 1000, reference, scenario);
      // Drawn from the files just written, as `acmsim report` would, and committed with them.
      if (options.report !== false) await drawReport(output, progress, options.quiet === true);
      output.commit();
      if (options.quiet !== true) {
        printHeadline(outPath, result.summary);
        if (reference !== null) process.stdout.write(formatReferenceTable(reference));
      }
      return reportFailedExpectations(scenario.name, result.summary, scenario.expect);
    } catch (error) {
      output.abort();
      throw error;
    }
  } finally {
    signals.dispose();
  }
}

/**
 * Runs the world to the end in ten-minute slices of simulated time (a progress update at each), each
 * taken in steps of at most EVENTS_PER_STEP events with a yield between them, so that a signal is seen
 * within a bounded amount of work however busy a slice is. The events run are the same, in the same
 * order, as in one uninterrupted run. Returns false when a signal stopped it.
 */
/** Progress is updated at the end of every ten simulated minutes. */
const PROGRESS_SLICE_US = 600_000_000;

async function simulate(run: RunInProgress, signals: SignalWatch, progress: ProgressLine): Promise<boolean> {
  const sim = run.world.sim;
  run.world.setRunEnd(run.totalUs);
  let sliceEndUs = Math.min(PROGRESS_SLICE_US, run.totalUs);
  for (;;) {
    await yieldToEventLoop();
    if (signals.signal !== null) return false;
    if (sim.run({ untilUs: sliceEndUs, maxEvents: EVENTS_PER_STEP }) === 'maxEvents') continue;
    progress.update(sliceEndUs, run.totalUs, sim.eventsProcessed);
    if (sliceEndUs >= run.totalUs) return true;
    sliceEndUs = Math.min(sliceEndUs + PROGRESS_SLICE_US, run.totalUs);
  }
}

async function drawReport(output: OutputDir, progress: ProgressLine, quiet: boolean): Promise<void> {
  const startS = progress.elapsedS();
  const startCpu = process.cpuUsage();
  // Loaded only here: vega and vega-lite take a few hundred ms to load, which --no-report should not pay.
  const { buildRunReport } = await import('../report/index.js');
  for (const [name, text] of await buildRunReport(output.tempPath)) output.writeText(name, text);
  // The wall time stays out of the report (it would differ between runs); it goes to a terminal only, like the progress line.
  if (!quiet && process.stderr.isTTY === true) {
    const cpu = process.cpuUsage(startCpu);
    process.stderr.write(`acmsim: charts and report.html drawn in ${(progress.elapsedS() - startS).toFixed(2)} s (${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU)\n`);
  }
}

/** Names every failed expectation on stderr, with the run's first violations; 1 if any failed. */
function reportFailedExpectations(name: string, summary: SummaryWithLiveness, expectations: Scenario['expect']): number {
  const failed = evaluateExpectations(name, summary, expectations).filter((row) => !row.pass);
  for (const row of failed) {
    const property = propertyOfMetric(row.metric);
    process.stderr.write(`acmsim: ${name}: expectation failed: ${row.message}${property === undefined ? '' : ` (${property.id}: ${property.title})`}\n`);
  }
  if (failed.length === 0) return 0;
  for (const line of [...summary.invariants.firstViolations, ...summary.liveness.firstViolations].slice(0, 5)) process.stderr.write(`  ${line}\n`);
  return 1;
}


function printHeadline(outPath: string, summary: RunSummary): void {
  const p = summary.propagation;
  process.stdout.write(
    `${summary.scenario} seed ${summary.seed}: ${summary.submissions.accepted}/${summary.submissions.total} accepted, ` +
    `propagation mean ${seconds(p.meanS)}, p95 ${seconds(p.p95S)}, within 180 s ${p.within180sFraction === null ? '-' : (p.within180sFraction * 100).toFixed(3) + '%'}, ` +
    `invariant violations ${summary.invariants.violations}; results in ${outPath}/\n`,
  );
}

/** "12.3 s", or "-" for a figure over an empty series. */
function seconds(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(1)} s`;
}
