// Writes small scenario files into a fresh temporary folder for each test, removed when the test file is done.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Registered when a test file first imports this module (vitest loads it once per file): that file's folders go.
afterAll(() => {
  for (const folder of made.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

export function scenarioFolder(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'acmsim-scenario-'));
  made.push(folder);
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
