// Validates the `faults` list: kind, timing (at/for or mtbf/mttr), target selector, and the
// parameters each kind takes. Country codes are checked for form only; the topology checks existence.
import type { Checker } from './checker.js';
import { DEFAULT_FAULT_PARAMETERS } from './defaults.js';
import { formatDuration } from './duration.js';
import { SCENARIO_LIMITS } from './limits.js';
import { COUNTRY_CODE, SCENARIO_KEYS } from './schema.js';
import { childPath } from './origins.js';
import type { RawMap } from './read.js';
import {
  CONTINENTS, FAULT_KINDS, FAULT_SELECTORS, PARTITION_DIRECTIONS, RENUMBERED_NODES,
  type FaultKind, type FaultSelector, type FaultSpec, type FaultTarget, type FaultTiming, type TopologySpec,
} from './types.js';

const MAX_CLOCK_OFFSET_US = 30 * 86_400_000_000;
const MAX_DRIFT_PPM = 10_000;

/** The run's length and where it was set ("the default", "set in x.yaml"), for messages. */
interface RunLength {
  readonly durationUs: number;
  readonly durationSource: string;
}

const TIMING_KEYS = SCENARIO_KEYS.faultTiming;
const KIND_KEYS: Readonly<Record<FaultKind, readonly string[]>> = SCENARIO_KEYS.faultKind;

/** Which selectors make sense per kind: SP crashes hit SPs; edge and cache outages hit the delivery side. */
function selectorsFor(kind: FaultKind): readonly FaultSelector[] {
  if (kind === 'sp-crash') return ['sps'];
  if (kind === 'edge-outage' || kind === 'cache-outage') return FAULT_SELECTORS.filter((selector) => selector !== 'sps');
  // A renumbering moves SPs or parent sites: clusters hold neither, and a fraction counts clusters.
  if (kind === 'renumber') return FAULT_SELECTORS.filter((selector) => selector !== 'clusters' && selector !== 'fraction');
  return FAULT_SELECTORS;
}


/** durationUs: the run's length; a fault that would start after it is refused (it would never apply). */
export function validateFaults(check: Checker, value: unknown, topology: TopologySpec, durationUs: number, durationSource: string): FaultSpec[] {
  const items = check.list('faults', value, SCENARIO_LIMITS.faultCount.max) ?? [];
  const faults: FaultSpec[] = [];
  for (let index = 0; index < items.length; index++) {
    faults.push(validateFault(check, `faults[${index}]`, items[index], index, topology, { durationUs, durationSource }));
  }
  return faults;
}

