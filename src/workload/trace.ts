// The `trace` workload: submissions read from a researcher's CSV with the header
// `timeS,file,sizeBytes,publisher` (columns in any order). Bad rows are WorkloadErrors naming
// the file, line and column.
import * as fs from 'node:fs';
import { WorkloadError } from './errors.js';
import { CsvSyntaxError, readCsvRecords, type CsvField, type CsvRecord } from './csv-lines.js';
import type { WorkloadSubmission } from './types.js';

export const TRACE_COLUMNS = ['timeS', 'file', 'sizeBytes', 'publisher'] as const;
type TraceColumn = (typeof TRACE_COLUMNS)[number];

export interface TraceOptions {
  /** When given, integer publishers must lie in [0, publishers). */
  readonly publishers?: number;
  /** When given, every submission must come before the end of the run. */
  readonly durationUs?: number;
  /** When given, a publisher named by country must be one of these codes (the topology's countries). */
  readonly countryCodes?: readonly string[];
}

const DECIMAL = /^\d+(\.\d+)?$|^\.\d+$/;
const DIGITS = /^\d+$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;

export function readTraceFile(filePath: string, options: TraceOptions = {}): WorkloadSubmission[] {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new WorkloadError({ file: filePath }, '', '', `an existing, readable CSV trace (${reason})`);
  }
  return parseTrace(text, filePath, options);
}

/** Parses trace text; `filePath` is used in messages only. */
export function parseTrace(text: string, filePath: string, options: TraceOptions = {}): WorkloadSubmission[] {
  let records: CsvRecord[];
  try {
    records = readCsvRecords(text);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    throw new WorkloadError({ file: filePath, line: error.line, column: error.column }, '', 'malformed CSV', error.problem);
  }
  const header = records[0];
  if (header === undefined) {
    throw new WorkloadError({ file: filePath, line: 1 }, '', 'an empty file', `a header row "${TRACE_COLUMNS.join(',')}"`);
  }
  const columnIndex = readHeader(header, filePath);

  const rows: { timeUs: number; fileName: string; sizeBytes: number; publisher: number; publisherCountry?: string }[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r] as CsvRecord;
    if (record.fields.length !== TRACE_COLUMNS.length) {
      throw new WorkloadError({ file: filePath, line: record.line }, '', `${record.fields.length} fields`, `${TRACE_COLUMNS.length} fields (${TRACE_COLUMNS.join(',')})`);
    }
    const field = (name: TraceColumn): CsvField => record.fields[columnIndex[name]] as CsvField;
    const fail = (name: TraceColumn, expected: string): never => {
      throw new WorkloadError({ file: filePath, line: record.line, column: field(name).column }, name, JSON.stringify(field(name).text), expected);
    };

    const timeText = field('timeS').text;
    if (!DECIMAL.test(timeText)) fail('timeS', 'a time in seconds from the start of the run, 0 or more');
    const timeUs = Math.round(Number(timeText) * 1_000_000);
    if (!Number.isSafeInteger(timeUs)) fail('timeS', 'a time in seconds small enough to represent');
    if (options.durationUs !== undefined && timeUs >= options.durationUs) {
      fail('timeS', `a time before the end of the run (${options.durationUs / 1_000_000} s)`);
    }

    const fileName = field('file').text;
    if (fileName === '') fail('file', 'a non-empty file name');

    const sizeText = field('sizeBytes').text;
    const sizeBytes = Number(sizeText);
    if (!DIGITS.test(sizeText) || !Number.isSafeInteger(sizeBytes)) fail('sizeBytes', 'a whole number of bytes, 0 or more');

    const publisherText = field('publisher').text;
    if (COUNTRY_CODE.test(publisherText)) {
      const codes = options.countryCodes;
      if (codes !== undefined && !codes.includes(publisherText)) {
        fail('publisher', `a publisher index or one of the topology's ${codes.length} countries (${codes.slice(0, 12).join(', ')}${codes.length > 12 ? ', ...' : ''})`);
      }
      rows.push({ timeUs, fileName, sizeBytes, publisher: -1, publisherCountry: publisherText });
      continue;
    }
    const publisher = Number(publisherText);
    const limit = options.publishers;
    if (!DIGITS.test(publisherText) || (limit !== undefined && publisher >= limit)) {
      const range = limit === undefined ? 'an integer of 0 or more' : `an integer from 0 to ${limit - 1}`;
      fail('publisher', `a publisher index (${range}) or a two-letter country code like "US"`);
    }
    rows.push({ timeUs, fileName, sizeBytes, publisher });
  }

  // Array.prototype.sort is stable, so rows at the same time keep their order in the file.
  rows.sort((a, b) => a.timeUs - b.timeUs);
  const fileIds = new Map<string, number>();
  const submissions: WorkloadSubmission[] = [];
  for (const row of rows) {
    let fileId = fileIds.get(row.fileName);
    if (fileId === undefined) {
      fileId = fileIds.size;
      fileIds.set(row.fileName, fileId);
    }
    const submission: WorkloadSubmission = row.publisherCountry === undefined
      ? { timeUs: row.timeUs, fileId, fileName: row.fileName, sizeBytes: row.sizeBytes, publisher: row.publisher }
      : { timeUs: row.timeUs, fileId, fileName: row.fileName, sizeBytes: row.sizeBytes, publisher: -1, publisherCountry: row.publisherCountry };
    submissions.push(submission);
  }
  return submissions;
}

function readHeader(header: CsvRecord, filePath: string): Record<TraceColumn, number> {
  const expected = `a header row with the columns ${TRACE_COLUMNS.join(',')}`;
  const positions: Partial<Record<TraceColumn, number>> = {};
  for (let i = 0; i < header.fields.length; i++) {
    const field = header.fields[i] as CsvField;
    const name = field.text as TraceColumn;
    if (!(TRACE_COLUMNS as readonly string[]).includes(name) || positions[name] !== undefined) {
      throw new WorkloadError({ file: filePath, line: header.line, column: field.column }, 'header', `column ${JSON.stringify(field.text)}`, expected);
    }
    positions[name] = i;
  }
  for (const name of TRACE_COLUMNS) {
    if (positions[name] === undefined) {
      throw new WorkloadError({ file: filePath, line: header.line }, 'header', `no column "${name}"`, expected);
    }
  }
  return positions as Record<TraceColumn, number>;
}

/** Replaces country-coded publishers by indices, e.g. the publisher site the topology placed in that country. */
export function mapPublisherCountries(
  submissions: readonly WorkloadSubmission[],
  publisherOfCountry: (countryCode: string) => number,
): WorkloadSubmission[] {
  return submissions.map((submission) => {
    if (submission.publisherCountry === undefined) return submission;
    return { ...submission, publisher: publisherOfCountry(submission.publisherCountry) };
  });
}
