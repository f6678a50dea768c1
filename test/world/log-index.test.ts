// The SP log index the engine's Receivers hold their installed versions in: what a prefix of the log lists for a
// file, against a plain scan, while the log grows.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import type { SnapshotLogEntry } from '../../src/acms/snapshot.js';
import { LogIndex, LogIndexes, NO_VERSION } from '../../src/world/cluster/log-index.js';

const FILES = 12;

function listedByScan(log: readonly SnapshotLogEntry[], fileId: number, length: number): number {
  for (let k = length - 1; k >= 0; k--) if ((log[k] as SnapshotLogEntry).fileId === fileId) return (log[k] as SnapshotLogEntry).versionKey;
  return NO_VERSION;
}

describe('LogIndex', () => {
  it('lists for every file and prefix what a scan of the prefix finds, as the log grows', () => {
    const rng = seedrandom.alea('log-index');
    const log: SnapshotLogEntry[] = [];
    const index = new LogIndex(log, FILES);
    for (let round = 0; round < 40; round++) {
      const added = Math.floor(rng() * 60);
      for (let a = 0; a < added; a++) {
        // Versions are not in order of the log on purpose: the index lists the last entry, not the largest key.
        log.push({ fileId: Math.floor(rng() * FILES), versionKey: Math.floor(rng() * 1e6), sizeBytes: 100, rootLastModifiedUs: log.length });
      }
      index.extendTo(Math.floor(rng() * (log.length + 1)));
      for (let length = 0; length <= log.length; length += 1 + Math.floor(rng() * 7)) {
        for (let fileId = 0; fileId < FILES; fileId++) expect(index.listedAt(fileId, length)).toBe(listedByScan(log, fileId, length));
      }
    }
  });

  it('refuses a prefix longer than the log and an entry naming a file outside the fleet', () => {
    const log: SnapshotLogEntry[] = [{ fileId: FILES, versionKey: 1, sizeBytes: 1, rootLastModifiedUs: 0 }];
    expect(() => new LogIndex(log, FILES).extendTo(2)).toThrow(/no prefix of 2/);
    expect(() => new LogIndex(log, FILES).extendTo(1)).toThrow(/names file 12/);
  });

  it('keeps one index per log object', () => {
    const indexes = new LogIndexes(FILES);
    const a: SnapshotLogEntry[] = [];
    expect(indexes.of(a)).toBe(indexes.of(a));
    expect(indexes.of(a)).not.toBe(indexes.of([]));
  });
});
