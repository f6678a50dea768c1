// Which summary.json paths a sweep can collect, known before anything runs: a RunSummary-shaped
// template (the compiler keeps it in step with the type) whose leaves are the valid metric paths.
import { SIZE_BUCKET_LABELS } from '../metrics/index.js';
import { leafMetricPaths, lookupMetric } from '../run/metric-path.js';
import type { RunSummary } from '../run/run.js';

const LATENCY = { meanS: 0, p50S: 0, p95S: 0, p99S: 0, maxS: 0 };
const BY_SIZE_ROW = { versions: 0, deliveries: 0, meanS: 0, p50S: 0, p95S: 0, p99S: 0 };

const SUMMARY_TEMPLATE: RunSummary = {
  scenario: '',
  seed: 0,
  simulatedS: 0,
  events: 0,
  topology: { countries: 0, isps: 0, edgeServers: 0, clusters: 0, storagePoints: 0, parentSites: 0 },
  submissions: { total: 0, accepted: 0, failed: 0, pending: 0 },
  acceptance: { ...LATENCY, within60sFraction: 0 },
  propagation: {
    ...LATENCY, deliveries: 0, expectedDeliveries: 0, undelivered: 0, p9995S: 0, within180sFraction: 0,
    unmatchedInstalls: 0, deliveriesBeforeAcceptance: 0, supersededOnAgreement: 0, supersededInstalls: 0,
  },
  bySize: Object.fromEntries(SIZE_BUCKET_LABELS.map((label) => [label, BY_SIZE_ROW])),
  invariants: { checks: 0, violations: 0, byInvariant: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, firstViolations: [] },
  caches: { edgeHitRatio: 0, parentHitRatio: 0 },
  spLoad: { requests: 0, bytes: 0 },
  fingerprint: '',
};

/** undefined when `metric` can be collected; otherwise what was expected instead (with a suggestion). */
export function metricProblem(metric: string): string | undefined {
  if (metric === 'wallS') return 'a simulated metric (wallS is wall time and differs from run to run)';
  const lookup = lookupMetric(SUMMARY_TEMPLATE, metric);
  if (!lookup.found) return `a summary.json path: ${lookup.message.replace(/^no metric "[^"]*" in the run summary; /, '')}`;
  const value = lookup.value;
  if (typeof value === 'object' && value !== null) {
    return `a path to one value, not a group (e.g. ${leafMetricPaths(value).slice(0, 2).map((leaf) => `${metric}.${leaf}`).join(', ')})`;
  }
  return undefined;
}
