// The validated, fully defaulted scenario that the rest of acmsim consumes. Every quantity
// carries its unit in its name; every duration is integer microseconds.

// The enumerations come from the file format's schema (schema.ts), so the two cannot drift apart.
import type { continentSchema, faultKindSchema, partitionDirectionSchema } from './schema.js';
import type { FrontendDesign } from '../acms/frontends/design.js';
import type { DeliveryDesign } from '../acms/delivery-design.js';
import type { CacheForwarding } from '../acms/http-cache.js';
import type { z } from 'zod';

export { CONTINENTS, FAULT_KINDS, PARTITION_DIRECTIONS, RENUMBERED_NODES } from './schema.js';
export type FaultKind = z.infer<typeof faultKindSchema>;
export type Continent = z.infer<typeof continentSchema>;
export type PartitionDirection = z.infer<typeof partitionDirectionSchema>;

export interface TopologySpec {
  readonly countries: number;
  readonly isps: number;
  readonly edgeServers: number;
  readonly storagePoints: number;
  readonly parentSitesPerContinent: number;
  readonly publishers: number;
}

export interface IndexTtlSpec {
  readonly edgeUs: number;
  readonly parentUs: number;
}

export interface AcmsSpec {
  readonly pollIntervalUs: number;
  /** Receivers poll at pollInterval * (1 + u), u uniform in [-pollJitterFraction, +pollJitterFraction]. */
  readonly pollJitterFraction: number;
  readonly indexTtlUs: IndexTtlSpec;
  readonly mergeIntervalUs: number;
  readonly replicationTimeoutUs: number;
  readonly agreementTimeoutUs: number;
  readonly requestTimeoutUs: number;
  readonly spBackoffUs: number;
  readonly quorum: number;
  readonly maxClockSkewUs: number;
  readonly subIndexCount: number;
}

/** The front end a run simulates (design.frontend); only primary-backup takes settings of its own. */
export type FrontendSpec =
  | { readonly frontend: Exclude<FrontendDesign, 'primary-backup'> }
  | { readonly frontend: 'primary-backup'; readonly heartbeatIntervalUs: number; readonly heartbeatTimeoutUs: number };

/** How a new index reaches the Receivers (design.delivery); only push takes a setting of its own. */
export type DeliverySpec =
  | { readonly delivery: Exclude<DeliveryDesign, 'push'> }
  | { readonly delivery: 'push'; readonly pushPollIntervalUs: number };

export type DesignSpec = FrontendSpec & DeliverySpec;

export type WorkloadSpec =
  | { readonly kind: 'paper-48h'; readonly submissions: number; readonly files: number }
  /** filePath is absolute, already checked to exist and to parse. */
  | { readonly kind: 'trace'; readonly filePath: string };

/** Who a fault hits. Exactly one selector per fault. Country codes are checked for form only. */
export type FaultTarget =
  | { readonly by: 'sps'; readonly ids: readonly number[] }
  | { readonly by: 'isps'; readonly ids: readonly number[] }
  | { readonly by: 'clusters'; readonly ids: readonly number[] }
  | { readonly by: 'countries'; readonly codes: readonly string[] }
  | { readonly by: 'continents'; readonly codes: readonly Continent[] }
  | { readonly by: 'fraction'; readonly fraction: number };

export type FaultSelector = FaultTarget['by'];
export const FAULT_SELECTORS: readonly FaultSelector[] = ['sps', 'isps', 'countries', 'continents', 'clusters', 'fraction'];

/**
 * When a fault happens: once (`at`, lasting `for`, or to the end of the run when forUs is null),
 * or as a random on/off process per target (exponential up-times of mean mtbf, down-times of mean mttr).
 */
export type FaultTiming =
  | { readonly mode: 'once'; readonly atUs: number; readonly forUs: number | null }
  | { readonly mode: 'random'; readonly mtbfUs: number; readonly mttrUs: number };

interface FaultCommon {
  /** Position in the scenario's `faults` list, for messages and faults.csv. */
  readonly index: number;
  readonly target: FaultTarget;
  readonly timing: FaultTiming;
}

export type FaultSpec =
  | (FaultCommon & { readonly kind: 'sp-crash'; readonly diskLost: boolean })
  | (FaultCommon & { readonly kind: 'partition'; readonly direction: PartitionDirection })
  | (FaultCommon & { readonly kind: 'mtu-blackhole'; readonly mtuBytes: number })
  | (FaultCommon & { readonly kind: 'loss'; readonly lossRate: number })
  | (FaultCommon & { readonly kind: 'latency'; readonly extraLatencyUs: number })
  | (FaultCommon & { readonly kind: 'clock-skew'; readonly offsetUs: number; readonly driftPpm: number })
  | (FaultCommon & { readonly kind: 'dns-failure' | 'edge-outage' | 'cache-outage' })
  /** A one-off renumbering of SPs and/or parent sites seen through resolvers (src/network/renumbering.ts). */
  | (FaultCommon & {
    readonly kind: 'renumber';
    readonly renumbered: 'sps' | 'parents' | 'both';
    readonly dnsTtlUs: number;
    readonly addressesOverlap: boolean;
    readonly oldAddressesAnswerForUs: number;
    readonly bind48Share: number;
  });

export interface MetricsSpec {
  readonly sampleReceivers: number;
  readonly fingerprint: boolean;
}

/** One assertion on a summary metric, checked by `acmsim check`. At least one of min, max, equals. */
/** A published figure to set beside the run's own: a metric path of summary.json and its value there. */
export interface ReferenceValue {
  readonly metric: string;
  readonly value: number;
}

/** Figures from a publication (e.g. the paper a scenario replays), printed and written beside the run's. */
export interface ReferenceSpec {
  /** Where the figures come from, e.g. "ACMS, NSDI 2005". */
  readonly source: string;
  readonly values: readonly ReferenceValue[];
}

export interface Expectation {
  readonly metric: string;
  readonly min?: number;
  readonly max?: number;
  readonly equals?: number | string | boolean;
  /** Relative tolerance used when comparing against a baseline (0.05 = 5%). */
  readonly tolerance?: number;
}

export interface Scenario {
  readonly name: string;
  /** Absolute path of the scenario file that was loaded (not of the files it extends). */
  readonly sourcePath: string;
  readonly seed: number;
  readonly durationUs: number;
  readonly topology: TopologySpec;
  readonly acms: AcmsSpec;
  readonly design: DesignSpec;
  /** Overrides of the network model's scalar parameters (validate.ts NETWORK_PARAMETERS gives names and ranges). */
  readonly network: Readonly<Record<string, number>>;
  /** network.cacheForwarding: how parent caches pass a file on (src/acms/http-cache.ts). */
  readonly cacheForwarding: CacheForwarding;
  readonly workload: WorkloadSpec;
  readonly faults: readonly FaultSpec[];
  readonly metrics: MetricsSpec;
  readonly expect: readonly Expectation[];
  /** Null when the scenario names no reference figures. */
  readonly reference: ReferenceSpec | null;
}
