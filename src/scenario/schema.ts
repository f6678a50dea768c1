// The scenario file format, declared once with zod: every key, its type, its range (from limits.ts) and
// its enumerations. It gives the key lists the validator accepts, the enumeration types of types.ts, and
// the JSON Schema shipped as scenario.schema.json (for editors). One file may be partial: it extends
// another, so every key is optional here, and null resets a key to its default.
import { z } from 'zod';
import { FRONTEND_DESIGNS } from '../acms/frontends/design.js';
import { DELIVERY_DESIGNS } from '../acms/delivery-design.js';
import { CACHE_FORWARDING_MODES } from '../acms/http-cache.js';
import { ACMS_LIMITS, DESIGN_LIMITS, METRICS_LIMITS, NETWORK_LIMITS, SCENARIO_LIMITS, TOPOLOGY_LIMITS, WORKLOAD_LIMITS, type Range } from './limits.js';

export const FAULT_KINDS = [
  'sp-crash', 'partition', 'mtu-blackhole', 'loss', 'latency', 'clock-skew', 'dns-failure', 'edge-outage', 'cache-outage', 'renumber',
] as const;
/** Which of a renumbering's targeted nodes move: Storage Points, parent sites, or both. */
export const RENUMBERED_NODES = ['sps', 'parents', 'both'] as const;
/** Continent codes as used by the topology (Africa, Asia, Europe, North and South America, Oceania). */
export const CONTINENTS = ['AF', 'AS', 'EU', 'NA', 'SA', 'OC'] as const;
export const PARTITION_DIRECTIONS = ['both', 'inbound', 'outbound'] as const;
export const WORKLOAD_KINDS = ['paper-48h', 'trace'] as const;
export { FRONTEND_DESIGNS, DELIVERY_DESIGNS, CACHE_FORWARDING_MODES };

export const faultKindSchema = z.enum(FAULT_KINDS);
export const continentSchema = z.enum(CONTINENTS);
export const partitionDirectionSchema = z.enum(PARTITION_DIRECTIONS);

/** Names become directory names (results/<name>-seed<N>/), so keep them to portable characters. */
export const NAME_FORM = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * Metric paths: dot-separated segments such as `propagation.p99S`, or a by-size row named by its
 * label, `bySize.10-100 MB.p95S` (single inner spaces allowed). Only the form is checked here.
 */
export const METRIC_FORM = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_%<>+-]+( [A-Za-z0-9_%<>+-]+)*)*$/;
export const COUNTRY_CODE = /^[A-Z]{2}$/;
/** src/scenario/duration.ts's forms: "250ms", "1h30m", "-3s", or a plain number of seconds. */
const DURATION_FORM = /^\s*[+-]?(((\d+(\.\d+)?|\.\d+)(us|µs|ms|s|m|h|d))+|\d+(\.\d+)?|\.\d+)\s*$/;

/** Absent or null (null resets an inherited value to its default). */
function optional<T extends z.ZodType>(schema: T): z.ZodOptional<z.ZodNullable<T>> {
  return schema.nullable().optional();
}

function ranged(range: Range, description: string): z.ZodNumber {
  let schema = range.integer === true ? z.number().int() : z.number();
  schema = range.minExcluded === true ? schema.gt(range.min) : schema.min(range.min);
  return schema.max(range.max).describe(`${description} (${range.why})`);
}

/** Durations: a string with units or a number of seconds. Ranges are in the description (units defeat a JSON Schema bound). */
function duration(description: string, range?: Range): z.ZodType {
  const bounds = range === undefined ? '' : `; from ${range.min} to ${range.max} microseconds`;
  return z.union([z.string().regex(DURATION_FORM), z.number()]).describe(`${description}: like "30s", "250ms", "1h30m", or seconds${bounds}`);
}

const topologySchema = z.strictObject({
  countries: optional(ranged(TOPOLOGY_LIMITS.countries, 'countries')),
  isps: optional(ranged(TOPOLOGY_LIMITS.isps, 'ISPs, at least one per country')),
  edgeServers: optional(ranged(TOPOLOGY_LIMITS.edgeServers, 'edge servers, at least one per ISP')),
  storagePoints: optional(ranged(TOPOLOGY_LIMITS.storagePoints, 'Storage Points, at most one per country')),
  parentSitesPerContinent: optional(ranged(TOPOLOGY_LIMITS.parentSitesPerContinent, 'parent cache sites per continent')),
  publishers: optional(ranged(TOPOLOGY_LIMITS.publishers, 'publishing locations')),
});

