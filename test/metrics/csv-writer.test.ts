import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvWriter, formatSeconds } from '../../src/metrics/csv-writer.js';

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
