// Runs scenario jobs on a pool of worker threads (one scenario at a time per worker), or in-process.
// Each scenario is independent and deterministic, so the results do not depend on the worker count.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runJob, type RunJob, type RunJobResult } from './run-one.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * Whether worker threads can be used: they need the compiled worker.js next to this file. Under a
 * TypeScript test runner only worker.ts exists, and the jobs run in-process instead.
 */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

export interface PoolOptions {
  /** Worker threads to use; without a compiled worker every job runs in this thread, in order. */
  readonly workers: number;
  /** Called as each job finishes, in completion order (for a progress line). */
  readonly onResult?: (result: RunJobResult) => void;
}

/** Results in job order, whatever order they finished in. */
export async function runJobs(jobs: readonly RunJob[], options: PoolOptions): Promise<RunJobResult[]> {
  const workerCount = Math.min(options.workers, jobs.length);
  // Even one job runs on a worker thread when it can: the main thread then stays free to notice a signal.
  if (workerCount < 1 || !workersAvailable()) {
    const results: RunJobResult[] = [];
    for (const job of jobs) {
      // Between scenarios, let a pending signal's handler run.
      await new Promise((resolve) => setImmediate(resolve));
      const result = runJob(job);
      options.onResult?.(result);
      results.push(result);
    }
    return results;
  }
  return runOnWorkers(jobs, workerCount, options.onResult);
}

function runOnWorkers(jobs: readonly RunJob[], workerCount: number, onResult?: (result: RunJobResult) => void): Promise<RunJobResult[]> {
  return new Promise((resolve, reject) => {
    const results: (RunJobResult | undefined)[] = new Array<RunJobResult | undefined>(jobs.length).fill(undefined);
    const workers: Worker[] = [];
    let next = 0;
    let finished = 0;
    let settled = false;

    const stopAll = (): void => {
      for (const worker of workers) void worker.terminate();
    };
    const feed = (worker: Worker): void => {
      const job = jobs[next];
      if (job === undefined) return;
      next++;
      worker.postMessage(job);
    };

    for (let w = 0; w < workerCount; w++) {
      const worker = new Worker(WORKER_URL);
      workers.push(worker);
      worker.on('message', (result: RunJobResult) => {
        results[result.index] = result;
        finished++;
        onResult?.(result);
        if (finished === jobs.length) {
          settled = true;
          stopAll();
          resolve(results as RunJobResult[]);
        } else {
          feed(worker);
        }
      });
      // A worker that dies outside runJob (out of memory, a crash in Node) ends the whole check.
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        stopAll();
        reject(error);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`a check worker exited (code ${code}) before every scenario had run`)));
      feed(worker);
    }
  });
}
