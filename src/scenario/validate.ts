// Turns a composed raw scenario tree into a typed, fully defaulted Scenario, failing on the
// first problem with a ScenarioError. Sections are checked in dependency order: topology
// first, since quorum and fault targets are checked against it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COUNTRY_TABLE } from '../network/countries.js';
import { Checker, type DurationSign } from './checker.js';
import { ACMS_LIMITS, METRICS_LIMITS, NETWORK_LIMITS, SCENARIO_LIMITS, TOPOLOGY_LIMITS, WORKLOAD_LIMITS, type Range } from './limits.js';
import {
  DEFAULT_ACMS, DEFAULT_CACHE_FORWARDING, DEFAULT_DURATION_US, DEFAULT_METRICS, DEFAULT_SEED, DEFAULT_TOPOLOGY, DEFAULT_WORKLOAD, defaultQuorum,
} from './defaults.js';
import { displayPath } from './errors.js';
import { CACHE_FORWARDING_MODES, METRIC_FORM, NAME_FORM, SCENARIO_KEYS, WORKLOAD_KINDS } from './schema.js';
import type { Origins } from './origins.js';
import type { CacheForwarding } from '../acms/http-cache.js';
import { OVERRIDE_SOURCE } from './overrides.js';
import type { RawMap } from './read.js';
import { validateFaults } from './validate-faults.js';
import { validateDesign } from './validate-design.js';
import type { AcmsSpec, Expectation, MetricsSpec, ReferenceSpec, ReferenceValue, Scenario, TopologySpec, WorkloadSpec } from './types.js';

const TOP_LEVEL_KEYS = SCENARIO_KEYS.topLevel;
const TOPOLOGY_KEYS = SCENARIO_KEYS.topology;
const ACMS_KEYS = SCENARIO_KEYS.acms;
const METRICS_KEYS = SCENARIO_KEYS.metrics;
const EXPECT_KEYS = SCENARIO_KEYS.expect;
const REFERENCE_KEYS = SCENARIO_KEYS.reference;
const REFERENCE_VALUE_KEYS = SCENARIO_KEYS.referenceValue;

export function validateScenario(data: RawMap, sourcePath: string, origins: Origins): Scenario {
  const check = new Checker(origins);
  check.map('', data, TOP_LEVEL_KEYS);
  const name = data['name'] === undefined
    ? path.basename(sourcePath).replace(/\.(ya?ml|json)$/i, '')
    : check.string('name', data['name'], NAME_FORM, 'a name of letters, digits, ".", "_" and "-" (it names the results directory)');
  const seed = data['seed'] === undefined ? DEFAULT_SEED : check.integer('seed', data['seed'], 0);
  if (name.length > SCENARIO_LIMITS.nameLength.max) check.fail('name', name, `a name of at most ${SCENARIO_LIMITS.nameLength.max} characters`);
  const durationUs = data['duration'] === undefined ? DEFAULT_DURATION_US : check.duration('duration', data['duration'], 'positive');
  if (durationUs > SCENARIO_LIMITS.durationUs.max) check.fail('duration', data['duration'], 'a duration of at most 60 days');
  const topology = validateTopology(check, data['topology']);
  const acms = validateAcms(check, data['acms'], topology);
  const design = validateDesign(check, data['design'], data['acms']);
  const { network, cacheForwarding } = validateNetwork(check, data['network'], design.delivery);
  const workload = validateWorkload(check, data['workload']);
  const durationSource = data['duration'] === undefined ? 'the default' : `set in ${displayPath(check.fileOf('duration'))}`;
  const faults = validateFaults(check, data['faults'], topology, durationUs, durationSource);
  const metrics = validateMetrics(check, data['metrics']);
  const expect = validateExpectations(check, data['expect']);
  const reference = validateReference(check, data['reference']);
  return { name, sourcePath, seed, durationUs, topology, acms, design, network, cacheForwarding, workload, faults, metrics, expect, reference };
}

