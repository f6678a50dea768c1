// Messages of the delivery path (Receiver <-> HTTP cache <-> parent cache <-> Storage Point). Readers speak
// the same HTTP-like messages the SPs answer (frontend-messages.ts), plus a local failure notice.
import type {
  FileGetMessage, FileResponseMessage, IndexGetMessage, IndexNotModifiedMessage, IndexResponseMessage,
} from './frontend-messages.js';

export type {
  FileGetMessage, FileResponseMessage, IndexGetMessage, IndexNotModifiedMessage, IndexResponseMessage,
} from './frontend-messages.js';

/**
 * A request that got no usable answer: the upstream timed out on every candidate, the name did not
 * resolve (DNS failure) or the cache was down. The requester retries on its next poll.
 */
export interface RequestFailedMessage {
  readonly type: 'requestFailed';
  readonly requestId: number;
  /** For file requests, which version failed (so a receiver can retry it); -1 for the index. */
  readonly fileId: number;
  readonly versionKey: number;
}

/**
 * design.delivery: push. "The index changed": from an SP to the parent sites, from a parent to its cluster caches,
 * from a cluster cache to its Receivers. seq numbers a sender's notifications (its network draws are keyed by it).
 */
export interface NotifyMessage {
  readonly type: 'notify';
  readonly seq: number;
}

export type DeliveryMessage =
  | NotifyMessage
  | IndexGetMessage
  | IndexNotModifiedMessage
  | IndexResponseMessage
  | FileGetMessage
  | FileResponseMessage
  | RequestFailedMessage;

/** Observations a Receiver reports: an installed version is a delivery. */
export interface DeliveryObservation {
  readonly type: 'installed';
  readonly fileId: number;
  readonly versionKey: number;
  /** The version this one replaces (-Infinity for the first): versions in between were skipped as superseded. */
  readonly previousKey: number;
  readonly sizeBytes: number;
}

/** Sizes of the small HTTP messages on the wire (request line + headers), an assumption. */
export const HTTP_REQUEST_BYTES = 400;
export const HTTP_NOT_MODIFIED_BYTES = 250;
/** Root index body: a header plus one line (sub-index id and last-modified time) per sub-index: 64 sub-indexes make 1,224 bytes, one packet. */
export const INDEX_HEADER_BYTES = 200;
export const INDEX_LINE_BYTES = 16;

/**
 * A cache's root index answer body: a header and one line per sub-index (64 by default), capped at the number of files
 * while the index is small. The sub-indexes themselves are fetched by version-unique name and are folded into the file
 * downloads (a simplification: their bytes are small next to the files they list).
 */
export function indexAnswerSizeBytes(view: { readonly length: number }): number {
  return INDEX_HEADER_BYTES + INDEX_LINE_BYTES * Math.min(view.length, 64);
}

/**
 * Empties a reused outputs array. For the one to three records a machine emits, pop() stays on V8's
 * fast path where assigning length = 0 calls into the runtime (3% of the replay's time when profiled).
 */
export function clearOutputs(outputs: unknown[]): void {
  while (outputs.length !== 0) outputs.pop();
}
