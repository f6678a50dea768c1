// The sweep's output directory: a marker naming the sweep, runs/<id>/ per run, and the tables. It
// accumulates across invocations (shards, resubmissions), so only each run and each table is atomic.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OutputDirError } from '../metrics/index.js';
import type { SweepRun } from './plan.js';
import { ERROR_FILE, RUN_FILE, SUMMARY_FILE, type RunRecord } from './run-task.js';

export const SWEEP_MARKER_FILE = '.acmsim-sweep';
export const RUNS_DIR = 'runs';
/** How long a directory that looks foreign is watched for a concurrent acmsim sweep finishing its marker: 40 x 25 ms. */
const CONCURRENT_START_ATTEMPTS = 40;
const CONCURRENT_START_WAIT_MS = 25;

function sleepMs(durationMs: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, durationMs);
}

export type StoredRun =
  | { readonly state: 'complete'; readonly summary: unknown }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'missing' }
  /** A directory written for another version of the sweep (its scenario or seeds changed since). */
  | { readonly state: 'stale' };

export class SweepDir {
  private constructor(readonly path: string) {}

  /**
   * Opens (creating if needed) DIR for sweep `name`; refuses a directory acmsim did not write, or another sweep's.
   * Array tasks start at once into one DIR: the marker is written before anything else, and a directory that looks
   * foreign (no marker yet, or a marker still being written) is looked at again for a while before it is refused.
   */
  static open(dirPath: string, name: string): SweepDir {
    const dir = resolve(dirPath);
    const marker = join(dir, SWEEP_MARKER_FILE);
    const markerText = `Written by acmsim sweep ${name}: runs/ holds one directory per run; runs.csv, points.csv and sweep.json are rebuilt from them.\n`;
    for (let attempt = 1; ; attempt++) {
      const refusal = SweepDir.refusalOf(dir, marker, name);
      if (refusal === null) break;
      if (refusal.code === 'EEXIST' || attempt >= CONCURRENT_START_ATTEMPTS) throw refusal;
      sleepMs(CONCURRENT_START_WAIT_MS);
    }
    try {
      mkdirSync(dir, { recursive: true });
      if (!existsSync(marker)) writeFileSync(marker, markerText);
      mkdirSync(join(dir, RUNS_DIR), { recursive: true });
    } catch (error) {
      throw new OutputDirError(`cannot create the sweep directory ${dir} (${(error as Error).message})`, dir, (error as NodeJS.ErrnoException).code);
    }
    return new SweepDir(dir);
  }

  /** Why DIR cannot hold sweep `name` now, or null when it can (absent, empty, or this sweep's). */
  private static refusalOf(dir: string, marker: string, name: string): OutputDirError | null {
    if (!existsSync(dir)) return null;
    if (!statSync(dir).isDirectory()) return new OutputDirError(`cannot use ${dir} for the sweep: a file that is not a directory is in the way`, dir, 'EEXIST');
    if (existsSync(marker)) {
      const owner = /^Written by acmsim sweep (\S+):/.exec(readFileSync(marker, 'utf8'))?.[1];
      if (owner === name) return null;
      if (owner === undefined) return new OutputDirError(`refusing to use ${dir}: its ${SWEEP_MARKER_FILE} does not name a sweep; choose another --out`, dir, 'ENOTEMPTY');
      return new OutputDirError(`refusing to use ${dir}: it holds the results of sweep "${owner}", not "${name}"; choose another --out`, dir, 'EEXIST');
    }
    if (readdirSync(dir).length === 0) return null;
    return new OutputDirError(`refusing to use ${dir}: it is not empty and was not written by acmsim sweep (no ${SWEEP_MARKER_FILE}); choose another --out`, dir, 'ENOTEMPTY');
  }

  /** Opens an existing sweep directory for --collect, without creating anything. */
  static existing(dirPath: string, name: string): SweepDir {
    const dir = resolve(dirPath);
    if (!existsSync(join(dir, SWEEP_MARKER_FILE))) {
      throw new OutputDirError(`--collect ${dirPath}: not a sweep directory (no ${SWEEP_MARKER_FILE}); give the --out of the shards`, dir, 'ENOENT');
    }
    return SweepDir.open(dir, name);
  }

  runDir(run: SweepRun): string {
    return join(this.path, RUNS_DIR, run.id);
  }

  read(run: SweepRun): StoredRun {
    const dir = this.runDir(run);
    const record = readJson(join(dir, RUN_FILE)) as RunRecord | undefined;
    if (record === undefined) return { state: 'missing' };
    if (record.scenarioHash !== run.scenarioHash) return { state: 'stale' };
    const summary = readJson(join(dir, SUMMARY_FILE));
    if (summary !== undefined) return { state: 'complete', summary };
    const error = readJson(join(dir, ERROR_FILE)) as { message?: string } | undefined;
    return error === undefined ? { state: 'missing' } : { state: 'failed', message: error.message ?? '(no message)' };
  }

  /** Writes one file of the directory atomically (temporary name, then rename). */
  writeFileAtomically(name: string, write: (tempPath: string) => void): void {
    const final = join(this.path, name);
    const temp = `${final}.tmp-${process.pid}`;
    try {
      write(temp);
      renameSync(temp, final);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }

  /** Removes the temporary run directories this process left (an interrupted sweep's runs in progress). */
  removeOwnDebris(): void {
    const runs = join(this.path, RUNS_DIR);
    const suffix = `.tmp-${process.pid}`;
    for (const name of readdirSync(runs)) if (name.endsWith(suffix)) rmSync(join(runs, name), { recursive: true, force: true });
  }
}

function readJson(filePath: string): unknown {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // a run directory is committed whole, so this is debris from outside acmsim: treat it as not there
  }
}
