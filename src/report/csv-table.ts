// Reads the CSV files a report is drawn from into rows keyed by column name, with typed getters whose
// errors name the file, the line, the column, what was there and what was expected.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CsvSyntaxError, readCsvRecords } from '../workload/csv-lines.js';
import { ReportInputError } from './errors.js';

export interface CsvRow {
  readonly line: number;
  /** The cell of a column, '' when the row is short; throws if the file has no such column. */
  text(column: string): string;
  /** A finite number; throws a ReportInputError naming the cell otherwise. */
  number(column: string): number;
  /** A number, or null for an empty cell. */
  optionalNumber(column: string): number | null;
}

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

/** Reads `path`; `required` columns must all be in the header. */
export function readCsvTable(path: string, required: readonly string[]): CsvTable {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ReportInputError(`cannot read ${path} (${(error as Error).message})`);
  }
  return parseCsvTable(text, file, required);
}

export function parseCsvTable(text: string, file: string, required: readonly string[]): CsvTable {
  let records;
  try {
    records = readCsvRecords(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ReportInputError(`${file}: line ${error.line}, column ${error.column}: expected ${error.problem}`);
    throw error;
  }
  const [head, ...body] = records;
  const header = head === undefined ? [] : head.fields.map((field) => field.text);
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new ReportInputError(`${file}: line 1: got columns [${header.join(', ')}], expected also ${missing.join(', ')}`);
  }
  const position = new Map(header.map((name, index) => [name, index]));
  const rows = body.map((record): CsvRow => {
    const text = (column: string): string => {
      const index = position.get(column);
      if (index === undefined) throw new ReportInputError(`${file}: no column "${column}"`);
      return record.fields[index]?.text ?? '';
    };
    const optionalNumber = (column: string): number | null => {
      const cell = text(column);
      if (cell === '') return null;
      const value = Number(cell);
      if (!Number.isFinite(value)) {
        throw new ReportInputError(`${file}: line ${record.line}, column "${column}": got "${cell}", expected a number`);
      }
      return value;
    };
    const number = (column: string): number => {
      const value = optionalNumber(column);
      if (value === null) throw new ReportInputError(`${file}: line ${record.line}, column "${column}": got an empty cell, expected a number`);
      return value;
    };
    return { line: record.line, text, number, optionalNumber };
  });
  return { file, header, rows };
}
