// A fuzz case: a random world, workload and fault schedule held as the plain values of a scenario
// file, and its conversion into the raw scenario tree that `acmsim run` reads (validated the same way).
import * as path from 'node:path';
import { Origins } from '../scenario/origins.js';
import { validateScenario } from '../scenario/validate.js';
import type { RawMap } from '../scenario/read.js';
import type { Scenario } from '../scenario/types.js';
import { PROPERTIES } from './properties.js';

export type RawTarget =
  | { readonly sps: readonly number[] } | { readonly isps: readonly number[] } | { readonly countries: readonly string[] }
  | { readonly continents: readonly string[] } | { readonly fraction: number };

/**
 * One fault, with the kind's own keys in `params` (file spelling). Every fault heals: `at` + `for`, or for a
 * renumbering `at` alone (its windows close one dnsTtl after it, src/network/renumbering.ts).
 */
export interface FuzzFault {
  readonly kind: string;
  readonly atS: number;
  readonly forS?: number;
  readonly target: RawTarget;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

export interface FuzzTopology {
  readonly countries: number; readonly isps: number; readonly edgeServers: number; readonly storagePoints: number;
  readonly parentSitesPerContinent: number; readonly publishers: number;
}

/**
 * The front end (design.frontend): quorum (ACMS's SPs, written as no `design` key, so a quorum case's file is what
 * it was before designs were drawn) or a what-if design, primary-backup with its heartbeat settings in seconds.
 */
export type FuzzDesign =
  | { readonly frontend: 'quorum' } | { readonly frontend: 'single' }
  | { readonly frontend: 'primary-backup'; readonly heartbeatInterval?: number; readonly heartbeatTimeout?: number };

export const QUORUM_DESIGN: FuzzDesign = { frontend: 'quorum' };

export interface FuzzCase {
  readonly name: string;
  readonly seed: number;
  readonly durationS: number;
  readonly topology: FuzzTopology;
  /** Only the protocol settings drawn away from their defaults, in file spelling (durations in seconds). */
  readonly acms: Readonly<Record<string, number | { readonly edge: number; readonly parent: number }>>;
  /** Absent in cases written before designs were drawn: quorum. */
  readonly design?: FuzzDesign;
  /** design.delivery when not ACMS's cached delivery (absent in cases written before delivery designs were drawn). */
  readonly delivery?: 'direct' | 'push';
  readonly workload: { readonly submissions: number; readonly files: number };
  readonly faults: readonly FuzzFault[];
}

/** Receivers whose deliveries would go to propagation.csv: few, since a fuzz run only needs the summary. */
const SAMPLE_RECEIVERS = 10;

/** The scenario tree of a case, as a file would hold it; its `expect` lists every property. */
export function toRawScenario(fuzzCase: FuzzCase): RawMap {
  const serial = fuzzCase.design !== undefined && fuzzCase.design.frontend !== 'quorum';
  return {
    name: fuzzCase.name,
    seed: fuzzCase.seed,
    duration: fuzzCase.durationS,
    topology: { ...fuzzCase.topology },
    acms: { ...fuzzCase.acms },
    ...(serial || fuzzCase.delivery !== undefined
      ? { design: { ...(serial ? fuzzCase.design : {}), ...(fuzzCase.delivery === undefined ? {} : { delivery: fuzzCase.delivery }) } }
      : {}),
    workload: { kind: 'paper-48h', submissions: fuzzCase.workload.submissions, files: fuzzCase.workload.files },
    faults: fuzzCase.faults.map((fault) => ({
      kind: fault.kind, at: fault.atS, ...(fault.forS === undefined ? {} : { for: fault.forS }), target: { ...fault.target }, ...fault.params,
    })),
    metrics: { sampleReceivers: SAMPLE_RECEIVERS },
    expect: PROPERTIES.filter((property) => property.serialOnly !== true || serial).map((property) => ({ metric: property.metric, equals: 0 })),
  } as RawMap;
}

/**
 * Validates a case exactly as a file with the same content would be (the same validator, no `extends`).
 * Throws a ScenarioError when the case is not a valid scenario (the shrinker skips such steps).
 */
export function scenarioOf(fuzzCase: FuzzCase, directory = process.cwd()): Scenario {
  const sourcePath = path.resolve(directory, `${fuzzCase.name}.yaml`);
  return validateScenario(toRawScenario(fuzzCase), sourcePath, new Origins(sourcePath));
}
