// Test-only mutants of the protocol, injected into a built World (never selectable from a scenario file):
// each replaces behaviour on machine instances after construction, so the machines' files stay untouched.
import type { StoragePointParams } from '../../src/acms/frontend-params.js';
import type { FrontendMessage } from '../../src/acms/frontend-messages.js';
import type { World } from '../../src/world/world.js';

export interface Mutant {
  readonly name: string;
  readonly description: string;
  /** The property the fuzzer should catch it with. */
  readonly property: string;
  /** Runs of fuzz seed 7 within which it is caught (the first catch, measured, with some room). */
  readonly catchWithinRuns: number;
  readonly inject: (world: World) => void;
}

type Handle = (nowUs: number, input: unknown) => unknown;

/** An SP that accepts on its own stored copy and its own bit alone: the quorum check is skipped. */
export const ACCEPT_ON_OWN_BIT: Mutant = {
  name: 'accept-on-own-bit',
  description: 'every SP needs only its own copy and bit (quorum check skipped)',
  property: 'invariant-1',
  catchWithinRuns: 5, // measured: run 1
  inject: (world) => {
    for (const sp of world.storagePoints) {
      (sp as unknown as { params: StoragePointParams }).params = { ...sp.params, quorum: 1 };
    }
  },
};

/**
 * Index merging with an off-by-one in paging: every merge response's first entry is skipped while the
 * watermark still moves past it, so an agreement an SP missed can be skipped for good.
 */
export const MERGE_SKIPS_FIRST_ENTRY: Mutant = {
  name: 'merge-skips-first-entry',
  description: 'a merge response\'s first entry is never learned (paging off by one)',
  property: 'liveness-storage-points',
  catchWithinRuns: 100, // measured: run 42 (it needs an SP to miss an agreement that it can then only merge)
  inject: (world) => {
    for (const sp of world.storagePoints) {
      const handle = sp.handle.bind(sp) as Handle;
      (sp as unknown as { handle: Handle }).handle = (nowUs, input) => {
        const message = (input as { type: string; message?: FrontendMessage }).message;
        if ((input as { type: string }).type === 'receive' && message?.type === 'mergeResponse' && message.entries.length > 0) {
          const skipped = { ...message, startLength: message.startLength + 1, entries: message.entries.slice(1) };
          return handle(nowUs, { ...(input as object), message: skipped });
        }
        return handle(nowUs, input);
      };
    }
  },
};

/**
 * A receiver whose index walk stops one file short: the highest file id is never installed. The default
 * cluster engine keeps Receivers in typed arrays, so the mutant sits where either host reports an install
 * (World's metrics): an install of that file never happens as far as the run can tell.
 */
export const RECEIVER_SKIPS_LAST_FILE: Mutant = {
  name: 'receiver-skips-last-file',
  description: 'receivers never install the highest-numbered file (index walk off by one)',
  property: 'liveness-receivers',
  catchWithinRuns: 5, // measured: run 1
  inject: (world) => {
    const lastFileId = world.config.fileCount - 1;
    const metrics = world.metrics;
    const recordInstall = metrics.recordInstall.bind(metrics);
    metrics.recordInstall = (installUs, edgeServerIndex, fileId, versionKey, previousKey) => {
      if (fileId !== lastFileId) recordInstall(installUs, edgeServerIndex, fileId, versionKey, previousKey);
    };
  },
};

export const MUTANTS: readonly Mutant[] = [ACCEPT_ON_OWN_BIT, MERGE_SKIPS_FIRST_ENTRY, RECEIVER_SKIPS_LAST_FILE];