function validateTopology(check: Checker, value: unknown): TopologySpec {
  const raw = check.map('topology', value, TOPOLOGY_KEYS) ?? {};
  // countries has its own message below, naming the country table.
  const count = (key: keyof TopologySpec): number => raw[key] === undefined
    ? DEFAULT_TOPOLOGY[key]
    : key === 'countries' ? check.integer(`topology.${key}`, raw[key], 1) : check.count(`topology.${key}`, raw[key], TOPOLOGY_LIMITS[key]);
  const topology: TopologySpec = {
    countries: count('countries'),
    isps: count('isps'),
    edgeServers: count('edgeServers'),
    storagePoints: count('storagePoints'),
    parentSitesPerContinent: count('parentSitesPerContinent'),
    publishers: count('publishers'),
  };
  if (topology.countries > COUNTRY_TABLE.length) {
    check.fail('topology.countries', topology.countries, `at most ${COUNTRY_TABLE.length} (the countries acmsim has data for)`);
  }
  // Every country needs at least one ISP to hold its servers, and every ISP a cluster of them.
  if (topology.isps < topology.countries) {
    check.fail('topology.isps', topology.isps, `at least one ISP per country (countries: ${topology.countries})`);
  }
  if (topology.edgeServers < topology.isps) {
    check.fail('topology.edgeServers', topology.edgeServers, `at least one edge server per ISP (isps: ${topology.isps})`);
  }
  // Storage Points sit in distinct countries, so that one country's trouble cannot take a majority.
  if (topology.storagePoints > topology.countries) {
    check.fail('topology.storagePoints', topology.storagePoints, `at most one per country (countries: ${topology.countries})`);
  }
  return topology;
}

function validateAcms(check: Checker, value: unknown, topology: TopologySpec): AcmsSpec {
  const raw = check.map('acms', value, ACMS_KEYS) ?? {};
  const duration = (key: keyof typeof ACMS_LIMITS & keyof typeof DEFAULT_DURATIONS_US, sign: DurationSign = 'positive'): number =>
    raw[key] === undefined ? DEFAULT_DURATIONS_US[key] : check.durationIn(`acms.${key}`, raw[key], sign, ACMS_LIMITS[key]);
  const quorum = raw['quorum'] === undefined ? defaultQuorum(topology.storagePoints) : raw['quorum'];
  if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < 1 || quorum > topology.storagePoints) {
    check.fail('acms.quorum', quorum, `an integer from 1 to the number of storage points (topology.storagePoints: ${topology.storagePoints})`);
  }
  return {
    pollIntervalUs: duration('pollInterval'),
    pollJitterFraction: raw['pollJitter'] === undefined ? DEFAULT_ACMS.pollJitterFraction : check.fraction('acms.pollJitter', raw['pollJitter'], false),
    indexTtlUs: validateIndexTtl(check, raw['indexTtl']),
    mergeIntervalUs: duration('mergeInterval'),
    replicationTimeoutUs: duration('replicationTimeout'),
    agreementTimeoutUs: duration('agreementTimeout'),
    requestTimeoutUs: duration('requestTimeout'),
    spBackoffUs: duration('spBackoff'),
    quorum,
    maxClockSkewUs: duration('maxClockSkew', 'non-negative'),
    subIndexCount: raw['subIndexCount'] === undefined ? DEFAULT_ACMS.subIndexCount : check.count('acms.subIndexCount', raw['subIndexCount'], ACMS_LIMITS.subIndexCount),
  };
}

const DEFAULT_DURATIONS_US = {
  pollInterval: DEFAULT_ACMS.pollIntervalUs,
  mergeInterval: DEFAULT_ACMS.mergeIntervalUs,
  replicationTimeout: DEFAULT_ACMS.replicationTimeoutUs,
  agreementTimeout: DEFAULT_ACMS.agreementTimeoutUs,
  requestTimeout: DEFAULT_ACMS.requestTimeoutUs,
  spBackoff: DEFAULT_ACMS.spBackoffUs,
  maxClockSkew: DEFAULT_ACMS.maxClockSkewUs,
} as const;

