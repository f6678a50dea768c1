// `acmsim run <scenario>`: load and validate, open the output directory (so a bad --out fails
// before simulating), run, and write every output atomically.
import path from 'node:path';
import { loadScenario, type Scenario } from '../scenario/index.js';
import { evaluateExpectations } from '../check/expectations.js';
import { summaryWithLiveness, type SummaryWithLiveness } from '../check/liveness.js';
import { propertyOfMetric } from '../fuzz/properties.js';
import { checkScenarioAgainstTopology, startRun, type RunSummary } from '../world/run.js';
import { World } from '../world/world.js';
import { CLUSTER_ORGANISATIONS, type ClusterOrganisation } from '../world/cluster/port.js';
import { compareWithReference, formatReferenceTable } from '../check/reference.js';
import { openOutput, writeOutputs } from './outputs.js';
import { ProgressLine, progressModeFor } from './progress.js';
import { UsageError } from './errors.js';

export interface RunCommandOptions {
  readonly seed?: string;
  readonly out?: string;
  readonly set: string[];
  readonly sampleReceivers?: string;
  readonly organisation: string;
  readonly quiet?: boolean;
}

function wholeNumber(flag: string, value: string): string {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: got "${value}", expected a whole number`);
  return value;
}

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
  if (options.seed !== undefined) overrides.push(`seed=${wholeNumber('--seed', options.seed)}`);
  if (options.sampleReceivers !== undefined) {
    overrides.push(`metrics.sampleReceivers=${wholeNumber('--sample-receivers', options.sampleReceivers)}`);
  }
  if (!(CLUSTER_ORGANISATIONS as readonly string[]).includes(options.organisation)) {
    throw new UsageError(`--organisation: got "${options.organisation}", expected ${CLUSTER_ORGANISATIONS.join(' or ')}`);
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
  const progress = new ProgressLine(progressModeFor(options.quiet === true));
  try {
    const run = startRun(scenario, { organisation: options.organisation as ClusterOrganisation });
    hooks.prepareWorld?.(run.world);
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
    const finished = run.finish();
    const result = { ...finished, summary: summaryWithLiveness(scenario, finished) };
    const reference = scenario.reference === null ? null : compareWithReference(result.summary, scenario.reference);
    writeOutputs(output, result, Math.round(progress.elapsedS() * 1000) / 1000, reference);
    if (options.quiet !== true) {
      printHeadline(outPath, result.summary);
      if (reference !== null) process.stdout.write(formatReferenceTable(reference));
    }
    return reportFailedExpectations(scenario.name, result.summary, scenario.expect);
  } catch (error) {
    output.abort();
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
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
    `propagation mean ${p.meanS.toFixed(1)} s, p95 ${p.p95S.toFixed(1)} s, within 180 s ${p.within180sFraction === null ? '-' : (p.within180sFraction * 100).toFixed(3) + '%'}, ` +
    `invariant violations ${summary.invariants.violations}; results in ${outPath}/\n`,
  );
}
