// Messages, commands and observations of the ACMS front end: publisher <-> Storage Point (submission),
// SP <-> SP (replication, Vector Exchange, index merging) and reader <-> SP (the delivery path).
import type { SnapshotView } from './snapshot.js';
import type { VersionId } from './version.js';

/** One agreement as kept in an SP's persistent agreement log and sent in merge responses. */
export interface AgreementRecord {
  readonly version: VersionId;
  readonly sizeBytes: number;
}

// ---- publisher <-> SP -------------------------------------------------------------------------

/** A publisher uploads a file; the send's sizeBytes is the file size. attempt lets it drop stale answers. */
export interface SubmitMessage {
  readonly type: 'submit';
  readonly submissionId: number;
  readonly attempt: number;
  readonly fileId: number;
  readonly fileName: string;
  readonly sizeBytes: number;
}

export interface SubmitAcceptedMessage {
  readonly type: 'submitAccepted';
  readonly submissionId: number;
  readonly attempt: number;
  readonly version: VersionId;
}

/** notPrimary: a primary-backup front end's backup (or a single design's spare) does not take submissions. */
export type SubmitFailureReason = 'replicationTimeout' | 'refusedByPeers' | 'agreementTimeout' | 'notPrimary';

export interface SubmitFailedMessage {
  readonly type: 'submitFailed';
  readonly submissionId: number;
  readonly attempt: number;
  readonly reason: SubmitFailureReason;
}

// ---- SP <-> SP ---------------------------------------------------------------------------------

/** The accepting SP copies the file to a peer as a temporary file; sizeBytes of the send is the file size. */
export interface ReplicateMessage {
  readonly type: 'replicate';
  readonly version: VersionId;
  readonly sizeBytes: number;
}

/** stored=false means refused by the clock-skew rule. */
export interface ReplicateAckMessage {
  readonly type: 'replicateAck';
  readonly versionKey: number;
  readonly stored: boolean;
}

/** Vector Exchange: bit i set means SP i has stored the file and committed to it. */
export interface VectorMessage {
  readonly type: 'vector';
  readonly version: VersionId;
  readonly sizeBytes: number;
  readonly bits: number;
}

/** Index merging: "send me your agreements from position sinceLength of your log (incarnation)". */
export interface MergeRequestMessage {
  readonly type: 'mergeRequest';
  readonly requestId: number;
  readonly incarnation: number;
  readonly sinceLength: number;
}

/** startLength is where entries begin in the responder's log (0 when the requester had an old incarnation). */
export interface MergeResponseMessage {
  readonly type: 'mergeResponse';
  readonly requestId: number;
  readonly incarnation: number;
  readonly startLength: number;
  readonly entries: readonly AgreementRecord[];
  /** The responder's log length; more than startLength + entries.length means another page is waiting. */
  readonly logLength: number;
}

/** An SP downloads an agreed file it lacks from a peer. */
export interface FileFetchMessage {
  readonly type: 'fileFetch';
  readonly requestId: number;
  readonly version: VersionId;
}

/** Sent with sizeBytes = file size when found. */
export interface FileFetchResponseMessage {
  readonly type: 'fileFetchResponse';
  readonly requestId: number;
  readonly version: VersionId;
  readonly found: boolean;
  readonly sizeBytes: number;
}

// ---- readers (receivers, HTTP caches) <-> SP ---------------------------------------------------------

export interface IndexGetMessage {
  readonly type: 'indexGet';
  readonly requestId: number;
  /** -1 (or any value below every lastModifiedUs) asks for the index unconditionally. */
  readonly ifModifiedSinceUs: number;
  /**
   * The SP whose index the requester holds (-1: none). Last-Modified times are each SP's own clock, so they
   * compare only within one SP's index: an index from another SP is answered in full, whatever the times (as an
   * entity tag would differ). Without this a cache that failed over and back could hold an index older than its
   * upstream's and be told "not modified" for good (found by acmsim fuzz:
   * scenarios/regressions/receiver-stuck-after-blackhole-and-loss.yaml).
   */
  readonly heldOriginSp: number;
}

/** Whether an index request may be answered 304: the index it holds is this one's origin, and no older. */
export function indexUnchangedFor(originSp: number, lastModifiedUs: number, request: { readonly ifModifiedSinceUs: number; readonly heldOriginSp: number }): boolean {
  return request.heldOriginSp === originSp && lastModifiedUs <= request.ifModifiedSinceUs;
}

export interface IndexNotModifiedMessage {
  readonly type: 'indexNotModified';
  readonly requestId: number;
  readonly lastModifiedUs: number;
}

export interface IndexResponseMessage {
  readonly type: 'indexResponse';
  readonly requestId: number;
  readonly view: SnapshotView;
}

