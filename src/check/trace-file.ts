// Event traces stored beside baselines (DIR/<name>.trace): a little-endian uint32 count, the per-event
// fingerprints (uint32 each), then the event times (float64 each, microseconds).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from './atomic-file.js';
import { baselineFileName } from './baseline.js';
import type { TraceData } from './run-one.js';

function tracePath(dir: string, scenarioName: string): string {
  return join(dir, baselineFileName(scenarioName).replace(/\.json$/, '.trace'));
}

export function writeTrace(dir: string, scenarioName: string, trace: TraceData): string {
  mkdirSync(dir, { recursive: true });
  const count = trace.hashes.length;
  const buffer = Buffer.alloc(4 + 4 * count + 8 * count);
  buffer.writeUInt32LE(count, 0);
  for (let i = 0; i < count; i++) buffer.writeUInt32LE(trace.hashes[i] as number, 4 + 4 * i);
  for (let i = 0; i < count; i++) buffer.writeDoubleLE(trace.timesUs[i] as number, 4 + 4 * count + 8 * i);
  const finalPath = tracePath(dir, scenarioName);
  writeAtomically(finalPath, buffer);
  return finalPath;
}

/** The stored trace, or null when there is none or it is damaged. */
export function readTrace(dir: string, scenarioName: string): TraceData | null {
  const path = tracePath(dir, scenarioName);
  if (!existsSync(path)) return null;
  const buffer = readFileSync(path);
  if (buffer.length < 4) return null;
  const count = buffer.readUInt32LE(0);
  if (buffer.length !== 4 + 12 * count) return null;
  const hashes = new Uint32Array(count);
  const timesUs = new Float64Array(count);
  for (let i = 0; i < count; i++) hashes[i] = buffer.readUInt32LE(4 + 4 * i);
  for (let i = 0; i < count; i++) timesUs[i] = buffer.readDoubleLE(4 + 4 * count + 8 * i);
  return { hashes, timesUs };
}
