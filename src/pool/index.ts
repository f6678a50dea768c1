// The pool module's public surface (see worker-pool.ts for the API and its rules).
export { runAll, workersAvailable, WorkerPool, type PoolOptions, type PoolTask, type RunAllOptions } from './worker-pool.js';
