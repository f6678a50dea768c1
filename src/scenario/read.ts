// Reads one scenario document (YAML, or JSON by extension) into plain data, turning file-system
// and syntax problems into ScenarioErrors that name the file and, for syntax, the line.
import * as fs from 'node:fs';
import { parseDocument, YAMLParseError } from 'yaml';
import { ScenarioError, type ErrorLocation } from './errors.js';

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
    return fs.readFileSync(filePath, 'utf8');
  } catch (error) {
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
  if (data === null || data === undefined) return {};
  if (!isRawMap(data)) {
    throw new ScenarioError({ file: filePath }, '', describeTop(data), 'a map of scenario keys at the top level');
  }
  return data;
}

function describeTop(data: unknown): string {
  return Array.isArray(data) ? 'a list' : JSON.stringify(data);
}

function parseYaml(text: string, filePath: string): unknown {
  // uniqueKeys: a key written twice is almost always a mistake, and YAML would silently keep one.
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = document.errors[0];
  if (first !== undefined) throw yamlError(first, filePath);
  return document.toJS({ maxAliasCount: 100 });
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
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message.replace(/\s+/g, ' ');
    throw new ScenarioError(locateJsonError(text, message, filePath), '', `a JSON syntax error (${message})`, 'valid JSON');
  }
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
