// Expands a sweep file into its points and runs, and checks every parameter path and value against
// the base scenario by loading it with them (the same loader and --set mechanism as `acmsim run`).
// Runs are numbered point-major (point 0 seeds..., point 1 seeds...): the index array jobs address.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { loadScenario, ScenarioError, type Scenario } from '../scenario/index.js';
import { OVERRIDE_SOURCE } from '../scenario/overrides.js';
import { stableJson } from '../metrics/index.js';
import { checkScenarioAgainstTopology } from '../run/run.js';
import { metricProblem } from './summary-metrics.js';
import { readSweepFile, sweepError, type ParameterValue, type SweepFile } from './sweep-file.js';

export interface SweepPoint {
  /** p01, p02, ...: names the point in tables and run directories. */
  readonly id: string;
  /** The point's parameter values, in column order of SweepPlan.parameters (absent: the scenario's own). */
  readonly params: readonly (readonly [string, ParameterValue])[];
  /** --set strings for this point: the sweep's fixed `set`, then the point's own values. */
  readonly overrides: readonly string[];
}

export interface SweepRun {
  readonly index: number;
  readonly pointIndex: number;
  readonly seed: number;
  /** `<point>-seed<N>`: the run's directory under runs/. */
  readonly id: string;
  readonly overrides: readonly string[];
  /** Hash of the run's loaded scenario: a stored run with another hash belongs to another sweep. */
  readonly scenarioHash: string;
}

export interface SweepPlan {
  readonly file: SweepFile;
  /** The base scenario with the fixed `set` applied. */
  readonly baseScenario: Scenario;
  /** Every varied parameter path, in order of first appearance (the tables' columns). */
  readonly parameters: readonly string[];
  readonly points: readonly SweepPoint[];
  readonly runs: readonly SweepRun[];
}

export function planSweep(filePath: string): SweepPlan {
  const file = readSweepFile(filePath);
  const setOverrides = file.set.map(([key, value]) => overrideOf(key, value));
  loadScenario(file.scenarioPath); // a problem in the base scenario itself is reported as it is, naming that file
  const baseScenario = loadAt(file, setOverrides, (error) => remapOverrideError(file, error, 'set', file.set));
  file.metrics.forEach((metric, index) => {
    const problem = metricProblem(metric);
    if (problem !== undefined) throw sweepError(file, `metrics[${index}]`, metric, problem);
  });

  // No `vary` and no `points`: one point, the scenario as it is (a sweep over seeds only).
  const grid = file.vary.length > 0 || file.points.length === 0 ? gridPoints(file.vary) : [];
  const pointValues = [...grid, ...file.points];
  const parameters = [...new Set(pointValues.flatMap((point) => point.map(([key]) => key)))];
  const width = Math.max(2, String(pointValues.length).length);
  const seen = new Map<string, number>();
  const points: SweepPoint[] = [];
  const runs: SweepRun[] = [];
  pointValues.forEach((values, pointIndex) => {
    const overrides = [...setOverrides, ...values.map(([key, value]) => overrideOf(key, value))];
    const fieldPath = pointIndex < pointValues.length - file.points.length ? 'vary' : `points[${pointIndex - (pointValues.length - file.points.length)}]`;
    const identity = stableJson(Object.fromEntries(values));
    const twin = seen.get(identity);
    if (twin !== undefined) throw sweepError(file, fieldPath, Object.fromEntries(values), `a point not already in the sweep (it repeats point ${twin + 1})`);
    seen.set(identity, pointIndex);
    const scenario = loadAt(file, overrides, (error) => remapOverrideError(file, error, fieldPath, values, pointIndex < grid.length));
    const byKey = new Map(values);
    const id = `p${String(pointIndex + 1).padStart(width, '0')}`;
    points.push({ id, params: parameters.filter((key) => byKey.has(key)).map((key) => [key, byKey.get(key)]), overrides });
    const pointHash = hashScenario(scenario, file);
    for (const seed of file.seeds) {
      // Fault targets against the generated topology (which the seed shapes), as `acmsim run` checks before running.
      if (scenario.faults.length > 0) {
        const remap = (error: ScenarioError): ScenarioError => remapOverrideError(file, error, fieldPath, values, pointIndex < grid.length, seed);
        checkAt(() => checkScenarioAgainstTopology({ ...scenario, seed }), remap);
      }
      runs.push({
        index: runs.length, pointIndex, seed, id: `${id}-seed${seed}`,
        overrides: [...overrides, `seed=${seed}`],
        scenarioHash: createHash('sha256').update(`${pointHash}/${seed}`).digest('hex').slice(0, 16),
      });
    }
  });
  return { file, baseScenario, parameters, points, runs };
}

