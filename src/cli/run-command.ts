// `acmsim run <scenario>`: load and validate, open the output directory (so a bad --out fails
// before simulating), run, and write every output atomically.
import path from 'node:path';
import { loadScenario } from '../scenario/index.js';
import { runScenario } from '../world/run.js';
import type { PollOrganisation } from '../world/cluster-driver.js';
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
}

function wholeNumber(flag: string, value: string): string {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: got "${value}", expected a whole number`);
  return value;
}

export function runCommand(scenarioPath: string, options: RunCommandOptions): void {
  const overrides = [...options.set];
  if (options.seed !== undefined) overrides.push(`seed=${wholeNumber('--seed', options.seed)}`);
  if (options.sampleReceivers !== undefined) {
    overrides.push(`metrics.sampleReceivers=${wholeNumber('--sample-receivers', options.sampleReceivers)}`);
  }
  if (options.organisation !== 'cohort' && options.organisation !== 'per-receiver') {
    throw new UsageError(`--organisation: got "${options.organisation}", expected cohort or per-receiver`);
  }
  const scenario = loadScenario(scenarioPath, overrides);
  const outPath = options.out ?? path.join('results', `${scenario.name}-seed${scenario.seed}`);
  const output = openOutput(outPath);
  const progress = new ProgressLine(process.stderr.isTTY === true && options.quiet !== true);
  try {
    const result = runScenario(scenario, {
      organisation: options.organisation as PollOrganisation,
      onProgress: (nowUs, totalUs, events) => progress.update(nowUs, totalUs, events),
    });
    progress.finish();
    writeOutputs(output, result, Math.round(progress.elapsedS() * 1000) / 1000);
    if (options.quiet !== true) printHeadline(outPath, result.summary);
  } catch (error) {
    output.abort();
    throw error;
  }
}

function printHeadline(outPath: string, summary: ReturnType<typeof runScenario>['summary']): void {
  const p = summary.propagation;
  process.stdout.write(
    `${summary.scenario} seed ${summary.seed}: ${summary.submissions.accepted}/${summary.submissions.total} accepted, ` +
    `propagation mean ${p.meanS.toFixed(1)} s, p95 ${p.p95S.toFixed(1)} s, within 180 s ${(p.within180sFraction * 100).toFixed(3)}%, ` +
    `invariant violations ${summary.invariants.violations}; results in ${outPath}/\n`,
  );
}
