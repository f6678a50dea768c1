// The one error type of scenario loading, and the format every message shares:
// "<file>: <field path>: got <given>, expected <expected>", so a person can fix the file without reading code.
import { LocatedInputError } from '../input/located-error.js';

export { displayPath, type ErrorLocation } from '../input/located-error.js';

/** Any problem with a scenario (or a file it names): the CLI turns it into one line and exit code 2. */
export class ScenarioError extends LocatedInputError {
  override name = 'ScenarioError';
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
