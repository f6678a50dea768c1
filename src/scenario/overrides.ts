// Applies `--set path=value` overrides (e.g. `acms.pollInterval=20s`, `faults[0].at=2h`) to a
// composed scenario tree, after `extends` and before validation. Values are YAML scalars or
// flow collections (`[MY, SG]`, `{ edge: 20s }`); an empty value resets the field to its default.
import { parse as parseYaml } from 'yaml';
import { ScenarioError, truncateForMessage } from './errors.js';
import { childPath, type Origins } from './origins.js';
import { FORBIDDEN_KEYS, checkTree, isRawMap, type RawMap } from './read.js';

/** Where --set problems are reported: the command line, not a file. */
export const OVERRIDE_SOURCE = '--set';

type PathStep = string | number;

export function applyOverrides(data: RawMap, origins: Origins, overrides: readonly string[]): void {
  for (const override of overrides) applyOverride(data, origins, override);
}

function applyOverride(data: RawMap, origins: Origins, override: string): void {
  const equals = override.indexOf('=');
  if (equals <= 0) throw overrideError('', override, 'path=value, e.g. "acms.pollInterval=20s"');
  const pathText = override.slice(0, equals).trim();
  const steps = parsePath(pathText, override);
  if (steps[0] === 'extends') {
    // `extends` is followed while the files are read, before --set applies: setting it here could only be ignored.
    throw overrideError('extends', override, 'a field other than extends (a parent scenario is named inside the scenario file, not with --set)');
  }
  const forbidden = steps.find((step) => typeof step === 'string' && FORBIDDEN_KEYS.includes(step));
  if (forbidden !== undefined) {
    throw overrideError(pathText, override, `a field path without ${JSON.stringify(forbidden)} (${FORBIDDEN_KEYS.join(', ')} are never keys of a scenario)`);
  }
  const value = parseValue(override.slice(equals + 1), pathText);
  checkTree(value, pathText, steps.length, { file: OVERRIDE_SOURCE });

  let container: RawMap | unknown[] = data;
  let fieldPath = '';
  for (let i = 0; i < steps.length - 1; i++) {
    const step = steps[i] as PathStep;
    const nextStep = steps[i + 1] as PathStep;
    fieldPath = childPath(fieldPath, step);
    let next = readStep(container, step, fieldPath, override);
    if (next === undefined || next === null) {
      next = typeof nextStep === 'number' ? [] : {};
      writeStep(container, step, next, fieldPath, override);
      origins.wrote(fieldPath, OVERRIDE_SOURCE);
    }
    if (!isRawMap(next) && !Array.isArray(next)) {
      throw overrideError(fieldPath, override, `a path through maps and lists, but ${fieldPath} holds ${JSON.stringify(next)}`);
    }
    container = next;
  }
  const last = steps[steps.length - 1] as PathStep;
  fieldPath = childPath(fieldPath, last);
  if (value === null && isRawMap(container) && typeof last === 'string') {
    delete container[last];
    origins.forget(fieldPath);
    return;
  }
  writeStep(container, last, value, fieldPath, override);
  origins.wrote(fieldPath, OVERRIDE_SOURCE);
}

function readStep(container: RawMap | unknown[], step: PathStep, fieldPath: string, override: string): unknown {
  if (typeof step === 'number') {
    if (!Array.isArray(container)) throw overrideError(fieldPath, override, `a list at ${fieldPath.replace(/\[\d+\]$/, '')}`);
    return container[step];
  }
  if (Array.isArray(container)) throw overrideError(fieldPath, override, `an index like [0] where a list is`);
  return container[step];
}

function writeStep(container: RawMap | unknown[], step: PathStep, value: unknown, fieldPath: string, override: string): void {
  if (typeof step === 'number') {
    if (!Array.isArray(container)) throw overrideError(fieldPath, override, `a list at ${fieldPath.replace(/\[\d+\]$/, '')}`);
    // Appending right after the end is allowed (adds a fault); anything further would leave holes.
    if (step > container.length) {
      throw overrideError(fieldPath, override, `an index from 0 to ${container.length} (the list has ${container.length} entries)`);
    }
    container[step] = value;
    return;
  }
  if (Array.isArray(container)) throw overrideError(fieldPath, override, `an index like [0] where a list is`);
  container[step] = value;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*/;
const INDEX = /^\[(\d+)\]/;

function parsePath(pathText: string, override: string): PathStep[] {
  const steps: PathStep[] = [];
  let rest = pathText;
  let expectKey = true;
  while (rest.length > 0) {
    if (expectKey) {
      const key = KEY.exec(rest);
      if (key === null) break;
      steps.push(key[0]);
      rest = rest.slice(key[0].length);
      expectKey = false;
      continue;
    }
    const index = INDEX.exec(rest);
    if (index !== null) {
      steps.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      expectKey = true;
      continue;
    }
    break;
  }
  if (rest.length > 0 || expectKey || steps.length === 0) {
    throw overrideError('', override, 'a field path like "acms.pollInterval" or "faults[0].at" before "="');
  }
  return steps;
}

function parseValue(valueText: string, pathText: string): unknown {
  try {
    return parseYaml(valueText) as unknown;
  } catch (error) {
    const reason = ((error as Error).message.split('\n')[0] ?? '').trim();
    throw new ScenarioError({ file: OVERRIDE_SOURCE }, pathText, truncateForMessage(JSON.stringify(valueText)), `a YAML value (${truncateForMessage(reason)})`);
  }
}

function overrideError(fieldPath: string, override: string, expected: string): ScenarioError {
  return new ScenarioError({ file: OVERRIDE_SOURCE }, fieldPath, truncateForMessage(JSON.stringify(override)), expected);
}
