// Issue 15: hostile input to the acmsim command, each case run as a separate process. No case may end in
// a stack trace, a hang (each has a timeout), a wrong exit code, a leftover temporary file or a deleted
// user file. The table is the count reported in the issue note.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, STACK_FRAME, builtCliAndWorkDir, fixture, runCli, type CliResult } from '../cli/cli-helpers.js';

const workDir = builtCliAndWorkDir('acmsim-hostile-');

const TINY = [
  'name: tiny', 'duration: 2m', 'topology: { countries: 5, isps: 10, edgeServers: 50, storagePoints: 3 }',
  'workload: { kind: paper-48h, submissions: 3, files: 3 }', 'metrics: { sampleReceivers: 5 }',
  'expect: [{ metric: invariants.violations, equals: 0 }]', '',
].join('\n');

const BOMB = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n' +
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n';

/** Deterministic bytes that are not a scenario (a linear congruential sequence). */
function garbage(sizeBytes: number): Buffer {
  const bytes = Buffer.alloc(sizeBytes);
  let x = 12345;
  for (let i = 0; i < sizeBytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

interface Case {
  readonly title: string;
  /** Files to create in the case folder (the CLI runs there). A value of null makes a directory. */
  readonly files?: Record<string, string | Buffer | null>;
  readonly args: readonly string[];
  readonly status: number;
  readonly stderr?: RegExp;
  readonly stdout?: RegExp;
}

const RUN_TINY = ['run', 'tiny.yaml', '--quiet', '--out', 'out'];
const tiny = { 'tiny.yaml': TINY };
const sets = (...values: string[]): string[] => values.flatMap((value) => ['--set', value]);

const CASES: Case[] = [
  // Files that are not scenarios.
  { title: 'an empty file', files: { 'e.yaml': '' }, args: ['validate', 'e.yaml'], status: 2, stderr: /e\.yaml: got an empty document/ },
  { title: 'a comment-only file', files: { 'c.yaml': '# only\n#comments\n' }, args: ['validate', 'c.yaml'], status: 2, stderr: /c\.yaml: got an empty document/ },
  { title: 'blanks only', files: { 'b.yaml': '\n\n   \n' }, args: ['run', 'b.yaml', '--quiet'], status: 2, stderr: /b\.yaml: got an empty document/ },
  { title: 'an empty JSON file', files: { 'e.json': '' }, args: ['validate', 'e.json'], status: 2, stderr: /e\.json: got a JSON syntax error/ },
  { title: 'binary garbage', files: { 'g.yaml': garbage(100_000) }, args: ['validate', 'g.yaml'], status: 2, stderr: /g\.yaml/ },
  { title: 'binary garbage as JSON', files: { 'g.json': garbage(5_000) }, args: ['validate', 'g.json'], status: 2, stderr: /g\.json.*JSON syntax error/ },
  { title: 'a long single-line garbage scalar', files: { 'l.yaml': 'q'.repeat(200_000) }, args: ['validate', 'l.yaml'], status: 2, stderr: /\.\.\. \(20000\d characters\), expected a map/ },
  { title: 'a 2 MB file', files: { 'big.yaml': `# ${'y'.repeat(2_000_000)}\n` }, args: ['validate', 'big.yaml'], status: 2, stderr: /at most 256 KiB/ },
  { title: 'a top-level list', files: { 'l.yaml': '- a\n- b\n' }, args: ['validate', 'l.yaml'], status: 2, stderr: /got a list, expected a map/ },
  { title: 'a top-level number', files: { 'n.yaml': '42\n' }, args: ['validate', 'n.yaml'], status: 2, stderr: /got 42, expected a map/ },
  { title: 'a directory as scenario', files: { 'd.yaml': null }, args: ['validate', 'd.yaml'], status: 2, stderr: /EISDIR/ },
  { title: '/dev/zero as scenario', args: ['validate', '/dev/zero'], status: 2, stderr: /not a regular file/ },
  { title: '/dev/null as scenario', args: ['run', '/dev/null', '--quiet'], status: 2, stderr: /not a regular file/ },
  { title: 'a missing file', args: ['run', 'nope.yaml', '--quiet'], status: 2, stderr: /nope\.yaml.*ENOENT/ },
  { title: 'a YAML alias bomb', files: { 'bomb.yaml': BOMB }, args: ['validate', 'bomb.yaml'], status: 2, stderr: /at most 100 alias expansions/ },
  { title: 'a YAML alias bomb run', files: { 'bomb.yaml': BOMB }, args: ['run', 'bomb.yaml', '--quiet'], status: 2, stderr: /alias/ },
  { title: 'JSON nested 20,000 deep', files: { 'd.json': `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}` }, args: ['validate', 'd.json'], status: 2, stderr: /nested more than 16 levels/ },
  { title: 'JSON objects nested 20,000 deep', files: { 'o.json': `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}` }, args: ['validate', 'o.json'], status: 2, stderr: /nested more than 16 levels/ },
  { title: 'YAML nested 20,000 deep', files: { 'd.yaml': `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n` }, args: ['validate', 'd.yaml'], status: 2, stderr: /nested too deeply/ },
  { title: 'YAML block maps nested 200 deep', files: { 'b.yaml': Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n' }, args: ['validate', 'b.yaml'], status: 2, stderr: /nested more than 16 levels/ },
  { title: 'duplicate JSON keys', files: { 'd.json': '{"seed": 1, "seed": 2}' }, args: ['validate', 'd.json'], status: 2, stderr: /key written twice/ },
  { title: 'duplicate YAML keys', files: { 'd.yaml': 'seed: 1\nseed: 2\n' }, args: ['validate', 'd.yaml'], status: 2, stderr: /unique/ },
  { title: 'a YAML syntax error', files: { 's.yaml': 'acms: { pollInterval: [30s\n' }, args: ['validate', 's.yaml'], status: 2, stderr: /s\.yaml:\d+:\d+: got a YAML syntax error/ },
  { title: 'a NUL byte in YAML', files: { 'z.yaml': 'name: a\u0000b\n' }, args: ['validate', 'z.yaml'], status: 2 },
  { title: 'a BOM and CRLF', files: { 'bom.yaml': '\uFEFFname: bom\r\nduration: 1h\r\n' }, args: ['validate', 'bom.yaml'], status: 0, stdout: /ok .*bom/ },
  // Prototype keys.
  { title: '__proto__ in YAML', files: { 'p.yaml': '__proto__: { quorum: 1 }\n' }, args: ['validate', 'p.yaml'], status: 2, stderr: /p\.yaml: __proto__: got the key "__proto__"/ },
  { title: '__proto__ under acms in YAML', files: { 'p.yaml': 'acms:\n  __proto__:\n    quorum: 1\n' }, args: ['run', 'p.yaml', '--quiet'], status: 2, stderr: /acms\.__proto__/ },
  { title: 'constructor in YAML', files: { 'p.yaml': 'topology: { constructor: 5 }\n' }, args: ['validate', 'p.yaml'], status: 2, stderr: /topology\.constructor: got the key "constructor"/ },
  { title: 'prototype in a fault target', files: { 'p.yaml': 'faults: [{ kind: loss, at: 1m, lossRate: 0.1, target: { prototype: 1 } }]\n' }, args: ['validate', 'p.yaml'], status: 2, stderr: /faults\[0\]\.target\.prototype/ },
  { title: '__proto__ in JSON', files: { 'p.json': '{"__proto__": {"quorum": 1}}' }, args: ['validate', 'p.json'], status: 2, stderr: /p\.json: __proto__: got the key/ },
  { title: '__proto__ nested in JSON', files: { 'p.json': '{"acms": {"__proto__": {"quorum": 1}}}' }, args: ['validate', 'p.json'], status: 2, stderr: /acms\.__proto__/ },
  { title: '__proto__ in an extended file', files: { 'base.yaml': '__proto__: { seed: 9 }\n', 'c.yaml': 'extends: base.yaml\n' }, args: ['validate', 'c.yaml'], status: 2, stderr: /base\.yaml: __proto__/ },
  { title: '--set __proto__.quorum=1', files: tiny, args: [...RUN_TINY, ...sets('__proto__.quorum=1')], status: 2, stderr: /--set: .*without "__proto__"/ },
  { title: '--set acms.__proto__.quorum=1', files: tiny, args: [...RUN_TINY, ...sets('acms.__proto__.quorum=1')], status: 2, stderr: /without "__proto__"/ },
  { title: '--set constructor.prototype.x=1', files: tiny, args: [...RUN_TINY, ...sets('constructor.prototype.x=1')], status: 2, stderr: /without "constructor"/ },
  { title: '--set a value holding __proto__', files: tiny, args: [...RUN_TINY, ...sets('acms={__proto__: {quorum: 1}}')], status: 2, stderr: /acms\.__proto__: got the key/ },
  { title: '--set a fault holding constructor', files: tiny, args: [...RUN_TINY, ...sets('faults[0]={kind: loss, constructor: 1}')], status: 2, stderr: /faults\[0\]\.constructor/ },
  // Values without bounds before issue 15.
  { title: '1e9 edge servers', files: tiny, args: [...RUN_TINY, ...sets('topology.edgeServers=1e9')], status: 2, stderr: /topology\.edgeServers: got 1000000000, expected an integer >= 1 and at most 1000000/ },
  { title: '1e8 sub-indexes', files: tiny, args: [...RUN_TINY, ...sets('acms.subIndexCount=1e8')], status: 2, stderr: /acms\.subIndexCount: .*at most 4096/ },
  { title: '1e9 files', files: tiny, args: [...RUN_TINY, ...sets('workload.files=1e9')], status: 2, stderr: /workload\.files: .*at most 1000000/ },
  { title: '1e12 submissions', files: tiny, args: [...RUN_TINY, ...sets('workload.submissions=1e12')], status: 2, stderr: /workload\.submissions: .*at most 10000000/ },
  { title: 'fibre at 1e-300 km/s', files: tiny, args: [...RUN_TINY, ...sets('network.fibreSpeedKmPerS=1e-300')], status: 2, stderr: /network\.fibreSpeedKmPerS: got 1e-300, expected a number at least 1000/ },
  { title: 'fibre faster than light', files: tiny, args: [...RUN_TINY, ...sets('network.fibreSpeedKmPerS=1e9')], status: 2, stderr: /at most 299792\.458/ },
  { title: 'a LAN delay of 1e20 us', files: tiny, args: [...RUN_TINY, ...sets('network.lanDelayUs=1e20')], status: 2, stderr: /network\.lanDelayUs: .*at most 1000000/ },
  { title: '10,000 parent sites per continent', files: tiny, args: [...RUN_TINY, ...sets('topology.parentSitesPerContinent=10000')], status: 2, stderr: /at most 1000/ },
  { title: '33 storage points', files: tiny, args: [...RUN_TINY, ...sets('topology.storagePoints=33')], status: 2, stderr: /at most 32/ },
  { title: 'a 1 us poll interval', files: tiny, args: [...RUN_TINY, ...sets('acms.pollInterval=1us')], status: 2, stderr: /acms\.pollInterval: got "1us", expected a duration from 1s to 1d/ },
  { title: 'a poll interval of 1e300 s', files: tiny, args: [...RUN_TINY, ...sets('acms.pollInterval=1e300')], status: 2, stderr: /acms\.pollInterval/ },
  { title: 'a fault flapping every microsecond', files: tiny, args: [...RUN_TINY, ...sets('faults=[{kind: edge-outage, mtbf: 1us, mttr: 1us, target: {fraction: 1}}]')], status: 2, stderr: /faults\[0\]\.mtbf/ },
  { title: 'a 2,000-fault list', files: { 'f.yaml': `faults:\n${'  - { kind: dns-failure, at: 1m, target: { fraction: 0.1 } }\n'.repeat(2_000)}` }, args: ['validate', 'f.yaml'], status: 2, stderr: /faults: got a list of 2000, expected a list of at most 1000 entries/ },
  { title: 'a 10,000-fault list', files: { 'f.yaml': `faults:\n${'  - { kind: dns-failure, at: 1m, target: { fraction: 0.1 } }\n'.repeat(10_000)}` }, args: ['validate', 'f.yaml'], status: 2, stderr: /at most 256 KiB/ },
  { title: 'a 5,000-character name', files: tiny, args: [...RUN_TINY, ...sets(`name=${'n'.repeat(5_000)}`)], status: 2, stderr: /at most 100 characters/ },
  { title: 'a duration of 1e300 s', files: tiny, args: [...RUN_TINY, ...sets('duration=1e300')], status: 2, stderr: /duration/ },
  { title: 'a duration of 1000 days', files: tiny, args: [...RUN_TINY, ...sets('duration=1000d')], status: 2, stderr: /at most 60 days/ },
  { title: 'NaN packets', files: tiny, args: [...RUN_TINY, ...sets('network.pathLossProbability=.nan')], status: 2, stderr: /finite number/ },
  // Wrong verdicts that used to pass silently.
  { title: 'a fault starting after the run', files: tiny, args: [...RUN_TINY, ...sets('faults=[{kind: dns-failure, at: 3h, target: {fraction: 0.1}}]')], status: 2, stderr: /faults\[0\]\.at: got "3h", expected a start time before the end of the run \(duration: 2m/ },
  { title: 'a fault starting at the end', files: tiny, args: [...RUN_TINY, ...sets('faults=[{kind: dns-failure, at: 2m, target: {fraction: 0.1}}]')], status: 2, stderr: /before the end of the run/ },
  { title: '--set extends=', files: { ...tiny, 'other.yaml': 'seed: 3\n' }, args: [...RUN_TINY, ...sets('extends=other.yaml')], status: 2, stderr: /--set: extends: .*expected a field other than extends/ },
  {
    title: 'an expectation on an empty series', files: { 'none.yaml': TINY.replace('submissions: 3', 'submissions: 0').replace('equals: 0 }]', 'equals: 0 }, { metric: propagation.p99S, max: 60 }, { metric: acceptance.meanS, max: 1 }]') },
    args: ['check', 'none.yaml', '--quiet', '--jobs', '1'], status: 1, stdout: /propagation\.p99S is absent \(null: .*\), so <= 60 cannot hold/,
  },
  {
    title: 'two scenarios sharing a baseline file', files: { 'a b.yaml': TINY.replace('name: tiny\n', ''), 'a_b.yaml': TINY.replace('name: tiny\n', '') },
    args: ['check', 'a b.yaml', 'a_b.yaml', '--quiet', '--baseline', 'bl', '--update-baseline'], status: 2, stderr: /share the baseline file a_b\.json/,
  },
  { title: 'a file named twice', files: tiny, args: ['check', 'tiny.yaml', './tiny.yaml', path.join('.', 'x', '..', 'tiny.yaml'), '--quiet', '--jobs', '1'], status: 0, stdout: /^1 scenarios in/m },
  // Option values.
  { title: '--seed out of range', files: tiny, args: [...RUN_TINY, '--seed', '99999999999999999999'], status: 2, stderr: /^acmsim: --seed: got "99999999999999999999", expected a whole number from 0 to 9007199254740991$/m },
  { title: '--seed -1', files: tiny, args: [...RUN_TINY, '--seed', '-1'], status: 2, stderr: /--seed/ },
  { title: '--seed 1.5', files: tiny, args: [...RUN_TINY, '--seed', '1.5'], status: 2, stderr: /--seed: got "1\.5"/ },
  { title: '--sample-receivers 1e99', files: tiny, args: [...RUN_TINY, '--sample-receivers', '1000000000000'], status: 2, stderr: /--sample-receivers: .*at most|from 0 to 1000000/ },
  { title: 'demo --seed abc', args: ['demo', '--seed', 'abc'], status: 2, stderr: /--seed: got "abc"/ },
  { title: 'demo --seed 1e999', args: ['demo', '--seed', '1e999'], status: 2, stderr: /--seed/ },
  { title: '--jobs 0', files: tiny, args: ['check', 'tiny.yaml', '--jobs', '0'], status: 2, stderr: /--jobs/ },
  { title: '--organisation sideways', files: tiny, args: [...RUN_TINY, '--organisation', 'sideways'], status: 2, stderr: /--organisation/ },
  { title: 'an unknown command', args: ['explode'], status: 2 },
  { title: 'an unknown option', files: tiny, args: [...RUN_TINY, '--frobnicate'], status: 2 },
  { title: 'a --set without =', files: tiny, args: [...RUN_TINY, ...sets('acms.pollInterval')], status: 2, stderr: /path=value/ },
  { title: 'a --set with a broken value', files: tiny, args: [...RUN_TINY, ...sets('acms.pollInterval=[[[[')], status: 2, stderr: /a YAML value/ },
  { title: 'a --set deep value', files: tiny, args: [...RUN_TINY, ...sets(`acms=${'['.repeat(5_000)}${']'.repeat(5_000)}`)], status: 2 },
  { title: 'a --set alias bomb', files: tiny, args: [...RUN_TINY, ...sets(`faults=${BOMB.replace(/\n/g, ' ').replace(/(\w): /g, '')}`)], status: 2 },
  { title: 'a --set index far beyond the list', files: tiny, args: [...RUN_TINY, ...sets('faults[999999999].at=1m')], status: 2, stderr: /an index from 0 to 0/ },
  { title: 'a trace that is a device', files: { 't.yaml': 'workload: { kind: trace, file: /dev/zero }\n' }, args: ['validate', 't.yaml'], status: 2, stderr: /workload\.file/ },
  // Output targets, checked before anything runs.
  { title: '--out is a file', files: { ...tiny, out: 'mine\n' }, args: RUN_TINY, status: 2, stderr: /not a directory is in the way/ },
  { title: '--out under a file', files: { ...tiny, f: 'mine\n' }, args: ['run', 'tiny.yaml', '--quiet', '--out', 'f/out'], status: 2 },
  { title: '--out holds a user file', files: { ...tiny, 'out/.acmsim-output': 'Written by acmsim. The next run writing to this path replaces this directory whole.\n', 'out/summary.json': '{}', 'out/notes.md': 'mine\n' }, args: RUN_TINY, status: 2, stderr: /notes\.md, which acmsim did not write/ },
  { title: '--out is a foreign directory', files: { ...tiny, 'out/thesis.tex': 'mine\n' }, args: RUN_TINY, status: 2, stderr: /not written by acmsim/ },
  { title: '--junit is a directory', files: { ...tiny, 'j/keep.txt': 'mine\n' }, args: ['check', 'tiny.yaml', '--quiet', '--junit', 'j'], status: 2, stderr: /--junit j: .*is a directory/ },
  { title: '--junit under a file', files: { ...tiny, f: 'mine\n' }, args: ['check', 'tiny.yaml', '--quiet', '--junit', 'f/j.xml'], status: 2, stderr: /--junit/ },
  { title: '--junit with a bad scenario', files: { 'bad.yaml': 'duraton: 1h\n' }, args: ['check', 'bad.yaml', '--quiet', '--junit', 'j.xml'], status: 2, stderr: /did you mean/ },
  { title: '--junit with nothing to check', files: { 'n.yaml': 'name: n\n' }, args: ['check', 'n.yaml', '--quiet', '--junit', 'j.xml'], status: 2, stderr: /no expectations/ },
  { title: '--junit with a missing baseline dir', files: tiny, args: ['check', 'tiny.yaml', '--quiet', '--junit', 'j.xml', '--baseline', 'none'], status: 2, stderr: /no such directory/ },
  { title: '--junit with a topology-only error', files: { 'c.yaml': TINY.replace('expect:', 'faults: [{ kind: partition, at: 1m, target: { countries: [ZZ] } }]\nexpect:') }, args: ['check', 'c.yaml', '--quiet', '--junit', 'j.xml', '--jobs', '1'], status: 2, stderr: /ZZ/ },
  { title: '--update-baseline into a file', files: { ...tiny, bl: 'mine\n' }, args: ['check', 'tiny.yaml', '--quiet', '--baseline', 'bl', '--update-baseline'], status: 2, stderr: /--baseline bl: cannot write baselines there \(.*is a file, expected a directory\)/ },
  { title: '--update-baseline under a file', files: { ...tiny, f: 'mine\n' }, args: ['check', 'tiny.yaml', '--quiet', '--baseline', 'f/bl', '--update-baseline'], status: 2, stderr: /cannot write baselines there/ },
  { title: '--baseline is a file', files: { ...tiny, bl: 'mine\n' }, args: ['check', 'tiny.yaml', '--quiet', '--baseline', 'bl'], status: 2, stderr: /no such directory/ },
  { title: 'a damaged baseline', files: { ...tiny, 'bl/tiny.json': garbage(300) }, args: ['check', 'tiny.yaml', '--quiet', '--baseline', 'bl', '--jobs', '1'], status: 1, stdout: /not valid JSON/ },
  { title: 'check of an empty directory', files: { 'empty/x.txt': 'mine\n' }, args: ['check', 'empty'], status: 2, stderr: /holds no scenario file/ },
];

/** Every path below `folder`, relative, files and directories. */
function listAll(folder: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(folder, prefix))) {
    const relative = path.join(prefix, name);
    out.push(relative);
    if (fs.lstatSync(path.join(folder, relative)).isDirectory()) out.push(...listAll(folder, relative));
  }
  return out;
}

function setUp(name: string, files: Record<string, string | Buffer | null> = {}): string {
  const folder = path.join(workDir(), name.replace(/[^A-Za-z0-9]+/g, '-'));
  fs.mkdirSync(folder);
  for (const [file, text] of Object.entries(files)) {
    const filePath = path.join(folder, file);
    if (text === null) {
      fs.mkdirSync(filePath, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    fs.writeFileSync(filePath, text);
  }
  return folder;
}

/** What no case may do, whatever it is. */
function expectNoDamage(result: CliResult, folder: string, files: Record<string, string | Buffer | null>, label: string): void {
  expect(result.stderr, label).not.toMatch(STACK_FRAME);
  expect(result.stderr, label).not.toContain('internal error');
  expect(result.stderr, label).not.toMatch(/RangeError|TypeError|ReferenceError|heap out of memory/);
  expect(result.stderr.length, label).toBeLessThan(2_000);
  expect(listAll(folder).filter((name) => /\.(tmp|old)-\d+/.test(name)), label).toEqual([]);
  for (const [file, text] of Object.entries(files)) {
    if (text === null) continue;
    expect(fs.readFileSync(path.join(folder, file)).equals(Buffer.from(text)), `${label}: ${file} kept`).toBe(true);
  }
}

describe(`hostile input to the CLI (${CASES.length} cases)`, () => {
  for (const testCase of CASES) {
    it(testCase.title, () => {
      const files = testCase.files ?? {};
      const folder = setUp(testCase.title, files);
      const result = runCli(testCase.args, folder);
      expect(result.status, `${testCase.title}\n${result.stderr}`).toBe(testCase.status);
      if (testCase.stderr !== undefined) expect(result.stderr).toMatch(testCase.stderr);
      if (testCase.stdout !== undefined) expect(result.stdout).toMatch(testCase.stdout);
      if (testCase.status === 2) expect(result.stderr.trim().split('\n').length, result.stderr).toBeLessThanOrEqual(3);
      expectNoDamage(result, folder, files, testCase.title);
    }, 60_000);
  }

  it('prints package.json\'s version', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(runCli(['--version']).stdout.trim()).toBe(version);
  });
});

describe('a closed stdout and a full disk', () => {
  it('`acmsim run ... | true`: no EPIPE stack trace, the results are written, exit 0', () => {
    const folder = setUp('epipe', tiny);
    const shell = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI_PATH}" run tiny.yaml --out out | true; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
    expect(shell.stderr).toMatch(/status 0/);
    expect(shell.stderr).not.toMatch(STACK_FRAME);
    expect(shell.stderr).not.toContain('EPIPE');
    expect(fs.existsSync(path.join(folder, 'out', 'summary.json'))).toBe(true);
    const check = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI_PATH}" check tiny.yaml --jobs 1 | head -c 1 >/dev/null; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
    expect(check.stderr).toMatch(/status 0/);
    expect(check.stderr).not.toMatch(STACK_FRAME);
  }, 60_000);

  it('a full disk (a 64 KiB tmpfs) says so, names the path, and leaves nothing behind', (context) => {
    const mountPoint = path.join(workDir(), 'full');
    fs.mkdirSync(mountPoint);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { encoding: 'utf8' });
    // Mounting needs root with CAP_SYS_ADMIN; without it, test/metrics/output-dir.test.ts covers ENOSPC with /dev/full.
    if (mount.status !== 0) context.skip();
    try {
      const scenario = path.join(workDir(), 'full-tiny.yaml');
      fs.writeFileSync(scenario, TINY.replace('sampleReceivers: 5', 'sampleReceivers: 50'));
      const result = runCli(['run', scenario, '--quiet', '--set', 'workload.submissions=200', '--out', path.join(mountPoint, 'out')]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^acmsim: cannot write ${mountPoint}/out\\.tmp-\\d+/\\S+: no space left on device \\(ENOSPC\\)$`, 'm'));
      expect(result.stderr).not.toMatch(STACK_FRAME);
      expect(fs.readdirSync(mountPoint)).toEqual([]);
    } finally {
      spawnSync('umount', [mountPoint]);
    }
  }, 60_000);
});

/** Starts a 48-hour run of small.yaml, sends `signal` once it is simulating, and resolves with how it ended. */
async function signalledRun(folder: string, signal: NodeJS.Signals, args: readonly string[]): Promise<{ code: number | null; stderr: string; afterSignalMs: number }> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadlineMs = Date.now() + 20_000;
  while (Date.now() < deadlineMs && child.exitCode === null && !fs.readdirSync(folder).some((name) => name.includes('.tmp-'))) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const sentMs = Date.now();
  child.kill(signal);
  const code = await exited;
  return { code, stderr, afterSignalMs: Date.now() - sentMs };
}

describe('signals end a run within bounded work, with 128 + the signal number, and leave nothing', () => {
  const expected: [NodeJS.Signals, number][] = [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129], ['SIGQUIT', 131]];
  for (const [signal, code] of expected) {
    it(`${signal} exits ${code}`, async () => {
      const folder = setUp(`signal-${signal}`, { 'keep.txt': 'mine\n' });
      const run = await signalledRun(folder, signal, ['run', fixture('small.yaml'), '--quiet', '--set', 'duration=48h', '--set', 'workload.submissions=14276', '--out', 'out']);
      expect(run.code, run.stderr).toBe(code);
      expect(run.stderr).toContain(`interrupted by ${signal}; no results written`);
      expect(fs.readdirSync(folder)).toEqual(['keep.txt']);
      // Generous: a hang shows as tens of seconds; bounded steps answer in well under one.
      expect(run.afterSignalMs).toBeLessThan(10_000);
    }, 60_000);
  }

  it('check --junit stopped by SIGTERM leaves no temporary file', async () => {
    const long = `extends: ${fixture('small.yaml')}\nname: long\nduration: 48h\nworkload: { submissions: 14276 }\nexpect: [{ metric: invariants.violations, equals: 0 }]\n`;
    const folder = setUp('signal-check', { 'long.yaml': long });
    const child = spawn(process.execPath, [CLI_PATH, 'check', 'long.yaml', '--quiet', '--junit', 'j.xml', '--baseline', 'bl', '--update-baseline'], { cwd: folder, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // loading and well into the 48 simulated hours
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(listAll(folder).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(fs.existsSync(path.join(folder, 'j.xml'))).toBe(false);
  }, 60_000);
});
