// Deterministic number formatting for the CSV and JSON outputs: microseconds shown as seconds with
// exactly six decimals, computed with integer arithmetic so no floating-point noise can appear.

const US_PER_S = 1_000_000;

/**
 * Integer microseconds as seconds with six decimals: 12345678 -> "12.345678", -1 -> "-0.000001".
 * Exact for every safe integer: `%` and the division of a multiple of 1e6 are exact in doubles.
 * A non-integer is a caller bug (simulation time is integer µs) and throws.
 */
export function formatSeconds(us: number): string {
  if (!Number.isSafeInteger(us)) throw new RangeError(`formatSeconds needs an integer number of µs, got ${us}`);
  const negative = us < 0;
  const magnitudeUs = negative ? -us : us;
  const fractionUs = magnitudeUs % US_PER_S;
  const wholeS = (magnitudeUs - fractionUs) / US_PER_S;
  let fraction = String(fractionUs);
  while (fraction.length < 6) fraction = '0' + fraction;
  return (negative ? '-' : '') + String(wholeS) + '.' + fraction;
}

/** As formatSeconds, but null or undefined (e.g. a submission never accepted) gives an empty cell. */
export function formatOptionalSeconds(us: number | null | undefined): string {
  return us === null || us === undefined ? '' : formatSeconds(us);
}

/**
 * Microseconds (possibly fractional, e.g. a mean) as a JSON-ready number of seconds, rounded to the
 * nearest whole µs so summaries carry at most six decimals. Dividing an integer by 1e6 yields the double
 * nearest to the six-decimal value, which JavaScript prints back as that value. NaN stays NaN.
 */
export function secondsFromUs(us: number): number {
  return Math.round(us) / US_PER_S;
}
