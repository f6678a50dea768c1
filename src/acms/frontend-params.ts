// Tunable settings of the ACMS front end (Storage Points and Publishers), their defaults and why.
// The NSDI 2005 paper gives none of these values; each default below is a stated assumption.

export interface StoragePointParams {
  /** Number of Storage Points S (the paper's deployment and evaluation used 5). */
  readonly spCount: number;
  /** Stored copies (accepting SP included) needed before Vector Exchange starts, and set bits needed for agreement. */
  readonly quorum: number;
  /** From acceptance, how long the accepting SP waits for a quorum of stored copies. */
  readonly replicationTimeoutUs: number;
  /** From the start of Vector Exchange, how long the accepting SP waits for a quorum of bits. */
  readonly agreementTimeoutUs: number;
  /** Mean period of the index-merging recovery routine. */
  readonly mergeIntervalUs: number;
  /** Each merge period is drawn uniformly in mergeIntervalUs * [1 - f, 1 + f] so SPs do not merge in lockstep. */
  readonly mergeJitterFraction: number;
  /** Most agreement-log entries one merge response carries; a longer backlog is paged. */
  readonly mergeBatchMaxEntries: number;
  /** An SP refuses to store a replica whose timestamp is further than this from its own clock (see storage-point.ts). */
  readonly maxClockSkewUs: number;
  /** Sub-indexes under the root index; fileId % subIndexCount picks one. */
  readonly subIndexCount: number;
  /** Size of a small control message (acks, vectors, requests): headers of one packet. */
  readonly controlMessageBytes: number;
  /** Bytes per entry of an index or of a merge response (file id, version key, size, timestamps). */
  readonly indexEntryBytes: number;
  /** How long an SP waits for a peer to send a file it fetches before asking again at its next merge. */
  readonly fetchTimeoutUs: number;
}

export interface PublisherParams {
  /** How long a publisher waits for accepted/failed after sending a submission (upload included). */
  readonly submitTimeoutUs: number;
  /**
   * A large file gets submitTimeoutUs plus its size at this rate: its upload and replication take minutes
   * over loss-limited long-haul TCP, while a dead SP should be given up on quickly for a small file.
   */
  readonly submitAllowanceBytesPerS: number;
  /** First retry back-off; doubles on each further failure. */
  readonly backoffBaseUs: number;
  /** Cap of the exponential back-off. */
  readonly backoffMaxUs: number;
  /** Attempts (first one included) before the publisher gives up and reports a final failure. */
  readonly maxAttempts: number;
  /** Back-off is multiplied by a uniform draw in [1 - f, 1 + f] so publishers do not retry in lockstep. */
  readonly backoffJitterFraction: number;
}

/** floor(S/2)+1: any two quorums of this size intersect, which is what makes agreement safe. */
export function majorityOf(spCount: number): number {
  return Math.floor(spCount / 2) + 1;
}

const SECOND_US = 1_000_000;

/**
 * Defaults for S Storage Points. Reasoning, all assumptions unless said otherwise:
 * - spCount 5: the paper's evaluation (14,276 submissions in 48 h with five SPs).
 * - quorum: a majority (the paper's rule); a scenario may lower it to build the broken variant.
 * - replicationTimeoutUs 60 s: far above an intercontinental RTT (~300 ms) and long enough to copy a
 *   100 MB file (the paper's largest class) at ~15 Mbit/s, yet well below the ~55 s average propagation
 *   budget plus poll intervals would make a publisher wait noticeably longer.
 * - agreementTimeoutUs 10 s: Vector Exchange messages are one packet; a few rounds of 300 ms RTT finish
 *   in ~1-2 s, so 10 s only trips on real partitions.
 * - mergeIntervalUs 10 s (jitter 20%): a recovering SP catches up within tens of seconds, small next to the
 *   55 s average propagation; 5 SPs merging every 10 s is negligible load.
 * - mergeBatchMaxEntries 1000: bounds one response to ~40 KB; a fresh SP pages through 14,276 entries in 15 rounds.
 * - maxClockSkewUs 1 s: NTP keeps servers within tens of ms; 1 s tolerates a poorly synced server, and is
 *   small next to the mean gap between submissions (48 h / 14,276 = 12 s), so ordering errors stay rare.
 * - subIndexCount 64: keeps the root index one small response and each sub-index a few hundred entries
 *   for ~10^4 files.
 * - controlMessageBytes 200, indexEntryBytes 40: headers plus a few integers.
 * - fetchTimeoutUs 60 s: same budget as replication, since it moves the same file.
 */
