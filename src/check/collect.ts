// Turns the paths given to `acmsim check` into a list of scenario files.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { CheckInputError } from './errors.js';

export const SCENARIO_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/**
 * Files are taken as given. A directory contributes its own *.yaml, *.yml and *.json files, sorted by
 * name (code-unit order), without descending into subdirectories: a suite can keep baselines, traces
 * or shared fragments in subfolders without them being run as scenarios. The result keeps the order
 * of the arguments; a file named twice is checked once.
 */
export function collectScenarioFiles(inputs: readonly string[]): string[] {
  if (inputs.length === 0) throw new CheckInputError('no scenario given: name scenario files or directories');
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    // The same file by another spelling (./x.yaml, a symlink) is the same file.
    const identity = realPathOf(file);
    if (seen.has(identity)) return;
    seen.add(identity);
    files.push(file);
  };
  for (const input of inputs) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(input).isDirectory();
    } catch {
      throw new CheckInputError(`${input}: no such file or directory`);
    }
    if (!isDirectory) {
      add(input);
      continue;
    }
    const names = readdirSync(input).filter((name) => SCENARIO_EXTENSIONS.includes(extname(name).toLowerCase())).sort();
    const scenarioNames = names.filter((name) => statSync(join(input, name)).isFile());
    if (scenarioNames.length === 0) {
      throw new CheckInputError(`${input}: the directory holds no scenario file (${SCENARIO_EXTENSIONS.join(', ')})`);
    }
    for (const name of scenarioNames) add(join(input, name));
  }
  return files;
}

function realPathOf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}