/** A TTL of zero is allowed: it means a cache tier that always revalidates. */
function validateIndexTtl(check: Checker, value: unknown): AcmsSpec['indexTtlUs'] {
  if (value === undefined) return { ...DEFAULT_ACMS.indexTtlUs };
  if (typeof value === 'string' || typeof value === 'number') {
    const ttlUs = check.durationIn('acms.indexTtl', value, 'non-negative', ACMS_LIMITS.indexTtl);
    return { edgeUs: ttlUs, parentUs: ttlUs };
  }
  const raw = check.map('acms.indexTtl', value, ['edge', 'parent']) ?? {};
  return {
    edgeUs: raw['edge'] === undefined ? DEFAULT_ACMS.indexTtlUs.edgeUs : check.durationIn('acms.indexTtl.edge', raw['edge'], 'non-negative', ACMS_LIMITS.indexTtl),
    parentUs: raw['parent'] === undefined ? DEFAULT_ACMS.indexTtlUs.parentUs : check.durationIn('acms.indexTtl.parent', raw['parent'], 'non-negative', ACMS_LIMITS.indexTtl),
  };
}

/**
 * With design.delivery: direct there is no cache tier to forward anything, so the key written beside that choice
 * is refused, as the delivery designs refuse settings they do not read (an inherited value, such as base.yaml's,
 * is ignored).
 */
function validateCacheForwarding(check: Checker, value: unknown, delivery: Scenario['design']['delivery']): CacheForwarding {
  const cacheForwarding = check.oneOf('network.cacheForwarding', value, CACHE_FORWARDING_MODES);
  if (delivery === 'direct' && check.fileOf('network.cacheForwarding') === check.fileOf('design.delivery')) {
    check.fail('network.cacheForwarding', value, 'no network.cacheForwarding with design.delivery: direct (Receivers poll the SPs themselves: no cache passes a file on); remove it, or choose a design with caches');
  }
  return cacheForwarding;
}

/** The network model's scalar parameters a scenario may override, with their ranges (limits.ts). */
export const NETWORK_PARAMETERS: Readonly<Record<string, Range>> = NETWORK_LIMITS;

function validateNetwork(check: Checker, value: unknown, delivery: Scenario['design']['delivery']): Pick<Scenario, 'network' | 'cacheForwarding'> {
  const raw = check.map('network', value, SCENARIO_KEYS.network) ?? {};
  const network: Record<string, number> = {};
  let cacheForwarding: CacheForwarding = DEFAULT_CACHE_FORWARDING;
  for (const key of Object.keys(raw)) {
    if (key === 'cacheForwarding') cacheForwarding = validateCacheForwarding(check, raw[key], delivery);
    else network[key] = check.numberIn(`network.${key}`, raw[key], NETWORK_PARAMETERS[key] as Range);
  }
  return { network, cacheForwarding };
}

function validateWorkload(check: Checker, value: unknown): WorkloadSpec {
  if (value === undefined) return { kind: DEFAULT_WORKLOAD.kind, submissions: DEFAULT_WORKLOAD.submissions, files: DEFAULT_WORKLOAD.files };
  const preview = check.map('workload', value, SCENARIO_KEYS.workload) ?? {};
  const kind = preview['kind'] === undefined ? DEFAULT_WORKLOAD.kind : check.oneOf('workload.kind', preview['kind'], WORKLOAD_KINDS);
  if (kind === 'trace') {
    // paper-48h's keys inherited from another file (base.yaml sets them) do not apply to a trace; the same
    // keys written next to `kind: trace` are a mistake and stay errors.
    const own = { ...preview };
    for (const key of ['submissions', 'files']) {
      if (own[key] !== undefined && check.fileOf(`workload.${key}`) !== check.fileOf('workload.kind')) delete own[key];
    }
    const raw = check.map('workload', own, ['kind', 'file']) ?? {};
    if (raw['file'] === undefined) check.fail('workload.file', undefined, 'the path of a CSV trace, relative to the scenario file');
    const given = check.string('workload.file', raw['file']);
    // Relative to the file that wrote the path; a path given with --set is relative to the working directory.
    const writer = check.fileOf('workload.file');
    const base = writer === OVERRIDE_SOURCE ? process.cwd() : path.dirname(writer);
    const filePath = path.resolve(base, given);
    if (!fs.existsSync(filePath) || !fs.statSync(filePath).isFile()) {
      check.fail('workload.file', given, `an existing CSV file (looked for ${filePath})`);
    }
    return { kind, filePath };
  }
  const raw = check.map('workload', preview, ['kind', 'submissions', 'files']) ?? {};
  return {
    kind,
    submissions: raw['submissions'] === undefined ? DEFAULT_WORKLOAD.submissions : check.count('workload.submissions', raw['submissions'], WORKLOAD_LIMITS.submissions),
    files: raw['files'] === undefined ? DEFAULT_WORKLOAD.files : check.count('workload.files', raw['files'], WORKLOAD_LIMITS.files),
  };
}

