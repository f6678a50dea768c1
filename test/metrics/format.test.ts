import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/index.js';
import { formatOptionalSeconds, formatSeconds, secondsFromUs } from '../../src/metrics/format.js';
import { stableJson } from '../../src/metrics/json.js';

/** Reference formatting through bigint arithmetic. */
function bigintSeconds(us: number): string {
  const value = BigInt(us);
  const magnitude = value < 0n ? -value : value;
  const fraction = (magnitude % 1_000_000n).toString().padStart(6, '0');
  return `${value < 0n ? '-' : ''}${magnitude / 1_000_000n}.${fraction}`;
}

describe('formatSeconds', () => {
  it('prints integer µs as seconds with exactly six decimals', () => {
    expect(formatSeconds(0)).toBe('0.000000');
    expect(formatSeconds(1)).toBe('0.000001');
    expect(formatSeconds(12_345_678)).toBe('12.345678');
    expect(formatSeconds(180_000_000)).toBe('180.000000');
    expect(formatSeconds(172_800_000_000)).toBe('172800.000000');
    expect(formatSeconds(-1)).toBe('-0.000001');
    expect(formatSeconds(-1_234_567)).toBe('-1.234567');
    expect(formatSeconds(Number.MAX_SAFE_INTEGER)).toBe('9007199254.740991');
  });

  it('matches bigint arithmetic on random values up to 2^53', () => {
    const rng = new RandomStreams(9).stream('format/seconds');
    for (let i = 0; i < 20_000; i++) {
      const us = Math.floor(Math.pow(2, 53 * rng())) - (i % 3 === 0 ? 1 : 0);
      expect(formatSeconds(us)).toBe(bigintSeconds(us));
    }
  });

  it('refuses non-integers, and leaves a missing value empty', () => {
    expect(() => formatSeconds(1.5)).toThrow(RangeError);
    expect(() => formatSeconds(Number.NaN)).toThrow(RangeError);
    expect(formatOptionalSeconds(null)).toBe('');
    expect(formatOptionalSeconds(undefined)).toBe('');
    expect(formatOptionalSeconds(2_000_001)).toBe('2.000001');
  });
});

describe('secondsFromUs', () => {
  it('rounds to whole µs and prints back with at most six decimals', () => {
    expect(secondsFromUs(55_123_456.7)).toBe(55.123457);
    expect(String(secondsFromUs(180_000_000))).toBe('180');
    const rng = new RandomStreams(9).stream('format/json-seconds');
    for (let i = 0; i < 10_000; i++) {
      const us = rng() * 1e12;
      const text = String(secondsFromUs(us));
      expect(text).toBe(formatSeconds(Math.round(us)).replace(/\.?0+$/, ''));
    }
    expect(secondsFromUs(Number.NaN)).toBeNaN();
  });
});

describe('stableJson', () => {
  it('sorts keys at every depth, indents by two spaces and ends with a newline', () => {
    const value = { seed: 1, scenario: 'x', propagation: { p99S: 2, meanS: 1 }, list: [{ b: 1, a: 2 }] };
    expect(stableJson(value)).toBe(
      '{\n  "list": [\n    {\n      "a": 2,\n      "b": 1\n    }\n  ],\n  "propagation": {\n    "meanS": 1,\n' +
        '    "p99S": 2\n  },\n  "scenario": "x",\n  "seed": 1\n}\n',
    );
  });

  it('gives the same text whatever order the keys were added in', () => {
    expect(stableJson({ a: 1, b: { c: 2, d: 3 } })).toBe(stableJson({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it('keeps insertion order on request, and writes NaN as null', () => {
    expect(stableJson({ scenario: 'x', acceptance: { p50S: Number.NaN } }, { keyOrder: 'insertion' })).toBe(
      '{\n  "scenario": "x",\n  "acceptance": {\n    "p50S": null\n  }\n}\n',
    );
  });
});
