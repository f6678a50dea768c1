// Writes small scenario files into a fresh temporary folder for each test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function scenarioFolder(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'acmsim-scenario-'));
  for (const [name, text] of Object.entries(files)) {
    const filePath = path.join(folder, name);
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    fs.writeFileSync(filePath, text);
  }
  return folder;
}

/** Runs `action`, which must throw, and returns the error. */
export function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, but none was thrown');
}
