// The worker pool: outputs in input order whatever the completion order, on worker threads and in-process,
// and a throwing task rejects instead of hanging.
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { runAll, WorkerPool, workersAvailable, type PoolTask } from '../../src/pool/index.js';
// @ts-expect-error: a plain JavaScript module without types, loaded as it is by the worker threads
import { square } from './square-task.mjs';

interface In { readonly value: number; readonly delayMs: number; readonly fail?: boolean }
interface Out { readonly value: number; readonly threadId: number }

const TASK: PoolTask<In, Out> = {
  moduleUrl: new URL('./square-task.mjs', import.meta.url),
  exportName: 'square',
  runInProcess: square as (input: In) => Promise<Out>,
};

// Earlier inputs sleep longer, so on two threads they finish after later ones.
const INPUTS: In[] = [1, 2, 3, 4, 5, 6].map((value) => ({ value, delayMs: (7 - value) * 15 }));

describe('runAll', () => {
  it('returns outputs in input order on two worker threads, and calls onResult as each finishes', async () => {
    expect(workersAvailable(TASK as PoolTask<unknown, unknown>)).toBe(true);
    const finished: number[] = [];
    const outputs = await runAll(TASK, INPUTS, { workers: 2, onResult: (_out, index) => finished.push(index) });
    expect(outputs.map((out) => out.value)).toEqual([1, 4, 9, 16, 25, 36]);
    expect(new Set(outputs.map((out) => out.threadId)).size).toBe(2);
    expect(outputs.every((out) => out.threadId !== threadId)).toBe(true);
    expect([...finished].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(finished).not.toEqual([0, 1, 2, 3, 4, 5]); // completion order, not input order
  });

  it('runs in the calling thread, in order, with one worker', async () => {
    const finished: number[] = [];
    const outputs = await runAll(TASK, INPUTS, { workers: 1, onResult: (_out, index) => finished.push(index) });
    expect(outputs.map((out) => out.value)).toEqual([1, 4, 9, 16, 25, 36]);
    expect(outputs.every((out) => out.threadId === threadId)).toBe(true);
    expect(finished).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects when a task throws, on threads and in-process', async () => {
    const inputs = [...INPUTS, { value: 7, delayMs: 0, fail: true }];
    await expect(runAll(TASK, inputs, { workers: 2 })).rejects.toThrow('input 7 asked to fail');
    await expect(runAll(TASK, inputs, { workers: 1 })).rejects.toThrow('input 7 asked to fail');
  });
});

describe('WorkerPool', () => {
  it('serves concurrent runs from a long-lived pool until closed', async () => {
    const pool = WorkerPool.open(TASK, { workers: 2 });
    expect(pool.threads).toBe(2);
    try {
      const outputs = await Promise.all(INPUTS.map((input) => pool.run(input)));
      expect(outputs.map((out) => out.value)).toEqual([1, 4, 9, 16, 25, 36]);
    } finally {
      await pool.close();
    }
  });
});
