// Regression tests for bugs the CLI tests found: a trace scenario extending base.yaml, fault targets checked
// by validate and before any output exists, and an interrupted run leaving nothing behind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtCliAndWorkDir, fixture, interruptedRun, runCli } from './cli-helpers.js';

const workDir = builtCliAndWorkDir('acmsim-cli-known-');

describe('known bugs', () => {
  // src/scenario/validate.ts validateWorkload: base.yaml sets workload.submissions and workload.files, maps
  // merge key by key, so a scenario that extends base.yaml with `workload: { kind: trace, file: ... }` (the
  // form base.yaml itself documents) inherits them and is rejected: "scenarios/base.yaml:
  // workload.submissions: got an unknown key, expected one of: kind, file". The error even blames base.yaml.
  it('a trace scenario written as base.yaml documents it validates', () => {
    const result = runCli(['validate', fixture('trace-from-base.yaml')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  // src/scenario/load.ts does not check fault targets against the topology; src/world/run.ts does
  // (checkFaultTargets), after the CLI has opened the output. So `validate` passes a file that `run`
  // rejects with exit 2, and `run` creates the output's missing parent directories before rejecting it.
  it('validate rejects a fault naming a country the topology lacks', () => {
    const result = runCli(['validate', fixture('bad/unknown-country.yaml')]);
    expect(result.status).toBe(2);
  });

  it('run rejects a fault naming a missing country before creating anything', () => {
    const folder = path.join(workDir(), 'unknown-country');
    fs.mkdirSync(folder);
    const result = runCli(['run', fixture('bad/unknown-country.yaml')], folder);
    expect(result.status).toBe(2);
    expect(fs.readdirSync(folder)).toEqual([]); // today: an empty results/ is left behind
  });

  // src/cli/ installs no SIGINT/SIGTERM handler, so Ctrl-C ends the process without OutputDir.abort():
  // the final directory is never created (good), but `<out>.tmp-<pid>` with partial files stays behind.
  it('an interrupted run removes its temporary directory', async () => {
    const folder = path.join(workDir(), 'interrupted');
    fs.mkdirSync(folder);
    await interruptedRun(path.join(folder, 'out'));
    expect(fs.readdirSync(folder)).toEqual([]);
  }, 30_000);
});
