// The workload module's public surface, and the one call the integrator makes per run.
import type { Rng } from '../kernel/random.js';
import type { Scenario } from '../scenario/types.js';
import { generatePaper48h } from './paper48h.js';
import { heaviestCountries } from '../network/countries.js';
import { readTraceFile, type TraceOptions } from './trace.js';
import type { WorkloadSubmission } from './types.js';

export type { WorkloadSubmission } from './types.js';
export { generatePaper48h, PAPER_SIZE_CLASSES, PAPER48H_DEFAULTS, type Paper48hOptions, type SizeClass } from './paper48h.js';
export { readTraceFile, parseTrace, mapPublisherCountries, TRACE_COLUMNS, type TraceOptions } from './trace.js';

/** What a scenario's trace rows must agree with: its publishers, its duration and its countries. */
export function traceOptionsOf(scenario: Scenario): TraceOptions {
  return {
    publishers: scenario.topology.publishers,
    durationUs: scenario.durationUs,
    countryCodes: heaviestCountries(scenario.topology.countries).map((country) => country.code),
  };
}

/**
 * The submissions of a scenario's workload, sorted by time. `rng` should be a stream of its own,
 * e.g. `streams.stream('workload')`; trace workloads do not draw from it.
 */
export function buildWorkload(scenario: Scenario, rng: Rng): WorkloadSubmission[] {
  const workload = scenario.workload;
  if (workload.kind === 'trace') {
    return readTraceFile(workload.filePath, traceOptionsOf(scenario));
  }
  return generatePaper48h(
    { submissions: workload.submissions, files: workload.files, durationUs: scenario.durationUs, publishers: scenario.topology.publishers },
    rng,
  );
}
