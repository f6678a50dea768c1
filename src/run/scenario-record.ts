// scenario.json: the scenario as it ran (every default filled in, every --set applied) and the network
// model's parameters in effect, so a report can list the assumed values beside the results it explains.
import path from 'node:path';
import { secondsFromUs } from '../metrics/index.js';
import { DEFAULT_LATENCY_PARAMS } from '../network/latency.js';
import { DEFAULT_TRANSFER_PARAMS } from '../network/transfer-model.js';
import type { Scenario } from '../scenario/index.js';
import { DEFAULT_CACHE_FORWARDING } from '../scenario/defaults.js';

/**
 * Durations become seconds (`pollIntervalUs: 30000000` -> `pollIntervalS: 30`) for a reader; paths keep only
 * their file name, so the bytes do not depend on where the checkout is. `network` lists every scalar
 * parameter of the network model, the scenario's overrides applied; its names stay those `--set` takes.
 */
export function scenarioRecord(scenario: Scenario): Record<string, unknown> {
  // design is written only when it is not the default, so that every run of the quorum design keeps the
  // scenario.json it had before design existed (byte for byte).
  const { sourcePath, network, cacheForwarding, workload, design, ...rest } = scenario;
  const networkInEffect: Record<string, number> = {};
  for (const [key, value] of Object.entries({ ...DEFAULT_LATENCY_PARAMS, ...DEFAULT_TRANSFER_PARAMS })) {
    if (typeof value === 'number') networkInEffect[key] = value;
  }
  return {
    ...(inSeconds(rest) as Record<string, unknown>),
    file: path.basename(sourcePath),
    workload: workload.kind === 'trace' ? { kind: 'trace', file: path.basename(workload.filePath) } : workload,
    // Written only when not the default (cut-through), like design.
    network: { ...networkInEffect, ...network, ...(cacheForwarding === DEFAULT_CACHE_FORWARDING ? {} : { cacheForwarding }) },
    ...(design.frontend === 'quorum' && design.delivery === 'cached' ? {} : { design: inSeconds(design) }),
  };
}

function inSeconds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inSeconds);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.endsWith('Us') && typeof item === 'number') result[`${key.slice(0, -2)}S`] = secondsFromUs(item);
    else if (key.endsWith('Us') && typeof item === 'object' && item !== null) result[key.slice(0, -2)] = inSeconds(item); // its fields carry the unit
    else result[key] = inSeconds(item);
  }
  return result;
}
