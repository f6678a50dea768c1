// The workload module's public surface, and the one call the integrator makes per run. It takes plain
// options (not a scenario) and reports bad traces with errors of its own (WorkloadError).
import type { Rng } from '../kernel/random.js';
import { generatePaper48h } from './paper48h.js';
import { readTraceFile, type TraceOptions } from './trace.js';
import type { WorkloadSubmission } from './types.js';

export type { WorkloadSubmission } from './types.js';
export { WorkloadError } from './errors.js';
export { generatePaper48h, PAPER_SIZE_CLASSES, PAPER48H_DEFAULTS, type Paper48hOptions, type SizeClass } from './paper48h.js';
export { readTraceFile, parseTrace, mapPublisherCountries, TRACE_COLUMNS, type TraceOptions } from './trace.js';

/** What a run's workload is: the synthetic paper-48h trace, or a CSV trace checked against the run. */
export type WorkloadOptions =
  | { readonly kind: 'paper-48h'; readonly submissions: number; readonly files: number; readonly durationUs: number; readonly publishers: number }
  | { readonly kind: 'trace'; readonly filePath: string; readonly trace: TraceOptions };

/**
 * The submissions of a workload, sorted by time. `rng` should be a stream of its own,
 * e.g. `streams.stream('workload')`; trace workloads do not draw from it.
 */
export function buildWorkload(options: WorkloadOptions, rng: Rng): WorkloadSubmission[] {
  if (options.kind === 'trace') return readTraceFile(options.filePath, options.trace);
  return generatePaper48h(
    { submissions: options.submissions, files: options.files, durationUs: options.durationUs, publishers: options.publishers },
    rng,
  );
}
