// The network model's public surface: topology, latency, messages and transfers, faults.
export { CONTINENTS, COUNTRY_TABLE, heaviestCountries, continentIndex, type Country, type ContinentCode } from './countries.js';
export { Topology, NodeKind, NODE_KIND_NAMES, DEFAULT_TOPOLOGY_PARAMS, type TopologyParams } from './topology.js';
export { buildTopology } from './topology-builder.js';
export { LatencyModel, DEFAULT_LATENCY_PARAMS, type LatencyParams } from './latency.js';
export { LinkStreams } from './link-streams.js';
export { DEFAULT_TRANSFER_PARAMS, type TransferParams } from './transfer-model.js';
export { Network, type NetworkOptions, type NetworkCounters } from './transfers.js';
export { FaultState, type PartitionDirection } from './fault-state.js';
export {
  FaultSchedule,
  FaultSpecError,
  FAULT_KINDS,
  FAULT_TIMELINE_COLUMNS,
  type FaultKind,
  type FaultSpec,
  type FaultTiming,
  type FaultTimelineRow,
  type FaultScheduleOptions,
  type NodeChangeListener,
} from './faults.js';
export { SelectorError, resolveSelector, describeSelector, type Selector, type FractionUnit } from './selectors.js';
