// The range of every count and physical parameter a scenario may set: what the model supports, checked
// at validation so that a huge or absurd value is refused at once instead of crashing or exhausting memory
// deep inside a run. schema.ts puts them into scenario.schema.json; test/scenario/schema.test.ts checks that
// the schema and the validator agree on each; the README ("Editor support and limits") names the main ones.

export interface Range {
  readonly min: number;
  readonly max: number;
  /** min itself is out of range. */
  readonly minExcluded?: boolean;
  readonly integer?: boolean;
  /** Why the bounds are where they are, for the README and for reviewers. */
  readonly why: string;
}

const SECOND_US = 1_000_000;
const MINUTE_US = 60 * SECOND_US;
const HOUR_US = 60 * MINUTE_US;
const DAY_US = 24 * HOUR_US;

/** Topology counts. countries is capped by the country table, storage points by the SPs' 32-bit vectors. */
export const TOPOLOGY_LIMITS = {
  countries: { min: 1, max: 60, integer: true, why: 'the countries acmsim has data for' },
  isps: { min: 1, max: 100_000, integer: true, why: 'ten times the largest ISP count of a 2005 CDN' },
  edgeServers: { min: 1, max: 1_000_000, integer: true, why: 'the largest topology measured (0.3 s, 130 MiB to build)' },
  storagePoints: { min: 1, max: 32, integer: true, why: 'agreement bit vectors are 32-bit masks' },
  parentSitesPerContinent: { min: 1, max: 1_000, integer: true, why: 'a handful per continent in the paper; 200 keep its clusters per parent at 1,000,000 servers' },
  publishers: { min: 1, max: 1_000, integer: true, why: 'publishing locations, not customers' },
} as const satisfies Record<string, Range>;

/** ACMS durations in microseconds, and the sub-index count. */
export const ACMS_LIMITS = {
  pollInterval: { min: SECOND_US, max: DAY_US, integer: true, why: 'polls below 1 s on thousands of servers would never finish' },
  indexTtl: { min: 0, max: DAY_US, integer: true, why: 'a TTL of 0 always revalidates; a day is longer than any run needs' },
  mergeInterval: { min: 100_000, max: DAY_US, integer: true, why: 'recovery merges between SPs, each a round of messages' },
  replicationTimeout: { min: 1_000, max: DAY_US, integer: true, why: 'from 1 ms to a day' },
  agreementTimeout: { min: 1_000, max: DAY_US, integer: true, why: 'from 1 ms to a day' },
  requestTimeout: { min: 1_000, max: HOUR_US, integer: true, why: 'an HTTP request gives up within an hour' },
  spBackoff: { min: 1_000, max: DAY_US, integer: true, why: 'from 1 ms to a day' },
  maxClockSkew: { min: 0, max: DAY_US, integer: true, why: 'NTP keeps clocks within seconds; a day is broken, not skewed' },
  subIndexCount: { min: 1, max: 4_096, integer: true, why: 'the root index lists each sub-index (16 bytes each)' },
} as const satisfies Record<string, Range>;

/** primary-backup's timers (design.heartbeatInterval, design.heartbeatTimeout) and push's fall-back poll, in microseconds. */
export const DESIGN_LIMITS = {
  heartbeatInterval: { min: 1_000, max: HOUR_US, integer: true, why: 'from 1 ms to an hour' },
  heartbeatTimeout: { min: 1_000, max: DAY_US, integer: true, why: 'from 1 ms to a day; above the interval' },
  pushPollInterval: { min: SECOND_US, max: DAY_US, integer: true, why: 'as acms.pollInterval' },
} as const satisfies Record<string, Range>;

export const WORKLOAD_LIMITS = {
  submissions: { min: 0, max: 10_000_000, integer: true, why: '700 times the paper\'s 14,276; each is kept in memory' },
  files: { min: 1, max: 1_000_000, integer: true, why: 'every receiver keeps a version per file' },
} as const satisfies Record<string, Range>;

export const METRICS_LIMITS = {
  sampleReceivers: { min: 0, max: 1_000_000, integer: true, why: 'at most every edge server' },
} as const satisfies Record<string, Range>;