function validateFault(check: Checker, fieldPath: string, value: unknown, index: number, topology: TopologySpec, run: RunLength): FaultSpec {
  // The kind decides which keys are allowed, so read it before checking the keys.
  const preview = check.map(fieldPath, value, Object.keys(value ?? {}));
  if (preview === undefined) return check.fail(fieldPath, value, 'a fault map with kind, target and at/for or mtbf/mttr');
  const kind = check.oneOf(childPath(fieldPath, 'kind'), preview['kind'], FAULT_KINDS);
  const raw = check.map(fieldPath, preview, ['kind', 'target', ...TIMING_KEYS, ...KIND_KEYS[kind]]) as RawMap;
  if (kind === 'renumber') refuseRepeatedTiming(check, fieldPath, raw);
  const timing = validateTiming(check, fieldPath, raw, run);
  const target = validateTarget(check, childPath(fieldPath, 'target'), raw['target'], kind, topology);
  const common = { index, target, timing };
  const at = (key: string): string => childPath(fieldPath, key);

  switch (kind) {
    case 'sp-crash':
      return { ...common, kind, diskLost: raw['diskLost'] === undefined ? DEFAULT_FAULT_PARAMETERS.diskLost : check.boolean(at('diskLost'), raw['diskLost']) };
    case 'partition':
      return {
        ...common,
        kind,
        direction: raw['direction'] === undefined ? DEFAULT_FAULT_PARAMETERS.direction : check.oneOf(at('direction'), raw['direction'], PARTITION_DIRECTIONS),
      };
    case 'mtu-blackhole':
      // 68 bytes is the smallest MTU IPv4 allows (RFC 791); 9,000 covers jumbo frames.
      return { ...common, kind, mtuBytes: raw['mtuBytes'] === undefined ? DEFAULT_FAULT_PARAMETERS.mtuBytes : check.integer(at('mtuBytes'), raw['mtuBytes'], 68, 9000) };
    case 'loss':
      if (raw['lossRate'] === undefined) check.fail(at('lossRate'), undefined, 'a loss rate from 0 to 1 (required for a loss fault)');
      return { ...common, kind, lossRate: check.fraction(at('lossRate'), raw['lossRate']) };
    case 'latency':
      if (raw['extraLatency'] === undefined) check.fail(at('extraLatency'), undefined, 'a positive duration such as "200ms" (required for a latency fault)');
      return { ...common, kind, extraLatencyUs: check.durationIn(at('extraLatency'), raw['extraLatency'], 'positive', SCENARIO_LIMITS.extraLatencyUs) };
    case 'clock-skew':
      if (raw['offset'] === undefined && raw['driftPpm'] === undefined) {
        check.fail(fieldPath, value, 'a clock-skew fault with `offset` (e.g. "-3s") and/or `driftPpm`');
      }
      {
        // Version ids carry the SP's local clock (src/acms/version.ts has room for about +-100 days), and a
        // clock a month off or drifting by more than 1% is a broken clock, not skew.
        const offsetUs = raw['offset'] === undefined ? DEFAULT_FAULT_PARAMETERS.offsetUs : check.duration(at('offset'), raw['offset'], 'any');
        if (Math.abs(offsetUs) > MAX_CLOCK_OFFSET_US) check.fail(at('offset'), raw['offset'], 'an offset within 30 days either way, e.g. "-3s"');
        const driftPpm = raw['driftPpm'] === undefined ? DEFAULT_FAULT_PARAMETERS.driftPpm : check.finiteNumber(at('driftPpm'), raw['driftPpm']);
        if (Math.abs(driftPpm) > MAX_DRIFT_PPM) check.fail(at('driftPpm'), driftPpm, `a drift within ${MAX_DRIFT_PPM} ppm either way`);
        return { ...common, kind, offsetUs, driftPpm };
      }
    case 'renumber':
      return {
        ...common,
        kind,
        renumbered: raw['renumbered'] === undefined ? DEFAULT_FAULT_PARAMETERS.renumbered : check.oneOf(at('renumbered'), raw['renumbered'], RENUMBERED_NODES),
        dnsTtlUs: raw['dnsTtl'] === undefined ? DEFAULT_FAULT_PARAMETERS.dnsTtlUs : check.durationIn(at('dnsTtl'), raw['dnsTtl'], 'positive', SCENARIO_LIMITS.dnsTtlUs),
        addressesOverlap: raw['addressesOverlap'] === undefined ? DEFAULT_FAULT_PARAMETERS.addressesOverlap : check.boolean(at('addressesOverlap'), raw['addressesOverlap']),
        oldAddressesAnswerForUs: raw['oldAddressesAnswerFor'] === undefined
          ? DEFAULT_FAULT_PARAMETERS.oldAddressesAnswerForUs
          : check.durationIn(at('oldAddressesAnswerFor'), raw['oldAddressesAnswerFor'], 'non-negative', SCENARIO_LIMITS.oldAddressesAnswerForUs),
        bind48Share: raw['bind48Share'] === undefined ? DEFAULT_FAULT_PARAMETERS.bind48Share : check.fraction(at('bind48Share'), raw['bind48Share']),
      };
    case 'dns-failure':
    case 'edge-outage':
    case 'cache-outage':
      return { ...common, kind };
  }
}

/** A renumbering happens once, at `at`; its failure windows follow from the TTL, not from `for` or a random process. */
function refuseRepeatedTiming(check: Checker, fieldPath: string, raw: RawMap): void {
  for (const key of ['for', 'mtbf', 'mttr']) {
    if (raw[key] !== undefined) {
      check.fail(childPath(fieldPath, key), raw[key], 'no `for`, `mtbf` or `mttr`: a renumbering happens once, at `at` (its windows follow from dnsTtl)');
    }
  }
}

