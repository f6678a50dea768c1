// JSON text for the output files: a stable key order, 2-space indent and a trailing newline, so two
// runs that compute the same values write the same bytes.

export interface StableJsonOptions {
  /**
   * 'sorted' (default) orders every object's keys by code unit, so the text does not depend on how the
   * object was built; 'insertion' keeps the order the keys were added in (deterministic code gives a
   * stable order too, and it lets a summary put `scenario` first). In both, JavaScript itself puts
   * integer-like keys ("0", "17") first in ascending order.
   */
  readonly keyOrder?: 'sorted' | 'insertion';
}

/**
 * JSON text of `value`. NaN and ±Infinity become null, as in JSON.stringify (an empty histogram's
 * percentiles are NaN and read as "no data"). Objects with a toJSON method are serialised through it.
 */
export function stableJson(value: unknown, options: StableJsonOptions = {}): string {
  const sorted = (options.keyOrder ?? 'sorted') === 'sorted';
  const replacer = sorted ? sortKeysReplacer : undefined;
  return JSON.stringify(value, replacer, 2) + '\n';
}

function sortKeysReplacer(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source).sort();
  const ordered: Record<string, unknown> = {};
  for (const key of keys) ordered[key] = source[key];
  return ordered;
}