/**
 * The network model's scalar parameters (src/network/latency.ts and transfer-model.ts document each).
 * Bounds keep the model physical: nothing faster than light, no path slower than a minute per hop.
 */
export const NETWORK_LIMITS = {
  fibreSpeedKmPerS: { min: 1_000, max: 299_792.458, why: 'at most the speed of light in vacuum' },
  routeInflation: { min: 1, max: 10, why: 'routes at most ten times the great-circle distance' },
  lanDelayUs: { min: 0, max: SECOND_US, why: 'a LAN hop under a second' },
  interIspDelayUs: { min: 0, max: 10 * SECOND_US, why: 'a peering hop under 10 s' },
  jitterFixedUs: { min: 0, max: 10 * SECOND_US, why: 'under 10 s' },
  jitterFraction: { min: 0, max: 10, why: 'at most ten times the base delay' },
  segmentBytes: { min: 68, max: 9000, integer: true, why: 'IPv4 minimum MTU to jumbo frames' },
  initialWindowSegments: { min: 1, max: 1_000, integer: true, why: 'RFC 6928 uses 10' },
  transferSetupRoundTrips: { min: 0, max: 100, why: 'handshakes before data' },
  messageSetupRoundTrips: { min: 0, max: 100, why: 'handshakes before data' },
  pathLossProbability: { min: 0, max: 1, why: 'a probability' },
  spEgressBytesPerS: { min: 125_000, max: 12.5e9, why: 'from 1 Mbit/s to 100 Gbit/s' },
  minRtoUs: { min: 0, max: 60 * SECOND_US, why: 'RFC 6298 caps the RTO at 60 s' },
  maxRetransmissions: { min: 0, max: 100, integer: true, why: 'Linux gives up after 15' },
} as const satisfies Record<string, Range>;

/** Whole-scenario and fault limits. */
export const SCENARIO_LIMITS = {
  // Version ids carry an SP's clock with room for about 100 days (src/acms/version.ts); 60 days of run
  // leave room for the drain and for a clock skewed by up to 30 days.
  durationUs: { min: 1, max: 60 * DAY_US, integer: true, why: 'version ids have room for about 100 days' },
  faultCount: { min: 0, max: 1_000, integer: true, why: 'each fault is a process in the run' },
  expectCount: { min: 0, max: 1_000, integer: true, why: 'rows of a report' },
  referenceCount: { min: 0, max: 1_000, integer: true, why: 'rows of a report' },
  nameLength: { min: 1, max: 100, integer: true, why: 'it names a directory' },
  faultForUs: { min: 1, max: 60 * DAY_US, integer: true, why: 'at most the longest run' },
  faultMtbfUs: { min: MINUTE_US, max: 10_000 * DAY_US, integer: true, why: 'a failure at most every minute per target' },
  faultMttrUs: { min: SECOND_US, max: 60 * DAY_US, integer: true, why: 'a repair takes at least a second' },
  extraLatencyUs: { min: 1, max: MINUTE_US, integer: true, why: 'added to every message on the path' },
  dnsTtlUs: { min: 16 * MINUTE_US, max: 7 * DAY_US, integer: true, why: 'a minute beyond the 15 minutes left at which BIND 4.8 refreshes (seed 000), at most a week' },
  oldAddressesAnswerForUs: { min: 0, max: 60 * DAY_US, integer: true, why: 'at most the longest run' },
} as const satisfies Record<string, Range>;

/** Every range by its scenario field path, for the README table and the generated tests. */
export function allLimits(): Record<string, Range> {
  const table: Record<string, Range> = {};
  const add = (prefix: string, ranges: Record<string, Range>): void => {
    for (const [key, range] of Object.entries(ranges)) table[`${prefix}${key}`] = range;
  };
  add('topology.', TOPOLOGY_LIMITS);
  add('acms.', ACMS_LIMITS);
  add('workload.', WORKLOAD_LIMITS);
  add('metrics.', METRICS_LIMITS);
  add('network.', NETWORK_LIMITS);
  return table;
}
