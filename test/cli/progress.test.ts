// The progress line (issue 6): shown on stderr only when it is a terminal, and never with --quiet.
// A terminal is provided by util-linux `script`, which runs the CLI on a pseudo-terminal; without it
// these tests are skipped (the not-a-terminal case is covered in run.test.ts).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, builtCliAndWorkDir, fixture } from './cli-helpers.js';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const workDir = builtCliAndWorkDir('acmsim-cli-tty-');

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI with stdout and stderr on a pseudo-terminal; returns everything it printed. */
function runOnTerminal(args: readonly string[]): { status: number | null; output: string } {
  const command = [process.execPath, CLI_PATH, ...args].map(quote).join(' ');
  const child = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  return { status: child.status, output: child.stdout };
}

describe.skipIf(!hasScript)('acmsim run on a terminal', () => {
  it('draws a progress line (simulated time, percent, events/s, ETA) that ends at 100%', () => {
    const { status, output } = runOnTerminal(['run', fixture('small.yaml'), '--out', path.join(workDir(), 'shown')]);
    expect(status).toBe(0);
    expect(output).toMatch(/simulated/);
    expect(output).toMatch(/events\/s/);
    expect(output).toMatch(/ETA/);
    expect(output).toMatch(/100%/);
    expect(output).toContain('cli-small seed 7'); // the headline follows the progress line
  });

  it('prints nothing at all with --quiet', () => {
    const { status, output } = runOnTerminal(['run', fixture('small.yaml'), '--quiet', '--out', path.join(workDir(), 'quiet')]);
    expect(status).toBe(0);
    expect(output).toBe('');
    expect(fs.existsSync(path.join(workDir(), 'quiet', 'summary.json'))).toBe(true);
  });
});
