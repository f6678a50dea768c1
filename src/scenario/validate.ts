// Turns a composed raw scenario tree into a typed, fully defaulted Scenario, failing on the
// first problem with a ScenarioError. Sections are checked in dependency order: topology
// first, since quorum and fault targets are checked against it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COUNTRY_TABLE } from '../network/countries.js';
import { Checker } from './checker.js';
import {
  DEFAULT_ACMS, DEFAULT_DURATION_US, DEFAULT_METRICS, DEFAULT_SEED, DEFAULT_TOPOLOGY, DEFAULT_WORKLOAD, defaultQuorum,
} from './defaults.js';
import type { Origins } from './origins.js';
import { OVERRIDE_SOURCE } from './overrides.js';
import type { RawMap } from './read.js';
import { validateFaults } from './validate-faults.js';
import type { AcmsSpec, Expectation, MetricsSpec, ReferenceSpec, ReferenceValue, Scenario, TopologySpec, WorkloadSpec } from './types.js';

const TOP_LEVEL_KEYS = ['name', 'extends', 'seed', 'duration', 'topology', 'acms', 'network', 'workload', 'faults', 'metrics', 'expect', 'reference'];
const TOPOLOGY_KEYS = Object.keys(DEFAULT_TOPOLOGY);
const ACMS_KEYS = [
  'pollInterval', 'pollJitter', 'indexTtl', 'mergeInterval', 'replicationTimeout', 'agreementTimeout',
  'requestTimeout', 'spBackoff', 'quorum', 'maxClockSkew', 'subIndexCount',
];
const METRICS_KEYS = ['sampleReceivers', 'fingerprint'];
const MAX_DURATION_US = 60 * 86_400_000_000;
const EXPECT_KEYS = ['metric', 'min', 'max', 'equals', 'tolerance'];
const REFERENCE_KEYS = ['source', 'values'];
const REFERENCE_VALUE_KEYS = ['metric', 'value'];

/** Names become directory names (results/<name>-seed<N>/), so keep them to portable characters. */
const NAME_FORM = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * Metric paths: dot-separated segments such as `propagation.p99S`, or a by-size row named by its
 * label, `bySize.10-100 MB.p95S` (single inner spaces allowed). Only the form is checked here.
 */
const METRIC_FORM = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_%<>+-]+( [A-Za-z0-9_%<>+-]+)*)*$/;

export function validateScenario(data: RawMap, sourcePath: string, origins: Origins): Scenario {
  const check = new Checker(origins);
  check.map('', data, TOP_LEVEL_KEYS);
  const name = data['name'] === undefined
    ? path.basename(sourcePath).replace(/\.(ya?ml|json)$/i, '')
    : check.string('name', data['name'], NAME_FORM, 'a name of letters, digits, ".", "_" and "-" (it names the results directory)');
  const seed = data['seed'] === undefined ? DEFAULT_SEED : check.integer('seed', data['seed'], 0);
  const durationUs = data['duration'] === undefined ? DEFAULT_DURATION_US : check.duration('duration', data['duration'], 'positive');
  // Version ids carry an SP's clock with room for about 100 days (src/acms/version.ts); 60 days of run
  // leave room for the drain and for a clock skewed by up to 30 days.
  if (durationUs > MAX_DURATION_US) check.fail('duration', data['duration'], 'a duration of at most 60 days');
  const topology = validateTopology(check, data['topology']);
  const acms = validateAcms(check, data['acms'], topology);
  const network = validateNetwork(check, data['network']);
  const workload = validateWorkload(check, data['workload']);
  const faults = validateFaults(check, data['faults'], topology);
  const metrics = validateMetrics(check, data['metrics']);
  const expect = validateExpectations(check, data['expect']);
  const reference = validateReference(check, data['reference']);
  return { name, sourcePath, seed, durationUs, topology, acms, network, workload, faults, metrics, expect, reference };
}

function validateTopology(check: Checker, value: unknown): TopologySpec {
  const raw = check.map('topology', value, TOPOLOGY_KEYS) ?? {};
  const count = (key: keyof TopologySpec): number =>
    raw[key] === undefined ? DEFAULT_TOPOLOGY[key] : check.integer(`topology.${key}`, raw[key], 1);
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
  const positive = (key: string, fallbackUs: number): number =>
    raw[key] === undefined ? fallbackUs : check.duration(`acms.${key}`, raw[key], 'positive');
  const quorum = raw['quorum'] === undefined ? defaultQuorum(topology.storagePoints) : raw['quorum'];
  if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < 1 || quorum > topology.storagePoints) {
    check.fail('acms.quorum', quorum, `an integer from 1 to the number of storage points (topology.storagePoints: ${topology.storagePoints})`);
  }
  return {
    pollIntervalUs: positive('pollInterval', DEFAULT_ACMS.pollIntervalUs),
    pollJitterFraction: raw['pollJitter'] === undefined ? DEFAULT_ACMS.pollJitterFraction : check.fraction('acms.pollJitter', raw['pollJitter'], false),
    indexTtlUs: validateIndexTtl(check, raw['indexTtl']),
    mergeIntervalUs: positive('mergeInterval', DEFAULT_ACMS.mergeIntervalUs),
    replicationTimeoutUs: positive('replicationTimeout', DEFAULT_ACMS.replicationTimeoutUs),
    agreementTimeoutUs: positive('agreementTimeout', DEFAULT_ACMS.agreementTimeoutUs),
    requestTimeoutUs: positive('requestTimeout', DEFAULT_ACMS.requestTimeoutUs),
    spBackoffUs: positive('spBackoff', DEFAULT_ACMS.spBackoffUs),
    quorum,
    maxClockSkewUs: raw['maxClockSkew'] === undefined ? DEFAULT_ACMS.maxClockSkewUs : check.duration('acms.maxClockSkew', raw['maxClockSkew'], 'non-negative'),
    subIndexCount: raw['subIndexCount'] === undefined ? DEFAULT_ACMS.subIndexCount : check.integer('acms.subIndexCount', raw['subIndexCount'], 1),
  };
}

