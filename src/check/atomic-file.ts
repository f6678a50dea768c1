// The one way `check` writes a file (baseline, trace, JUnit XML): whole or not at all.
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes a file atomically: a temporary name in the same directory, then a rename. A failed write (a full
 * disk) removes the temporary file before the error goes on, so no exit path leaves `<file>.tmp-<pid>`.
 */
export function writeAtomically(finalPath: string, data: string | Uint8Array): void {
  const tempPath = `${finalPath}.tmp-${process.pid}`;
  try {
    writeFileSync(tempPath, data);
    renameSync(tempPath, finalPath);
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw error;
  }
}
