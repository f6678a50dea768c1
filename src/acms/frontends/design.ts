// The front-end designs a run can choose (scenario key design.frontend) and the port every one of them offers
// the host: a pure machine per Storage Point address, speaking the Storage Point's messages and observations.
import type { Machine } from '../../kernel/machine.js';
import type { StoragePointCommand, StoragePointObservation } from '../frontend-messages.js';
import type { StoragePointParams } from '../frontend-params.js';
import type { Snapshot } from '../snapshot.js';
import type { FrontEndWireMessage } from './messages.js';

/** quorum: ACMS's Storage Points (the paper); primary-backup and single: what-if designs under the same faults. */
export const FRONTEND_DESIGNS = ['quorum', 'primary-backup', 'single'] as const;
export type FrontendDesign = (typeof FRONTEND_DESIGNS)[number];

/** The Storage Point that a single front end stores on, and the first primary of primary-backup. */
export const FIRST_SP_INDEX = 0;

/** What the host needs of a front-end node, whatever the design. */
export interface FrontEndNode extends Machine<FrontEndWireMessage, StoragePointCommand, StoragePointObservation> {
  readonly index: number;
  readonly params: StoragePointParams;
  /** What the node serves to readers now (liveness checks read it after a run). */
  readonly snapshot: Snapshot;
}
