// End-to-end tests of `acmsim run` (issue 6, "Acceptance"): determinism, output files and their
// columns, overrides, and the output directory's atomic replacement. The model is being tuned in
// parallel, so these assert properties of the outputs, never the model's exact numbers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtCliAndWorkDir, fixture, readCsvTable, readOutputDir, runCli, withoutWallS, type CliResult } from './cli-helpers.js';

const SMALL = fixture('small.yaml');
/** Must match small.yaml: its seed, name, topology and sample size. */
const SMALL_SEED = 7;
const SMALL_EDGE_SERVERS = 300;
const SMALL_STORAGE_POINTS = 5;
const SMALL_SUBMISSIONS = 40;
const SMALL_SAMPLE_RECEIVERS = 50;
const SMALL_DURATION_S = 600;

// Column lists as issue 6 gives them; by-size.csv leads with the bucket label.
const SUBMISSIONS_COLUMNS = ['id', 'file', 'sizeBytes', 'submitS', 'acceptS', 'outcome', 'acceptingSp'];
const PROPAGATION_COLUMNS = ['receiver', 'cluster', 'isp', 'country', 'sizeBytes', 'acceptS', 'deliverS', 'latencyS', 'submission'];
const BY_SIZE_COLUMNS = ['versions', 'deliveries', 'meanS', 'p50S', 'p95S', 'p99S'];
const SIZE_BUCKETS = ['<1 KB', '1-10 KB', '10-100 KB', '100 KB-1 MB', '1-10 MB', '10-100 MB'];
const OUTPUT_FILES = [
  'by-size.csv', 'faults.csv', 'plot-acceptance-cdf.svg', 'plot-propagation-by-size.svg', 'plot-propagation-cdf.svg',
  'plot-propagation-over-time.svg', 'plot-sp-load.svg', 'propagation-histogram.json', 'propagation-over-time.csv', 'propagation.csv',
  'report.html', 'scenario.json', 'sp-load.csv', 'submissions.csv', 'summary.json',
];

const workDir = builtCliAndWorkDir('acmsim-cli-run-');

