// The engine's fleet-wide tables: clusters' runs of slots are their own, and growing the tables (as clusters are
// built) keeps what earlier clusters hold and starts new slots empty.
import { describe, expect, it } from 'vitest';
import { FleetTables, NO_VERSION_HELD } from '../../src/world/cluster/fleet-tables.js';

describe('FleetTables', () => {
  it('hands out contiguous runs and keeps earlier clusters\' entries across growth', () => {
    const fleet = new FleetTables();
    const first = fleet.allocateReceivers(3);
    fleet.nextPollUs[first + 2] = 1234;
    fleet.pending.set(first + 1, 7, 99, 512);
    fleet.exceptions.set(first, 4, 55);
    const firstCache = fleet.allocateCache(5);
    fleet.cachedKey[3 * fleet.cacheStride + firstCache] = 42;
    const firstBackoffs = fleet.allocateBackoffs(2);
    fleet.backoffUntilUs[firstBackoffs + 1] = 10;

    // Enough clusters to grow every table several times over.
    let lastReceivers = first;
    let lastCache = firstCache;
    let lastBackoffs = firstBackoffs;
    for (let c = 0; c < 200; c++) {
      const receivers = fleet.allocateReceivers(9);
      expect(receivers).toBe(lastReceivers + (c === 0 ? 3 : 9));
      lastReceivers = receivers;
      const cache = fleet.allocateCache(5);
      expect(cache).toBe(lastCache + 1);
      lastCache = cache;
      const backoffs = fleet.allocateBackoffs(2);
      expect(backoffs).toBe(lastBackoffs + 2);
      lastBackoffs = backoffs;
    }

    expect(fleet.nextPollUs[first + 2]).toBe(1234);
    const entry = fleet.pending.find(first + 1, 7);
    expect(fleet.pending.versionKeyOf(entry)).toBe(99);
    expect(fleet.pending.sizeBytesOf(entry)).toBe(512);
    expect(fleet.exceptions.get(first, 4, -1)).toBe(55);
    expect(fleet.cachedKeyOf(firstCache, 3)).toBe(42);
    for (let f = 0; f < 5; f++) if (f !== 3) expect(fleet.cachedKeyOf(firstCache, f)).toBe(NO_VERSION_HELD);
    expect(fleet.backoffUntilUs[firstBackoffs + 1]).toBe(10);

    // The newest cluster starts with nothing: no pending files, no exceptions, no versions held, no back-offs.
    for (let r = lastReceivers; r < lastReceivers + 9; r++) {
      expect(fleet.pending.count[r]).toBe(0);
      expect(fleet.pending.firstOf(r)).toBe(-1);
      expect(fleet.exceptions.get(r, 4, -1)).toBe(-1);
    }
    for (let f = 0; f < 5; f++) expect(fleet.cachedKeyOf(lastCache, f)).toBe(NO_VERSION_HELD);
    expect(fleet.backoffUntilUs[lastBackoffs]).toBe(-Infinity);
    // A new receiver's list gains entries of its own only.
    fleet.pending.set(lastReceivers, 3, 1, 1);
    expect(fleet.pending.count[lastReceivers]).toBe(1);
    expect(fleet.pending.count[lastReceivers - 1]).toBe(0);
  });

  it('reserves the tables at their size up front', () => {
    const fleet = new FleetTables();
    fleet.reserve(1000, 50, 2000);
    const tableBefore = fleet.cachedKey;
    const pollsBefore = fleet.nextPollUs;
    for (let c = 0; c < 50; c++) {
      fleet.allocateReceivers(20);
      fleet.allocateCache(2000);
    }
    expect(fleet.cachedKey).toBe(tableBefore);
    expect(fleet.nextPollUs).toBe(pollsBefore);
  });

  it('keeps each cache\'s files apart, and clears one cache alone', () => {
    const fleet = new FleetTables();
    const slots = [fleet.allocateCache(4), fleet.allocateCache(4), fleet.allocateCache(4)];
    for (const slot of slots) for (let f = 0; f < 4; f++) fleet.cachedKey[f * fleet.cacheStride + slot] = 100 * slot + f;
    fleet.clearCache(slots[1] as number);
    for (let f = 0; f < 4; f++) {
      expect(fleet.cachedKeyOf(slots[0] as number, f)).toBe(f);
      expect(fleet.cachedKeyOf(slots[1] as number, f)).toBe(NO_VERSION_HELD);
      expect(fleet.cachedKeyOf(slots[2] as number, f)).toBe(200 + f);
    }
    expect(() => fleet.allocateCache(5)).toThrow(/every cluster cache covers 4 files, not 5/);
  });
});
