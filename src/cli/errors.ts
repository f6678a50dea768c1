// Turns bad input into a one-paragraph message and exit code 2, with no stack trace. A file-system
// failure (a full disk, a read-only or unwritable path) is said in one line naming the path, also exit 2.
// Anything else is a bug in acmsim: it is reported with its stack and exit code 70 (EX_SOFTWARE).
import { ScenarioError } from '../scenario/index.js';
import { OutputDirError } from '../metrics/index.js';
import { CheckInputError } from '../check/errors.js';
import { ReportInputError } from '../report/errors.js';
import { WorkloadError } from '../workload/index.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function isInputError(error: unknown): error is Error {
  return error instanceof ScenarioError || error instanceof OutputDirError || error instanceof UsageError || error instanceof CheckInputError
    || error instanceof WorkloadError || error instanceof ReportInputError;
}

/** System error codes that describe the machine's state, not a bug: said plainly, without a stack. */
const SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  EISDIR: 'is a directory',
  ENOTDIR: 'a path component is not a directory',
  ENOENT: 'no such file or directory',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENAMETOOLONG: 'file name too long',
};

/** "cannot write results/x/summary.json: no space left on device (ENOSPC)", or undefined for other errors. */
export function systemErrorMessage(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, path, syscall } = error as { code?: unknown; path?: unknown; syscall?: unknown };
  if (typeof code !== 'string') return undefined;
  const text = SYSTEM_ERRORS[code];
  if (text === undefined) return undefined;
  const where = typeof path === 'string' ? ` ${path}` : '';
  const verb = syscall === 'open' || syscall === 'read' || syscall === 'scandir' || syscall === 'stat' ? 'cannot use' : 'cannot write';
  return `${verb}${where}: ${text} (${code})`;
}

export function reportAndExit(error: unknown): never {
  if (isInputError(error)) {
    process.stderr.write(`acmsim: ${error.message}\n`);
    process.exit(2);
  }
  const systemMessage = systemErrorMessage(error);
  if (systemMessage !== undefined) {
    process.stderr.write(`acmsim: ${systemMessage}\n`);
    process.exit(2);
  }
  process.stderr.write(`acmsim: internal error (please report it with the command that caused it)\n`);
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(70);
}
