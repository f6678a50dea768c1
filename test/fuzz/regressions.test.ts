// Every shrunk scenario of a real bug the fuzzer found (scenarios/regressions/) is checked through
// `acmsim check`. A bug still open is listed below and expected to fail; once it is fixed, its test fails
// (vitest's it.fails) and it moves out of the list.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtCliAndWorkDir, REPO_ROOT, runCli } from '../cli/cli-helpers.js';

const workDir = builtCliAndWorkDir('acmsim-regressions-');
const DIR = path.join(REPO_ROOT, 'scenarios', 'regressions');

/** Open bugs, described for the lead in the scenario's header (their fix is in files being rewritten). */
const KNOWN_OPEN = new Set<string>();

describe('fuzz regressions', () => {
  // A crash or outage whose fraction rounds to no node used to pass validate and stop run with an internal error.
  it('an outage whose fraction selects no cluster is bad input (exit 2 naming the field), for validate and run', () => {
    const file = path.join(REPO_ROOT, 'test', 'fuzz', 'fixtures', 'outage-fraction-selects-nothing.yaml');
    for (const args of [['validate', file], ['run', file, '--out', path.join(workDir(), 'never')]]) {
      const result = runCli(args);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('faults[0].target.fraction: got 0.052, expected a target that selects at least one node');
      expect(result.stderr).not.toContain('    at ');
    }
    expect(fs.existsSync(path.join(workDir(), 'never'))).toBe(false);
  });

  for (const file of fs.readdirSync(DIR).filter((name) => name.endsWith('.yaml')).sort()) {
    const test = KNOWN_OPEN.has(file) ? it.fails : it;
    test(`${file} holds every property`, () => {
      const result = runCli(['check', path.join(DIR, file), '--quiet', '--jobs', '1']);
      expect(result.stdout).toContain('0 failed');
      expect(result.status).toBe(0);
    });
  }
});
