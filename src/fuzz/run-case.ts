// Runs one fuzz case and judges it: every property of PROPERTIES is an expectation of the case's
// scenario, evaluated on the summary with its liveness block, exactly as `acmsim run` evaluates a file.
import { evaluateExpectations } from '../check/expectations.js';
import { summaryWithLiveness } from '../check/liveness.js';
import { ScenarioError, type Scenario } from '../scenario/index.js';
import { startRun } from '../run/run.js';
import type { World } from '../world/world.js';
import { scenarioOf, type FuzzCase } from './fuzz-case.js';
import { PrimaryBackupPoint } from '../acms/frontends/primary-backup.js';
import { CRASH_PROPERTY, propertyOfMetric, WAIVED_AFTER_FAIL_OVER } from './properties.js';

/** Test-only: changes the world after it is built and before it runs (how mutants are injected). */
export type WorldHook = (world: World) => void;

export interface PropertyFailure {
  /** A Property id, or 'crash' / 'determinism'. */
  readonly property: string;
  /** What happened, with the time and the ids involved (the checker's or liveness report's first lines). */
  readonly detail: string;
}

export interface CaseOutcome {
  readonly failures: readonly PropertyFailure[];
  /** Violations the run's design does not promise under what happened (primary-backup after a take-over). */
  readonly waived: readonly PropertyFailure[];
  readonly fingerprint: string;
  readonly events: number;
}

/** Runs a validated scenario and lists the properties it violates (in PROPERTIES order). */
export function judgeScenario(scenario: Scenario, hook?: WorldHook): CaseOutcome {
  let summary: ReturnType<typeof summaryWithLiveness>;
  let failedOver = false;
  try {
    const run = startRun(scenario);
    hook?.(run.world);
    run.world.run(run.totalUs);
    summary = summaryWithLiveness(scenario, run.finish());
    // A term above 0 anywhere means some backup took over (terms only grow, and followers adopt them).
    failedOver = run.world.storagePoints.some((sp) => sp instanceof PrimaryBackupPoint && sp.term > 0);
  } catch (error) {
    // A case that is not a valid scenario (a target the shrunk topology lacks) is not a failure: the caller skips it.
    if (error instanceof ScenarioError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { failures: [{ property: CRASH_PROPERTY, detail: `the run stopped with an error: ${message}` }], waived: [], fingerprint: '', events: 0 };
  }
  const failures: PropertyFailure[] = [];
  const waived: PropertyFailure[] = [];
  for (const row of evaluateExpectations(scenario.name, summary, scenario.expect)) {
    if (row.pass) continue;
    const property = propertyOfMetric(row.metric);
    const evidence = property?.id.startsWith('liveness') === true ? summary.liveness.firstViolations : summary.invariants.firstViolations;
    const failure = { property: property?.id ?? row.metric, detail: [row.message, ...evidence.slice(0, 3)].join('\n') };
    (failedOver && WAIVED_AFTER_FAIL_OVER.includes(failure.property) ? waived : failures).push(failure);
  }
  return { failures, waived, fingerprint: summary.fingerprint, events: summary.events };
}

export function runCase(fuzzCase: FuzzCase, hook?: WorldHook): CaseOutcome {
  return judgeScenario(scenarioOf(fuzzCase), hook);
}
