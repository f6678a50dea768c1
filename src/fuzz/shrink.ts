// Shrinks a failing case to a small one that fails the SAME property: greedy first-improvement over
// candidate steps ordered from the largest reduction to the smallest, until no step keeps the failure.
// Steps: drop faults (chunks of the list, halving as in delta debugging), shrink the topology, the workload
// and the duration, shorten and move fault windows, narrow targets, and put protocol settings back to defaults.
import { majorityOf } from '../acms/frontend-params.js';
import { ScenarioError } from '../scenario/index.js';
import type { FuzzCase, FuzzFault, RawTarget } from './fuzz-case.js';

/** Whether a candidate still fails the property being shrunk; throws ScenarioError for an invalid case. */
export type StillFails = (candidate: FuzzCase) => boolean;

export interface ShrinkResult {
  readonly smallest: FuzzCase;
  /** Steps kept, and candidate runs tried (kept or not, invalid ones excluded). */
  readonly steps: number;
  readonly runs: number;
  /** True when the run budget ran out before no step was left to try. */
  readonly budgetExhausted: boolean;
}

export function shrinkCase(failing: FuzzCase, stillFails: StillFails, maxRuns = 400): ShrinkResult {
  let current = failing;
  let steps = 0;
  let runs = 0;
  for (;;) {
    let improved = false;
    for (const candidate of candidates(current)) {
      if (runs >= maxRuns) return { smallest: current, steps, runs, budgetExhausted: true };
      let fails: boolean;
      try {
        fails = stillFails(candidate);
      } catch (error) {
        if (error instanceof ScenarioError) continue;
        throw error;
      }
      runs++;
      if (fails) {
        current = candidate;
        steps++;
        improved = true;
        break;
      }
    }
    if (!improved) return { smallest: current, steps, runs, budgetExhausted: false };
  }
}

/** Every candidate one step smaller than `c`, biggest reductions first. */
export function* candidates(c: FuzzCase): Generator<FuzzCase> {
  yield* fewerFaults(c);
  yield* smallerWorld(c);
  yield* smallerWorkload(c);
  yield* shorterRun(c);
  for (let i = 0; i < c.faults.length; i++) yield* simplerFault(c, i);
  yield* defaultSettings(c);
}

/** Delta debugging over the fault list: remove halves, then quarters, ..., then single faults. */
function* fewerFaults(c: FuzzCase): Generator<FuzzCase> {
  const n = c.faults.length;
  if (n === 0) return;
  yield { ...c, faults: [] };
  for (let chunk = Math.floor(n / 2); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    for (let start = 0; start < n; start += chunk) {
      yield { ...c, faults: [...c.faults.slice(0, start), ...c.faults.slice(start + chunk)] };
    }
    if (chunk === 1) break;
  }
}

/** Values from `minimum` up towards `value`: the minimum, then halfway (integers). */
function towards(value: number, minimum: number): number[] {
  if (value <= minimum) return [];
  const half = Math.floor((value + minimum) / 2);
  return half > minimum && half < value ? [minimum, half] : [minimum];
}

function* smallerWorld(c: FuzzCase): Generator<FuzzCase> {
  const t = c.topology;
  // The smallest consistent world: one country per SP, one ISP per country, one server per ISP.
  for (const edgeServers of towards(t.edgeServers, t.isps)) yield { ...c, topology: { ...t, edgeServers } };
  for (const isps of towards(t.isps, t.countries)) yield { ...c, topology: { ...t, isps, edgeServers: Math.max(t.edgeServers, isps) } };
  for (const countries of towards(t.countries, t.storagePoints)) yield { ...c, topology: { ...t, countries, isps: Math.max(t.isps, countries) } };
  if (t.storagePoints > 3) {
    const storagePoints = t.storagePoints - 1;
    const acms = { ...c.acms };
    if (typeof acms['quorum'] === 'number') acms['quorum'] = Math.max(majorityOf(storagePoints), Math.min(acms['quorum'], storagePoints));
    yield { ...c, topology: { ...t, storagePoints }, acms };
  }
  for (const publishers of towards(t.publishers, 1)) yield { ...c, topology: { ...t, publishers } };
  for (const parentSitesPerContinent of towards(t.parentSitesPerContinent, 1)) yield { ...c, topology: { ...t, parentSitesPerContinent } };
}

function* smallerWorkload(c: FuzzCase): Generator<FuzzCase> {
  const w = c.workload;
  for (const submissions of towards(w.submissions, 1)) yield { ...c, workload: { ...w, submissions } };
  if (w.submissions > 1) yield { ...c, workload: { ...w, submissions: w.submissions - 1 } };
  for (const files of towards(w.files, 1)) yield { ...c, workload: { ...w, files } };
}

function* shorterRun(c: FuzzCase): Generator<FuzzCase> {
  // Submissions are spread over the duration; a fault past its end still happens during the drain.
  for (const durationS of towards(c.durationS, 60)) yield { ...c, durationS };
  if (c.durationS > 60) yield { ...c, durationS: Math.max(60, Math.floor(c.durationS * 0.9)) };
}

function withFault(c: FuzzCase, i: number, fault: FuzzFault): FuzzCase {
  return { ...c, faults: c.faults.map((f, k) => (k === i ? fault : f)) };
}

function* simplerFault(c: FuzzCase, i: number): Generator<FuzzCase> {
  const fault = c.faults[i] as FuzzFault;
  // Shorter, then earlier (whole seconds).
  if (fault.forS !== undefined) for (const forS of towards(Math.ceil(fault.forS), 1)) yield withFault(c, i, { ...fault, forS });
  for (const atS of towards(Math.floor(fault.atS), 0)) yield withFault(c, i, { ...fault, atS });
  for (const target of narrowerTargets(fault.target)) yield withFault(c, i, { ...fault, target });
  for (const key of Object.keys(fault.params)) {
    const { [key]: _dropped, ...params } = fault.params;
    // A kind with a required key (loss's lossRate) gives an invalid case here, which is skipped.
    yield withFault(c, i, { ...fault, params });
  }
}

function* narrowerTargets(target: RawTarget): Generator<RawTarget> {
  if ('fraction' in target) {
    if (target.fraction > 0.01) yield { fraction: Math.max(0.01, Math.round(target.fraction * 500) / 1000) };
    return;
  }
  const [key, list] = Object.entries(target)[0] as [string, readonly (number | string)[]];
  if (list.length <= 1) return;
  for (const item of list) yield { [key]: [item] } as unknown as RawTarget;
}

function* defaultSettings(c: FuzzCase): Generator<FuzzCase> {
  for (const key of Object.keys(c.acms)) {
    const { [key]: _dropped, ...acms } = c.acms;
    yield { ...c, acms };
  }
}
