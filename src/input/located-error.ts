// The one format of every message about a user's input file, shared by the scenario loader and the
// workload's trace reader: "<file>[:line[:column]]: <field path>: got <given>, expected <expected>".
import * as path from 'node:path';

/** Where an error points: the file, and optionally a line and column in it (1-based). */
export interface ErrorLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** A file path as a person would type it: relative to the working directory when it lies below it. */
export function displayPath(filePath: string): string {
  const relative = path.relative(process.cwd(), filePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return filePath;
  return relative;
}

export function formatLocatedMessage(location: ErrorLocation, fieldPath: string, given: string, expected: string): string {
  let where = displayPath(location.file);
  if (location.line !== undefined) where += `:${location.line}`;
  if (location.column !== undefined) where += `:${location.column}`;
  const field = fieldPath === '' ? '' : ` ${fieldPath}:`;
  const got = given === '' ? '' : ` got ${given},`;
  return `${where}:${field}${got} expected ${expected}`;
}

/** An error about input, located and worded for the person who wrote the file. */
export class LocatedInputError extends Error {
  constructor(
    readonly location: ErrorLocation,
    /** Field path such as `faults[2].target.countries[0]`; empty when the error is about the whole file. */
    readonly fieldPath: string,
    /** The offending value, already formatted for display. */
    readonly given: string,
    readonly expected: string,
  ) {
    super(formatLocatedMessage(location, fieldPath, given, expected));
  }
}
