// Writes a report's files into an existing directory (`acmsim report <dir>`), each one atomically: a
// temporary sibling renamed over the old file, so a reader never sees half a page. A file in the way
// that acmsim did not write is left alone and reported. In a run's output directory the new names join
// the marker's list, so the next run there may replace them (it never deletes a file it did not write).
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addOutputFiles, listedOutputFiles } from '../metrics/index.js';
import { ReportInputError } from './errors.js';
import { GENERATOR } from './html.js';

/** True when acmsim may replace `name` in `dir`: absent, listed in the directory's marker, or a report page or chart acmsim drew. */
function mayReplace(dir: string, name: string, listed: readonly string[] | null): boolean {
  const path = join(dir, name);
  if (!existsSync(path) || listed?.includes(name) === true) return true;
  const head = readFileSync(path, 'utf8').slice(0, 4096);
  return name.endsWith('.html') ? head.includes(`<meta name="generator" content="${GENERATOR}">`) : /^<svg [^>]*class="marks"/.test(head);
}

export function writeReportFiles(dir: string, files: ReadonlyMap<string, string>): void {
  const listed = listedOutputFiles(dir);
  const refused = [...files.keys()].filter((name) => !mayReplace(dir, name, listed));
  if (refused.length > 0) {
    throw new ReportInputError(`refusing to replace ${refused.map((name) => join(dir, name)).join(', ')}: not written by acmsim; move it away or draw the report elsewhere`);
  }
  for (const [name, text] of files) {
    const temp = join(dir, `.${name}.tmp-${process.pid}`);
    try {
      writeFileSync(temp, text);
      renameSync(temp, join(dir, name));
    } catch (error) {
      rmSync(temp, { force: true });
      throw new ReportInputError(`cannot write ${join(dir, name)} (${(error as Error).message})`);
    }
  }
  addOutputFiles(dir, [...files.keys()]);
}
