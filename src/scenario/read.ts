// Reads one scenario document (YAML, or JSON by extension) into plain data, turning file-system
// and syntax problems into ScenarioErrors that name the file and, for syntax, the line.
import * as fs from 'node:fs';
import { parseDocument, YAMLParseError } from 'yaml';
import { ScenarioError, truncateForMessage, type ErrorLocation } from './errors.js';
import { childPath } from './origins.js';

/**
 * A scenario is a few kilobytes; a larger file is the wrong file (a trace, a log, a binary), and YAML of
 * this size already takes seconds to parse.
 */
const MAX_SCENARIO_BYTES = 256 * 1024;

export type RawMap = { [key: string]: unknown };

export function isRawMap(value: unknown): value is RawMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the text of a file. `referencedBy` says which field of which file named it, so that a
 * missing `extends` or trace file is reported where the reference is written.
 */
export function readText(filePath: string, referencedBy?: { location: ErrorLocation; fieldPath: string; given: string }): string {
  try {
    const stat = fs.statSync(filePath);
    // A device or a pipe (/dev/zero, /dev/stdin) could be read forever.
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: stat.isDirectory() ? 'EISDIR' : 'not a regular file' });
    const sizeBytes = stat.size;
    if (sizeBytes > MAX_SCENARIO_BYTES) {
      throw new ScenarioError({ file: filePath }, '', `a file of ${sizeBytes} bytes`, `a scenario file of at most ${MAX_SCENARIO_BYTES / 1024} KiB`);
    }
    return fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    const expected = `an existing, readable file (${filePath}: ${reason})`;
    if (referencedBy !== undefined) {
      throw new ScenarioError(referencedBy.location, referencedBy.fieldPath, JSON.stringify(referencedBy.given), expected);
    }
    throw new ScenarioError({ file: filePath }, '', '', expected);
  }
}

/** Parses a scenario document; the top level must be a map. */
export function parseScenarioText(text: string, filePath: string): RawMap {
  const data = filePath.toLowerCase().endsWith('.json') ? parseJson(text, filePath) : parseYaml(text, filePath);
  if (data === null || data === undefined) {
    // An empty file would otherwise run every default: the whole 48-hour replay, almost surely not what was meant.
    throw new ScenarioError({ file: filePath }, '', 'an empty document (nothing but blanks or comments)', 'a map of scenario keys at the top level');
  }
  if (!isRawMap(data)) {
    throw new ScenarioError({ file: filePath }, '', describeTop(data), 'a map of scenario keys at the top level');
  }
  checkTree(data, '', 0, { file: filePath });
  return data;
}

/** A scenario is at most this deep (faults[0].target.countries[0] is 4); deeper is hostile or broken input. */
export const MAX_NESTING_DEPTH = 16;
/** Keys that would reach Object.prototype through a plain object's accessors: never keys of a scenario. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * Refuses keys that could pollute prototypes and nesting deeper than any scenario needs, before any
 * code walks the tree recursively (merging, cloning, freezing). Iterative depth bound: no stack overflow.
 */
export function checkTree(value: unknown, fieldPath: string, depth: number, location: ErrorLocation): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_NESTING_DEPTH) {
    throw new ScenarioError(location, fieldPath, `maps or lists nested more than ${MAX_NESTING_DEPTH} levels deep`, 'a scenario (its deepest field is 4 levels down)');
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkTree(value[i], childPath(fieldPath, i), depth + 1, location);
    return;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.includes(key)) {
      throw new ScenarioError(location, childPath(fieldPath, key), `the key ${JSON.stringify(key)}`, `a scenario key (${FORBIDDEN_KEYS.join(', ')} are never keys of a scenario)`);
    }
    checkTree((value as RawMap)[key], childPath(fieldPath, key), depth + 1, location);
  }
}

function describeTop(data: unknown): string {
  return Array.isArray(data) ? 'a list' : truncateForMessage(JSON.stringify(data));
}

function parseYaml(text: string, filePath: string): unknown {
  // uniqueKeys: a key written twice is almost always a mistake, and YAML would silently keep one.
  let document;
  try {
    document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(filePath, {});
    throw error;
  }
  const first = document.errors[0];
  // The parser turns its own stack overflow on absurd nesting into an "error" of the document.
  if (first !== undefined && /call stack/i.test(first.message)) throw tooDeep(filePath, first.linePos?.[0] ?? {});
  if (first !== undefined) throw yamlError(first, filePath);
  try {
    // A few aliases are handy (&defaults / *defaults); thousands are an alias bomb (billion laughs).
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScenarioError({ file: filePath }, '', `a document that cannot be expanded (${truncateForMessage(reason)})`, 'YAML with at most 100 alias expansions');
  }
}

function tooDeep(filePath: string, position: { line?: number; col?: number }): ScenarioError {
  const location: ErrorLocation = position.line === undefined ? { file: filePath } : { file: filePath, line: position.line };
  return new ScenarioError(location, '', `maps or lists nested too deeply to parse`, `a scenario (nested at most ${MAX_NESTING_DEPTH} levels deep)`);
}

function yamlError(error: YAMLParseError, filePath: string): ScenarioError {
  const position = error.linePos?.[0];
  // prettyErrors appends " at line L, column C:" and a code excerpt; the location goes in front instead.
  const firstLine = error.message.split('\n')[0] ?? error.message;
  const reason = firstLine.replace(/ at line \d+, column \d+:?$/, '');
  const location: ErrorLocation = position === undefined
    ? { file: filePath }
    : { file: filePath, line: position.line, column: position.col };
  return new ScenarioError(location, '', `a YAML syntax error (${reason})`, 'valid YAML');
}

function parseJson(text: string, filePath: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (error) {
    const message = truncateForMessage((error as Error).message.replace(/\s+/g, ' '));
    throw new ScenarioError(locateJsonError(text, message, filePath), '', `a JSON syntax error (${message})`, 'valid JSON');
  }
  // JSON.parse keeps the last of two equal keys without a word; YAML (of which JSON is a subset) finds them.
  // The tree is checked first, so that the YAML parser never sees hostile nesting.
  if (isRawMap(data) || Array.isArray(data)) {
    checkTree(data, '', 0, { file: filePath });
    const duplicate = parseDocument(text, { prettyErrors: true, uniqueKeys: true }).errors.find((error) => error.code === 'DUPLICATE_KEY');
    if (duplicate !== undefined) {
      const position = duplicate.linePos?.[0];
      const location: ErrorLocation = position === undefined ? { file: filePath } : { file: filePath, line: position.line, column: position.col };
      throw new ScenarioError(location, '', 'a key written twice in one object', 'each key once (JSON would silently keep the last)');
    }
  }
  return data;
}

/**
 * Node's JSON.parse gives an offset for some errors only. Without one, the YAML parser (JSON is
 * YAML 1.2) often finds the same problem and knows its line; failing that, only the file is named.
 */
function locateJsonError(text: string, message: string, filePath: string): ErrorLocation {
  const match = /position (\d+)/.exec(message);
  if (match !== null) {
    const offset = Number(match[1]);
    const before = text.slice(0, offset);
    return { file: filePath, line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
  }
  const position = parseDocument(text, { prettyErrors: true }).errors[0]?.linePos?.[0];
  return position === undefined ? { file: filePath } : { file: filePath, line: position.line, column: position.col };
}
