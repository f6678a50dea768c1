// acmsim fuzz through the built CLI: bad arguments exit 2 before anything is written, and a short fuzz
// of the real protocol (fixed seed, worker threads) passes with its summary and progress lines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { builtCliAndWorkDir, CLI_PATH, REPO_ROOT, runCli } from '../cli/cli-helpers.js';

const workDir = builtCliAndWorkDir('acmsim-fuzz-cli-');

describe('acmsim fuzz arguments', () => {
  it.each([
    [['--runs', '-3'], '--runs: got "-3", expected a whole number >= 1'],
    [['--runs', '0'], '--runs: got "0", expected a whole number >= 1'],
    [['--for', 'soon'], '--for: got "soon", expected a positive duration'],
    [['--for', '10parsecs'], '--for: got "10parsecs", expected a positive duration'],
    [['--jobs', '0'], '--jobs: got "0", expected a whole number >= 1'],
    [['--runs', '5', '--for', '1m'], '--runs and --for: got both, expected one of them'],
    [['--without', 'meteor'], '--without: got "meteor", expected fault kinds from:'],
  ])('%j exits 2 with one line and writes nothing', (args, message) => {
    const out = path.join(workDir(), `bad-${args.join('_')}`);
    const result = runCli(['fuzz', ...args, '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('a short fuzz', () => {
  // 200 runs of seed 1 on two worker threads: 12-30 s on this shared 2-core machine.
  it('passes every property, with the determinism self-check and a progress line every ~10%', () => {
    const out = path.join(workDir(), 'short');
    // runCli's 60 s limit is for commands that should be quick; this one may take longer on a busy machine.
    const result = spawnSync(process.execPath, [CLI_PATH, 'fuzz', '--runs', '200', '--seed', '1', '--jobs', '2', '--out', out], {
      cwd: REPO_ROOT, encoding: 'utf8', timeout: 540_000,
    });
    expect(result.stdout).toMatch(/^fuzz seed 1: 200 runs \(\d+ run twice\), 0 failed; [\d.]+ runs\/s on 2 job\(s\) \([\d.]+ s of runs/);
    expect(result.status).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary['runs']).toBe(200);
    expect(summary['failures']).toEqual([]);
    expect(summary['determinismChecks'] as number).toBeGreaterThan(0);
    expect(fs.readdirSync(path.join(out, 'failures'))).toEqual([]);
    const progress = result.stderr.trim().split('\n');
    expect(progress.length).toBeGreaterThanOrEqual(9);
    expect(progress.at(-1)).toMatch(/^fuzz: 200\/200 runs, 0 failed, .* \(100%\)$/);
  }, 600_000);
});
