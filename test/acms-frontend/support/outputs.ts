// Helpers for unit tests that feed machines directly: pick sends, timers and observations out of outputs.
import type { MachineOutput } from '../../../src/kernel/index.js';

type AnyOutput = MachineOutput<{ readonly type: string }, { readonly type: string }>;

export function sendsOf<M extends { readonly type: string }>(outputs: readonly MachineOutput<M, unknown>[], type: M['type']) {
  const found: { to: number; message: M; sizeBytes: number }[] = [];
  for (const output of outputs) {
    if (output.type === 'send' && output.message.type === type) found.push({ to: output.to, message: output.message, sizeBytes: output.sizeBytes });
  }
  return found;
}

export function observationsOf<O extends { readonly type: string }>(outputs: readonly MachineOutput<unknown, O>[], type: O['type']): O[] {
  const found: O[] = [];
  for (const output of outputs) if (output.type === 'observe' && output.observation.type === type) found.push(output.observation);
  return found;
}

export function timersSet(outputs: readonly AnyOutput[] | readonly MachineOutput<unknown, unknown>[]): { timer: string; atUs: number }[] {
  const found: { timer: string; atUs: number }[] = [];
  for (const output of outputs as readonly MachineOutput<unknown, unknown>[]) if (output.type === 'setTimer') found.push({ timer: output.timer, atUs: output.atUs });
  return found;
}
