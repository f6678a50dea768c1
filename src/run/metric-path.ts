// Resolves a dotted metric path ("propagation.p99S", "bySize.10-100 MB.p95S") against a run summary.
// Keys may themselves contain dots or spaces, so each step takes the longest key that matches.
import { closestMatch } from '../scenario/suggest.js';

export type MetricLookup =
  | { readonly found: true; readonly value: unknown }
  | { readonly found: false; readonly message: string };

/**
 * The value at `metricPath` in `root`. At each object the remaining path is matched against the
 * longest key that equals a whole number of its dot-separated segments, so a by-size label such as
 * "100 KB-1 MB" (or a future key holding a dot) resolves without quoting.
 */
export function lookupMetric(root: unknown, metricPath: string): MetricLookup {
  const segments = metricPath.split('.');
  let current: unknown = root;
  let start = 0;
  while (start < segments.length) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) {
      return notFound(root, metricPath, undefined, segments.slice(0, start).join('.'));
    }
    const object = current as Record<string, unknown>;
    let matchedEnd = -1;
    // Longest first: "a.b" beats "a" when both are keys.
    for (let end = segments.length; end > start; end--) {
      const key = segments.slice(start, end).join('.');
      if (Object.prototype.hasOwnProperty.call(object, key)) {
        matchedEnd = end;
        current = object[key];
        break;
      }
    }
    if (matchedEnd < 0) return notFound(root, metricPath, object, segments.slice(0, start).join('.'));
    start = matchedEnd;
  }
  return { found: true, value: current };
}

/** Every path to a leaf (number, string, boolean or null) in `root`, in the object's key order. */
export function leafMetricPaths(root: unknown): string[] {
  const paths: string[] = [];
  collectLeaves(root, '', paths);
  return paths;
}

function collectLeaves(value: unknown, prefix: string, out: string[]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of Object.keys(value)) {
      collectLeaves((value as Record<string, unknown>)[key], prefix === '' ? key : `${prefix}.${key}`, out);
    }
    return;
  }
  // Arrays (e.g. invariants.firstViolations) are not metrics; they are skipped as suggestions.
  if (!Array.isArray(value) && prefix !== '') out.push(prefix);
}

function notFound(root: unknown, metricPath: string, deepest: Record<string, unknown> | undefined, resolvedPrefix: string): MetricLookup {
  const suggestion = closestMatch(metricPath, leafMetricPaths(root));
  if (suggestion !== undefined) return { found: false, message: `no metric "${metricPath}" in the run summary; did you mean "${suggestion}"?` };
  // No plausible typo: say what exists where the path stopped matching.
  const where = resolvedPrefix === '' ? 'at the top level' : `under "${resolvedPrefix}"`;
  const keys = deepest === undefined ? [] : Object.keys(deepest);
  const known = keys.length === 0 ? `"${resolvedPrefix}" is not a group of metrics` : `known ${where}: ${keys.join(', ')}`;
  return { found: false, message: `no metric "${metricPath}" in the run summary; ${known}` };
}