export interface FileGetMessage {
  readonly type: 'fileGet';
  readonly requestId: number;
  readonly fileId: number;
  readonly versionKey: number;
  /** The size the index lists for this version, so the requester can allow for the transfer time. */
  readonly sizeBytes: number;
}

export interface FileResponseMessage {
  readonly type: 'fileResponse';
  readonly requestId: number;
  readonly fileId: number;
  readonly versionKey: number;
  readonly found: boolean;
  readonly sizeBytes: number;
  /**
   * Sent by a cut-through cache before it holds the whole file: the body ends when the cache's own fetch does
   * (HttpCacheObservation). Absent on every other answer; requesters need not look at it, the host times it.
   */
  readonly streamed?: true;
}

export type FrontendMessage =
  | SubmitMessage
  | SubmitAcceptedMessage
  | SubmitFailedMessage
  | ReplicateMessage
  | ReplicateAckMessage
  | VectorMessage
  | MergeRequestMessage
  | MergeResponseMessage
  | FileFetchMessage
  | FileFetchResponseMessage
  | IndexGetMessage
  | IndexNotModifiedMessage
  | IndexResponseMessage
  | FileGetMessage
  | FileResponseMessage;

// ---- commands from the host ----------------------------------------------------------------------

/** start: arm the merge timer (feed once at time 0). crash/restart: fault injection by the host. */
export type StoragePointCommand =
  | { readonly type: 'start' }
  | { readonly type: 'crash' }
  | { readonly type: 'restart'; readonly diskLost: boolean };

export type PublisherCommand =
  | { readonly type: 'submit'; readonly fileId: number; readonly fileName: string; readonly sizeBytes: number }
  | { readonly type: 'setSpOrder'; readonly spOrder: readonly number[] };

// ---- observations ------------------------------------------------------------------------------------

export type StoragePointObservation =
  /** A new id was issued for a submission from publisher. */
  | { readonly type: 'accepting'; readonly version: VersionId; readonly sizeBytes: number; readonly publisher: number }
  /** The file is durably on this SP's disk (temporary or installed copy). */
  | { readonly type: 'stored'; readonly version: VersionId; readonly sizeBytes: number }
  /** This SP refused a replica by the clock-skew rule. */
  | { readonly type: 'refused'; readonly version: VersionId; readonly skewUs: number }
  /** This SP set its own bit in the Vector Exchange of version. */
  | { readonly type: 'bitSet'; readonly version: VersionId }
  /**
   * This SP recorded the agreement persistently (learnt by exchange or by merging). In the what-if front ends
   * (src/acms/frontends/) 'commit' is a primary's (or the single SP's) own decision, or a backup told of it.
   */
  | { readonly type: 'agreed'; readonly version: VersionId; readonly via: 'exchange' | 'merge' | 'commit' }
  /** The snapshot now shows version for its file (previousKey undefined when the file was new). */
  | { readonly type: 'visible'; readonly version: VersionId; readonly sizeBytes: number; readonly previousKey: number | undefined }
  /** The accepting SP answered its publisher "accepted". */
  | { readonly type: 'accepted'; readonly version: VersionId; readonly publisher: number; readonly submissionId: number }
  /** The accepting SP answered its publisher "failed". */
  | { readonly type: 'failed'; readonly version: VersionId; readonly publisher: number; readonly submissionId: number; readonly reason: SubmitFailureReason }
  | { readonly type: 'crashed' }
  | { readonly type: 'restarted'; readonly diskLost: boolean }
  /** Everything on disk is gone (feed this to the invariant checker before later observations). */
  | { readonly type: 'diskLost' }
  /** A deposed primary discarded its state to follow a newer primary (primary-backup only); like diskLost to the checker. */
  | { readonly type: 'rolledBack'; readonly newPrimary: number; readonly term: number }
  /** A merge round pulled agreements from peer. */
  | { readonly type: 'merged'; readonly peer: number; readonly entries: number; readonly learned: number };

export type PublisherObservation =
  | { readonly type: 'submitted'; readonly submissionId: number; readonly fileId: number; readonly sizeBytes: number; readonly attempt: number; readonly sp: number }
  | { readonly type: 'attemptFailed'; readonly submissionId: number; readonly attempt: number; readonly sp: number; readonly reason: SubmitFailureReason | 'timeout' }
  | {
      readonly type: 'accepted';
      readonly submissionId: number;
      readonly fileId: number;
      readonly version: VersionId;
      readonly submittedUs: number;
      readonly acceptedUs: number;
      readonly attempts: number;
      readonly sp: number;
    }
  /** Final give-up after maxAttempts. */
  | { readonly type: 'failed'; readonly submissionId: number; readonly fileId: number; readonly submittedUs: number; readonly failedUs: number; readonly attempts: number };
