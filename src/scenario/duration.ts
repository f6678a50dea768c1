// Durations as people write them ("250ms", "90s", "15m", "48h", "2d", "1h30m", or a number of
// seconds) converted to the simulator's integer microseconds.

const MICROSECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};

const PART = /(\d+(?:\.\d+)?|\.\d+)(us|µs|ms|s|m|h|d)/y;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;

/** What a duration looks like, for error messages. */
export const DURATION_FORMS = 'like "30s" (units us, ms, s, m, h, d; e.g. "250ms", "1h30m") or a number of seconds';

/**
 * Parses a duration into integer microseconds (rounded). Numbers are seconds. A leading "-"
 * gives a negative duration (clock offsets need one); callers decide which signs they accept.
 * Throws a RangeError naming the value when it is not a duration.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number of seconds: ${value}`);
    return checkedMicroseconds(value * 1_000_000, value);
  }
  const text = value.trim();
  if (PLAIN_NUMBER.test(text)) return checkedMicroseconds(Number(text) * 1_000_000, value);

  let sign = 1;
  let position = 0;
  if (text.startsWith('-') || text.startsWith('+')) {
    sign = text.startsWith('-') ? -1 : 1;
    position = 1;
  }
  if (position >= text.length) throw new RangeError(`not a duration: ${JSON.stringify(value)}`);
  let totalUs = 0;
  while (position < text.length) {
    PART.lastIndex = position;
    const match = PART.exec(text);
    if (match === null) throw new RangeError(`not a duration: ${JSON.stringify(value)}`);
    const amount = Number(match[1]);
    const unitUs = MICROSECONDS_PER_UNIT[match[2] as string] as number;
    totalUs += amount * unitUs;
    position = PART.lastIndex;
  }
  return checkedMicroseconds(sign * totalUs, value);
}

function checkedMicroseconds(microseconds: number, original: string | number): number {
  const rounded = Math.round(microseconds);
  if (!Number.isSafeInteger(rounded)) throw new RangeError(`duration too long: ${JSON.stringify(original)}`);
  // Math.round(-0.4) is -0; keep plain zero so that results compare and print cleanly.
  return rounded === 0 ? 0 : rounded;
}

/** Formats microseconds back into the shortest exact unit form, for messages and base files. */
export function formatDuration(durationUs: number): string {
  if (durationUs === 0) return '0s';
  const sign = durationUs < 0 ? '-' : '';
  const magnitudeUs = Math.abs(durationUs);
  const units: readonly (readonly [string, number])[] = [
    ['d', 86_400_000_000], ['h', 3_600_000_000], ['m', 60_000_000], ['s', 1_000_000], ['ms', 1_000], ['us', 1],
  ];
  for (const [unit, unitUs] of units) {
    if (magnitudeUs % unitUs === 0) return `${sign}${magnitudeUs / unitUs}${unit}`;
  }
  return `${sign}${magnitudeUs}us`;
}