const acmsSchema = z.strictObject({
  pollInterval: optional(duration('receiver poll interval', ACMS_LIMITS.pollInterval)),
  pollJitter: optional(z.number().min(0).lt(1).describe('poll jitter fraction, from 0 up to (not including) 1')),
  indexTtl: optional(z.union([
    duration('index TTL at both cache tiers', ACMS_LIMITS.indexTtl),
    z.strictObject({ edge: optional(duration('edge TTL', ACMS_LIMITS.indexTtl)), parent: optional(duration('parent TTL', ACMS_LIMITS.indexTtl)) }),
  ])),
  mergeInterval: optional(duration('SP merge interval', ACMS_LIMITS.mergeInterval)),
  replicationTimeout: optional(duration('replication timeout', ACMS_LIMITS.replicationTimeout)),
  agreementTimeout: optional(duration('agreement timeout', ACMS_LIMITS.agreementTimeout)),
  requestTimeout: optional(duration('HTTP request timeout', ACMS_LIMITS.requestTimeout)),
  spBackoff: optional(duration('how long a cache avoids a failed SP', ACMS_LIMITS.spBackoff)),
  quorum: optional(z.number().int().min(1).max(TOPOLOGY_LIMITS.storagePoints.max).describe('SPs that must store a file, at most topology.storagePoints')),
  maxClockSkew: optional(duration('tolerated clock skew', ACMS_LIMITS.maxClockSkew)),
  subIndexCount: optional(ranged(ACMS_LIMITS.subIndexCount, 'sub-indexes of the index tree')),
});

const designSchema = z.strictObject({
  frontend: optional(z.enum(FRONTEND_DESIGNS).describe('quorum (ACMS Storage Points), primary-backup, or single')),
  heartbeatInterval: optional(duration('primary-backup only: how often the primary sends heartbeats', DESIGN_LIMITS.heartbeatInterval)),
  heartbeatTimeout: optional(duration('primary-backup only: silence before a backup counts a missed round', DESIGN_LIMITS.heartbeatTimeout)),
  delivery: optional(z.enum(DELIVERY_DESIGNS).describe('cached (ACMS: polls through two tiers of HTTP caches), direct (Receivers poll the SPs), or push (notifications down the cache tree, polling as the fall-back)')),
  pushPollInterval: optional(duration('push only: the fall-back poll interval of Receivers', DESIGN_LIMITS.pushPollInterval)),
});

const networkShape: Record<string, z.ZodType> = {};
for (const [key, range] of Object.entries(NETWORK_LIMITS)) networkShape[key] = optional(ranged(range, key));
networkShape['cacheForwarding'] = optional(z.enum(CACHE_FORWARDING_MODES).describe('how parent caches pass a file on: store-and-forward (after storing it whole) or cut-through (while it still arrives)'));
const networkSchema = z.strictObject(networkShape);

const workloadSchema = z.strictObject({
  kind: optional(z.enum(WORKLOAD_KINDS)),
  submissions: optional(ranged(WORKLOAD_LIMITS.submissions, 'paper-48h: submissions over the run')),
  files: optional(ranged(WORKLOAD_LIMITS.files, 'paper-48h: distinct configuration files')),
  file: optional(z.string().min(1).describe('trace: a CSV with timeS,file,sizeBytes,publisher, relative to this file')),
});

const idList = z.array(z.number().int().min(0)).min(1);
const targetSchema = z.union([
  z.strictObject({ sps: idList }),
  z.strictObject({ isps: idList }),
  z.strictObject({ clusters: idList }),
  z.strictObject({ countries: z.array(z.string().regex(COUNTRY_CODE)).min(1) }),
  z.strictObject({ continents: z.array(continentSchema).min(1) }),
  z.strictObject({ fraction: z.number().min(0).max(1) }),
]).describe('exactly one selector');

const timing = {
  target: targetSchema,
  at: duration('start, before the end of the run').optional(),
  for: duration('how long (to the end of the run if absent)', SCENARIO_LIMITS.faultForUs).optional(),
  mtbf: duration('mean time between failures of a random process', SCENARIO_LIMITS.faultMtbfUs).optional(),
  mttr: duration('mean time to repair of a random process', SCENARIO_LIMITS.faultMttrUs).optional(),
};

