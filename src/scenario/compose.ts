// Builds one raw scenario tree from a file and its `extends` chain: parents first, then each
// child deep-merged over them (maps merge key by key, lists and scalars replace, null removes).
import * as path from 'node:path';
import { ScenarioError } from './errors.js';
import { Origins, childPath } from './origins.js';
import { isRawMap, parseScenarioText, readText, type RawMap } from './read.js';

export interface ComposedScenario {
  readonly data: RawMap;
  readonly origins: Origins;
}

/** Reads `filePath` (absolute) with everything it extends, recording which file wrote what. */
export function composeScenario(filePath: string): ComposedScenario {
  const origins = new Origins(filePath);
  const data: RawMap = {};
  applyFile(filePath, [], data, origins);
  return { data, origins };
}

function applyFile(filePath: string, chain: readonly string[], data: RawMap, origins: Origins): void {
  const document = parseScenarioText(readText(filePath), filePath);
  const parentReference = document['extends'];
  if (parentReference !== undefined && parentReference !== null) {
    if (typeof parentReference !== 'string' || parentReference.trim() === '') {
      throw new ScenarioError({ file: filePath }, 'extends', JSON.stringify(parentReference), 'a path to another scenario file, relative to this one');
    }
    const parentPath = path.resolve(path.dirname(filePath), parentReference);
    const nextChain = [...chain, filePath];
    if (nextChain.includes(parentPath)) {
      const cycle = [...nextChain.slice(nextChain.indexOf(parentPath)), parentPath].map((p) => path.basename(p)).join(' -> ');
      throw new ScenarioError({ file: filePath }, 'extends', JSON.stringify(parentReference), `a file that does not extend this one in turn (cycle: ${cycle})`);
    }
    // Reading the parent here (not in applyFile) lets a missing parent be reported at this file's `extends`.
    readText(parentPath, { location: { file: filePath }, fieldPath: 'extends', given: parentReference });
    applyFile(parentPath, nextChain, data, origins);
    // A scenario's name is its own: a child that says nothing is named after its file, not its parent.
    delete data['name'];
    origins.forget('name');
  }
  const own: RawMap = { ...document };
  delete own['extends'];
  mergeInto(data, own, '', filePath, origins);
}

/** Deep merge of `source` over `target`, in place. */
export function mergeInto(target: RawMap, source: RawMap, prefix: string, file: string, origins: Origins): void {
  for (const key of Object.keys(source)) {
    const fieldPath = childPath(prefix, key);
    const value = source[key];
    if (value === null || value === undefined) {
      // An explicit null resets an inherited value to its default.
      delete target[key];
      origins.forget(fieldPath);
      continue;
    }
    if (isRawMap(value)) {
      let existing = target[key];
      if (!isRawMap(existing)) {
        existing = {};
        target[key] = existing;
        origins.wrote(fieldPath, file);
      }
      mergeInto(existing as RawMap, value, fieldPath, file, origins);
      continue;
    }
    target[key] = structuredClone(value);
    origins.wrote(fieldPath, file);
  }
}
