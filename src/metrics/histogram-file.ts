// propagation-histogram.json: a LatencyHistogram written out whole (its non-empty buckets, exact count,
// min, max, sum and threshold counts) and read back, so figures drawn later equal the run's summary.
import { LatencyHistogram } from './histogram.js';

const ABOUT =
  'Every value recorded in a log-linear histogram (src/metrics/histogram.ts). Each bucket is [lowerUs, widthUs, count]: ' +
  'count values in [lowerUs, lowerUs + widthUs) microseconds. minUs, maxUs and sumUs are exact; thresholds are [valueUs, count at or below].';

/** The histogram as JSON text: one bucket per line, so a large one stays a small, diffable file. */
export function histogramFileText(histogram: LatencyHistogram): string {
  const { thresholdsUs, thresholdCounts } = histogram.thresholdState();
  const empty = histogram.count === 0;
  const head = [
    `  "about": ${JSON.stringify(ABOUT)}`,
    `  "count": ${histogram.count}`,
    `  "minUs": ${empty ? 'null' : histogram.minUs}`,
    `  "maxUs": ${empty ? 'null' : histogram.maxUs}`,
    `  "sumUs": "${histogram.sumUsExact.toString()}"`,
    `  "thresholds": ${JSON.stringify(thresholdsUs.map((valueUs, i) => [valueUs, thresholdCounts[i]]))}`,
  ];
  const buckets = histogram.nonEmptyBuckets().map((bucket) => `    ${JSON.stringify(bucket)}`);
  const bucketsText = buckets.length === 0 ? '  "buckets": []' : `  "buckets": [\n${buckets.join(',\n')}\n  ]`;
  return `{\n${[...head, bucketsText].join(',\n')}\n}\n`;
}

/** Reads what histogramFileText wrote; `name` is used in messages. Throws an Error naming the field that is wrong. */
export function parseHistogramFile(text: string, name: string): LatencyHistogram {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not valid JSON (${(error as Error).message})`);
  }
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const field = <T>(key: string, ok: (value: unknown) => boolean, expected: string): T => {
    if (!ok(record[key])) throw new Error(`${name}: field "${key}": got ${JSON.stringify(record[key])}, expected ${expected}`);
    return record[key] as T;
  };
  const isInteger = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
  const isTripleList = (value: unknown): boolean =>
    Array.isArray(value) && value.every((item) => Array.isArray(item) && item.length === 3 && item.every(isInteger));
  const isPairList = (value: unknown): boolean =>
    Array.isArray(value) && value.every((item) => Array.isArray(item) && item.length === 2 && item.every(isInteger));
  const buckets = field<Array<[number, number, number]>>('buckets', isTripleList, 'a list of [lowerUs, widthUs, count]');
  const thresholds = field<Array<[number, number]>>('thresholds', isPairList, 'a list of [valueUs, count]');
  const sumText = field<string>('sumUs', (value) => typeof value === 'string' && /^\d+$/.test(value), 'a whole number as a string');
  const empty = buckets.length === 0;
  const minUs = empty ? 0 : field<number>('minUs', isInteger, 'a whole number of µs');
  const maxUs = empty ? 0 : field<number>('maxUs', isInteger, 'a whole number of µs');
  try {
    return LatencyHistogram.restore({
      buckets, minUs, maxUs, sumUs: BigInt(sumText),
      thresholdsUs: thresholds.map(([valueUs]) => valueUs), thresholdCounts: thresholds.map(([, count]) => count),
    });
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}
