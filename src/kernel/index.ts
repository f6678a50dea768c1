// The kernel's public surface.
export { Simulator, type RunOptions, type RunOutcome, type EventTarget } from './simulator.js';
export { SchedulingError } from './errors.js';
export { RandomStreams, type Rng } from './random.js';
export * from './distributions.js';
export type { Address, Machine, MachineInput, MachineOutput } from './machine.js';
export { MachineHost, type Link, type Liveness } from './host.js';
export { EventTrace, firstDivergence } from './trace.js';