export function defaultStoragePointParams(spCount = 5, overrides: Partial<StoragePointParams> = {}): StoragePointParams {
  const params: StoragePointParams = {
    spCount,
    quorum: majorityOf(spCount),
    replicationTimeoutUs: 60 * SECOND_US,
    agreementTimeoutUs: 10 * SECOND_US,
    mergeIntervalUs: 10 * SECOND_US,
    mergeJitterFraction: 0.2,
    mergeBatchMaxEntries: 1000,
    maxClockSkewUs: 1 * SECOND_US,
    subIndexCount: 64,
    controlMessageBytes: 200,
    indexEntryBytes: 40,
    fetchTimeoutUs: 60 * SECOND_US,
    ...overrides,
  };
  validateStoragePointParams(params);
  return params;
}

/**
 * Publisher defaults (assumptions):
 * - submitTimeoutUs 100 s: replication (60 s) + agreement (10 s) + 30 s to upload the file to the SP,
 *   plus sizeBytes / submitAllowanceBytesPerS (250 KB/s, about the loss-limited rate of one TCP flow on a
 *   200 ms path at 0.1% loss): 100 MB adds 400 s, a 1 KB file nothing noticeable.
 * - backoffBaseUs 1 s doubling to backoffMaxUs 60 s: quick fail-over to the next SP, then polite waiting.
 * - maxAttempts 8: with the back-off this spans roughly 2 min of waiting plus the attempts themselves;
 *   an outage longer than that is reported as a failure for the operator to resubmit (a limit must exist).
 * - backoffJitterFraction 0.2: de-synchronises publishers failing over together.
 */
export function defaultPublisherParams(overrides: Partial<PublisherParams> = {}): PublisherParams {
  const params: PublisherParams = {
    submitTimeoutUs: 100 * SECOND_US,
    submitAllowanceBytesPerS: 250_000,
    backoffBaseUs: 1 * SECOND_US,
    backoffMaxUs: 60 * SECOND_US,
    maxAttempts: 8,
    backoffJitterFraction: 0.2,
    ...overrides,
  };
  validatePublisherParams(params);
  return params;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

function requireFraction(name: string, value: number): void {
  if (!(value >= 0 && value < 1)) throw new RangeError(`${name} must be in [0, 1), got ${value}`);
}

export function validateStoragePointParams(params: StoragePointParams): void {
  requirePositiveInteger('spCount', params.spCount);
  if (params.spCount > 1024) throw new RangeError(`at most 1024 storage points are supported, got ${params.spCount}`);
  if (!Number.isInteger(params.quorum) || params.quorum < 1 || params.quorum > params.spCount) {
    throw new RangeError(`quorum must be an integer in [1, ${params.spCount}], got ${params.quorum}`);
  }
  requirePositiveInteger('replicationTimeoutUs', params.replicationTimeoutUs);
  requirePositiveInteger('agreementTimeoutUs', params.agreementTimeoutUs);
  requirePositiveInteger('mergeIntervalUs', params.mergeIntervalUs);
  requireFraction('mergeJitterFraction', params.mergeJitterFraction);
  requirePositiveInteger('mergeBatchMaxEntries', params.mergeBatchMaxEntries);
  if (!Number.isInteger(params.maxClockSkewUs) || params.maxClockSkewUs < 0) {
    throw new RangeError(`maxClockSkewUs must be a non-negative integer, got ${params.maxClockSkewUs}`);
  }
  requirePositiveInteger('subIndexCount', params.subIndexCount);
  requirePositiveInteger('controlMessageBytes', params.controlMessageBytes);
  requirePositiveInteger('indexEntryBytes', params.indexEntryBytes);
  requirePositiveInteger('fetchTimeoutUs', params.fetchTimeoutUs);
}

export function validatePublisherParams(params: PublisherParams): void {
  requirePositiveInteger('submitTimeoutUs', params.submitTimeoutUs);
  if (!(params.submitAllowanceBytesPerS > 0)) throw new RangeError(`submitAllowanceBytesPerS must be positive, got ${params.submitAllowanceBytesPerS}`);
  requirePositiveInteger('backoffBaseUs', params.backoffBaseUs);
  requirePositiveInteger('backoffMaxUs', params.backoffMaxUs);
  if (params.backoffMaxUs < params.backoffBaseUs) throw new RangeError('backoffMaxUs must be at least backoffBaseUs');
  requirePositiveInteger('maxAttempts', params.maxAttempts);
  requireFraction('backoffJitterFraction', params.backoffJitterFraction);
}
