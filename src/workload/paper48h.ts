// The `paper-48h` workload: a synthetic submission trace shaped like the one in the ACMS paper's
// evaluation (14,276 submissions in 48 hours, ~40% under 1 KB, ~3% of 10-100 MB), with skewed
// file popularity and a day/night arrival rate. Every assumption is named and sourced below.
import type { Rng } from '../kernel/random.js';
import { Zipf, uniform, uniformInt } from '../kernel/distributions.js';
import type { WorkloadSubmission } from './types.js';

const KIBIBYTE = 1024;
const MEBIBYTE = 1024 * 1024;

export interface SizeClass {
  /** Inclusive lower bound of the class's sizes. */
  readonly minBytes: number;
  /** Exclusive upper bound. */
  readonly maxBytes: number;
  /** Fraction of submissions (not of files) in this class. */
  readonly share: number;
  readonly source: string;
}

/**
 * File-size mixture over submissions. Sizes are log-uniform inside each class. Each class lies
 * inside its size bucket whether "1 KB" means 1,000 or 1,024 bytes (lower bounds binary, upper
 * bounds decimal), so by-size tables agree under either convention.
 */
export const PAPER_SIZE_CLASSES: readonly SizeClass[] = [
  { minBytes: 200, maxBytes: 1_000, share: 0.40, source: 'paper: "most (40%) are small, less than 1k"; slides: files start at "a few hundred bytes"' },
  { minBytes: KIBIBYTE, maxBytes: 10_000, share: 0.25, source: 'assumption: shares fall with size between the two figures the paper gives' },
  { minBytes: 10 * KIBIBYTE, maxBytes: 100_000, share: 0.17, source: 'assumption: as above' },
  { minBytes: 100 * KIBIBYTE, maxBytes: 1_000_000, share: 0.10, source: 'assumption: as above' },
  { minBytes: MEBIBYTE, maxBytes: 10_000_000, share: 0.05, source: 'assumption: as above' },
  { minBytes: 10 * MEBIBYTE, maxBytes: 100_000_000, share: 0.03, source: 'paper: "some 3% were greater in 10M-100M"; slides: files go up to 100 MB' },
];

export const PAPER48H_DEFAULTS = {
  /**
   * Zipf exponent of update popularity over files. Assumption: no published figure for configuration
   * updates; 0.8 is within the 0.6-0.85 range measured for web request popularity (Breslau et al., 1999).
   */
  zipfExponent: 0.8,
  /** Each version of a file is its base size times uniform [1 - v, 1 + v] (assumption: edits change little). */
  versionSizeVariation: 0.1,
  /**
   * Busiest over quietest hour arrival rate. Assumption: submissions are made by people at work,
   * and human-driven activity commonly swings 2-4x between day and night.
   */
  peakToTroughRatio: 3,
  /**
   * Time of day of the peak, seconds after the run's midnight start. Assumption: the run starts at
   * 00:00 UTC; 15:00 UTC is European afternoon overlapping the US East Coast morning.
   */
  peakTimeOfDayS: 15 * 3600,
} as const;

const DAY_US = 86_400_000_000;

export interface Paper48hOptions {
  readonly submissions: number;
  /** Size of the file-name population; files never drawn do not appear. */
  readonly files: number;
  readonly durationUs: number;
  readonly publishers: number;
  readonly zipfExponent?: number;
  readonly versionSizeVariation?: number;
  readonly peakToTroughRatio?: number;
  readonly peakTimeOfDayS?: number;
  readonly sizeClasses?: readonly SizeClass[];
}

/** Generates exactly `submissions` submissions, sorted by time, deterministically from `rng`. */
export function generatePaper48h(options: Paper48hOptions, rng: Rng): WorkloadSubmission[] {
  checkOptions(options);
  const zipfExponent = options.zipfExponent ?? PAPER48H_DEFAULTS.zipfExponent;
  const variation = options.versionSizeVariation ?? PAPER48H_DEFAULTS.versionSizeVariation;
  const classes = options.sizeClasses ?? PAPER_SIZE_CLASSES;
  const count = options.submissions;

  // 1. Which file each submission updates (rank 1 is the most popular).
  const zipf = new Zipf(options.files, zipfExponent);
  const ranks: number[] = [];
  const submissionsPerRank = new Array<number>(options.files + 1).fill(0);
  for (let i = 0; i < count; i++) {
    const rank = zipf.draw(rng);
    ranks.push(rank);
    submissionsPerRank[rank] = (submissionsPerRank[rank] as number) + 1;
  }

  // 2. When: arrival times under the day/night rate, sorted.
  const timesUs = drawArrivalTimes(options, rng);

  // 3. Each file's size class, chosen so that the class shares hold over submissions.
  const classOfRank = assignSizeClasses(submissionsPerRank, classes, count, rng);

  // 4. Each file's base size, log-uniform within its class.
  const baseSizeOfRank = new Array<number>(options.files + 1).fill(0);
  for (let rank = 1; rank <= options.files; rank++) {
    const sizeClass = classes[classOfRank[rank] as number];
    if (sizeClass === undefined) continue;
    baseSizeOfRank[rank] = Math.exp(uniform(rng, Math.log(sizeClass.minBytes), Math.log(sizeClass.maxBytes)));
  }

  // 5. The submissions, pairing the i-th arrival with the i-th file draw (both are independent of each other).
  const nameWidth = String(options.files).length;
  const fileIdOfRank = new Map<number, number>();
  const submissions: WorkloadSubmission[] = [];
  for (let i = 0; i < count; i++) {
    const rank = ranks[i] as number;
    let fileId = fileIdOfRank.get(rank);
    if (fileId === undefined) {
      fileId = fileIdOfRank.size;
      fileIdOfRank.set(rank, fileId);
    }
    const sizeClass = classes[classOfRank[rank] as number] as SizeClass;
    const wobbled = (baseSizeOfRank[rank] as number) * uniform(rng, 1 - variation, 1 + variation);
    // Clamped so that a file never leaves its class, however its versions vary.
    const sizeBytes = Math.min(sizeClass.maxBytes - 1, Math.max(sizeClass.minBytes, Math.round(wobbled)));
    submissions.push({
      timeUs: timesUs[i] as number,
      fileId,
      fileName: `config/file-${String(rank).padStart(nameWidth, '0')}.xml`,
      sizeBytes,
      // Assumption: any publisher location is as likely as any other ("submissions may originate from anywhere").
      publisher: uniformInt(rng, 0, options.publishers - 1),
    });
  }
  return submissions;
}

