// Atomic output directories: files are written into a temporary sibling, which is renamed to the final
// path only on commit, so an interrupted or failed run never leaves a half-written results directory.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CsvWriter, type CsvWriterOptions } from './csv-writer.js';
import { stableJson, type StableJsonOptions } from './json.js';

/**
 * Every directory this module creates holds this file. An existing final directory is only replaced if
 * it holds the marker (a previous acmsim run) or is empty, so `--out ~` can never delete a home directory.
 */
export const OUTPUT_MARKER_FILE = '.acmsim-output';
const MARKER_HEADER = 'Written by acmsim. A run writing to this path again replaces it whole if it holds only these files:';
/**
 * What runs before the file list was kept wrote: a directory with the old marker and only these names is
 * still acmsim's own and can be replaced.
 */
const LEGACY_OUTPUT_NAMES: readonly string[] = ['summary.json', 'submissions.csv', 'propagation.csv', 'by-size.csv', 'sp-load.csv', 'faults.csv'];

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
  /** Every file name written, listed in the marker at commit: the files a later run may replace. */
  private readonly written = new Set<string>();
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
      writeFileSync(join(temp, OUTPUT_MARKER_FILE), `${MARKER_HEADER}\n`);
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
    this.written.add(name);
    return join(this.tempPath, name);
  }

  /** Writes `name` as stable JSON (see json.ts: sorted keys by default, 2-space indent, trailing newline). */
  writeJson(name: string, value: unknown, options: StableJsonOptions = {}): void {
    this.writeText(name, stableJson(value, options));
  }

  writeText(name: string, text: string): void {
    const filePath = this.filePath(name);
    try {
      writeFileSync(filePath, text);
    } catch (error) {
      throw wrap(error, `cannot write ${filePath}`, filePath);
    }
  }

  /** Opens a CSV inside the directory; commit() closes it if the caller has not. */
  openCsv(name: string, header: readonly string[], options: CsvWriterOptions = {}): CsvWriter {
    const filePath = this.filePath(name);
    let writer: CsvWriter;
    try {
      writer = CsvWriter.open(filePath, header, options);
    } catch (error) {
      throw wrap(error, `cannot write ${filePath}`, filePath);
    }
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
    try {
      for (const writer of this.openWriters) writer.close();
      writeFileSync(join(this.tempPath, OUTPUT_MARKER_FILE), `${MARKER_HEADER}\n${[...this.written].sort().join('\n')}\n`);
    } catch (error) {
      const filePath = typeof error === 'object' && error !== null && 'path' in error ? String((error as { path: unknown }).path) : this.tempPath;
      throw wrap(error, `cannot write ${filePath}`, filePath);
    }
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

/**
 * Throws unless `final` is absent, an empty directory, or a directory acmsim wrote that holds only the
 * files its marker lists. A file someone added there (notes, a plot) is never deleted: the run is
 * refused, naming that file, before it simulates anything (and again at commit, in case it appeared meanwhile).
 */
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
  if (entries.length === 0) return;
  if (!entries.includes(OUTPUT_MARKER_FILE)) {
    throw new OutputDirError(
      `refusing to replace ${final}: it is not empty and was not written by acmsim (no ${OUTPUT_MARKER_FILE}); remove it or choose another output path`,
      final,
      'ENOTEMPTY',
    );
  }
  const ours = new Set(markedFiles(join(final, OUTPUT_MARKER_FILE)));
  const foreign = entries.filter((name) => name !== OUTPUT_MARKER_FILE && !ours.has(name)).sort();
  if (foreign.length > 0) {
    const more = foreign.length > 1 ? ` (and ${foreign.length - 1} more)` : '';
    throw new OutputDirError(
      `refusing to replace ${final}: it holds ${join(final, foreign[0] as string)}${more}, which acmsim did not write; ` +
      'move it elsewhere or choose another output path (acmsim never deletes files it did not write)',
      final,
      'ENOTEMPTY',
    );
  }
}

/**
 * For a committed output directory: the file names its marker lists (the files a later run may replace), or
 * null when `dir` holds no marker.
 */
export function listedOutputFiles(dir: string): readonly string[] | null {
  const marker = join(dir, OUTPUT_MARKER_FILE);
  return existsSync(marker) ? markedFiles(marker) : null;
}

/**
 * Adds `names` to the marker of the committed output directory `dir` (files written there afterwards, such as a
 * report drawn again by `acmsim report`), so that the next run may replace them; rewritten atomically.
 */
export function addOutputFiles(dir: string, names: readonly string[]): void {
  const listed = listedOutputFiles(dir);
  if (listed === null) return;
  const marker = join(dir, OUTPUT_MARKER_FILE);
  const temp = `${marker}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, `${MARKER_HEADER}\n${[...new Set([...listed, ...names])].sort().join('\n')}\n`);
    renameSync(temp, marker);
  } catch (error) {
    rmSync(temp, { force: true });
    throw wrap(error, `cannot update ${marker}`, marker);
  }
}

/** The file names a marker lists (after its first line); a marker from before the list was kept lists the standard outputs. */
function markedFiles(markerPath: string): readonly string[] {
  let text: string;
  try {
    text = readFileSync(markerPath, 'utf8');
  } catch (error) {
    throw wrap(error, `cannot read ${markerPath}`, markerPath);
  }
  const lines = text.split('\n');
  if (lines[0] !== MARKER_HEADER) return LEGACY_OUTPUT_NAMES;
  return lines.slice(1).filter((line) => line !== '');
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
