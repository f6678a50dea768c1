// Turns bad input into a one-paragraph message and exit code 2, with no stack trace. Anything else
// is a bug in acmsim: it is reported with its stack and exit code 70 (EX_SOFTWARE).
import { ScenarioError } from '../scenario/index.js';
import { OutputDirError } from '../metrics/index.js';
import { ReportInputError } from '../report/errors.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function isInputError(error: unknown): error is Error {
  return error instanceof ScenarioError || error instanceof OutputDirError || error instanceof UsageError || error instanceof ReportInputError;
}

export function reportAndExit(error: unknown): never {
  if (isInputError(error)) {
    process.stderr.write(`acmsim: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`acmsim: internal error (please report it with the command that caused it)\n`);
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(70);
}