function checkOptions(options: Paper48hOptions): void {
  const integers: [string, number, number][] = [
    ['submissions', options.submissions, 0], ['files', options.files, 1], ['publishers', options.publishers, 1], ['durationUs', options.durationUs, 1],
  ];
  for (const [name, value, min] of integers) {
    if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`paper-48h workload: ${name} must be an integer >= ${min}, got ${value}`);
  }
  const ratio = options.peakToTroughRatio ?? PAPER48H_DEFAULTS.peakToTroughRatio;
  if (!(ratio >= 1)) throw new RangeError(`paper-48h workload: peakToTroughRatio must be >= 1, got ${ratio}`);
  let shareTotal = 0;
  for (const sizeClass of options.sizeClasses ?? PAPER_SIZE_CLASSES) shareTotal += sizeClass.share;
  if (Math.abs(shareTotal - 1) > 1e-9) throw new RangeError(`paper-48h workload: size class shares must sum to 1, got ${shareTotal}`);
}

/**
 * Exactly `submissions` times with density proportional to 1 + a cos(2 pi (t - peak) / 1 day),
 * where a = (ratio - 1) / (ratio + 1) gives the stated peak/trough ratio. Rejection sampling:
 * about (1 + a) uniform pairs per accepted time.
 */
function drawArrivalTimes(options: Paper48hOptions, rng: Rng): number[] {
  const ratio = options.peakToTroughRatio ?? PAPER48H_DEFAULTS.peakToTroughRatio;
  const amplitude = (ratio - 1) / (ratio + 1);
  const peakUs = (options.peakTimeOfDayS ?? PAPER48H_DEFAULTS.peakTimeOfDayS) * 1_000_000;
  const timesUs: number[] = [];
  while (timesUs.length < options.submissions) {
    const timeUs = Math.floor(rng() * options.durationUs);
    const rate = 1 + amplitude * Math.cos((2 * Math.PI * (timeUs - peakUs)) / DAY_US);
    if (rng() * (1 + amplitude) < rate) timesUs.push(timeUs);
  }
  timesUs.sort((a, b) => a - b);
  return timesUs;
}

/**
 * Gives every drawn file a size class so that each class's share of submissions lands on its
 * target. Files go from most to least submitted; each goes to a class whose remaining need it
 * does not exceed, picked at random in proportion to that need, or, if it exceeds every need,
 * to the neediest class. Files never drawn get a class by share (they produce no submissions).
 */
function assignSizeClasses(submissionsPerRank: readonly number[], classes: readonly SizeClass[], total: number, rng: Rng): number[] {
  const needs = classes.map((sizeClass) => sizeClass.share * total);
  const order: number[] = [];
  for (let rank = 1; rank < submissionsPerRank.length; rank++) order.push(rank);
  // Most submitted first; equal counts keep rank order, so the result depends only on the draws.
  order.sort((a, b) => (submissionsPerRank[b] as number) - (submissionsPerRank[a] as number) || a - b);

  const classOfRank = new Array<number>(submissionsPerRank.length).fill(-1);
  for (const rank of order) {
    const weight = submissionsPerRank[rank] as number;
    if (weight === 0) {
      classOfRank[rank] = pickByWeight(classes.map((sizeClass) => sizeClass.share), rng);
      continue;
    }
    const fitting = needs.map((need) => (need >= weight ? need : 0));
    let chosen = pickByWeight(fitting, rng);
    if (chosen === -1) chosen = indexOfLargest(needs);
    classOfRank[rank] = chosen;
    needs[chosen] = (needs[chosen] as number) - weight;
  }
  return classOfRank;
}

/** Index i with probability weights[i] / sum, or -1 when every weight is zero. Always draws once. */
function pickByWeight(weights: readonly number[], rng: Rng): number {
  let total = 0;
  for (const weight of weights) total += weight;
  const target = rng() * total;
  if (total <= 0) return -1;
  let cumulative = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i] as number;
    if (target < cumulative) return i;
  }
  return weights.length - 1;
}

function indexOfLargest(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
