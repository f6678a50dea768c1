import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.js';
import { PAPER_SIZE_CLASSES, PAPER48H_DEFAULTS, generatePaper48h, type WorkloadSubmission } from '../../src/workload/index.js';

const HOUR_US = 3_600_000_000;
const PAPER = { submissions: 14276, files: 2000, durationUs: 48 * HOUR_US, publishers: 8 };

function generate(seed: number, overrides: Partial<typeof PAPER> = {}): WorkloadSubmission[] {
  return generatePaper48h({ ...PAPER, ...overrides }, new RandomStreams(seed).stream('workload'));
}

function shareOf(submissions: readonly WorkloadSubmission[], test: (s: WorkloadSubmission) => boolean): number {
  return submissions.filter(test).length / submissions.length;
}

describe('paper-48h workload', () => {
  const trace = generate(1);

  it('has exactly the paper\'s 14,276 submissions, sorted by time, inside 48 hours', () => {
    expect(trace).toHaveLength(14276);
    let outOfOrder = 0;
    for (let i = 1; i < trace.length; i++) {
      if ((trace[i] as WorkloadSubmission).timeUs < (trace[i - 1] as WorkloadSubmission).timeUs) outOfOrder += 1;
    }
    expect(outOfOrder).toBe(0);
    expect(trace.every((s) => Number.isInteger(s.timeUs) && s.timeUs >= 0 && s.timeUs < 48 * HOUR_US)).toBe(true);
  });

  it('puts about 40% of submissions under 1 KB and about 3% in 10-100 MB', () => {
    for (const seed of [1, 2, 3]) {
      const submissions = seed === 1 ? trace : generate(seed);
      // Either meaning of "KB" gives the same answer, since no size falls between 1,000 and 1,024 bytes.
      expect(Math.abs(shareOf(submissions, (s) => s.sizeBytes < 1000) - 0.40)).toBeLessThan(0.01);
      expect(shareOf(submissions, (s) => s.sizeBytes < 1000)).toBe(shareOf(submissions, (s) => s.sizeBytes < 1024));
      const large = shareOf(submissions, (s) => s.sizeBytes >= 10_000_000 && s.sizeBytes < 100_000_000);
      expect(Math.abs(large - 0.03)).toBeLessThan(0.005);
    }
    expect(trace.every((s) => Number.isInteger(s.sizeBytes) && s.sizeBytes >= 200 && s.sizeBytes < 100_000_000)).toBe(true);
  });

  it('fills the classes in between by their documented shares', () => {
    for (const sizeClass of PAPER_SIZE_CLASSES) {
      const share = shareOf(trace, (s) => s.sizeBytes >= sizeClass.minBytes && s.sizeBytes < sizeClass.maxBytes);
      expect(Math.abs(share - sizeClass.share), `${sizeClass.minBytes}..${sizeClass.maxBytes}`).toBeLessThan(0.01);
    }
  });

  it('keeps each file in one size class, its versions within ±10% of each other', () => {
    const sizesByFile = new Map<number, number[]>();
    for (const submission of trace) {
      const sizes = sizesByFile.get(submission.fileId) ?? [];
      sizes.push(submission.sizeBytes);
      sizesByFile.set(submission.fileId, sizes);
    }
    const classOf = (sizeBytes: number): number => PAPER_SIZE_CLASSES.findIndex((c) => sizeBytes >= c.minBytes && sizeBytes < c.maxBytes);
    let filesChangingClass = 0;
    let filesVaryingTooMuch = 0;
    for (const sizes of sizesByFile.values()) {
      if (new Set(sizes.map(classOf)).size !== 1) filesChangingClass += 1;
      // Base size times [0.9, 1.1], rounded to whole bytes: at most 1.1/0.9 apart, plus a byte of rounding each way.
      if (Math.max(...sizes) - 1 > ((Math.min(...sizes) + 1) * 1.1) / 0.9) filesVaryingTooMuch += 1;
    }
    expect(filesChangingClass).toBe(0);
    expect(filesVaryingTooMuch).toBe(0);
    // Versions do vary: the hottest files are not all the same size.
    expect([...sizesByFile.values()].some((sizes) => new Set(sizes).size > 1)).toBe(true);
  });

  it('draws files with skewed popularity, names and dense ids consistent', () => {
    const counts = new Map<number, number>();
    const nameOf = new Map<number, string>();
    let maxFileId = -1;
    let inconsistent = 0;
    for (const submission of trace) {
      counts.set(submission.fileId, (counts.get(submission.fileId) ?? 0) + 1);
      const name = nameOf.get(submission.fileId);
      if (name !== undefined && name !== submission.fileName) inconsistent += 1;
      nameOf.set(submission.fileId, submission.fileName);
      // Ids appear in order: a new file gets the next id.
      if (submission.fileId > maxFileId) {
        if (submission.fileId !== maxFileId + 1) inconsistent += 1;
        maxFileId = submission.fileId;
      }
    }
    expect(inconsistent).toBe(0);
    expect(new Set(nameOf.values()).size).toBe(counts.size);
    expect(counts.size).toBeLessThanOrEqual(2000);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    // Zipf(0.8) over 2,000 files: compare the busiest file and the busiest 10% of files with the analytic shares.
    let total = 0;
    let topTenthWeight = 0;
    for (let rank = 1; rank <= 2000; rank++) {
      total += rank ** -0.8;
      if (rank <= 200) topTenthWeight += rank ** -0.8;
    }
    const top = (sorted[0] as number) / 14276;
    expect(Math.abs(top - 1 / total)).toBeLessThan(0.01);
    const topTenth = sorted.slice(0, 200).reduce((sum, count) => sum + count, 0) / 14276;
    expect(Math.abs(topTenth - topTenthWeight / total)).toBeLessThan(0.03);
    expect(PAPER48H_DEFAULTS.zipfExponent).toBe(0.8);
  });

  it('follows a day/night pattern: about two thirds in the 12 hours around the 15:00 peak', () => {
    // With a peak/trough ratio of 3, the rate is 1 + 0.5 cos(...): 1/2 + 0.5/pi = 0.659 of arrivals fall in the peak half-day.
    const peakS = PAPER48H_DEFAULTS.peakTimeOfDayS;
    const inPeakHalf = shareOf(trace, (s) => {
      const timeOfDayS = (s.timeUs / 1_000_000) % 86_400;
      const distanceS = Math.min(Math.abs(timeOfDayS - peakS), 86_400 - Math.abs(timeOfDayS - peakS));
      return distanceS < 6 * 3600;
    });
    expect(inPeakHalf).toBeGreaterThan(0.63);
    expect(inPeakHalf).toBeLessThan(0.69);
    // Busiest hour-of-day bins are in the afternoon, quietest in the early morning.
    const perHour = new Array<number>(24).fill(0);
    for (const s of trace) perHour[Math.floor((s.timeUs / HOUR_US) % 24)]! += 1;
    expect(perHour[15]!).toBeGreaterThan(2 * perHour[3]!);
  });

  it('spreads submissions over every publisher', () => {
    const perPublisher = new Array<number>(8).fill(0);
    for (const s of trace) perPublisher[s.publisher]! += 1;
    expect(trace.every((s) => s.publisherCountry === undefined)).toBe(true);
    for (const count of perPublisher) expect(Math.abs(count / 14276 - 1 / 8)).toBeLessThan(0.02);
  });

  it('is deterministic: same seed same trace, another seed another', () => {
    expect(generate(1)).toEqual(trace);
    const other = generate(2);
    expect(other).toHaveLength(14276);
    expect(other).not.toEqual(trace);
  });

  it('scales down for small scenarios and handles the edges', () => {
    const small = generate(5, { submissions: 50, files: 10, durationUs: HOUR_US, publishers: 1 });
    expect(small).toHaveLength(50);
    expect(new Set(small.map((s) => s.fileId)).size).toBeLessThanOrEqual(10);
    expect(small.every((s) => s.publisher === 0 && s.timeUs < HOUR_US)).toBe(true);
    expect(generate(5, { submissions: 0 })).toEqual([]);
    expect(() => generate(5, { files: 0 })).toThrow(RangeError);
  });
});
