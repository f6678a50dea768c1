import { describe, expect, it } from 'vitest';
import { changesSince, Snapshot, subIndexOf } from '../../src/acms/snapshot.js';

describe('snapshot', () => {
  it('shows only newer versions and logs every visibility change', () => {
    const snapshot = new Snapshot(2, 4, 100);
    expect(snapshot.install(5, 1000, 10, 200)).toBe(true);
    expect(snapshot.install(5, 900, 10, 300)).toBe(false);
    expect(snapshot.install(5, 1000, 10, 300)).toBe(false);
    expect(snapshot.install(5, 2000, 20, 400)).toBe(true);
    expect(snapshot.versionOf(5)).toEqual({ fileId: 5, versionKey: 2000, sizeBytes: 20 });
    expect(snapshot.length).toBe(2);
    expect([...snapshot.currentVersions()].map((v) => v.versionKey)).toEqual([2000]);
  });

  it('keeps lastModifiedUs strictly increasing even when the local clock stalls or steps back', () => {
    const snapshot = new Snapshot(0, 4, 1000);
    snapshot.install(1, 10, 1, 1000);
    const first = snapshot.lastModifiedUs;
    snapshot.install(2, 10, 1, 500);
    expect(first).toBe(1001);
    expect(snapshot.lastModifiedUs).toBe(1002);
    expect(snapshot.subIndexLastModifiedUs(subIndexOf(1, 4))).toBe(1001);
    expect(snapshot.subIndexLastModifiedUs(subIndexOf(2, 4))).toBe(1002);
    expect(snapshot.subIndexLastModifiedUs(3)).toBe(1000);
  });

  it('hands out immutable prefixes that diff in O(changes)', () => {
    const snapshot = new Snapshot(1, 8, 0);
    snapshot.install(1, 10, 1, 10);
    const older = snapshot.view();
    expect(snapshot.view()).toBe(older);
    snapshot.install(2, 20, 2, 20);
    snapshot.install(1, 30, 3, 30);
    const newer = snapshot.view();
    expect(older.length).toBe(1);
    expect(older.lastModifiedUs).toBe(10);
    expect(changesSince(older, newer).map((e) => [e.fileId, e.versionKey, e.rootLastModifiedUs])).toEqual([
      [2, 20, 20],
      [1, 30, 30],
    ]);
    expect(() => changesSince(new Snapshot(1, 8, 0).view(), newer)).toThrow();
  });
});
