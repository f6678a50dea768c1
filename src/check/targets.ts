// Checks, before anything runs, that the paths `check` will write to can be written: a file path that is
// not a directory, a directory path that is not a file, each under a writable existing ancestor. Nothing is
// created here, so a refused check leaves nothing behind.
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The nearest existing ancestor must be a directory we may write into (missing folders are created later). */
function checkCreatableUnder(path: string): void {
  let folder = dirname(path);
  for (;;) {
    const stat = statOrUndefined(folder);
    if (stat !== undefined) {
      if (!stat.isDirectory()) throw new Error(`${folder} is not a directory`);
      try {
        accessSync(folder, constants.W_OK);
      } catch {
        throw new Error(`${folder} is not writable`);
      }
      return;
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no existing folder above ${path}`);
    folder = parent;
  }
}

/** A path that will receive a file: it is not a directory, and it can be created. */
export function checkFileTarget(path: string): void {
  const absolute = resolve(path);
  const stat = statOrUndefined(absolute);
  if (stat !== undefined && stat.isDirectory()) throw new Error(`${absolute} is a directory, expected the path of a file`);
  if (stat !== undefined) {
    try {
      accessSync(absolute, constants.W_OK);
    } catch {
      throw new Error(`${absolute} is not writable`);
    }
  }
  checkCreatableUnder(absolute);
}

/** A path that will receive files: it is a directory, or it can be created as one. */
export function checkDirectoryTarget(path: string): void {
  const absolute = resolve(path);
  const stat = statOrUndefined(absolute);
  if (stat !== undefined && !stat.isDirectory()) throw new Error(`${absolute} is a file, expected a directory`);
  if (stat !== undefined) {
    try {
      accessSync(absolute, constants.W_OK);
    } catch {
      throw new Error(`${absolute} is not writable`);
    }
    return;
  }
  checkCreatableUnder(absolute);
}
