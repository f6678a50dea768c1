// What the World is built from, already validated: the scenario layer (src/run/) converts files into this.
import type { FaultSpec as NetworkFaultSpec } from '../network/faults.js';
import type { FrontendDesign } from '../acms/frontends/design.js';
import type { PrimaryBackupParams } from '../acms/frontends/primary-backup-params.js';
import type { StoragePointParams } from '../acms/frontend-params.js';
import type { CacheForwarding } from '../acms/http-cache.js';
import type { DeliveryDesign } from '../acms/delivery-design.js';
import type { ClusterOrganisation } from './cluster/port.js';

/** Everything the world needs, already validated (the scenario layer converts files into this). */
export interface WorldConfig {
  readonly seed: number;
  readonly topology: {
    readonly countries: number; readonly isps: number; readonly edgeServers: number; readonly storagePoints: number;
    readonly parentSitesPerContinent: number; readonly publishers: number;
  };
  readonly spParams: Partial<StoragePointParams>;
  readonly delivery: {
    readonly pollIntervalUs: number; readonly pollJitter: number; readonly edgeTtlUs: number; readonly parentTtlUs: number;
    readonly requestTimeoutUs: number; readonly spBackoffUs: number;
  };
  readonly faults: readonly NetworkFaultSpec[];
  readonly network: Readonly<Record<string, number>>;
  readonly sampleReceivers: number;
  readonly organisation: ClusterOrganisation;
  /** Files the workload names (receivers subscribe to all of them). */
  readonly fileCount: number;
  /** The front-end design (absent: quorum, ACMS's Storage Points) and primary-backup's own settings. */
  readonly frontend?: { readonly design: FrontendDesign; readonly primaryBackup: Partial<PrimaryBackupParams> };
  /** How a new index reaches the Receivers (absent: cached, ACMS's) and push's fall-back poll interval. */
  readonly deliveryDesign?: { readonly design: DeliveryDesign; readonly pushPollIntervalUs: number };
  /** How parent sites pass a file on (absent: store-and-forward; scenarios default to cut-through); see HttpCacheOptions.cutThroughMinBytes. */
  readonly cacheForwarding?: CacheForwarding;
  /**
   * Tests: every settled answer of a parent is given by its machine and held to the one the host would have given
   * (ParentSites' check mode). Slower; the outputs are the same.
   */
  readonly checkParentAnswers?: boolean;
}

export interface WorkloadItem {
  readonly timeUs: number;
  readonly fileId: number;
  readonly fileName: string;
  readonly sizeBytes: number;
  readonly publisher: number;
}