function validateTiming(check: Checker, fieldPath: string, raw: RawMap, run: RunLength): FaultTiming {
  const at = (key: string): string => childPath(fieldPath, key);
  const hasOnce = raw['at'] !== undefined || raw['for'] !== undefined;
  const hasRandom = raw['mtbf'] !== undefined || raw['mttr'] !== undefined;
  if (hasOnce && hasRandom) {
    check.fail(fieldPath, 'both at/for and mtbf/mttr', 'either `at` (with optional `for`) or `mtbf` with `mttr`, not both');
  }
  if (hasRandom) {
    if (raw['mtbf'] === undefined) check.fail(at('mtbf'), undefined, 'a positive mean time between failures, given with mttr');
    if (raw['mttr'] === undefined) check.fail(at('mttr'), undefined, 'a positive mean time to repair, given with mtbf');
    return {
      mode: 'random',
      mtbfUs: check.durationIn(at('mtbf'), raw['mtbf'], 'positive', SCENARIO_LIMITS.faultMtbfUs),
      mttrUs: check.durationIn(at('mttr'), raw['mttr'], 'positive', SCENARIO_LIMITS.faultMttrUs),
    };
  }
  if (raw['at'] === undefined) {
    check.fail(at('at'), undefined, 'a start time `at` (with optional `for`), or `mtbf` and `mttr` for a random process');
  }
  const atUs = check.duration(at('at'), raw['at'], 'non-negative');
  // Refused rather than warned about: a fault that never applies makes a scenario claim what it does not test.
  if (atUs >= run.durationUs) {
    check.fail(at('at'), raw['at'], `a start time before the end of the run (duration: ${formatDuration(run.durationUs)}, ${run.durationSource})`);
  }
  return {
    mode: 'once',
    atUs,
    forUs: raw['for'] === undefined ? null : check.durationIn(at('for'), raw['for'], 'positive', SCENARIO_LIMITS.faultForUs),
  };
}

function validateTarget(check: Checker, fieldPath: string, value: unknown, kind: FaultKind, topology: TopologySpec): FaultTarget {
  const allowed = selectorsFor(kind);
  const described = allowed.join(' | ');
  if (value === undefined) check.fail(fieldPath, value, `a target map with one of: ${described}`);
  const raw = check.map(fieldPath, value, allowed) as RawMap;
  const keys = Object.keys(raw);
  if (keys.length !== 1) check.fail(fieldPath, value, `exactly one selector, one of: ${described}`);
  const selector = keys[0] as FaultSelector;
  const selectorPath = childPath(fieldPath, selector);
  const selected = raw[selector];

  switch (selector) {
    case 'fraction':
      return { by: 'fraction', fraction: check.fraction(selectorPath, selected) };
    case 'sps':
      return { by: 'sps', ids: integerList(check, selectorPath, selected, topology.storagePoints - 1) };
    case 'isps':
      return { by: 'isps', ids: integerList(check, selectorPath, selected, topology.isps - 1) };
    case 'clusters':
      return { by: 'clusters', ids: integerList(check, selectorPath, selected, Number.MAX_SAFE_INTEGER) };
    case 'countries': {
      const items = nonEmptyList(check, selectorPath, selected);
      const codes = items.map((item, i) => check.string(childPath(selectorPath, i), item, COUNTRY_CODE, 'a two-letter country code in capitals, like "MY"'));
      return { by: 'countries', codes: unique(check, selectorPath, codes) };
    }
    case 'continents': {
      const items = nonEmptyList(check, selectorPath, selected);
      const codes = items.map((item, i) => check.oneOf(childPath(selectorPath, i), item, CONTINENTS));
      return { by: 'continents', codes: unique(check, selectorPath, codes) };
    }
  }
}

function nonEmptyList(check: Checker, fieldPath: string, value: unknown): unknown[] {
  const items = check.list(fieldPath, value);
  if (items === undefined || items.length === 0) check.fail(fieldPath, value, 'a non-empty list');
  return items;
}

function integerList(check: Checker, fieldPath: string, value: unknown, max: number): number[] {
  const items = nonEmptyList(check, fieldPath, value);
  const ids = items.map((item, i) => check.integer(childPath(fieldPath, i), item, 0, max));
  return unique(check, fieldPath, ids);
}

function unique<T>(check: Checker, fieldPath: string, items: T[]): T[] {
  for (let i = 0; i < items.length; i++) {
    if (items.indexOf(items[i] as T) !== i) check.fail(childPath(fieldPath, i), items[i], 'no repeated entries');
  }
  return items;
}