/** The full grid of `vary`, last parameter changing fastest (no `vary`: one empty point). */
function gridPoints(vary: SweepFile['vary']): (readonly [string, ParameterValue])[][] {
  let grid: (readonly [string, ParameterValue])[][] = [[]];
  for (const [key, values] of vary) grid = grid.flatMap((prefix) => values.map((value) => [...prefix, [key, value] as const]));
  return grid;
}

/** A --set string; JSON is YAML, so the value reaches the scenario exactly as the sweep file wrote it. */
function overrideOf(key: string, value: ParameterValue): string {
  return `${key}=${JSON.stringify(value)}`;
}

function loadAt(file: SweepFile, overrides: readonly string[], remap: (error: ScenarioError) => ScenarioError): Scenario {
  return checkAt(() => loadScenario(file.scenarioPath, overrides), remap);
}

function checkAt<T>(check: () => T, remap: (error: ScenarioError) => ScenarioError): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ScenarioError) throw remap(error);
    throw error;
  }
}

/**
 * The base scenario loads on its own, so a problem found with overrides is theirs: it is reported at the
 * sweep file's field that wrote them (`set.<path>`, `vary.<path>[i]`, `vary` for a grid point,
 * `points[k].<path>`), with the loader's given and expected.
 */
function remapOverrideError(
  file: SweepFile, error: ScenarioError, fieldPath: string, values: readonly (readonly [string, ParameterValue])[], gridPoint = false,
  seed?: number,
): ScenarioError {
  const inner = error.fieldPath;
  const owner = values.find(([key]) => inner === key || inner.startsWith(`${key}.`) || inner.startsWith(`${key}[`));
  let where = fieldPath;
  if (owner !== undefined && gridPoint) {
    // A grid point's problem with one of its values is that value's, in `vary`; a misspelt path is the key's.
    const valueIndex = file.vary.find(([key]) => key === owner[0])?.[1].indexOf(owner[1]) ?? -1;
    where = error.given === 'an unknown key' || valueIndex < 0 ? `vary.${owner[0]}` : `vary.${owner[0]}[${valueIndex}]`;
  } else if (owner !== undefined && fieldPath !== 'vary') {
    where = `${fieldPath}.${owner[0]}`;
  }
  // A value the sweep wrote is the sweep's, even when the check that refused it names the scenario file.
  const inBase = error.location.file !== OVERRIDE_SOURCE && owner === undefined ? ` of ${path.basename(error.location.file)}` : '';
  const detail = owner !== undefined && inner === owner[0] && inBase === '' ? '' : ` (at ${inner}${inBase})`;
  const pointText = where === 'vary' ? ` for the point ${values.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ')}` : '';
  const seedText = seed === undefined ? '' : ` with seed ${seed}`;
  return new ScenarioError({ file: file.sourcePath }, where, error.given, `${error.expected}${detail}${pointText}${seedText}`);
}

/** Paths are made relative to the sweep file, so the same sweep hashes alike wherever it is checked out. */
function hashScenario(scenario: Scenario, file: SweepFile): string {
  return createHash('sha256').update(stableJson(portableScenario(scenario, file))).digest('hex');
}

export function portableScenario(scenario: Scenario, file: SweepFile): unknown {
  const base = path.dirname(file.sourcePath);
  const relative = (filePath: string): string => path.relative(base, filePath).split(path.sep).join('/');
  const workload = scenario.workload.kind === 'trace' ? { ...scenario.workload, filePath: relative(scenario.workload.filePath) } : scenario.workload;
  return { ...scenario, sourcePath: relative(scenario.sourcePath), workload };
}
