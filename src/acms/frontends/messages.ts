// Messages the what-if front ends add to the Storage Point vocabulary: primary-backup's heartbeats and commits.
// Everything else (submit, replicate, merge, fetch, index and file requests) is the Storage Point's own.
import type { FrontendMessage } from '../frontend-messages.js';
import type { VersionId } from '../version.js';

/**
 * The primary's heartbeat to every other SP. logIncarnation names the primary's commit log (it changes when the
 * node rolls back); logLength lets a backup see that it missed commits and ask for them (mergeRequest).
 */
export interface HeartbeatMessage {
  readonly type: 'heartbeat';
  readonly term: number;
  readonly logIncarnation: number;
  readonly logLength: number;
}

/**
 * Any SP's answer to a heartbeat: the term and primary it follows. A primary counts the sender as reachable only
 * when that is itself; when it names a newer (term, primary), the primary learns it was replaced and steps down.
 */
export interface HeartbeatAckMessage {
  readonly type: 'heartbeatAck';
  readonly term: number;
  readonly primary: number;
}

/** The primary tells a backup that a replicated version is committed: the backup may show it. */
export interface CommitMessage {
  readonly type: 'commit';
  readonly term: number;
  readonly version: VersionId;
  readonly sizeBytes: number;
  /** The primary's commit-log length with this commit: a backup that is not one behind has missed some. */
  readonly logLength: number;
}

export type PrimaryBackupMessage = HeartbeatMessage | HeartbeatAckMessage | CommitMessage;

/** Everything a front-end node may receive or send. */
export type FrontEndWireMessage = FrontendMessage | PrimaryBackupMessage;
