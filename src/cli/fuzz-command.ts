// `acmsim fuzz`: random worlds and fault schedules, each failure shrunk and written as a scenario file
// that `acmsim run` replays. Owns the wall clock (--for, runs/s, progress); exit 0 clean, 1 failures, 2 usage.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAULT_KINDS, parseDuration } from '../scenario/index.js';
import { OutputDir } from '../metrics/index.js';
import { fuzz, type FuzzReport } from '../fuzz/fuzz.js';
import { failureFileName, failureFileText, replayCommand } from '../fuzz/failure-file.js';
import { defaultJobs } from './check-command.js';
import { UsageError } from './errors.js';

export interface FuzzCommandOptions {
  readonly runs?: string;
  readonly for?: string;
  readonly seed?: string;
  readonly jobs?: string;
  readonly out?: string;
  readonly without?: string;
  readonly quiet?: boolean;
}

const DEFAULT_RUNS = 100;

function wholeNumber(flag: string, value: string, minimum: number): number {
  if (!/^\d+$/.test(value) || Number(value) < minimum || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${flag}: got "${value}", expected a whole number >= ${minimum}`);
  }
  return Number(value);
}

function parseFor(value: string): number {
  let durationUs: number;
  try {
    durationUs = parseDuration(value);
  } catch {
    durationUs = Number.NaN;
  }
  if (!(durationUs > 0)) throw new UsageError(`--for: got "${value}", expected a positive duration like "30m", "8h" or "90s"`);
  return durationUs / 1000;
}

function parseKinds(value: string | undefined): string[] {
  if (value === undefined) return [];
  const kinds = value.split(',').map((kind) => kind.trim());
  for (const kind of kinds) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--without: got "${kind}", expected fault kinds from: ${FAULT_KINDS.join(', ')}`);
  }
  return kinds;
}

export async function fuzzCommand(options: FuzzCommandOptions): Promise<number> {
  if (options.runs !== undefined && options.for !== undefined) throw new UsageError('--runs and --for: got both, expected one of them');
  const runs = options.for !== undefined ? undefined : options.runs === undefined ? DEFAULT_RUNS : wholeNumber('--runs', options.runs, 1);
  const forMs = options.for === undefined ? undefined : parseFor(options.for);
  const seed = options.seed === undefined ? 1 : wholeNumber('--seed', options.seed, 0);
  const jobs = options.jobs === undefined ? defaultJobs() : wholeNumber('--jobs', options.jobs, 1);
  const withoutKinds = parseKinds(options.without);
  const outPath = options.out ?? path.join('results', `fuzz-seed${seed}`);
  const output = OutputDir.create(outPath); // an unwritable --out fails before any run
  const progress = new FuzzProgress(options.quiet !== true, runs, forMs);
  try {
    const report = await fuzz({
      seed, jobs, withoutKinds,
      ...(runs === undefined ? { keepGoing: () => progress.elapsedMs() < (forMs as number) } : { runs }),
      onRun: (result, done) => progress.update(done, result.failures.length > 0),
      onShrinkStart: (failure) => progress.note(`shrinking ${failure.property} (run ${failure.index}, case seed ${failure.caseSeed})`),
    });
    const wallS = progress.elapsedMs() / 1000;
    progress.finish();
    // Runs per second over the runs themselves; shrinking the failures afterwards is reported apart.
    const times = { wallS, runsS: progress.lastRunMs / 1000 };
    writeReport(output, report, times, jobs);
    printReport(report, times, jobs, path.join(outPath, 'failures'));
    return report.failures.length === 0 ? 0 : 1;
  } catch (error) {
    output.abort();
    throw error;
  }
}

interface FuzzTimes {
  /** The whole command, and the runs alone (until the last run finished). */
  readonly wallS: number;
  readonly runsS: number;
}