function mustSucceed(result: CliResult): CliResult {
  if (result.status !== 0) throw new Error(`acmsim exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Runs small.yaml into `<workDir()>/<name>` with extra arguments and returns the directory. */
function runSmall(name: string, extra: readonly string[] = []): { dir: string; result: CliResult } {
  const dir = path.join(workDir(), name);
  const result = mustSucceed(runCli(['run', SMALL, '--out', dir, ...extra]));
  return { dir, result };
}

interface Summary {
  [key: string]: unknown;
  scenario: string;
  seed: number;
  simulatedS: number;
  events: number;
  wallS: number;
  fingerprint: string;
  submissions: { total: number; accepted: number; failed: number };
  acceptance: Record<string, number>;
  propagation: Record<string, number>;
  invariants: { checks: number; violations: number };
  topology: Record<string, number>;
}

function readSummary(dir: string): Summary {
  return JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Summary;
}

let first = '';
let second = '';
let otherSeed = '';
let firstRun: CliResult;

beforeAll(() => {
  ({ dir: first, result: firstRun } = runSmall('first'));
  ({ dir: second } = runSmall('second'));
  ({ dir: otherSeed } = runSmall('other-seed', ['--seed', String(SMALL_SEED + 1)]));
}, 120_000);


describe('acmsim run: determinism', () => {
  it('gives byte-identical outputs for the same seed, wallS apart', () => {
    const a = readOutputDir(first);
    const b = readOutputDir(second);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, text] of a) {
      if (name === 'summary.json') {
        expect(withoutWallS(b.get(name) ?? ''), name).toBe(withoutWallS(text));
      } else {
        expect(b.get(name), name).toBe(text);
      }
    }
    // Blanking wallS must not blank anything else: the summaries differ in that one line at most.
    const linesA = (a.get('summary.json') ?? '').split('\n');
    const linesB = (b.get('summary.json') ?? '').split('\n');
    const differing = linesA.filter((line, i) => line !== linesB[i]);
    expect(differing.every((line) => line.includes('"wallS"'))).toBe(true);
  });

  it('writes the same files from the reference organisation (pure machines) as from the engine, row order included', () => {
    const { dir } = runSmall('reference', ['--organisation', 'reference', '--no-report']);
    const engine = readOutputDir(first);
    const reference = readOutputDir(dir);
    for (const [name, text] of reference) {
      if (name.endsWith('.csv') || name === 'propagation-histogram.json') expect(text, name).toBe(engine.get(name));
    }
    // The organisations differ in their kernel events alone.
    const figures = (summary: Summary): Summary => ({ ...summary, events: 0, fingerprint: '', wallS: 0 });
    expect(figures(readSummary(dir))).toEqual(figures(readSummary(first)));
  });

  it('orders propagation.csv by version (in order of acceptance), then receiver, then delivery time', () => {
    const { rows } = readCsvTable(path.join(first, 'propagation.csv'));
    expect(rows.length).toBeGreaterThan(100);
    for (let r = 1; r < rows.length; r++) {
      const [a, b] = [rows[r - 1] as Record<string, string>, rows[r] as Record<string, string>];
      expect(Number(b.acceptS), `row ${r}`).toBeGreaterThanOrEqual(Number(a.acceptS));
      if (a.acceptS !== b.acceptS || a.submission !== b.submission) continue;
      const order = Number(a.receiver) - Number(b.receiver) || Number(a.deliverS) - Number(b.deliverS);
      expect(order, `row ${r}`).toBeLessThanOrEqual(0);
    }
  });

  it('gives different numbers for a different seed', () => {
    const a = readSummary(first);
    const c = readSummary(otherSeed);
    expect(c.seed).toBe(SMALL_SEED + 1);
    expect(c.fingerprint).not.toBe(a.fingerprint);
    expect(c.propagation['meanS']).not.toBe(a.propagation['meanS']);
    const submissionsA = fs.readFileSync(path.join(first, 'submissions.csv'), 'utf8');
    const submissionsC = fs.readFileSync(path.join(otherSeed, 'submissions.csv'), 'utf8');
    expect(submissionsC).not.toBe(submissionsA);
    const propagationA = fs.readFileSync(path.join(first, 'propagation.csv'), 'utf8');
    const propagationC = fs.readFileSync(path.join(otherSeed, 'propagation.csv'), 'utf8');
    expect(propagationC).not.toBe(propagationA);
  });
});

describe('acmsim run: output files', () => {
  it('writes every file, and nothing beside the directory', () => {
    const names = fs.readdirSync(first).filter((name) => !name.startsWith('.'));
    expect(names.sort()).toEqual(OUTPUT_FILES);
    // No temporary or set-aside sibling survives a successful run.
    const siblings = fs.readdirSync(workDir()).filter((name) => name.startsWith('first'));
    expect(siblings).toEqual(['first']);
  });

  it('gives each CSV its header row', () => {
    expect(readCsvTable(path.join(first, 'submissions.csv')).header).toEqual(SUBMISSIONS_COLUMNS);
    expect(readCsvTable(path.join(first, 'propagation.csv')).header).toEqual(PROPAGATION_COLUMNS);
    const bySize = readCsvTable(path.join(first, 'by-size.csv')).header;
    expect(bySize.slice(1)).toEqual(BY_SIZE_COLUMNS);
    const spLoad = readCsvTable(path.join(first, 'sp-load.csv')).header;
    for (const column of ['minute', 'sp', 'requests', 'bytes']) expect(spLoad).toContain(column);
    const faults = readCsvTable(path.join(first, 'faults.csv')).header;
    for (const column of ['timeS', 'kind']) expect(faults).toContain(column);
  });

  it('writes summary.json with the keys issue 6 lists', () => {
    const summary = readSummary(first);
    for (const key of ['scenario', 'seed', 'simulatedS', 'events', 'wallS', 'fingerprint']) expect(summary).toHaveProperty(key);
    for (const key of ['total', 'accepted', 'failed']) expect(typeof summary.submissions[key as 'total']).toBe('number');
    for (const key of ['meanS', 'p50S', 'p95S', 'p99S', 'maxS']) expect(typeof summary.acceptance[key]).toBe('number');
    for (const key of ['deliveries', 'meanS', 'p50S', 'p95S', 'p99S', 'p9995S', 'maxS', 'within180sFraction']) {
      expect(typeof summary.propagation[key], `propagation.${key}`).toBe('number');
    }
    expect(typeof summary.invariants.checks).toBe('number');
    expect(typeof summary.invariants.violations).toBe('number');
    expect(typeof summary.fingerprint).toBe('string');
    expect(summary.fingerprint.length).toBeGreaterThan(0);

    expect(summary.scenario).toBe('cli-small');
    expect(summary.seed).toBe(SMALL_SEED);
    expect(summary.simulatedS).toBeGreaterThanOrEqual(SMALL_DURATION_S);
    expect(summary.events).toBeGreaterThan(0);
    expect(summary.wallS).toBeGreaterThanOrEqual(0);
    expect(summary.submissions.total).toBe(SMALL_SUBMISSIONS);
    expect(summary.submissions.accepted + summary.submissions.failed).toBeLessThanOrEqual(SMALL_SUBMISSIONS);
    expect(summary.submissions.accepted).toBeGreaterThan(0);
    expect(summary.invariants.checks).toBeGreaterThan(0);
    expect(summary.invariants.violations).toBe(0);
    const p = summary.propagation as Record<string, number>;
    expect(p['deliveries']).toBeGreaterThan(0);
    for (const [lower, upper] of [['p50S', 'p95S'], ['p95S', 'p99S'], ['p99S', 'p9995S'], ['p9995S', 'maxS']] as const) {
      expect(p[lower] as number, `${lower} <= ${upper}`).toBeLessThanOrEqual((p[upper] as number) + 1e-6);
    }
    expect(p['within180sFraction']).toBeGreaterThanOrEqual(0);
    expect(p['within180sFraction']).toBeLessThanOrEqual(1);
    expect(summary.topology['edgeServers']).toBe(SMALL_EDGE_SERVERS);
  });

  it('lists each submission once, with acceptS exactly when accepted, and counts that match the summary', () => {
    const summary = readSummary(first);
    const { rows } = readCsvTable(path.join(first, 'submissions.csv'));
    expect(rows.length).toBe(SMALL_SUBMISSIONS);
    expect(new Set(rows.map((row) => row['id'])).size).toBe(rows.length);
    let accepted = 0;
    for (const row of rows) {
      expect(['accepted', 'failed', 'pending']).toContain(row['outcome']);
      expect(Number(row['sizeBytes'])).toBeGreaterThan(0);
      if (row['outcome'] === 'accepted') {
        accepted++;
        expect(Number(row['acceptS'])).toBeGreaterThanOrEqual(Number(row['submitS']));
        const sp = Number(row['acceptingSp']);
        expect(sp >= 0 && sp < SMALL_STORAGE_POINTS, `acceptingSp ${row['acceptingSp']}`).toBe(true);
      } else {
        expect(row['acceptS']).toBe('');
      }
    }
    expect(accepted).toBe(summary.submissions.accepted);
  });

  it('samples propagation.csv from at most sampleReceivers receivers, with latencyS = deliverS - acceptS', () => {
    const summary = readSummary(first);
    const { rows } = readCsvTable(path.join(first, 'propagation.csv'));
    expect(rows.length).toBeGreaterThan(0);
    const receivers = new Set(rows.map((row) => Number(row['receiver'])));
    expect(receivers.size).toBeLessThanOrEqual(SMALL_SAMPLE_RECEIVERS);
    expect(rows.length).toBeLessThanOrEqual(summary.propagation['deliveries'] as number);
    const countries = new Set<string>();
    for (const row of rows) {
      const receiver = Number(row['receiver']);
      expect(Number.isInteger(receiver) && receiver >= 0 && receiver < SMALL_EDGE_SERVERS).toBe(true);
      countries.add(row['country'] ?? '');
      const latencyS = Number(row['latencyS']);
      expect(latencyS).toBeGreaterThanOrEqual(0);
      expect(Math.abs(Number(row['deliverS']) - Number(row['acceptS']) - latencyS)).toBeLessThan(1e-5);
    }
    for (const country of countries) expect(country).toMatch(/^[A-Z]{2}$/);
    expect(countries.size).toBeLessThanOrEqual(10);
  });

  it('links each propagation row to its submission: same size and acceptance time', () => {
    const submissions = new Map(readCsvTable(path.join(first, 'submissions.csv')).rows.map((row) => [row['id'], row]));
    const { rows } = readCsvTable(path.join(first, 'propagation.csv'));
    let linked = 0;
    for (const row of rows) {
      if (row['submission'] === '') continue;
      const submission = submissions.get(row['submission']);
      expect(submission, `submission ${row['submission']}`).toBeDefined();
      expect(submission?.['outcome']).toBe('accepted');
      expect(submission?.['sizeBytes']).toBe(row['sizeBytes']);
      expect(submission?.['acceptS']).toBe(row['acceptS']);
      linked++;
    }
    // Every version here was reported accepted to its publisher (no retries raced in this fault-free run).
    expect(linked).toBe(rows.length);
  });

  it('gives one by-size row per bucket, adding up to the accepted versions and all deliveries', () => {
    const summary = readSummary(first);
    const { rows } = readCsvTable(path.join(first, 'by-size.csv'));
    expect(rows.map((row) => row['bucket'] ?? Object.values(row)[0])).toEqual(SIZE_BUCKETS);
    let versions = 0;
    let deliveries = 0;
    for (const row of rows) {
      versions += Number(row['versions']);
      deliveries += Number(row['deliveries']);
      if (Number(row['deliveries']) > 0) {
        expect(Number(row['p50S'])).toBeLessThanOrEqual(Number(row['p95S']));
        expect(Number(row['p95S'])).toBeLessThanOrEqual(Number(row['p99S']));
      }
    }
    expect(versions).toBe(summary.submissions.accepted);
    expect(deliveries).toBe(summary.propagation['deliveries']);
  });

  it('puts sp-load rows inside the run: known SPs, minutes within the simulated time', () => {
    const summary = readSummary(first);
    const { rows } = readCsvTable(path.join(first, 'sp-load.csv'));
    expect(rows.length).toBeGreaterThan(0);
    let requests = 0;
    for (const row of rows) {
      const sp = Number(row['sp']);
      const minute = Number(row['minute']);
      expect(sp >= 0 && sp < SMALL_STORAGE_POINTS).toBe(true);
      expect(minute >= 0 && minute < Math.ceil(summary.simulatedS / 60)).toBe(true);
      expect(Number(row['bytes'])).toBeGreaterThanOrEqual(0);
      requests += Number(row['requests']);
    }
    expect(requests).toBeGreaterThan(0);
  });

  it('records the scenario partition (2m for 1m) in faults.csv as a start and an end', () => {
    const { rows } = readCsvTable(path.join(first, 'faults.csv'));
    const partition = rows.filter((row) => row['kind'] === 'partition');
    expect(partition.map((row) => Number(row['timeS']))).toEqual([120, 180]);
    expect(partition.every((row) => (row['target'] ?? '').includes('US'))).toBe(true);
  });

  it('prints a one-line headline naming the output directory, and plain progress lines when stderr is not a terminal', () => {
    expect(firstRun.stdout.trim().split('\n')).toHaveLength(1);
    expect(firstRun.stdout).toContain('cli-small');
    expect(firstRun.stdout).toContain(first);
    // At most one line per tenth of the simulated time (a short run may show only its end): no carriage returns.
    const lines = firstRun.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(10);
    for (const line of lines) expect(line).toMatch(/^acmsim: simulated [\d.]+ h +\d+%  [\d.]+ [kM] events\/s  ETA \d+ s$/);
    expect(lines.at(-1)).toContain('100%');
    expect(firstRun.stderr).not.toContain('\r');
  });
});

// Each test here runs acmsim again (charts and report included): seconds each on a loaded 2-core machine.
describe('acmsim run: options', { timeout: 30_000 }, () => {
  it('applies --set, --sample-receivers and --quiet', () => {
    const { dir, result } = runSmall('overridden', ['--set', 'topology.edgeServers=200', '--set', 'acms.pollInterval=20s', '--sample-receivers', '5', '--quiet']);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('');
    const summary = readSummary(dir);
    expect(summary.topology['edgeServers']).toBe(200);
    const { rows } = readCsvTable(path.join(dir, 'propagation.csv'));
    const receivers = new Set(rows.map((row) => Number(row['receiver'])));
    expect(receivers.size).toBeGreaterThan(0);
    expect(receivers.size).toBeLessThanOrEqual(5);
    for (const receiver of receivers) expect(receiver).toBeLessThan(200);
  });

  it('sets the scenario\'s reference figures beside the run\'s, on stdout and in summary.json', () => {
    const reference = '{ source: "a paper", values: [{ metric: propagation.meanS, value: 50 }, { metric: propagation.meanSecs, value: 1 }] }';
    const { dir, result } = runSmall('reference', ['--set', `reference=${reference}`]);
    const summary = readSummary(dir);
    const rows = (summary['reference'] as { source: string; rows: Record<string, unknown>[] }).rows;
    const meanS = (summary.propagation as Record<string, number>)['meanS'] as number;
    expect(rows[0]).toEqual({ metric: 'propagation.meanS', reference: 50, simulated: meanS, relativeDifference: expect.any(Number), note: '' });
    expect(rows[0]?.['relativeDifference']).toBeCloseTo((meanS - 50) / 50, 5);
    expect(rows[1]?.['simulated']).toBeNull();
    expect(rows[1]?.['note']).toMatch(/did you mean "propagation\.meanS"/);
    const lines = result.stdout.trim().split('\n');
    expect(lines[1]).toBe('beside a paper:');
    expect(lines[3]).toMatch(/^ {2}propagation\.meanS +50 +[0-9.]+ +[+-]\d+\.\d%$/);
    // Without a reference section, summary.json has no such key (see the determinism tests' runs).
    expect(readSummary(first)['reference']).toBeUndefined();
  });

  it('writes into results/<name>-seed<N>/ under the working directory when --out is not given', () => {
    const cwd = path.join(workDir(), 'cwd');
    fs.mkdirSync(cwd);
    mustSucceed(runCli(['run', SMALL, '--quiet'], cwd));
    const dir = path.join(cwd, 'results', `cli-small-seed${SMALL_SEED}`);
    const files = readOutputDir(dir);
    // Same seed as the first run: the same bytes, whatever the working directory.
    const reference = readOutputDir(first);
    expect([...files.keys()]).toEqual([...reference.keys()]);
    expect(files.get('submissions.csv')).toBe(reference.get('submissions.csv'));
    expect(withoutWallS(files.get('summary.json') ?? '')).toBe(withoutWallS(reference.get('summary.json') ?? ''));
  });

  it('replaces an earlier acmsim output whole, but never a file acmsim did not write', () => {
    const { dir } = runSmall('replaced');
    // Issue 15: a file left there by hand is never deleted; the run is refused, naming it.
    fs.writeFileSync(path.join(dir, 'stale.txt'), 'left by hand\n');
    const kept = runCli(['run', SMALL, '--quiet', '--seed', String(SMALL_SEED + 1), '--out', dir]);
    expect(kept.status).toBe(2);
    expect(kept.stderr).toContain(path.join(dir, 'stale.txt'));
    expect(fs.readFileSync(path.join(dir, 'stale.txt'), 'utf8')).toBe('left by hand\n');
    expect(readSummary(dir).seed).toBe(SMALL_SEED);
    fs.rmSync(path.join(dir, 'stale.txt'));
    runSmall('replaced', ['--seed', String(SMALL_SEED + 1), '--quiet']);
    expect(readSummary(dir).seed).toBe(SMALL_SEED + 1);

    const foreign = path.join(workDir(), 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'notes.txt'), 'mine\n');
    const refused = runCli(['run', SMALL, '--quiet', '--out', foreign]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(foreign);
    expect(fs.readdirSync(foreign)).toEqual(['notes.txt']);
    expect(fs.readdirSync(workDir()).filter((name) => name.startsWith('foreign'))).toEqual(['foreign']);
  }, 30_000);

  it('runs a CSV trace workload: one submission per trace row, in trace order', () => {
    const dir = path.join(workDir(), 'trace');
    mustSucceed(runCli(['run', fixture('trace.yaml'), '--quiet', '--out', dir]));
    const { rows } = readCsvTable(path.join(dir, 'submissions.csv'));
    expect(rows.map((row) => row['file'])).toEqual(['config/a.xml', 'config/b.xml', 'config/a.xml', 'config/c.xml']);
    expect(rows.map((row) => Number(row['sizeBytes']))).toEqual([512, 20000, 700, 2500000]);
    expect(rows.map((row) => Number(row['submitS']))).toEqual([5, 30.5, 61, 120]);
    expect(readSummary(dir).submissions.total).toBe(4);
  });
});
