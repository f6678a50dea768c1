// The scenario module's public surface.
export { loadScenario } from './load.js';
export { parseDuration, formatDuration, DURATION_FORMS } from './duration.js';
export { ScenarioError, scenarioError, describeValue, displayPath, type ErrorLocation } from './errors.js';
export { closestMatch, editDistance } from './suggest.js';
export * from './types.js';
export * from './defaults.js';
export { checkFaultTargets, toNetworkFault, toNetworkSelector } from './network-adapter.js';
export { workloadOptionsOf } from './workload-options.js';
