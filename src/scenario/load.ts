// The entry point of scenario loading: read the file and its `extends` chain, apply --set
// overrides, validate everything (trace contents included), and hand back a frozen Scenario.
import * as path from 'node:path';
import { buildWorkload, WorkloadError } from '../workload/index.js';
import { ScenarioError } from './errors.js';
import { composeScenario } from './compose.js';
import { applyOverrides } from './overrides.js';
import type { Scenario } from './types.js';
import { validateScenario } from './validate.js';
import { workloadOptionsOf } from './workload-options.js';

/**
 * Loads a scenario file (YAML, or JSON by its .json extension). `overrides` are `--set`
 * strings such as `acms.pollInterval=20s`, applied after `extends` and before validation.
 * Throws a ScenarioError on any problem, before anything else happens.
 */
export function loadScenario(scenarioPath: string, overrides: readonly string[] = []): Scenario {
  const sourcePath = path.resolve(scenarioPath);
  const { data, origins } = composeScenario(sourcePath);
  applyOverrides(data, origins, overrides);
  const scenario = validateScenario(data, sourcePath, origins);
  if (scenario.workload.kind === 'trace') {
    // Parsed here to report bad rows at validation time; the run builds its workload from the same file
    // (src/run/run.ts), so a trace is read twice: cheap next to a run, and Scenario stays small and plain.
    try {
      buildWorkload(workloadOptionsOf(scenario), () => 0);
    } catch (error) {
      if (error instanceof WorkloadError) throw new ScenarioError(error.location, error.fieldPath, error.given, error.expected);
      throw error;
    }
  }
  return deepFreeze(scenario);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