function writeReport(output: OutputDir, report: FuzzReport, times: FuzzTimes, jobs: number): void {
  const failuresDir = path.join(output.tempPath, 'failures');
  fs.mkdirSync(failuresDir);
  const files: string[] = [];
  for (const failure of report.failures) {
    const name = failureFileName(failure);
    files.push(name);
    fs.writeFileSync(path.join(failuresDir, name), failureFileText(failure, path.join(output.finalPath, 'failures', name), report.seed));
  }
  output.writeJson('summary.json', {
    seed: report.seed, runs: report.runs, determinismChecks: report.determinismChecks, failedRuns: report.failedRuns,
    byProperty: report.byProperty, byDesign: report.byDesign, waivedByProperty: report.waivedByProperty, jobs, wallS: round(times.wallS), runsS: round(times.runsS), runsPerS: round(report.runs / times.runsS),
    shrinkS: round(times.wallS - times.runsS), slowest: report.slowest,
    failures: report.failures.map((failure, k) => ({
      property: failure.property, run: failure.index, caseSeed: failure.caseSeed, file: `failures/${files[k] as string}`,
      shrunk: failure.shrink !== undefined, detail: failure.shrink?.detail ?? failure.detail,
    })),
  });
  output.commit();
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

function countsText(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts).map(([key, count]) => `${key} ${count}`).join(', ');
}

function printReport(report: FuzzReport, times: FuzzTimes, jobs: number, failuresDir: string): void {
  const byProperty = countsText(report.byProperty);
  const waived = countsText(report.waivedByProperty);
  const slowest = report.slowest === null ? '' : `; slowest run ${report.slowest.index} (case seed ${report.slowest.caseSeed}) ${report.slowest.wallS.toFixed(2)} s`;
  process.stdout.write(
    `fuzz seed ${report.seed}: ${report.runs} runs (${report.determinismChecks} run twice), ${report.failedRuns} failed${byProperty === '' ? '' : `: ${byProperty}`}; ` +
    `${(report.runs / times.runsS).toFixed(1)} runs/s on ${jobs} job(s) (${times.runsS.toFixed(1)} s of runs, ${(times.wallS - times.runsS).toFixed(1)} s of shrinking)${slowest}` +
    `; designs ${countsText(report.byDesign)}${waived === '' ? '' : ` (waived by design after a fail-over: ${waived})`}\n`,
  );
  for (const failure of report.failures) {
    const lines = (failure.shrink?.detail ?? failure.detail).split('\n');
    process.stdout.write(`FAIL ${failure.property}: run ${failure.index}, case seed ${failure.caseSeed}${failure.shrink === undefined ? ' (not shrunk)' : ''}\n`);
    for (const line of lines.slice(0, 3)) process.stdout.write(`  ${line}\n`);
    process.stdout.write(`  replay: ${replayCommand(path.join(failuresDir, failureFileName(failure)), failure.property)}\n`);
  }
}

/** Progress on stderr: a rewritten line on a terminal, else a plain line every ~10%. */
class FuzzProgress {
  private readonly startNs = process.hrtime.bigint();
  private failed = 0;
  private lastDecile = 0;
  /** When the latest run finished, in ms since the start. */
  lastRunMs = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly enabled: boolean, private readonly runs: number | undefined, private readonly forMs: number | undefined) {}

  elapsedMs(): number {
    return Number(process.hrtime.bigint() - this.startNs) / 1e6;
  }

  update(done: number, failed: boolean): void {
    this.lastRunMs = this.elapsedMs();
    if (failed) this.failed++;
    if (!this.enabled) return;
    const fraction = this.runs !== undefined ? done / this.runs : this.elapsedMs() / (this.forMs as number);
    const line = `fuzz: ${done}${this.runs === undefined ? '' : `/${this.runs}`} runs, ${this.failed} failed, ${(done / (this.elapsedMs() / 1000)).toFixed(1)} runs/s`;
    if (this.tty) {
      process.stderr.write(`\r  ${line}   `);
      return;
    }
    const decile = Math.min(10, Math.floor(fraction * 10));
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      process.stderr.write(`${line} (${decile * 10}%)\n`);
    }
  }

  note(text: string): void {
    if (!this.enabled) return;
    process.stderr.write(`${this.tty ? '\n' : ''}fuzz: ${text}\n`);
  }

  finish(): void {
    if (this.enabled && this.tty) process.stderr.write('\n');
  }
}
