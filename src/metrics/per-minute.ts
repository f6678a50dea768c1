// Per-Storage-Point, per-minute counters of requests and bytes, for sp-load.csv. Backed by growable
// typed arrays (minute-major: one slot per (minute, SP)), so counting costs no allocation.
import { grownFloat64 } from '../kernel/typed-arrays.js';
import type { CsvWriter } from './csv-writer.js';

const US_PER_MINUTE = 60_000_000;

/** Column names of sp-load.csv, in the order `writeCsv` fills them. */
export const SP_LOAD_CSV_HEADER: readonly string[] = ['minute', 'startS', 'sp', 'requests', 'bytes'];

export class PerMinuteTable {
  // Float64 holds integers exactly up to 2^53: far beyond bytes an SP can serve in one minute.
  private requests: Float64Array;
  private bytes: Float64Array;
  private minutesUsed = 0;

  /**
   * spCount: number of Storage Points (rows per minute). initialMinutes: 2,880 = the paper's 48 hours,
   * so the full replay never resizes; a longer run doubles the arrays as needed.
   */
  constructor(
    readonly spCount: number,
    initialMinutes = 2_880,
  ) {
    if (!Number.isInteger(spCount) || spCount < 1) throw new RangeError(`PerMinuteTable needs spCount >= 1, got ${spCount}`);
    const capacity = Math.max(1, initialMinutes) * spCount;
    this.requests = new Float64Array(capacity);
    this.bytes = new Float64Array(capacity);
  }

  /** Counts `requestCount` requests carrying `sizeBytes` bytes in total at SP `spIndex` at time `timeUs` (>= 0). */
  add(spIndex: number, timeUs: number, requestCount: number, sizeBytes: number): void {
    if (!(spIndex >= 0 && spIndex < this.spCount) || !Number.isInteger(spIndex)) {
      throw new RangeError(`SP index ${spIndex} outside [0, ${this.spCount})`);
    }
    if (!(timeUs >= 0)) throw new RangeError(`time must be >= 0 µs, got ${timeUs}`);
    const minute = Math.floor(timeUs / US_PER_MINUTE);
    if (minute >= this.minutesUsed) this.useMinutes(minute + 1);
    const slot = minute * this.spCount + spIndex;
    this.requests[slot] = (this.requests[slot] as number) + requestCount;
    this.bytes[slot] = (this.bytes[slot] as number) + sizeBytes;
  }

  /** Minutes from 0 through the last minute anything was counted in. */
  get minuteCount(): number {
    return this.minutesUsed;
  }

  requestsAt(spIndex: number, minute: number): number {
    return this.valueAt(this.requests, spIndex, minute);
  }

  bytesAt(spIndex: number, minute: number): number {
    return this.valueAt(this.bytes, spIndex, minute);
  }

  /**
   * Writes one row per (minute, SP), minute-major, zeros included so every minute of the run is present:
   * minute, startS (the minute's start in whole seconds), sp, requests, bytes. `minuteCount` pads to a
   * run's full length (e.g. Math.ceil(durationUs / 60e6)); it defaults to the last minute counted.
   */
  writeCsv(writer: CsvWriter, minuteCount = this.minutesUsed): void {
    for (let minute = 0; minute < minuteCount; minute++) {
      for (let sp = 0; sp < this.spCount; sp++) {
        writer.writeRow([minute, minute * 60, sp, this.requestsAt(sp, minute), this.bytesAt(sp, minute)]);
      }
    }
  }

  private valueAt(values: Float64Array, spIndex: number, minute: number): number {
    if (!(spIndex >= 0 && spIndex < this.spCount)) throw new RangeError(`SP index ${spIndex} outside [0, ${this.spCount})`);
    if (!(minute >= 0)) throw new RangeError(`minute must be >= 0, got ${minute}`);
    if (minute >= this.minutesUsed) return 0;
    return values[minute * this.spCount + spIndex] as number;
  }

  private useMinutes(minutes: number): void {
    const needed = minutes * this.spCount;
    if (needed > this.requests.length) {
      let capacity = this.requests.length;
      while (capacity < needed) capacity *= 2;
      this.requests = grownFloat64(this.requests, capacity);
      this.bytes = grownFloat64(this.bytes, capacity);
    }
    this.minutesUsed = minutes;
  }
}