/** Each kind's own parameters (beyond kind, target and timing). */
const KIND_PARAMETERS = {
  'sp-crash': { diskLost: z.boolean().optional() },
  partition: { direction: partitionDirectionSchema.optional() },
  'mtu-blackhole': { mtuBytes: z.number().int().min(68).max(9000).optional() },
  loss: { lossRate: z.number().min(0).max(1) },
  latency: { extraLatency: duration('added one-way latency', SCENARIO_LIMITS.extraLatencyUs) },
  'clock-skew': { offset: duration('clock offset, may be negative').optional(), driftPpm: z.number().min(-10_000).max(10_000).optional() },
  'dns-failure': {},
  'edge-outage': {},
  'cache-outage': {},
  renumber: {
    renumbered: z.enum(RENUMBERED_NODES).optional().describe('which targeted nodes move: sps, parents or both (default both)'),
    dnsTtl: duration('TTL of the address records (default 1h); at least 16 minutes', SCENARIO_LIMITS.dnsTtlUs).optional(),
    addressesOverlap: z.boolean().optional().describe('does the new address list share an address with the old (default false)'),
    oldAddressesAnswerFor: duration('how long the old addresses keep answering after `at` (default 0s: a hard cut-over)', SCENARIO_LIMITS.oldAddressesAnswerForUs).optional(),
    bind48Share: z.number().min(0).max(1).optional().describe('share of resolvers that are BIND 4.8 (default 0)'),
  },
} as const satisfies Record<(typeof FAULT_KINDS)[number], Record<string, z.ZodType>>;

const faultSchema = z.discriminatedUnion('kind', FAULT_KINDS.map((kind) =>
  z.strictObject({ kind: z.literal(kind), ...timing, ...KIND_PARAMETERS[kind] })) as unknown as [z.ZodObject, ...z.ZodObject[]]);

const expectationSchema = z.strictObject({
  metric: z.string().regex(METRIC_FORM).describe('a metric path of summary.json, like propagation.p99S'),
  min: z.number().optional(),
  max: z.number().optional(),
  equals: z.union([z.number(), z.string(), z.boolean()]).optional(),
  tolerance: z.number().min(0).optional().describe('relative tolerance against a baseline (0.05 = 5%)'),
});

const referenceSchema = z.strictObject({
  source: z.string().min(1),
  values: z.array(z.strictObject({ metric: z.string().regex(METRIC_FORM), value: z.number() })).min(1).max(SCENARIO_LIMITS.referenceCount.max),
});

export const scenarioFileSchema = z.strictObject({
  name: optional(z.string().regex(NAME_FORM).max(SCENARIO_LIMITS.nameLength.max).describe('names the results directory; defaults to the file name')),
  extends: optional(z.string().min(1).describe('a parent scenario, relative to this file')),
  seed: optional(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)),
  duration: optional(duration('simulated time, at most 60 days', SCENARIO_LIMITS.durationUs)),
  topology: optional(topologySchema),
  acms: optional(acmsSchema),
  design: optional(designSchema),
  network: optional(networkSchema),
  workload: optional(workloadSchema),
  faults: optional(z.array(faultSchema).max(SCENARIO_LIMITS.faultCount.max)),
  metrics: optional(z.strictObject({
    sampleReceivers: optional(ranged(METRICS_LIMITS.sampleReceivers, 'receivers whose deliveries go to propagation.csv')),
    fingerprint: optional(z.boolean()),
  })),
  expect: optional(z.array(expectationSchema).max(SCENARIO_LIMITS.expectCount.max)),
  reference: optional(referenceSchema),
}).describe('An acmsim scenario (README.md, "Scenario files")');

/** What one scenario file may hold (before extends, defaults and cross-field checks). */
export type ScenarioFile = z.input<typeof scenarioFileSchema>;

/** The keys each map of the format accepts: the validator's unknown-key check and did-you-mean use these. */
export const SCENARIO_KEYS = {
  topLevel: Object.keys(scenarioFileSchema.shape),
  topology: Object.keys(topologySchema.shape),
  acms: Object.keys(acmsSchema.shape),
  design: Object.keys(designSchema.shape),
  network: Object.keys(networkSchema.shape),
  workload: Object.keys(workloadSchema.shape),
  metrics: ['sampleReceivers', 'fingerprint'],
  expect: Object.keys(expectationSchema.shape),
  reference: Object.keys(referenceSchema.shape),
  referenceValue: ['metric', 'value'],
  faultTiming: ['at', 'for', 'mtbf', 'mttr'],
  faultKind: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, Object.keys(KIND_PARAMETERS[kind])])) as Record<(typeof FAULT_KINDS)[number], string[]>,
} as const;

/** The JSON Schema of a scenario file (draft-07, which editors' YAML extensions understand best), as text. */
export function scenarioJsonSchemaText(): string {
  const schema = z.toJSONSchema(scenarioFileSchema, { target: 'draft-7', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'acmsim scenario' }, null, 2)}\n`;
}
