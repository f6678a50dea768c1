// The one error type of scenario loading, and the format every message shares:
// "<file>: <field path>: got <given>, expected <expected>", so a person can fix the file without reading code.
import * as path from 'node:path';

/** Where an error points: the file, and optionally a line and column in it (1-based). */
export interface ErrorLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';

  constructor(
    readonly location: ErrorLocation,
    /** Field path such as `faults[2].target.countries[0]`; empty when the error is about the whole file. */
    readonly fieldPath: string,
    /** The offending value, already formatted for display (see describeValue). */
    readonly given: string,
    readonly expected: string,
  ) {
    super(formatMessage(location, fieldPath, given, expected));
  }
}

/** A file path as a person would type it: relative to the working directory when it lies below it. */
export function displayPath(filePath: string): string {
  const relative = path.relative(process.cwd(), filePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return filePath;
  return relative;
}

function formatMessage(location: ErrorLocation, fieldPath: string, given: string, expected: string): string {
  let where = displayPath(location.file);
  if (location.line !== undefined) where += `:${location.line}`;
  if (location.column !== undefined) where += `:${location.column}`;
  const field = fieldPath === '' ? '' : ` ${fieldPath}:`;
  const got = given === '' ? '' : ` got ${given},`;
  return `${where}:${field}${got} expected ${expected}`;
}

/** Renders a parsed value for an error message: strings quoted, maps and lists abbreviated. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return truncateForMessage(JSON.stringify(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'a map';
  return typeof value;
}

/**
 * Builds (does not throw) a ScenarioError against a loaded scenario, for checks that only the
 * integrator can make, e.g. a country code that the generated topology does not contain:
 * `throw scenarioError(scenario, 'faults[0].target.countries[1]', 'ZZ', 'one of the topology\'s 60 countries')`.
 */
export function scenarioError(
  scenario: { readonly sourcePath: string },
  fieldPath: string,
  given: unknown,
  expected: string,
): ScenarioError {
  return new ScenarioError({ file: scenario.sourcePath }, fieldPath, describeValue(given), expected);
}

/** A value quoted in a message is cut to this many characters: a garbage file must not be echoed whole. */
const MESSAGE_VALUE_CHARS = 80;

export function truncateForMessage(text: string): string {
  if (text.length <= MESSAGE_VALUE_CHARS) return text;
  return `${text.slice(0, MESSAGE_VALUE_CHARS)}... (${text.length} characters)`;
}
