// Atomic output directories: files are written into a temporary sibling, which is renamed to the final
// path only on commit, so an interrupted or failed run never leaves a half-written results directory.
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CsvWriter, type CsvWriterOptions } from './csv-writer.js';
import { stableJson, type StableJsonOptions } from './json.js';

/**
 * Every directory this module creates holds this file. An existing final directory is only replaced if
 * it holds the marker (a previous acmsim run) or is empty, so `--out ~` can never delete a home directory.
 */
export const OUTPUT_MARKER_FILE = '.acmsim-output';
const MARKER_TEXT = 'Written by acmsim. The next run writing to this path replaces this directory whole.\n';

/** A problem with the output path (unwritable parent, a file in the way, ...). The CLI maps it to exit code 2. */
export class OutputDirError extends Error {
  constructor(
    message: string,
    /** The path the problem is about. */
    readonly path: string,
    /** The system error code (EACCES, ENOTDIR, EROFS, ...) when there was one. */
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'OutputDirError';
  }
}

export type OutputDirState = 'open' | 'committed' | 'aborted';

export class OutputDir {
  private readonly openWriters: CsvWriter[] = [];
  private currentState: OutputDirState = 'open';

  private constructor(
    /** Absolute path the directory gets on commit. */
    readonly finalPath: string,
    /** Absolute path of the temporary directory the files are written into until commit. */
    readonly tempPath: string,
  ) {}

  /**
   * Creates `<final>.tmp-<pid>` next to the final path (creating missing parents). The pid keeps two
   * simultaneous runs apart; it appears only in this temporary name, never in the outputs. Checks up
   * front that the final path could be replaced, so a doomed run fails before it simulates anything.
   */
  static create(finalPath: string): OutputDir {
    const final = resolve(finalPath);
    const parent = dirname(final);
    if (parent === final) throw new OutputDirError(`cannot use ${final} as an output directory`, final, undefined);
    checkReplaceable(final);
    try {
      mkdirSync(parent, { recursive: true });
    } catch (error) {
      throw wrap(error, `cannot create output directory ${final}: its parent ${parent} cannot be created`, parent);
    }
    const temp = `${final}.tmp-${process.pid}`;
    try {
      rmSync(temp, { recursive: true, force: true }); // a leftover of an earlier process with the same pid
      mkdirSync(temp);
      writeFileSync(join(temp, OUTPUT_MARKER_FILE), MARKER_TEXT);
    } catch (error) {
      throw wrap(error, `cannot create output directory ${final}: its parent ${parent} is not writable`, parent);
    }
    return new OutputDir(final, temp);
  }

  get state(): OutputDirState {
    return this.currentState;
  }

  /** Where a file called `name` (a plain file name, no directories) goes inside the temporary directory. */
  filePath(name: string): string {
    this.assertOpen();
    if (name.length === 0 || name === '.' || name === '..' || basename(name) !== name) {
      throw new Error(`output file name must be a plain file name, got ${JSON.stringify(name)}`);
    }
    return join(this.tempPath, name);
  }

  /** Writes `name` as stable JSON (see json.ts: sorted keys by default, 2-space indent, trailing newline). */
  writeJson(name: string, value: unknown, options: StableJsonOptions = {}): void {
    writeFileSync(this.filePath(name), stableJson(value, options));
  }

  writeText(name: string, text: string): void {
    writeFileSync(this.filePath(name), text);
  }

  /** Opens a CSV inside the directory; commit() closes it if the caller has not. */
  openCsv(name: string, header: readonly string[], options: CsvWriterOptions = {}): CsvWriter {
    const writer = CsvWriter.open(this.filePath(name), header, options);
    this.openWriters.push(writer);
    return writer;
  }

  /**
   * Closes any open CSV, then renames the temporary directory to the final path. A previous output at
   * the final path is first renamed aside and deleted only after the new one is in place, so at every
   * moment the final path holds either the old complete output or the new one (or, between the two
   * renames, nothing), never a mixture.
   */
  commit(): void {
    this.assertOpen();
    for (const writer of this.openWriters) writer.close();
    const final = this.finalPath;
    checkReplaceable(final);
    const aside = `${final}.old-${process.pid}`;
    const hadPrevious = statIfPresent(final) !== undefined;
    try {
      if (hadPrevious) {
        rmSync(aside, { recursive: true, force: true });
        renameSync(final, aside);
      }
      renameSync(this.tempPath, final);
    } catch (error) {
      if (hadPrevious && statIfPresent(final) === undefined) {
        renameSync(aside, final); // put the previous output back rather than lose it
      }
      throw wrap(error, `cannot move the finished output into ${final}`, final);
    }
    this.currentState = 'committed';
    if (hadPrevious) rmSync(aside, { recursive: true, force: true });
  }

  /**
   * Closes open CSVs without flushing and deletes the temporary directory; the final path is untouched.
   * Best effort and silent: it runs on error paths, where a second error would hide the first.
   * Does nothing after commit or a previous abort.
   */
  abort(): void {
    if (this.currentState !== 'open') return;
    this.currentState = 'aborted';
    for (const writer of this.openWriters) {
      try {
        writer.discard();
      } catch {
        // keep going: the directory is deleted below anyway
      }
    }
    try {
      rmSync(this.tempPath, { recursive: true, force: true });
    } catch {
      // nothing more can be done; the name `<final>.tmp-<pid>` marks it as debris
    }
  }

  private assertOpen(): void {
    if (this.currentState !== 'open') {
      throw new Error(`output directory ${this.finalPath} is already ${this.currentState}`);
    }
  }
}

/** Throws unless `final` is absent, an empty directory, or a directory holding the acmsim marker. */
function checkReplaceable(final: string): void {
  const stat = statIfPresent(final);
  if (stat === undefined) return;
  if (!stat.isDirectory()) {
    throw new OutputDirError(`cannot write output directory ${final}: a file that is not a directory is in the way`, final, 'EEXIST');
  }
  let entries: string[];
  try {
    entries = readdirSync(final);
  } catch (error) {
    throw wrap(error, `cannot replace output directory ${final}: it cannot be read`, final);
  }
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER_FILE)) {
    throw new OutputDirError(
      `refusing to replace ${final}: it is not empty and was not written by acmsim (no ${OUTPUT_MARKER_FILE}); remove it or choose another output path`,
      final,
      'ENOTEMPTY',
    );
  }
}

/**
 * lstat, or undefined when nothing is at the path. A file standing where a parent directory should be
 * (ENOTDIR) also means nothing can be there; creating the parent then fails with a clear message.
 */
function statIfPresent(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOTDIR') return undefined;
    throw wrap(error, `cannot inspect output path ${path}`, path);
  }
}

function wrap(error: unknown, message: string, path: string): OutputDirError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  return new OutputDirError(`${message} (${detail})`, path, code); // Node's message already starts with the code
}
