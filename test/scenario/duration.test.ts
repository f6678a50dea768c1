import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/scenario/index.js';

describe('parseDuration', () => {
  it('reads every unit into integer microseconds', () => {
    expect(parseDuration('250ms')).toBe(250_000);
    expect(parseDuration('90s')).toBe(90_000_000);
    expect(parseDuration('15m')).toBe(900_000_000);
    expect(parseDuration('48h')).toBe(172_800_000_000);
    expect(parseDuration('2d')).toBe(172_800_000_000);
    expect(parseDuration('40us')).toBe(40);
    expect(parseDuration('1h30m')).toBe(5_400_000_000);
    expect(parseDuration('1.5s')).toBe(1_500_000);
  });

  it('takes plain numbers as seconds and rounds to whole microseconds', () => {
    expect(parseDuration(30)).toBe(30_000_000);
    expect(parseDuration(0.0000004)).toBe(0);
    expect(parseDuration('12')).toBe(12_000_000);
    expect(parseDuration(1e-7 * 6)).toBe(1);
  });

  it('keeps a sign for offsets', () => {
    expect(parseDuration('-3s')).toBe(-3_000_000);
    expect(parseDuration(-2)).toBe(-2_000_000);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['', 'soon', '5 parsecs', '10x', 's', '-', '1h 30m', '3s5']) {
      expect(() => parseDuration(bad), bad).toThrow(RangeError);
    }
    expect(() => parseDuration(Number.NaN)).toThrow(RangeError);
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => parseDuration('1000000000d')).toThrow(/too long/);
  });

  it('formats back to the largest exact unit', () => {
    expect(formatDuration(172_800_000_000)).toBe('2d');
    expect(formatDuration(5_400_000_000)).toBe('90m');
    expect(formatDuration(-3_000_000)).toBe('-3s');
    expect(formatDuration(1_500)).toBe('1500us');
    expect(formatDuration(0)).toBe('0s');
  });
});
