// Helpers for the CLI tests: build the compiled CLI if it is missing, spawn it, and read what it wrote.
// The CLI is spawned as a separate process so exit codes, stdout and stderr are the real ones.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_PATH = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'cli', 'fixtures');

/**
 * For a test file: makes sure the CLI is built and gives the file a fresh temporary directory (prefix names
 * it), removed after the file's tests. Call at the top level; the returned function gives the directory.
 */
export function builtCliAndWorkDir(prefix: string): () => string {
  let work = '';
  beforeAll(() => {
    ensureBuilt();
    work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  }, 120_000);
  afterAll(() => {
    if (work !== '') fs.rmSync(work, { recursive: true, force: true });
  });
  return () => work;
}

/**
 * Compiles the project with tsc, but only when the compiled CLI is not there yet (a build takes ~6 s).
 * Test files run in parallel workers, so a lock directory makes one of them build while the others
 * wait: a worker must never spawn the CLI while another is still rewriting dist/.
 */
export function ensureBuilt(): void {
  if (fs.existsSync(CLI_PATH)) return;
  const lock = path.join(os.tmpdir(), `acmsim-cli-tests-build-${REPO_ROOT.replace(/[^A-Za-z0-9]/g, '_')}.lock`);
  const deadlineMs = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another worker is building; a lock older than the deadline is debris of a killed run.
      const ageMs = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (ageMs > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadlineMs) throw new Error(`timed out waiting for another test worker's build (lock ${lock})`);
      sleepMs(200);
      continue;
    }
    try {
      if (fs.existsSync(CLI_PATH)) return; // built by the worker that held the lock before us
      const build = spawnSync('npx', ['tsc', '-p', '.'], { cwd: REPO_ROOT, encoding: 'utf8' });
      if (build.status !== 0 || !fs.existsSync(CLI_PATH)) {
        throw new Error(`npx tsc -p . failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
      }
      return;
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node dist/src/cli/main.js ...args`; stdin is closed and stdout/stderr are pipes, so never a terminal.
 * env: variables to set on top of this process's environment.
 */
export function runCli(args: readonly string[], cwd: string = REPO_ROOT, env: Record<string, string> = {}): CliResult {
  const child = spawnSync(process.execPath, [CLI_PATH, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000, // a hung CLI fails the test instead of the whole suite
  });
  if (child.error !== undefined) throw child.error;
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** Every file in an output directory (dot files included), by name, as text. */
export function readOutputDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(dir).sort()) {
    files.set(name, fs.readFileSync(path.join(dir, name), 'utf8'));
  }
  return files;
}

/** summary.json text with the value of "wallS" (the only wall-clock figure) blanked out. */
export function withoutWallS(summaryText: string): string {
  return summaryText.replace(/("wallS"\s*:\s*)[-0-9.eE+]+/, '$1null');
}

/**
 * Parses CSV text into rows of fields: enough of RFC 4180 for our outputs (quoted fields with
 * doubled quotes, commas and newlines inside quotes). The final line break ends the last row.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A CSV as its header and its data rows, each row a map from column name to text. */
export function readCsvTable(filePath: string): { header: string[]; rows: Record<string, string>[] } {
  const [header = [], ...data] = parseCsv(fs.readFileSync(filePath, 'utf8'));
  const rows = data.map((fields) => {
    const record: Record<string, string> = {};
    for (let c = 0; c < header.length; c++) record[header[c] as string] = fields[c] ?? '';
    return record;
  });
  return { header, rows };
}

/** A stack frame line as Node prints it ("    at fn (file:line:col)"). */
export const STACK_FRAME = /^\s+at\s.+(:\d+:\d+\)?|<anonymous>\)?)$/m;

/**
 * Starts a long run of small.yaml (48 simulated hours, ~20 s) into `out`, sends SIGINT once its
 * temporary directory exists (so it is mid-run), and resolves with its exit code or signal.
 */
export async function interruptedRun(out: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(
    process.execPath,
    [CLI_PATH, 'run', fixture('small.yaml'), '--quiet', '--set', 'duration=48h', '--set', 'workload.submissions=14276', '--out', out],
    { stdio: 'ignore' },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const parent = path.dirname(out);
  const tempPrefix = `${path.basename(out)}.tmp-`;
  const deadlineMs = Date.now() + 15_000;
  while (Date.now() < deadlineMs && child.exitCode === null) {
    if (fs.existsSync(parent) && fs.readdirSync(parent).some((name) => name.startsWith(tempPrefix))) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 300)); // well into the simulation
  child.kill('SIGINT');
  return exited;
}
