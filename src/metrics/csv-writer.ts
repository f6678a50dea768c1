// A CSV file writer: rows as arrays, stringified with csv-stringify's sync API in batches and written
// straight to a file descriptor. Arrays and batching are what PERF_NOTES measured as fast.
import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';

export { formatOptionalSeconds, formatSeconds } from './format.js';

/** One cell. null and undefined become empty cells; numbers print as JavaScript prints them. */
export type CsvCell = string | number | null | undefined;

export interface CsvWriterOptions {
  /**
   * Rows held before one stringify + write. Default 1,000 (~60 KB a write): batching at all is what
   * PERF_NOTES found to matter, but here (csv-stringify 6.9, 8 columns, 2 loaded cores) batches of
   * 1,000 ran at ~0.30 M rows/s of CPU against ~0.19 M for batches of 10,000, whose larger short-lived
   * arrays cost more in garbage collection; see test/metrics/README.md for the measurement.
   */
  readonly batchRows?: number;
  /**
   * When true, rows whose cells are all numbers, null/undefined, or strings without a comma, double
   * quote, CR or LF are joined here instead of in csv-stringify; any other row still goes through
   * csv-stringify. The bytes are identical either way (csv-writer.test.ts checks this against
   * csv-stringify on random rows); only the speed differs (~1.2-1.5 M against ~0.30 M 8-column rows/s of
   * CPU, measured here). Default false: the issue asks for CSVs streamed through csv-stringify, but at
   * its speed the 3.6 M-row propagation.csv costs ~12 s of a 60 s budget, so the integrator may opt in.
   */
  readonly joinPlainRows?: boolean;
}

export const DEFAULT_CSV_BATCH_ROWS = 1_000;

export class CsvWriter {
  private readonly fd: number;
  private readonly columnCount: number;
  private readonly batchRows: number;
  private readonly joinPlainRows: boolean;
  private batch: (readonly CsvCell[])[] = [];
  private rowsWritten = 0;
  private closed = false;

  /** Creates (or truncates) the file and writes the header row at once. */
  static open(filePath: string, header: readonly string[], options: CsvWriterOptions = {}): CsvWriter {
    return new CsvWriter(openSync(filePath, 'w'), filePath, header, options);
  }

  private constructor(
    fd: number,
    readonly filePath: string,
    header: readonly string[],
    options: CsvWriterOptions,
  ) {
    const batchRows = options.batchRows ?? DEFAULT_CSV_BATCH_ROWS;
    if (!Number.isInteger(batchRows) || batchRows < 1) {
      closeSync(fd);
      throw new RangeError(`batchRows must be an integer >= 1, got ${batchRows}`);
    }
    if (header.length === 0) {
      closeSync(fd);
      throw new Error(`CSV ${filePath} needs at least one column`);
    }
    this.fd = fd;
    this.columnCount = header.length;
    this.batchRows = batchRows;
    this.joinPlainRows = options.joinPlainRows ?? false;
    writeAll(fd, stringify([header]), filePath);
  }

  /**
   * Queues one row. The writer keeps the array until the next flush, so hand it a fresh array (do not
   * reuse and mutate one). A row of the wrong width is a caller bug and throws.
   */
  writeRow(row: readonly CsvCell[]): void {
    if (this.closed) throw new Error(`CSV ${this.filePath} is already closed`);
    if (row.length !== this.columnCount) {
      throw new Error(`CSV ${this.filePath}: row has ${row.length} cells, header has ${this.columnCount}`);
    }
    this.batch.push(row);
    if (this.batch.length >= this.batchRows) this.flush();
  }

  /** Data rows written or queued so far (the header not counted). */
  get rowCount(): number {
    return this.rowsWritten + this.batch.length;
  }

  /** Writes the queued rows now. */
  flush(): void {
    if (this.batch.length === 0) return;
    const text = this.joinPlainRows ? joinBatch(this.batch) : stringify(this.batch);
    this.rowsWritten += this.batch.length;
    this.batch = [];
    writeAll(this.fd, text, this.filePath);
  }

  /** Flushes and closes the file. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }

  /** Closes the file without writing the queued rows (used when a run is aborted). Safe to call twice. */
  discard(): void {
    if (this.closed) return;
    this.batch = [];
    this.closed = true;
    closeSync(this.fd);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/**
 * writeSync may write only part of a buffer; loop until every byte is out. A failure (a full disk) is
 * given the file's path, which an fd-based write error lacks, so that the message can name it.
 */
function writeAll(fd: number, text: string, filePath: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    }
  } catch (error) {
    if (typeof error === 'object' && error !== null && !('path' in error)) Object.assign(error, { path: filePath });
    throw error;
  }
}

// Any of these characters forces csv-stringify (default options) to quote a string cell.
const NEEDS_QUOTING = /[",\r\n]/;

/** The batch as csv-stringify would write it, joining rows that need no quoting directly. */
function joinBatch(batch: readonly (readonly CsvCell[])[]): string {
  let text = '';
  for (const row of batch) {
    let line = '';
    let plain = true;
    for (let i = 0; i < row.length; i++) {
      const cell = row[i];
      if (i > 0) line += ',';
      if (typeof cell === 'number') line += String(cell);
      else if (typeof cell === 'string') {
        if (NEEDS_QUOTING.test(cell)) {
          plain = false;
          break;
        }
        line += cell;
      }
      // null and undefined: an empty cell, as csv-stringify writes them
    }
    text += plain ? line + '\n' : stringify([row]);
  }
  return text;
}
