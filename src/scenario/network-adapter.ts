// Bridges a validated Scenario to the network module: its fault specs in the network's shape, and
// the checks only a built topology can make (does country "ZZ" exist? is cluster 900 there?).
import { FaultSpecError, selectFaultTargets, type FaultSpec as NetworkFaultSpec } from '../network/faults.js';
import { resolveSelector, SelectorError, type Selector } from '../network/selectors.js';
import type { Topology } from '../network/topology.js';
import { scenarioError } from './errors.js';
import type { FaultSpec, FaultTarget, Scenario } from './types.js';

export function toNetworkSelector(target: FaultTarget): Selector {
  switch (target.by) {
    case 'sps': return { sps: target.ids };
    case 'isps': return { isps: target.ids };
    case 'clusters': return { clusters: target.ids };
    case 'countries': return { countries: target.codes };
    case 'continents': return { continents: target.codes };
    case 'fraction': return { fraction: target.fraction };
  }
}

export function toNetworkFault(fault: FaultSpec): NetworkFaultSpec {
  const timing = fault.timing.mode === 'once'
    ? (fault.timing.forUs === null ? { atUs: fault.timing.atUs } : { atUs: fault.timing.atUs, forUs: fault.timing.forUs })
    : { mtbfUs: fault.timing.mtbfUs, mttrUs: fault.timing.mttrUs };
  const base = { ...timing, target: toNetworkSelector(fault.target) };
  switch (fault.kind) {
    case 'sp-crash': return { ...base, kind: fault.kind, diskLost: fault.diskLost };
    case 'partition': return { ...base, kind: fault.kind, direction: fault.direction };
    case 'mtu-blackhole': return { ...base, kind: fault.kind, mtuBytes: fault.mtuBytes };
    case 'loss': return { ...base, kind: fault.kind, probability: fault.lossRate };
    case 'latency': return { ...base, kind: fault.kind, extraUs: fault.extraLatencyUs };
    case 'clock-skew': return { ...base, kind: fault.kind, offsetUs: fault.offsetUs, driftPpm: fault.driftPpm };
    case 'renumber':
      return {
        ...base, kind: fault.kind, renumbered: fault.renumbered, dnsTtlUs: fault.dnsTtlUs, addressesOverlap: fault.addressesOverlap,
        oldAddressesAnswerForUs: fault.oldAddressesAnswerForUs, bind48Share: fault.bind48Share,
      };
    case 'dns-failure':
    case 'edge-outage':
    case 'cache-outage':
      return { ...base, kind: fault.kind };
  }
}

/**
 * Resolves every fault target against the built topology and turns the first one that names
 * something absent into a ScenarioError at its field path, e.g.
 * `faults[0].target.countries[1]: got "ZZ", expected a country of the topology (...)`.
 * Fractions are resolved with a throw-away generator: only existence is checked here.
 */
export function checkFaultTargets(scenario: Scenario, topology: Topology): void {
  const throwAway = (): number => 0.5;
  for (const fault of scenario.faults) {
    try {
      resolveSelector(topology, toNetworkSelector(fault.target), throwAway);
      // A crash or outage must hit at least one node of its kind (how many a fraction selects does not depend on the draws).
      selectFaultTargets(topology, fault.index, toNetworkFault(fault), throwAway);
    } catch (error) {
      if (error instanceof FaultSpecError) {
        const target = fault.target;
        const given = 'fraction' in target ? target.fraction : 'ids' in target ? target.ids : target.codes;
        throw scenarioError(scenario, `faults[${fault.index}].target.${target.by}`, given, `a target that selects at least one node the fault acts on (${error.message})`);
      }
      if (!(error instanceof SelectorError)) throw error;
      throw scenarioError(scenario, pathOf(fault, error.value), error.value, expectationFor(fault.target, topology, error.message));
    }
  }
}

function pathOf(fault: FaultSpec, value: unknown): string {
  const base = `faults[${fault.index}].target.${fault.target.by}`;
  const target = fault.target;
  const list: readonly unknown[] | undefined = 'ids' in target ? target.ids : 'codes' in target ? target.codes : undefined;
  const position = list === undefined ? -1 : list.indexOf(value);
  return position < 0 ? base : `${base}[${position}]`;
}

function expectationFor(target: FaultTarget, topology: Topology, networkMessage: string): string {
  if (target.by === 'countries') {
    const codes = topology.countries.map((country) => country.code).join(', ');
    return `a country of the topology (${topology.countries.length}: ${codes})`;
  }
  if (target.by === 'clusters') return `a cluster index from 0 to ${topology.clusterCount - 1}`;
  return `a target that exists in the topology (${networkMessage})`;
}
