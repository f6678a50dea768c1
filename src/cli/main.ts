#!/usr/bin/env -S node --max-old-space-size=1536 --max-semi-space-size=32
// The acmsim command line. Wall-clock reads and terminal output live here, never in the simulation.
// Exit codes: 0 success, 1 expectations failed (run, check) or fuzz failures, 2 bad input or usage.
import { Command, CommanderError } from 'commander';
import { runDemo } from './demo.js';
import { runCommand, type RunCommandOptions } from './run-command.js';
import { validateCommand } from './validate-command.js';
import { checkCommand, type CheckCommandOptions } from './check-command.js';
import { fuzzCommand, type FuzzCommandOptions } from './fuzz-command.js';
import { reportAndExit, UsageError } from './errors.js';
import { packageVersion } from './version.js';

function demoSeed(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--seed: got "${value}", expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`);
  }
  return Number(value);
}

// A reader that goes away (`acmsim check ... | head -1`) is not an error of the run: later output is dropped.
// Without these listeners Node throws EPIPE as an uncaught exception, with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') reportAndExit(error);
  });
}
import { sweepCommand, type SweepCommandOptions } from './sweep-command.js';

const program = new Command();
program
  .name('acmsim')
  .version(packageVersion(), '-V, --version', 'print the version of acmsim')
  .description('Deterministic discrete-event simulator of the Akamai Configuration Management System (ACMS, NSDI 2005)')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

const collect = (value: string, previous: string[]): string[] => [...previous, value];

program
  .command('run')
  .description('run one scenario and write its results (summary.json and CSVs) into a directory')
  .argument('<scenario>', 'scenario file (YAML or JSON)')
  .option('--seed <n>', 'run seed (overrides the scenario)')
  .option('--out <dir>', 'output directory (default: results/<name>-seed<N>/)')
  .option('--set <path=value>', 'override a scenario value, e.g. acms.pollInterval=20s (repeatable)', collect, [])
  .option('--sample-receivers <n>', 'receivers whose deliveries are written to propagation.csv')
  .option('--organisation <host>', 'cluster host: engine (fast) or reference (pure machines, one event per poll; small runs)', 'engine')
  .option('--quiet', 'no progress line')
  .option('--no-report', 'skip the charts and report.html')
  .action(async (scenario: string, options: RunCommandOptions) => {
    process.exitCode = await runCommand(scenario, options);
  });

program
  .command('report')
  .description('draw the charts and report.html again from a run output directory, or a sweep directory holding points.csv')
  .argument('<dir>', 'run output directory (summary.json and CSVs) or sweep directory (points.csv)')
  .option('--quiet', 'print nothing on success')
  .action(async (dir: string, options: { quiet?: boolean }) => (await import('./report-command.js')).reportCommand(dir, options));

program
  .command('validate')
  .description('check scenario files without running them')
  .argument('<scenario...>', 'scenario files')
  .action((scenarios: string[]) => validateCommand(scenarios));

program
  .command('check')
  .description('run scenarios (files, or directories of *.yaml|*.yml|*.json) and check their expectations; exit 1 if any fails')
  .argument('<scenario...>', 'scenario files or directories (not searched recursively)')
  .option('--junit <file>', 'also write the verdict as JUnit XML')
  .option('--baseline <dir>', 'compare each summary with DIR/<scenario name>.json')
  .option('--update-baseline', 'write each summary to the --baseline directory instead of comparing')
  .option('--debug-trace', 'record the event trajectory beside the baseline; on a fingerprint mismatch, name the first diverging event')
  .option('--jobs <n>', 'worker threads (default: one per core)')
  .option('--quiet', 'no per-scenario lines on stderr')
  .action((scenarios: string[], options: CheckCommandOptions) => checkCommand(scenarios, options));

program
  .command('sweep')
  .description('run a sweep file: a grid of parameter values x seeds, tables of every metric across seeds; exit 1 if a run failed')
  .argument('<sweep>', 'sweep file (YAML or JSON)')
  .option('--jobs <n>', 'worker threads (default: one per core); with --emit, array tasks at once')
  .option('--out <dir>', 'sweep directory: runs/ and the tables (default: results/<name>/)')
  .option('--keep-runs', 'keep every output of each run in runs/<point>-seed<N>/, not only its summary')
  .option('--index <i>', 'run only run I (0-based) and build no tables; default: $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX')
  .option('--shard <k/n>', 'run only the K-th of N shares of the runs and build no tables')
  .option('--collect <dir>', 'build the tables from the runs in DIR and name any missing or failed run')
  .option('--emit <kind>', 'print a Slurm sbatch array script (slurm) or a Kubernetes Indexed Job (k8s)')
  .option('--image <image>', 'container image for --emit k8s', 'acmsim:latest')
  .option('--quiet', 'no progress line and no summary line')
  .action((sweep: string, options: SweepCommandOptions) => sweepCommand(sweep, options));

program
  .command('fuzz')
  .description('random worlds and fault schedules; each failure is shrunk and written as a scenario file; exit 1 if any')
  .option('--runs <n>', `number of runs (default 100)`)
  .option('--for <duration>', 'run until this much wall time has passed, e.g. 8h (instead of --runs)')
  .option('--seed <n>', 'fuzz seed: the same seed draws the same cases', '1')
  .option('--jobs <n>', 'worker threads (default: one per core)')
  .option('--out <dir>', 'output directory (default: results/fuzz-seed<N>/)')
  .option('--without <kinds>', 'fault kinds never drawn, comma-separated (e.g. while a known bug of one is open)')
  .option('--quiet', 'no progress on stderr')
  .action(async (options: FuzzCommandOptions) => {
    process.exitCode = await fuzzCommand(options);
  });

program
  .command('demo')
  .description('a tiny demonstration of the kernel: two machines pinging over a fixed-latency link')
  .option('--seed <n>', 'run seed', '1')
  .action((options: { seed: string }) => runDemo(demoSeed(options.seed)));

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version exit 0; every other commander error is a usage error.
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  reportAndExit(error);
}
