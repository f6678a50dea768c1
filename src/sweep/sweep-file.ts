// Reads and checks a sweep file (YAML or JSON): its shape only. Whether each parameter path and value
// fits the base scenario is checked by plan.ts, which loads the scenario with them.
import * as path from 'node:path';
import { Checker } from '../scenario/checker.js';
import { ScenarioError, describeValue } from '../scenario/errors.js';
import { Origins } from '../scenario/origins.js';
import { isRawMap, parseScenarioText, readText } from '../scenario/read.js';

const TOP_LEVEL_KEYS = ['name', 'description', 'scenario', 'set', 'vary', 'points', 'seeds', 'metrics'];
const NAME_FORM = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** The same form --set accepts: `acms.pollInterval`, `faults[0].at`. */
const PARAMETER_PATH_FORM = /^[A-Za-z_][A-Za-z0-9_-]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_-]*(\[\d+\])*)*$/;
/** Parameters a sweep may not vary: the seed is the sweep's own axis, the name keys the outputs. */
const RESERVED_PATHS = ['seed', 'name', 'extends'];

/**
 * Metrics collected when the file names none: the propagation figures the paper reports, the front
 * end's acceptance time, the load on the Storage Points, and the safety check.
 */
export const DEFAULT_SWEEP_METRICS: readonly string[] = [
  'propagation.meanS', 'propagation.p95S', 'propagation.p99S', 'propagation.within180sFraction',
  'acceptance.meanS', 'spLoad.requests', 'spLoad.bytes', 'invariants.violations',
];

/** A parameter value as written in the sweep file (a YAML scalar, list or map). */
export type ParameterValue = unknown;

export interface SweepFile {
  readonly sourcePath: string;
  readonly name: string;
  readonly description: string;
  /** Absolute path of the base scenario. */
  readonly scenarioPath: string;
  /** The file's `scenario` as written, for sweep.json. */
  readonly scenarioAsWritten: string;
  /** Fixed overrides for every run, as (path, value) in file order. */
  readonly set: readonly (readonly [string, ParameterValue])[];
  /** The full grid: each path with its values, in file order. */
  readonly vary: readonly (readonly [string, readonly ParameterValue[]])[];
  /** Explicit points, each a list of (path, value). */
  readonly points: readonly (readonly (readonly [string, ParameterValue])[])[];
  readonly seeds: readonly number[];
  readonly metrics: readonly string[];
}

export function readSweepFile(filePath: string): SweepFile {
  const sourcePath = path.resolve(filePath);
  const data = parseScenarioText(readText(sourcePath), sourcePath);
  const check = new Checker(new Origins(sourcePath));
  check.map('', data, TOP_LEVEL_KEYS);
  const name = data['name'] === undefined
    ? path.basename(sourcePath).replace(/\.(ya?ml|json)$/i, '')
    : check.string('name', data['name'], NAME_FORM, 'a name of letters, digits, ".", "_" and "-" (it names the results directory)');
  const description = data['description'] === undefined ? '' : check.string('description', data['description']);
  const scenarioAsWritten = check.string('scenario', data['scenario'], undefined, 'the path of the base scenario file, relative to this file');
  const scenarioPath = path.resolve(path.dirname(sourcePath), scenarioAsWritten);
  readText(scenarioPath, { location: { file: sourcePath }, fieldPath: 'scenario', given: scenarioAsWritten });
  const set = parameterMap(check, 'set', data['set']) ?? [];
  const vary = readVary(check, data['vary']);
  const points = readPoints(check, data['points']);
  const seeds = readSeeds(check, data['seeds']);
  const metrics = readMetrics(check, data['metrics']);
  return { sourcePath, name, description, scenarioPath, scenarioAsWritten, set, vary, points, seeds, metrics };
}

/** A map of parameter paths to values; undefined when absent. */
function parameterMap(check: Checker, fieldPath: string, value: unknown): [string, ParameterValue][] | undefined {
  if (value === undefined) return undefined;
  if (!isRawMap(value)) check.fail(fieldPath, value, 'a map of parameter paths to values, e.g. { acms.pollInterval: 20s }');
  const entries: [string, ParameterValue][] = [];
  for (const [key, entry] of Object.entries(value)) {
    parameterPath(check, `${fieldPath}.${key}`, key);
    entries.push([key, entry]);
  }
  return entries;
}

function parameterPath(check: Checker, fieldPath: string, key: string): void {
  if (!PARAMETER_PATH_FORM.test(key)) check.fail(fieldPath, key, 'a parameter path as --set takes it, e.g. acms.pollInterval or faults[0].at');
  if (RESERVED_PATHS.includes(key)) {
    check.fail(fieldPath, key, key === 'seed' ? 'a scenario parameter other than seed (the seeds are given by `seeds:`)' : `a scenario parameter other than ${key}`);
  }
}

function readVary(check: Checker, value: unknown): [string, ParameterValue[]][] {
  const entries = parameterMap(check, 'vary', value) ?? [];
  return entries.map(([key, values]) => {
    const fieldPath = `vary.${key}`;
    if (!Array.isArray(values)) check.fail(fieldPath, values, 'a list of values for this parameter, e.g. [15s, 30s, 60s]');
    if (values.length === 0) check.fail(fieldPath, values, 'a non-empty list of values');
    return [key, values];
  });
}

function readPoints(check: Checker, value: unknown): [string, ParameterValue][][] {
  const list = check.list('points', value);
  if (list === undefined) return [];
  if (list.length === 0) check.fail('points', list, 'a non-empty list of points (maps of parameter paths to values), or no `points:` at all');
  return list.map((point, index) => {
    const entries = parameterMap(check, `points[${index}]`, point) ?? [];
    if (entries.length === 0) check.fail(`points[${index}]`, point, 'a map with at least one parameter path');
    return entries;
  });
}

function readSeeds(check: Checker, value: unknown): number[] {
  if (value === undefined) check.fail('seeds', value, 'a number of seeds (1, 2, ... N) or a list of seeds, e.g. 5 or [1, 2, 3]');
  if (!Array.isArray(value)) {
    const count = check.integer('seeds', value, 1, 10_000);
    return Array.from({ length: count }, (_unused, i) => i + 1);
  }
  if (value.length === 0) check.fail('seeds', value, 'a non-empty list of seeds');
  const seen = new Set<number>();
  return value.map((seed, index) => {
    const checked = check.integer(`seeds[${index}]`, seed, 0);
    if (seen.has(checked)) check.fail(`seeds[${index}]`, seed, 'a seed not already in the list');
    seen.add(checked);
    return checked;
  });
}

function readMetrics(check: Checker, value: unknown): readonly string[] {
  const list = check.list('metrics', value);
  if (list === undefined) return DEFAULT_SWEEP_METRICS;
  if (list.length === 0) check.fail('metrics', list, 'a non-empty list of summary.json paths, or no `metrics:` for the default set');
  const seen = new Set<string>();
  return list.map((metric, index) => {
    const checked = check.string(`metrics[${index}]`, metric, undefined, 'a summary.json path such as propagation.meanS');
    if (seen.has(checked)) check.fail(`metrics[${index}]`, metric, 'a metric not already in the list');
    seen.add(checked);
    return checked;
  });
}

/** An error against a field of the sweep file, with a value given as data. */
export function sweepError(file: SweepFile, fieldPath: string, given: unknown, expected: string): ScenarioError {
  return new ScenarioError({ file: file.sourcePath }, fieldPath, describeValue(given), expected);
}
