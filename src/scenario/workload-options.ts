// A scenario's workload as the workload module's plain options: what its trace rows must agree with
// (its publishers, its duration, its countries), or the synthetic trace's sizes.
import { heaviestCountries } from '../network/countries.js';
import type { WorkloadOptions } from '../workload/index.js';
import type { Scenario } from './types.js';

export function workloadOptionsOf(scenario: Pick<Scenario, 'workload' | 'durationUs' | 'topology'>): WorkloadOptions {
  const workload = scenario.workload;
  if (workload.kind === 'trace') {
    return {
      kind: 'trace',
      filePath: workload.filePath,
      trace: {
        publishers: scenario.topology.publishers,
        durationUs: scenario.durationUs,
        countryCodes: heaviestCountries(scenario.topology.countries).map((country) => country.code),
      },
    };
  }
  return { kind: 'paper-48h', submissions: workload.submissions, files: workload.files, durationUs: scenario.durationUs, publishers: scenario.topology.publishers };
}
