// An order-free fingerprint of a run's installs: the cluster engine and its floor (cluster-floor.ts) install in
// different orders, and must install the same (time, edge server, file, version, version replaced) records.

const TWO_POW_32 = 4_294_967_296;

function mix(hash: number, value: number): number {
  const low = Math.imul(hash ^ (value >>> 0), 0x01000193);
  return Math.imul(low ^ Math.floor(value / TWO_POW_32), 0x01000193) >>> 0;
}

/** A 32-bit hash of one install; a version key of -Infinity (none) is hashed as a fixed value. */
function installHash(seed: number, installUs: number, edgeServerIndex: number, fileId: number, versionKey: number, previousKey: number): number {
  let hash = seed;
  hash = mix(hash, installUs);
  hash = mix(hash, edgeServerIndex);
  hash = mix(hash, fileId);
  hash = mix(hash, versionKey === -Infinity ? 0 : versionKey);
  hash = mix(hash, previousKey === -Infinity ? 7 : previousKey);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  return (hash ^ (hash >>> 13)) >>> 0;
}

/** Counts installs and folds each into two sums that do not depend on their order. */
export class InstallFingerprint {
  count = 0;
  private sum = 0;
  private xor = 0;

  add(installUs: number, edgeServerIndex: number, fileId: number, versionKey: number, previousKey: number): void {
    this.count++;
    this.sum = (this.sum + installHash(0x9e3779b1, installUs, edgeServerIndex, fileId, versionKey, previousKey)) % TWO_POW_32;
    this.xor = (this.xor ^ installHash(0x85ebca6b, installUs, edgeServerIndex, fileId, versionKey, previousKey)) >>> 0;
  }

  /** The count and both sums, as one string. */
  toString(): string {
    return `${this.count}:${this.sum.toString(16)}:${this.xor.toString(16)}`;
  }
}
