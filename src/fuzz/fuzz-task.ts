// One fuzz run as a pool task (plain data in and out, so it can run in a worker thread): draw the
// case from its seed, run and judge it, and for the determinism self-check run it again and compare.
import { generateCase } from './generate.js';
import type { FuzzCase } from './fuzz-case.js';
import { ScenarioError } from '../scenario/index.js';
import { DETERMINISM_PROPERTY, INVALID_CASE_PROPERTY } from './properties.js';
import { runCase, type CaseOutcome, type PropertyFailure, type WorldHook } from './run-case.js';

export interface FuzzTaskInput {
  /** Position in the fuzz (run number, from 0). */
  readonly index: number;
  readonly caseSeed: number;
  /** Run the case twice and require the same event-trajectory fingerprint. */
  readonly twice: boolean;
  /** Fault kinds the generator leaves out. */
  readonly withoutKinds: readonly string[];
}

export interface FuzzTaskOutput {
  readonly index: number;
  readonly caseSeed: number;
  readonly twice: boolean;
  readonly failures: readonly PropertyFailure[];
  /** Properties the case's design does not promise under what happened (run-case.ts), by id. */
  readonly waived: readonly string[];
  /** The case's front end (design.frontend), and its delivery when not cached (e.g. quorum+push). */
  readonly design: string;
  readonly events: number;
  /** Wall time of the run(s), for the report only (never reaches a simulation). */
  readonly wallS: number;
}

export function runFuzzTask(input: FuzzTaskInput, hook?: WorldHook): FuzzTaskOutput {
  const startNs = process.hrtime.bigint();
  const fuzzCase = generateCase(input.caseSeed, { withoutKinds: input.withoutKinds });
  let first: CaseOutcome;
  try {
    first = runCase(fuzzCase, hook);
  } catch (error) {
    // The generator drew something that is not a valid scenario: a fuzzer bug, reported like a failure.
    if (!(error instanceof ScenarioError)) throw error;
    const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
    return {
      index: input.index, caseSeed: input.caseSeed, twice: input.twice, failures: [{ property: INVALID_CASE_PROPERTY, detail: error.message }],
      waived: [], design: designOf(fuzzCase), events: 0, wallS,
    };
  }
  const failures = [...first.failures];
  if (input.twice) {
    const second = runCase(fuzzCase, hook);
    if (second.fingerprint !== first.fingerprint) {
      failures.push({ property: DETERMINISM_PROPERTY, detail: `two runs of the same case gave fingerprints ${first.fingerprint} and ${second.fingerprint}` });
    }
  }
  const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
  return {
    index: input.index, caseSeed: input.caseSeed, twice: input.twice, failures, waived: first.waived.map((failure) => failure.property),
    design: designOf(fuzzCase), events: first.events, wallS,
  };
}

function designOf(fuzzCase: FuzzCase): string {
  const frontend = fuzzCase.design?.frontend ?? 'quorum';
  return fuzzCase.delivery === undefined ? frontend : `${frontend}+${fuzzCase.delivery}`;
}
