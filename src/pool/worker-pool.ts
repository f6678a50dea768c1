// The one worker-thread pool of acmsim (check, sweep, fuzz), over tinypool. It owns only scheduling:
// what a task does, and whether its results depend on the worker count, is the task module's business.
//
// API (stable; other commands build on it):
//
//   const task: PoolTask<In, Out> = {
//     moduleUrl: new URL('./my-task.js', import.meta.url), // compiled ES module run in each worker
//     exportName: 'runMyTask',                              // its export: (input: In) => Out | Promise<Out>
//     runInProcess: runMyTask,                              // the same function, imported normally
//   };
//   const outputs = await runAll(task, inputs, { workers: 4, onResult: (out, index) => ... });
//     // outputs[i] belongs to inputs[i]; onResult is called in completion order.
//   const pool = WorkerPool.open(task, { workers: 4 });     // or a long-lived pool:
//   const out = await pool.run(input, abortSignal?);        //   any number of concurrent runs, queued
//   await pool.close();                                     //   always close: workers keep the process alive
//   pool.threads                                            //   worker threads in use (0: in-process)
//
// - Inputs and outputs cross a thread boundary: plain data only (structured clone; no functions, no classes).
// - workers <= 1 (unless keepMainThreadFree), or a task module that is not compiled (a TypeScript test runner
//   sees only the .ts file), runs every input in the calling thread, one after another, through runInProcess.
// - A task that throws rejects its run() (and runAll, which then stops the pool). Tasks that should not
//   stop the others catch their own errors and return them as data.
// - To stop everything (Ctrl-C), close() the pool: runs in progress and queued are rejected. A signal per
//   run() stops that run only (and Node warns when more than 10 runs share one signal).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';

export interface PoolTask<In, Out> {
  /** The compiled ES module that worker threads load. */
  readonly moduleUrl: URL;
  /** The export of moduleUrl to call with each input. */
  readonly exportName: string;
  /** The same function, for the in-process path. */
  readonly runInProcess: (input: In) => Out | Promise<Out>;
}

export interface PoolOptions {
  /** Worker threads; 1 or fewer runs in the calling thread (unless keepMainThreadFree). */
  readonly workers: number;
  /**
   * Run even a single worker on a thread of its own, so the calling thread stays free to notice a signal
   * during one long task (check runs a 48-hour scenario as one task).
   */
  readonly keepMainThreadFree?: boolean;
}

export interface RunAllOptions<Out> extends PoolOptions {
  /** Called as each input finishes, in completion order (for a progress line). */
  readonly onResult?: (output: Out, index: number) => void;
}

/** Whether worker threads can run this task: its module must exist as compiled JavaScript. */
export function workersAvailable(task: PoolTask<unknown, unknown>): boolean {
  return existsSync(fileURLToPath(task.moduleUrl));
}

export class WorkerPool<In, Out> {
  /** In-process runs are chained so they happen one at a time, in submission order. */
  private inProcessTail: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly task: PoolTask<In, Out>,
    private readonly tinypool: Tinypool | null,
    /** Worker threads in use; 0 when everything runs in the calling thread. */
    readonly threads: number,
  ) {}

  static open<In, Out>(task: PoolTask<In, Out>, options: PoolOptions): WorkerPool<In, Out> {
    const threads = Math.floor(options.workers);
    const fewest = options.keepMainThreadFree === true ? 1 : 2;
    if (threads < fewest || !workersAvailable(task as PoolTask<unknown, unknown>)) return new WorkerPool(task, null, 0);
    const tinypool = new Tinypool({
      filename: task.moduleUrl.href,
      name: task.exportName,
      minThreads: threads,
      maxThreads: threads,
      // Workers are reused between inputs; a task must not keep state from one input to the next.
      isolateWorkers: false,
    });
    return new WorkerPool(task, tinypool, threads);
  }

  run(input: In, signal?: AbortSignal): Promise<Out> {
    if (this.tinypool !== null) return this.tinypool.run(input, signal === undefined ? {} : { signal }) as Promise<Out>;
    const result = this.inProcessTail.then(async () => {
      // Back to the event loop between inputs, so signals and output are handled while a long list runs.
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      if (this.closing !== null) throw new Error('the worker pool was closed before this input ran');
      return this.task.runInProcess(input);
    });
    this.inProcessTail = result.catch(() => undefined);
    return result;
  }

  /** Stops the worker threads (tasks still queued or running are rejected). Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.tinypool === null ? Promise.resolve() : this.tinypool.destroy();
    return this.closing;
  }
}

/** Runs every input; outputs in input order, whatever order they finished in. */
export async function runAll<In, Out>(task: PoolTask<In, Out>, inputs: readonly In[], options: RunAllOptions<Out>): Promise<Out[]> {
  const pool = WorkerPool.open(task, { ...options, workers: Math.min(options.workers, inputs.length) });
  try {
    return await Promise.all(inputs.map(async (input, index) => {
      const output = await pool.run(input);
      options.onResult?.(output, index);
      return output;
    }));
  } finally {
    await pool.close();
  }
}
