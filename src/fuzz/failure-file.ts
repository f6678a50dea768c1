// The file a fuzz failure is handed over as: the (shrunk) case as a scenario YAML whose `expect`
// names every property, under a comment saying what fails and the one command that replays it.
import { stringify } from 'yaml';
import { toRawScenario } from './fuzz-case.js';
import type { FuzzFailure } from './fuzz.js';
import { CRASH_PROPERTY, DETERMINISM_PROPERTY, PROPERTIES } from './properties.js';

export function failureFileName(failure: FuzzFailure): string {
  return `${failure.property}-${failure.caseSeed}.yaml`;
}

/** The one command that replays a failure file (relative to where fuzz was run). */
export function replayCommand(filePath: string, property: string): string {
  return property === DETERMINISM_PROPERTY
    ? `npx acmsim run ${filePath} --out a && npx acmsim run ${filePath} --out b  # then compare a/ and b/ summary.json fingerprints`
    : `npx acmsim run ${filePath}`;
}

function replayOutcome(property: string): string {
  if (property === DETERMINISM_PROPERTY) return 'Two runs of the same file should write the same fingerprint.';
  if (property === CRASH_PROPERTY) return 'It stops with an internal error (exit 70) and its stack trace.';
  return 'It exits 1 and names the failed expectation; the expect list below is every property fuzz checks.';
}

const comment = (text: string): string => text.split('\n').map((line) => `# ${line}`.trimEnd()).join('\n');

export function failureFileText(failure: FuzzFailure, filePath: string, fuzzSeed: number): string {
  const scenario = failure.shrink?.smallest ?? failure.original;
  const title = PROPERTIES.find((property) => property.id === failure.property)?.title ?? failure.property;
  const original = failure.original;
  const shape = (c: typeof original): string =>
    `${c.faults.length} faults, ${c.topology.edgeServers} edge servers, ${c.topology.storagePoints} SPs, ${c.workload.submissions} submissions, ${c.durationS} s`;
  const how = failure.shrink === undefined
    ? `Not shrunk (only the first failures of each property are): ${shape(original)}.`
    : `Shrunk in ${failure.shrink.steps} steps (${failure.shrink.runs} runs${failure.shrink.budgetExhausted ? ', budget exhausted' : ''}) from ${shape(original)} to ${shape(scenario)}.`;
  const header = [
    `acmsim fuzz failure: ${failure.property} (${title})`,
    `Found by \`acmsim fuzz --seed ${fuzzSeed}\`, run ${failure.index}, case seed ${failure.caseSeed}. ${how}`,
    '',
    'What fails:',
    ...(failure.shrink?.detail ?? failure.detail).split('\n').map((line) => `  ${line}`),
    '',
    `Replay: ${replayCommand(filePath, failure.property)}`,
    replayOutcome(failure.property),
  ].join('\n');
  return `${comment(header)}\n${stringify(toRawScenario(scenario))}`;
}
