// Settings of the primary-backup front end beyond the Storage Point's own, their defaults and why.

export interface PrimaryBackupParams {
  /** How often the primary sends a heartbeat to every other SP. */
  readonly heartbeatIntervalUs: number;
  /**
   * Silence after which a backup counts one missed round (the backup k places after the primary in the fixed
   * order takes over after k rounds), and after which a primary stops waiting for a backup that stopped answering.
   */
  readonly heartbeatTimeoutUs: number;
}

const SECOND_US = 1_000_000;

/**
 * Assumptions (the ACMS paper has no primary-backup design): a heartbeat every second and a 5 s time-out, the
 * usual order of magnitude for fail-over detectors on wide-area links (several intercontinental RTTs of ~300 ms,
 * so a few lost heartbeats do not trigger a fail-over, yet a dead primary is replaced within seconds).
 */
export function defaultPrimaryBackupParams(overrides: Partial<PrimaryBackupParams> = {}): PrimaryBackupParams {
  const params: PrimaryBackupParams = { heartbeatIntervalUs: 1 * SECOND_US, heartbeatTimeoutUs: 5 * SECOND_US, ...overrides };
  validatePrimaryBackupParams(params);
  return params;
}

export function validatePrimaryBackupParams(params: PrimaryBackupParams): void {
  if (!Number.isInteger(params.heartbeatIntervalUs) || params.heartbeatIntervalUs <= 0) {
    throw new RangeError(`heartbeatIntervalUs must be a positive integer, got ${params.heartbeatIntervalUs}`);
  }
  if (!Number.isInteger(params.heartbeatTimeoutUs) || params.heartbeatTimeoutUs <= params.heartbeatIntervalUs) {
    throw new RangeError(`heartbeatTimeoutUs must be an integer above heartbeatIntervalUs (${params.heartbeatIntervalUs}), got ${params.heartbeatTimeoutUs}`);
  }
}
