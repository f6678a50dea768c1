// `acmsim run <scenario>`: load and validate, open the output directory (so a bad --out fails
// before simulating), run, and write every output atomically.
import path from 'node:path';
import { loadScenario } from '../scenario/index.js';
import { checkScenarioAgainstTopology, startRun, type RunSummary } from '../world/run.js';
import { World } from '../world/world.js';
import type { PollOrganisation } from '../world/cluster-driver.js';
import { compareWithReference, formatReferenceTable } from '../check/reference.js';
import { openOutput, writeOutputs } from './outputs.js';
import { ProgressLine } from './progress.js';
import { UsageError } from './errors.js';

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

function wholeNumber(flag: string, value: string): string {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: got "${value}", expected a whole number`);
  return value;
}

export async function runCommand(scenarioPath: string, options: RunCommandOptions): Promise<void> {
  const overrides = [...options.set];
  if (options.seed !== undefined) overrides.push(`seed=${wholeNumber('--seed', options.seed)}`);
  if (options.sampleReceivers !== undefined) {
    overrides.push(`metrics.sampleReceivers=${wholeNumber('--sample-receivers', options.sampleReceivers)}`);
  }
  if (options.organisation !== 'cohort' && options.organisation !== 'per-receiver') {
    throw new UsageError(`--organisation: got "${options.organisation}", expected cohort or per-receiver`);
  }
  const scenario = loadScenario(scenarioPath, overrides);
  checkScenarioAgainstTopology(scenario);
  const outPath = options.out ?? path.join('results', `${scenario.name}-seed${scenario.seed}`);
  const output = openOutput(outPath);
  // An interrupted run leaves nothing behind: the temporary directory is removed, the final one never made.
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = new ProgressLine(process.stderr.isTTY === true && options.quiet !== true);
  try {
    const run = startRun(scenario, { organisation: options.organisation as PollOrganisation });
    for (let sliceEndUs = 0; sliceEndUs < run.totalUs && !interrupted;) {
      sliceEndUs = Math.min(sliceEndUs + World.SLICE_US, run.totalUs);
      run.world.runSlice(sliceEndUs, run.totalUs);
      progress.update(sliceEndUs, run.totalUs, run.world.sim.eventsProcessed);
      await new Promise((resolve) => setImmediate(resolve)); // lets a pending signal be seen
    }
    progress.finish();
    if (interrupted) {
      output.abort();
      process.stderr.write('acmsim: interrupted; no results written\n');
      process.exit(130);
    }
    const result = run.finish();
    const reference = scenario.reference === null ? null : compareWithReference(result.summary, scenario.reference);
    writeOutputs(output, result, scenario, Math.round(progress.elapsedS() * 1000) / 1000, reference);
    // Drawn from the files just written, as `acmsim report` would, and committed with them.
    if (options.report !== false) {
      const reportStartS = progress.elapsedS();
      const reportStartCpu = process.cpuUsage();
      // Loaded only here: vega and vega-lite take a few hundred ms to load, which --no-report should not pay.
      const { buildRunReport } = await import('../report/index.js');
      for (const [name, text] of await buildRunReport(output.tempPath)) output.writeText(name, text);
      // The wall time stays out of the report (it would differ between runs); it goes to a terminal only, like the progress line.
      if (options.quiet !== true && process.stderr.isTTY === true) {
        const cpu = process.cpuUsage(reportStartCpu);
        process.stderr.write(`acmsim: charts and report.html drawn in ${(progress.elapsedS() - reportStartS).toFixed(2)} s (${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU)\n`);
      }
    }
    output.commit();
    if (options.quiet !== true) {
      printHeadline(outPath, result.summary);
      if (reference !== null) process.stdout.write(formatReferenceTable(reference));
    }
  } catch (error) {
    output.abort();
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

function printHeadline(outPath: string, summary: RunSummary): void {
  const p = summary.propagation;
  process.stdout.write(
    `${summary.scenario} seed ${summary.seed}: ${summary.submissions.accepted}/${summary.submissions.total} accepted, ` +
    `propagation mean ${p.meanS.toFixed(1)} s, p95 ${p.p95S.toFixed(1)} s, within 180 s ${p.within180sFraction === null ? '-' : (p.within180sFraction * 100).toFixed(3) + '%'}, ` +
    `invariant violations ${summary.invariants.violations}; results in ${outPath}/\n`,
  );
}
