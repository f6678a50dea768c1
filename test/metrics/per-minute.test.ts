import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CsvWriter } from '../../src/metrics/csv-writer.js';
import { PerMinuteTable, SP_LOAD_CSV_HEADER } from '../../src/metrics/per-minute.js';

const MINUTE_US = 60_000_000;

describe('PerMinuteTable', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('sums requests and bytes per SP and per minute, splitting at whole minutes', () => {
    const table = new PerMinuteTable(3);
    table.add(0, 0, 1, 100);
    table.add(0, MINUTE_US - 1, 2, 50);
    table.add(0, MINUTE_US, 1, 7);
    table.add(2, 5 * MINUTE_US + 30, 4, 4_000);
    expect(table.minuteCount).toBe(6);
    expect([table.requestsAt(0, 0), table.bytesAt(0, 0)]).toEqual([3, 150]);
    expect([table.requestsAt(0, 1), table.bytesAt(0, 1)]).toEqual([1, 7]);
    expect([table.requestsAt(2, 5), table.bytesAt(2, 5)]).toEqual([4, 4_000]);
    expect(table.requestsAt(1, 5)).toBe(0);
    expect(table.requestsAt(1, 99)).toBe(0);
  });

  it('grows past its initial size without losing counts', () => {
    const table = new PerMinuteTable(5, 1);
    for (let minute = 0; minute < 3_000; minute++) table.add(minute % 5, minute * MINUTE_US, 1, minute);
    expect(table.minuteCount).toBe(3_000);
    for (let minute = 0; minute < 3_000; minute++) {
      expect(table.requestsAt(minute % 5, minute)).toBe(1);
      expect(table.bytesAt(minute % 5, minute)).toBe(minute);
      expect(table.requestsAt((minute + 1) % 5, minute)).toBe(0);
    }
  });

  it('refuses an SP index out of range and a negative time', () => {
    const table = new PerMinuteTable(2);
    expect(() => table.add(2, 0, 1, 1)).toThrow(RangeError);
    expect(() => table.add(-1, 0, 1, 1)).toThrow(RangeError);
    expect(() => table.add(0.5, 0, 1, 1)).toThrow(RangeError);
    expect(() => table.add(0, -1, 1, 1)).toThrow(RangeError);
    expect(() => new PerMinuteTable(0)).toThrow(RangeError);
  });

  it('writes a dense sp-load table, zeros included, padded to the run length', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acmsim-per-minute-'));
    dirs.push(dir);
    const table = new PerMinuteTable(2);
    table.add(1, 0, 2, 2_048);
    table.add(0, MINUTE_US + 1, 1, 10);
    const writer = CsvWriter.open(join(dir, 'sp-load.csv'), SP_LOAD_CSV_HEADER);
    table.writeCsv(writer, 3);
    writer.close();
    expect(readFileSync(join(dir, 'sp-load.csv'), 'utf8')).toBe(
      'minute,startS,sp,requests,bytes\n' +
        '0,0,0,0,0\n0,0,1,2,2048\n' +
        '1,60,0,1,10\n1,60,1,0,0\n' +
        '2,120,0,0,0\n2,120,1,0,0\n',
    );
  });
});
