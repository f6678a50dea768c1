// Signals that end a run or a check early. The handler only records which signal came; the work loop
// looks at it between bounded batches of events (see run-command.ts), cleans up, and exits 128 + its number.
import { constants } from 'node:os';

export const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/** The shell's convention: 128 + the signal's number (SIGINT 130, SIGTERM 143, SIGHUP 129, SIGQUIT 131). */
export function exitCodeOf(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

export class SignalWatch {
  private received: NodeJS.Signals | null = null;
  private readonly listener = (signal: NodeJS.Signals): void => {
    this.received ??= signal;
  };

  constructor() {
    for (const signal of HANDLED_SIGNALS) process.on(signal, this.listener);
  }

  /** The first signal received, or null. */
  get signal(): NodeJS.Signals | null {
    return this.received;
  }

  dispose(): void {
    for (const signal of HANDLED_SIGNALS) process.removeListener(signal, this.listener);
  }
}

/** Lets pending signal handlers run (they run only between turns of the event loop). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
