// Fault targets: a selector names a set of nodes (by SP index, ISP, country, continent, cluster,
// address, or a seeded random fraction) and resolves to a per-node mask. Bad values throw SelectorError.
import type { Rng } from '../kernel/random.js';
import { CONTINENTS } from './countries.js';
import type { NodeKind, Topology } from './topology.js';

export type FractionUnit = 'edge-servers' | 'clusters';

export type Selector =
  | { readonly sps: readonly number[] }
  | { readonly isps: readonly number[] }
  | { readonly countries: readonly string[] }
  | { readonly continents: readonly string[] }
  | { readonly clusters: readonly number[] }
  | { readonly addresses: readonly number[] }
  /** A seeded random fraction of edge servers or of whole clusters (cache and servers). */
  | { readonly fraction: number; readonly of?: FractionUnit };

/** A selector names something that does not exist. The scenario loader reports the message as is. */
export class SelectorError extends Error {
  override name = 'SelectorError';
  constructor(
    message: string,
    /** The offending value (a code, an index, a key). */
    readonly value: unknown,
  ) {
    super(message);
  }
}

const SELECTOR_KEYS = ['sps', 'isps', 'countries', 'continents', 'clusters', 'addresses', 'fraction'] as const;

/**
 * Resolves a selector to a mask over node addresses (1 = selected). `rng` is needed only for
 * `fraction`; `defaultUnit` says what a fraction counts when the selector does not say.
 */
export function resolveSelector(topology: Topology, selector: Selector, rng?: Rng, defaultUnit: FractionUnit = 'clusters'): Uint8Array {
  const record = selector as unknown as Record<string, unknown>;
  if (record === null || typeof record !== 'object') throw new SelectorError('a fault target must be an object', selector);
  const keys = Object.keys(record).filter((key) => key !== 'of');
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) {
    throw new SelectorError(`a fault target needs exactly one of ${SELECTOR_KEYS.join(', ')}; got {${Object.keys(record).join(', ')}}`, selector);
  }
  const mask = new Uint8Array(topology.nodeCount);
  switch (key) {
    case 'sps':
      for (const i of integerList(record.sps, key, topology.storagePointCount)) mask[topology.spAddress(i)] = 1;
      return mask;
    case 'addresses':
      for (const a of integerList(record.addresses, key, topology.nodeCount)) mask[a] = 1;
      return mask;
    case 'isps': {
      const chosen = new Uint8Array(topology.ispCount);
      for (const i of integerList(record.isps, key, topology.ispCount)) chosen[i] = 1;
      markWhere(mask, topology.nodeIsp, chosen);
      return mask;
    }
    case 'countries': {
      const chosen = new Uint8Array(topology.countryCount);
      for (const code of stringList(record.countries, key)) {
        const index = topology.countryIndex(code);
        if (index < 0) throw new SelectorError(`unknown country code '${code}' (not one of the topology's ${topology.countryCount} countries)`, code);
        chosen[index] = 1;
      }
      markWhere(mask, topology.nodeCountry, chosen);
      return mask;
    }
    case 'continents': {
      const chosen = new Uint8Array(CONTINENTS.length);
      for (const code of stringList(record.continents, key)) {
        const index = topology.continentIndex(code);
        if (index < 0) throw new SelectorError(`unknown continent code '${code}' (expected one of ${CONTINENTS.join(', ')})`, code);
        chosen[index] = 1;
      }
      markWhere(mask, topology.nodeContinent, chosen);
      return mask;
    }
    case 'clusters':
      for (const c of integerList(record.clusters, key, topology.clusterCount)) markCluster(topology, mask, c);
      return mask;
    case 'fraction':
      return resolveFraction(topology, record, rng, defaultUnit, mask);
    default:
      throw new SelectorError(`unknown fault target key '${key}' (expected one of ${SELECTOR_KEYS.join(', ')})`, key);
  }
}

/** A short text for the faults timeline, e.g. "countries=MY" or "fraction=0.1 of clusters". */
export function describeSelector(selector: Selector): string {
  const record = selector as unknown as Record<string, unknown>;
  if ('fraction' in record) return `fraction=${String(record.fraction)} of ${String(record.of ?? 'default')}`;
  const parts: string[] = [];
  for (const key of Object.keys(record)) {
    const value = record[key];
    parts.push(`${key}=${Array.isArray(value) ? value.join('+') : String(value)}`);
  }
  return parts.join(' ');
}

function markWhere(mask: Uint8Array, nodeValue: Uint8Array | Int32Array, chosen: Uint8Array): void {
  for (let a = 0; a < mask.length; a++) {
    if (chosen[nodeValue[a] as number] === 1) mask[a] = 1;
  }
}

function markCluster(topology: Topology, mask: Uint8Array, c: number): void {
  mask[topology.clusterCacheAddress(c)] = 1;
  const first = topology.firstEdgeServerAddressOfCluster(c);
  mask.fill(1, first, first + topology.edgeServerCountOfCluster(c));
}

/** Exactly round(fraction * n) units, by selection sampling (Knuth's Algorithm S): one pass, no extra arrays. */
function resolveFraction(topology: Topology, record: Record<string, unknown>, rng: Rng | undefined, defaultUnit: FractionUnit, mask: Uint8Array): Uint8Array {
  const fraction = record.fraction;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction <= 1)) {
    throw new SelectorError(`fraction must be a number in (0, 1], got ${String(fraction)}`, fraction);
  }
  const unit = record.of ?? defaultUnit;
  if (unit !== 'edge-servers' && unit !== 'clusters') {
    throw new SelectorError(`fraction 'of' must be 'edge-servers' or 'clusters', got '${String(unit)}'`, unit);
  }
  if (rng === undefined) throw new Error('a fraction selector needs a random stream');
  const population = unit === 'clusters' ? topology.clusterCount : topology.edgeServerCount;
  let needed = Math.round(fraction * population);
  for (let i = 0; i < population && needed > 0; i++) {
    if (rng() * (population - i) < needed) {
      if (unit === 'clusters') markCluster(topology, mask, i);
      else mask[topology.edgeServerAddress(i)] = 1;
      needed--;
    }
  }
  return mask;
}

function integerList(value: unknown, key: string, count: number): number[] {
  if (!Array.isArray(value) || value.length === 0) throw new SelectorError(`'${key}' must be a non-empty list`, value);
  for (const item of value) {
    if (!Number.isInteger(item) || (item as number) < 0 || (item as number) >= count) {
      throw new SelectorError(`unknown ${key} index ${String(item)} (valid: 0 to ${count - 1})`, item);
    }
  }
  return value as number[];
}

function stringList(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new SelectorError(`'${key}' must be a non-empty list`, value);
  for (const item of value) {
    if (typeof item !== 'string') throw new SelectorError(`'${key}' entries must be codes, got ${String(item)}`, item);
  }
  return value as string[];
}

/** Keeps only nodes of the given kinds in a mask (in place). */
export function keepKinds(topology: Topology, mask: Uint8Array, kinds: readonly NodeKind[]): Uint8Array {
  const allowed = new Uint8Array(5);
  for (const kind of kinds) allowed[kind] = 1;
  for (let a = 0; a < mask.length; a++) {
    if (mask[a] === 1 && allowed[topology.nodeKind[a] as number] !== 1) mask[a] = 0;
  }
  return mask;
}
