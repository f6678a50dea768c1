import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { RandomStreams, type Rng } from '../../src/kernel/index.js';
import { CsvWriter, DEFAULT_CSV_BATCH_ROWS, formatSeconds, type CsvCell } from '../../src/metrics/csv-writer.js';

// Cells meant to hit every branch: plain and quoted strings, empty strings, numbers of every shape, empties.
const STRING_PIECES = ['a', 'MY', 'file-9.xml', '', ' ', ',', '"', '\n', '\r', '\r\n', '-x', '=1+2', 'é', '\t', ';'];
function randomCell(rng: Rng): CsvCell {
  const pick = rng();
  if (pick < 0.1) return null;
  if (pick < 0.15) return undefined;
  if (pick < 0.55) {
    const numbers = [0, -0, -1, 1.5, 1e21, 123456789, -2.5e-7, Number.NaN, Infinity, Math.floor(rng() * 1e9)];
    return numbers[Math.floor(rng() * numbers.length)];
  }
  let text = '';
  const pieces = Math.floor(rng() * 4);
  for (let i = 0; i < pieces; i++) text += STRING_PIECES[Math.floor(rng() * STRING_PIECES.length)];
  return text;
}

describe('CsvWriter', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'acmsim-csv-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the header first, then rows, across several batches, identically to one batch', () => {
    const rows: (string | number | null)[][] = [];
    for (let i = 0; i < 25; i++) rows.push([i, `file-${i}`, i % 4 === 0 ? null : formatSeconds(i * 1_500_001)]);
    const header = ['id', 'file', 'acceptS'];
    const small = CsvWriter.open(join(dir, 'small.csv'), header, { batchRows: 3 });
    const large = CsvWriter.open(join(dir, 'large.csv'), header, { batchRows: 10_000 });
    for (const row of rows) {
      small.writeRow(row);
      large.writeRow(row);
    }
    expect(small.rowCount).toBe(25);
    small.close();
    large.close();
    const text = readFileSync(join(dir, 'small.csv'), 'utf8');
    expect(text).toBe(readFileSync(join(dir, 'large.csv'), 'utf8'));
    const lines = text.split('\n');
    expect(lines[0]).toBe('id,file,acceptS');
    expect(lines[1]).toBe('0,file-0,');
    expect(lines[2]).toBe('1,file-1,1.500001');
    expect(lines.length).toBe(27); // header + 25 rows + the empty string after the final newline
    expect(lines[26]).toBe('');
  });

  it('writes the same bytes as csv-stringify, with or without joinPlainRows, on random rows', () => {
    const rng = new RandomStreams(4).stream('csv/random-rows');
    const header = ['c0', 'c1', 'c2', 'c3', 'c4'];
    const rows: CsvCell[][] = [];
    for (let i = 0; i < 5_000; i++) {
      const row: CsvCell[] = [];
      for (let c = 0; c < header.length; c++) row.push(randomCell(rng));
      rows.push(row);
    }
    const expected = stringify([header]) + stringify(rows);
    for (const joinPlainRows of [false, true]) {
      const path = join(dir, `random-${joinPlainRows}.csv`);
      const writer = CsvWriter.open(path, header, { joinPlainRows, batchRows: 777 });
      for (const row of rows) writer.writeRow(row);
      writer.close();
      expect(readFileSync(path, 'utf8')).toBe(expected);
    }
    expect(expected).toContain('"a,"'); // the random rows did exercise quoting
    expect(DEFAULT_CSV_BATCH_ROWS).toBe(1_000);
  });

  it('quotes cells holding commas, quotes and newlines', () => {
    const writer = CsvWriter.open(join(dir, 'q.csv'), ['a', 'b']);
    writer.writeRow(['x,y', 'say "hi"']);
    writer.writeRow(['two\nlines', 7]);
    writer.close();
    expect(readFileSync(join(dir, 'q.csv'), 'utf8')).toBe('a,b\n"x,y","say ""hi"""\n"two\nlines",7\n');
  });

  it('leaves queued rows unwritten on discard, and refuses rows after closing', () => {
    const writer = CsvWriter.open(join(dir, 'd.csv'), ['a'], { batchRows: 2 });
    writer.writeRow([1]);
    writer.writeRow([2]); // fills a batch: written
    writer.writeRow([3]); // still queued
    writer.discard();
    writer.discard();
    expect(writer.isClosed).toBe(true);
    expect(readFileSync(join(dir, 'd.csv'), 'utf8')).toBe('a\n1\n2\n');
    expect(() => writer.writeRow([4])).toThrow(/closed/);
    writer.close(); // no-op once closed
  });

  it('refuses a row of the wrong width and a bad batch size', () => {
    const writer = CsvWriter.open(join(dir, 'w.csv'), ['a', 'b']);
    expect(() => writer.writeRow([1])).toThrow(/1 cells, header has 2/);
    writer.close();
    expect(() => CsvWriter.open(join(dir, 'b.csv'), ['a'], { batchRows: 0 })).toThrow(RangeError);
    expect(() => CsvWriter.open(join(dir, 'e.csv'), [])).toThrow(/at least one column/);
  });
});
