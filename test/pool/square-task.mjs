// A tiny pool task for the pool tests: squares a number after a delay that makes later inputs finish first.
import { threadId } from 'node:worker_threads';

export async function square(input) {
  if (input.fail) throw new Error(`input ${input.value} asked to fail`);
  await new Promise((resolve) => setTimeout(resolve, input.delayMs));
  return { value: input.value * input.value, threadId };
}