function validateMetrics(check: Checker, value: unknown): MetricsSpec {
  const raw = check.map('metrics', value, METRICS_KEYS) ?? {};
  return {
    sampleReceivers: raw['sampleReceivers'] === undefined ? DEFAULT_METRICS.sampleReceivers : check.count('metrics.sampleReceivers', raw['sampleReceivers'], METRICS_LIMITS.sampleReceivers),
    fingerprint: raw['fingerprint'] === undefined ? DEFAULT_METRICS.fingerprint : check.boolean('metrics.fingerprint', raw['fingerprint']),
  };
}

function validateReference(check: Checker, value: unknown): ReferenceSpec | null {
  const raw = check.map('reference', value, REFERENCE_KEYS);
  if (raw === undefined) return null;
  const source = check.string('reference.source', raw['source'], undefined, 'a non-empty string naming where the figures come from');
  const items = check.list('reference.values', raw['values'], SCENARIO_LIMITS.referenceCount.max) ?? [];
  if (items.length === 0) check.fail('reference.values', raw['values'], 'a list of { metric, value } with at least one entry');
  const values: ReferenceValue[] = [];
  for (let i = 0; i < items.length; i++) {
    const at = `reference.values[${i}]`;
    const item = check.map(at, items[i] ?? null, REFERENCE_VALUE_KEYS);
    if (item === undefined) return check.fail(at, items[i], 'a map like { metric: propagation.meanS, value: 55 }');
    const metric = check.string(`${at}.metric`, item['metric'], METRIC_FORM, 'a metric path like "propagation.meanS"');
    values.push({ metric, value: check.finiteNumber(`${at}.value`, item['value']) });
  }
  return { source, values };
}

function validateExpectations(check: Checker, value: unknown): Expectation[] {
  const items = check.list('expect', value, SCENARIO_LIMITS.expectCount.max) ?? [];
  const expectations: Expectation[] = [];
  for (let i = 0; i < items.length; i++) {
    const at = `expect[${i}]`;
    const raw = check.map(at, items[i] ?? null, EXPECT_KEYS);
    if (raw === undefined) return check.fail(at, items[i], 'a map like { metric: propagation.p99S, max: 180 }');
    const metric = check.string(`${at}.metric`, raw['metric'], METRIC_FORM, 'a metric path like "propagation.p99S"');
    const expectation: { -readonly [K in keyof Expectation]: Expectation[K] } = { metric };
    if (raw['min'] !== undefined) expectation.min = check.finiteNumber(`${at}.min`, raw['min']);
    if (raw['max'] !== undefined) expectation.max = check.finiteNumber(`${at}.max`, raw['max']);
    if (raw['equals'] !== undefined) {
      const equals = raw['equals'];
      if (typeof equals !== 'string' && typeof equals !== 'boolean' && !(typeof equals === 'number' && Number.isFinite(equals))) {
        check.fail(`${at}.equals`, equals, 'a number, string or boolean');
      }
      expectation.equals = equals;
    }
    if (raw['tolerance'] !== undefined) {
      const tolerance = check.finiteNumber(`${at}.tolerance`, raw['tolerance']);
      if (tolerance < 0) check.fail(`${at}.tolerance`, tolerance, 'a relative tolerance of 0 or more (0.05 = 5%)');
      expectation.tolerance = tolerance;
    }
    if (expectation.min === undefined && expectation.max === undefined && expectation.equals === undefined) {
      check.fail(at, items[i], 'at least one of min, max or equals');
    }
    if (expectation.equals !== undefined && (expectation.min !== undefined || expectation.max !== undefined)) {
      check.fail(`${at}.equals`, expectation.equals, 'equals alone, or min/max, not both');
    }
    if (expectation.min !== undefined && expectation.max !== undefined && expectation.min > expectation.max) {
      check.fail(`${at}.min`, expectation.min, `a minimum no larger than max (${expectation.max})`);
    }
    expectations.push(expectation);
  }
  return expectations;
}
