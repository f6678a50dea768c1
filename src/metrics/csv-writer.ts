// A CSV file writer: rows as arrays, stringified with csv-stringify's sync API in large batches and
// written straight to a file descriptor. Arrays and big batches are what PERF_NOTES measured as fast.
import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';

export { formatOptionalSeconds, formatSeconds } from './format.js';

/** One cell. null and undefined become empty cells; numbers print as JavaScript prints them. */
export type CsvCell = string | number | null | undefined;

export interface CsvWriterOptions {
  /**
   * Rows held before one stringify + write. 10,000: PERF_NOTES found large batches matter; at ~100 bytes a
   * row that is ~1 MB per write, few enough system calls and small enough to keep memory flat.
   */
  readonly batchRows?: number;
}

export const DEFAULT_CSV_BATCH_ROWS = 10_000;

export class CsvWriter {
  private readonly fd: number;
  private readonly columnCount: number;
  private readonly batchRows: number;
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
    writeAll(fd, stringify([header]));
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
    const text = stringify(this.batch);
    this.rowsWritten += this.batch.length;
    this.batch = [];
    writeAll(this.fd, text);
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

/** writeSync may write only part of a buffer; loop until every byte is out. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    offset += writeSync(fd, bytes, offset, bytes.length - offset);
  }
}
