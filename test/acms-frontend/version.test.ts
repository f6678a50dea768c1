import { describe, expect, it } from 'vitest';
import {
  compareVersionIds,
  makeVersionId,
  MAX_STORAGE_POINTS,
  originSpOfKey,
  timestampUsOfKey,
  versionKeyOf,
  versionName,
} from '../../src/acms/version.js';

const HOURS_48_US = 48 * 3600 * 1_000_000;

describe('version ids', () => {
  it('orders versions of a file by timestamp, then by origin SP, and the key agrees', () => {
    const a = makeVersionId(7, 'f', 1000, 4);
    const b = makeVersionId(7, 'f', 1001, 0);
    const c = makeVersionId(7, 'f', 1001, 3);
    expect(compareVersionIds(a, b)).toBeLessThan(0);
    expect(compareVersionIds(b, c)).toBeLessThan(0);
    expect(compareVersionIds(c, c)).toBe(0);
    expect(a.versionKey).toBeLessThan(b.versionKey);
    expect(b.versionKey).toBeLessThan(c.versionKey);
  });

  it('keys are exact at the end of 48 hours and decode back', () => {
    const key = versionKeyOf(HOURS_48_US, 1023);
    expect(Number.isSafeInteger(key)).toBe(true);
    expect(originSpOfKey(key)).toBe(1023);
    expect(timestampUsOfKey(key)).toBe(HOURS_48_US);
    expect(versionKeyOf(HOURS_48_US, 1)).toBeGreaterThan(versionKeyOf(HOURS_48_US, 0));
    expect(versionKeyOf(HOURS_48_US + 1, 0)).toBeGreaterThan(versionKeyOf(HOURS_48_US, 1023));
  });

  it('keys of negative (skewed) timestamps still order and decode', () => {
    expect(versionKeyOf(-5, 3)).toBeLessThan(versionKeyOf(-4, 0));
    expect(originSpOfKey(versionKeyOf(-5, 3))).toBe(3);
    expect(timestampUsOfKey(versionKeyOf(-5, 3))).toBe(-5);
  });

  it('refuses more than 1024 SPs, non-integer times and comparing different files', () => {
    expect(() => versionKeyOf(1, MAX_STORAGE_POINTS)).toThrow(RangeError);
    expect(() => versionKeyOf(1.5, 0)).toThrow(RangeError);
    expect(() => compareVersionIds(makeVersionId(1, 'a', 1, 0), makeVersionId(2, 'b', 1, 0))).toThrow();
  });

  it('names a version uniquely for download', () => {
    expect(versionName(makeVersionId(3, 'cfg/a.xml', 42, 2))).toBe('cfg/a.xml@42.2');
  });
});
