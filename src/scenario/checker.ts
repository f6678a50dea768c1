// Field-level checks shared by the scenario validators. Each takes the field path and the raw
// value, returns the typed value, or throws a ScenarioError naming the file that wrote the field.
import { DURATION_FORMS, formatDuration, parseDuration } from './duration.js';
import type { Range } from './limits.js';
import { ScenarioError, describeValue } from './errors.js';
import type { Origins } from './origins.js';
import { isRawMap, type RawMap } from './read.js';
import { closestMatch, unknownKeyExpectation } from './suggest.js';

export type DurationSign = 'positive' | 'non-negative' | 'any';

export class Checker {
  constructor(private readonly origins: Origins) {}

  fail(fieldPath: string, given: unknown, expected: string): never {
    throw new ScenarioError({ file: this.origins.fileOf(fieldPath) }, fieldPath, describeValue(given), expected);
  }

  /** The file a field was written in (for resolving relative paths). */
  fileOf(fieldPath: string): string {
    return this.origins.fileOf(fieldPath);
  }

  /** A map whose keys are all in `allowed`; undefined stays undefined (the caller applies defaults). */
  map(fieldPath: string, value: unknown, allowed: readonly string[]): RawMap | undefined {
    if (value === undefined) return undefined;
    if (!isRawMap(value)) this.fail(fieldPath, value, 'a map');
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        const keyPath = fieldPath === '' ? key : `${fieldPath}.${key}`;
        throw new ScenarioError({ file: this.origins.fileOf(keyPath) }, keyPath, 'an unknown key', unknownKeyExpectation(key, allowed));
      }
    }
    return value;
  }

  list(fieldPath: string, value: unknown, maxLength = Number.MAX_SAFE_INTEGER): unknown[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.fail(fieldPath, value, 'a list');
    if (value.length > maxLength) this.fail(fieldPath, value, `a list of at most ${maxLength} entries`);
    return value;
  }

  integer(fieldPath: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}${typeof value === 'number' && value > max ? ` and at most ${max}` : ''}` : `from ${min} to ${max}`;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      this.fail(fieldPath, value, `an integer ${range}`);
    }
    return value;
  }

  /** An integer within a documented range (limits.ts); the message names both ends. */
  count(fieldPath: string, value: unknown, range: Range): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
      this.fail(fieldPath, value, `an integer >= ${range.min} and at most ${range.max}`);
    }
    return value;
  }

  /** A number within a documented range (limits.ts). */
  numberIn(fieldPath: string, value: unknown, range: Range): number {
    const given = this.finiteNumber(fieldPath, value);
    const belowMin = range.minExcluded === true ? given <= range.min : given < range.min;
    if (belowMin || given > range.max || (range.integer === true && !Number.isInteger(given))) {
      const lower = range.minExcluded === true ? `above ${range.min}` : `at least ${range.min}`;
      this.fail(fieldPath, given, `${range.integer === true ? 'an integer' : 'a number'} ${lower} and at most ${range.max}`);
    }
    return given;
  }

  /** A duration (see duration()) within a documented range of microseconds. */
  durationIn(fieldPath: string, value: unknown, sign: DurationSign, range: Range): number {
    const durationUs = this.duration(fieldPath, value, sign);
    if (durationUs < range.min || durationUs > range.max) {
      this.fail(fieldPath, value, `a duration from ${formatDuration(range.min)} to ${formatDuration(range.max)}`);
    }
    return durationUs;
  }

  finiteNumber(fieldPath: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(fieldPath, value, 'a finite number');
    return value;
  }

  /** A number in [0, 1] (or [0, 1) when the upper end is excluded). */
  fraction(fieldPath: string, value: unknown, upperIncluded = true): number {
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= 0 && (upperIncluded ? value <= 1 : value < 1);
    if (!ok) this.fail(fieldPath, value, upperIncluded ? 'a fraction from 0 to 1' : 'a fraction from 0 up to (not including) 1');
    return value as number;
  }

  boolean(fieldPath: string, value: unknown): boolean {
    if (typeof value !== 'boolean') this.fail(fieldPath, value, 'true or false');
    return value;
  }

  string(fieldPath: string, value: unknown, pattern?: RegExp, patternDescription?: string): string {
    if (typeof value !== 'string' || value === '') this.fail(fieldPath, value, patternDescription ?? 'a non-empty string');
    if (pattern !== undefined && !pattern.test(value)) this.fail(fieldPath, value, patternDescription ?? `a string matching ${pattern}`);
    return value;
  }

  /** One of a fixed set of strings, with a suggestion when it looks like a typo. */
  oneOf<T extends string>(fieldPath: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    const match = typeof value === 'string' ? closestMatch(value, allowed) : undefined;
    const suggestion = match === undefined ? '' : ` (did you mean \`${match}\`?)`;
    return this.fail(fieldPath, value, `one of: ${allowed.join(', ')}${suggestion}`);
  }

  /** A duration in integer microseconds. */
  duration(fieldPath: string, value: unknown, sign: DurationSign): number {
    const expected = sign === 'positive'
      ? `a positive duration ${DURATION_FORMS}`
      : sign === 'non-negative'
        ? `a duration of zero or more, ${DURATION_FORMS}`
        : `a duration (may be negative, e.g. "-3s"), ${DURATION_FORMS}`;
    if (typeof value !== 'string' && typeof value !== 'number') this.fail(fieldPath, value, expected);
    let durationUs: number;
    try {
      durationUs = parseDuration(value);
    } catch {
      return this.fail(fieldPath, value, expected);
    }
    if (sign === 'positive' && durationUs <= 0) this.fail(fieldPath, value, expected);
    if (sign === 'non-negative' && durationUs < 0) this.fail(fieldPath, value, expected);
    return durationUs;
  }
}
