// Version ids of submitted files: who accepted a submission and when, the total order of versions of
// one file, and the numeric versionKey that receivers compare on their hot path.

/** Vector Exchange bit vectors are number bitmasks and versionKey packs the SP index in 10 bits. */
export const MAX_STORAGE_POINTS = 1024;

/**
 * Largest |timestampUs| for which timestampUs * 1024 + originSp stays an exact double (2^53 / 1024,
 * about 101 days of microseconds; a 48 h run needs 1.7e11 us).
 */
export const MAX_VERSION_TIMESTAMP_US = Math.floor(Number.MAX_SAFE_INTEGER / MAX_STORAGE_POINTS) - 1;

/** The name of one submission, fixed by the accepting Storage Point. */
export interface VersionId {
  /** Dense integer naming the file (the configuration file's identity). */
  readonly fileId: number;
  readonly fileName: string;
  /** The accepting SP's own local clock when it accepted, so clock skew shows up in the order. */
  readonly timestampUs: number;
  /** Index of the accepting SP, breaking ties between equal timestamps. */
  readonly originSp: number;
  /** timestampUs * 1024 + originSp: one number that orders versions of a file. */
  readonly versionKey: number;
}

export function assertStoragePointIndex(sp: number): void {
  if (!Number.isInteger(sp) || sp < 0 || sp >= MAX_STORAGE_POINTS) {
    throw new RangeError(`a storage point index must be an integer in [0, ${MAX_STORAGE_POINTS}), got ${sp}`);
  }
}

/** The numeric key: larger means newer. Exact because both parts are bounded integers. */
export function versionKeyOf(timestampUs: number, originSp: number): number {
  assertStoragePointIndex(originSp);
  if (!Number.isInteger(timestampUs) || Math.abs(timestampUs) > MAX_VERSION_TIMESTAMP_US) {
    throw new RangeError(`a version timestamp must be an integer within +-${MAX_VERSION_TIMESTAMP_US} us, got ${timestampUs}`);
  }
  return timestampUs * MAX_STORAGE_POINTS + originSp;
}

export function makeVersionId(fileId: number, fileName: string, timestampUs: number, originSp: number): VersionId {
  if (!Number.isInteger(fileId) || fileId < 0) throw new RangeError(`a file id must be a non-negative integer, got ${fileId}`);
  return { fileId, fileName, timestampUs, originSp, versionKey: versionKeyOf(timestampUs, originSp) };
}

/** Total order of versions of one file: by timestampUs, then originSp. Negative when a is older. */
export function compareVersionIds(a: VersionId, b: VersionId): number {
  if (a.fileId !== b.fileId) throw new Error(`versions of different files (${a.fileId}, ${b.fileId}) are not ordered`);
  if (a.timestampUs !== b.timestampUs) return a.timestampUs < b.timestampUs ? -1 : 1;
  return a.originSp - b.originSp;
}

/** Recovers the SP index from a versionKey (works for negative timestamps too). */
export function originSpOfKey(versionKey: number): number {
  const remainder = versionKey % MAX_STORAGE_POINTS;
  return remainder < 0 ? remainder + MAX_STORAGE_POINTS : remainder;
}

export function timestampUsOfKey(versionKey: number): number {
  return (versionKey - originSpOfKey(versionKey)) / MAX_STORAGE_POINTS;
}

/** The version-unique name a file is downloaded by, e.g. "arl/customer-12.xml@1700000123456.3". */
export function versionName(version: VersionId): string {
  return `${version.fileName}@${version.timestampUs}.${version.originSp}`;
}