/** A TTL of zero is allowed: it means a cache tier that always revalidates. */
function validateIndexTtl(check: Checker, value: unknown): AcmsSpec['indexTtlUs'] {
  if (value === undefined) return { ...DEFAULT_ACMS.indexTtlUs };
  if (typeof value === 'string' || typeof value === 'number') {
    const ttlUs = check.duration('acms.indexTtl', value, 'non-negative');
    return { edgeUs: ttlUs, parentUs: ttlUs };
  }
  const raw = check.map('acms.indexTtl', value, ['edge', 'parent']) ?? {};
  return {
    edgeUs: raw['edge'] === undefined ? DEFAULT_ACMS.indexTtlUs.edgeUs : check.duration('acms.indexTtl.edge', raw['edge'], 'non-negative'),
    parentUs: raw['parent'] === undefined ? DEFAULT_ACMS.indexTtlUs.parentUs : check.duration('acms.indexTtl.parent', raw['parent'], 'non-negative'),
  };
}

/**
 * The network model's scalar parameters a scenario may override (src/network/latency.ts and
 * transfer-model.ts document each), with the range that keeps the model meaningful.
 */
interface NetworkParameterRange {
  readonly min: number;
  /** min itself is out of range. */
  readonly minExcluded?: boolean;
  readonly max?: number;
  readonly integer?: boolean;
}

export const NETWORK_PARAMETERS: Readonly<Record<string, NetworkParameterRange>> = {
  fibreSpeedKmPerS: { min: 0, minExcluded: true },
  routeInflation: { min: 1 },
  lanDelayUs: { min: 0 },
  interIspDelayUs: { min: 0 },
  jitterFixedUs: { min: 0 },
  jitterFraction: { min: 0 },
  segmentBytes: { min: 68, max: 9000, integer: true },
  initialWindowSegments: { min: 1, integer: true },
  transferSetupRoundTrips: { min: 0 },
  messageSetupRoundTrips: { min: 0 },
  pathLossProbability: { min: 0, max: 1 },
  minRtoUs: { min: 0 },
  maxRetransmissions: { min: 0, integer: true },
};

function validateNetwork(check: Checker, value: unknown): Record<string, number> {
  const raw = check.map('network', value, Object.keys(NETWORK_PARAMETERS)) ?? {};
  const network: Record<string, number> = {};
  for (const key of Object.keys(raw)) {
    const at = `network.${key}`;
    const range = NETWORK_PARAMETERS[key] as NetworkParameterRange;
    const given = check.finiteNumber(at, raw[key]);
    const belowMin = range.minExcluded === true ? given <= range.min : given < range.min;
    const aboveMax = range.max !== undefined && given > range.max;
    if (belowMin || aboveMax || (range.integer === true && !Number.isInteger(given))) {
      const lower = range.minExcluded === true ? `above ${range.min}` : `at least ${range.min}`;
      const upper = range.max === undefined ? '' : ` and at most ${range.max}`;
      check.fail(at, given, `${range.integer === true ? 'an integer' : 'a number'} ${lower}${upper}`);
    }
    network[key] = given;
  }
  return network;
}

function validateWorkload(check: Checker, value: unknown): WorkloadSpec {
  if (value === undefined) return { kind: DEFAULT_WORKLOAD.kind, submissions: DEFAULT_WORKLOAD.submissions, files: DEFAULT_WORKLOAD.files };
  const preview = check.map('workload', value, ['kind', 'submissions', 'files', 'file']) ?? {};
  const kind = preview['kind'] === undefined ? DEFAULT_WORKLOAD.kind : check.oneOf('workload.kind', preview['kind'], ['paper-48h', 'trace'] as const);
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
    submissions: raw['submissions'] === undefined ? DEFAULT_WORKLOAD.submissions : check.integer('workload.submissions', raw['submissions'], 0),
    files: raw['files'] === undefined ? DEFAULT_WORKLOAD.files : check.integer('workload.files', raw['files'], 1),
  };
}

function validateMetrics(check: Checker, value: unknown): MetricsSpec {
  const raw = check.map('metrics', value, METRICS_KEYS) ?? {};
  return {
    sampleReceivers: raw['sampleReceivers'] === undefined ? DEFAULT_METRICS.sampleReceivers : check.integer('metrics.sampleReceivers', raw['sampleReceivers'], 0),
    fingerprint: raw['fingerprint'] === undefined ? DEFAULT_METRICS.fingerprint : check.boolean('metrics.fingerprint', raw['fingerprint']),
  };
}

function validateReference(check: Checker, value: unknown): ReferenceSpec | null {
  const raw = check.map('reference', value, REFERENCE_KEYS);
  if (raw === undefined) return null;
  const source = check.string('reference.source', raw['source'], undefined, 'a non-empty string naming where the figures come from');
  const items = check.list('reference.values', raw['values']) ?? [];
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
  const items = check.list('expect', value) ?? [];
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
