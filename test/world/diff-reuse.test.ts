// The engine's Receivers reuse a diff walk: a Receiver with no exceptions that diffs the same (log, start, end) as
// the walk before takes its result as it is (ChangedFiles.holdPlainDiff). Held here to the same Receivers walking
// every time, over random logs (stale entries included: a version older than the one listed before it), random
// installs that make exceptions, switches to another log and shorter views.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import type { SnapshotLogEntry, SnapshotView } from '../../src/acms/snapshot.js';
import { LogIndexes } from '../../src/world/cluster/log-index.js';
import { FleetTables } from '../../src/world/cluster/fleet-tables.js';
import { ClusterReceivers } from '../../src/world/cluster/engine-receivers.js';

const FILES = 9;
const RECEIVERS = 6;

function makeLog(rng: () => number, length: number): SnapshotLogEntry[] {
  const log: SnapshotLogEntry[] = [];
  for (let k = 0; k < length; k++) {
    // Mostly growing keys; one entry in twenty goes back (as a merge of another SP's log can list).
    const versionKey = rng() < 0.05 ? Math.floor(rng() * k) : 1000 + k;
    log.push({ fileId: Math.floor(rng() * FILES), versionKey, sizeBytes: 100 + k, rootLastModifiedUs: k });
  }
  return log;
}

function viewOf(log: SnapshotLogEntry[], length: number, originSp: number): SnapshotView {
  return { originSp, log, length, lastModifiedUs: length };
}

function makeReceivers(): ClusterReceivers {
  const lanRttUs = new Float64Array(RECEIVERS).fill(100);
  return new ClusterReceivers(RECEIVERS, FILES, 7, 0, { fileCount: FILES, pollIntervalUs: 30e6, pollJitter: 0.1 }, new LogIndexes(FILES), lanRttUs, new FleetTables());
}

function snapshot(receivers: ClusterReceivers, count: number): number[][] {
  const c = receivers.changed;
  const rows: number[][] = [];
  for (let k = 0; k < count; k++) rows.push([c.fileId[k] as number, c.versionKey[k] as number, c.sizeBytes[k] as number, c.installedKey[k] as number, c.hadException[k] as number]);
  return rows;
}

function installed(receivers: ClusterReceivers): number[] {
  const all: number[] = [];
  for (let i = 0; i < RECEIVERS; i++) for (let f = 0; f < FILES; f++) all.push(receivers.installedOf(i, f));
  return all;
}

describe('a diff walk reused by the next Receiver of the same diff', () => {
  it('gives what walking again gives, and leaves the same installed versions', () => {
    let reused = 0;
    for (let seed = 0; seed < 40; seed++) {
      const rng = seedrandom.alea(`diff-reuse/${seed}`);
      const logs = [makeLog(rng, 60), makeLog(rng, 60)];
      const reusing = makeReceivers();
      const walking = makeReceivers();
      const held = reusing.changed;
      const holds = held.holdsPlainDiff.bind(held);
      held.holdsPlainDiff = (log, start, end) => {
        const hit = holds(log, start, end);
        if (hit) reused++;
        return hit;
      };
      const lengths = new Array<number>(RECEIVERS).fill(0);
      let sharedEnd = 1;
      for (let step = 0; step < 400; step++) {
        const i = Math.floor(rng() * RECEIVERS);
        const choice = rng();
        let which = 0;
        let length: number;
        if (choice < 0.05) {
          which = 1; // the cache switched SPs
          length = 1 + Math.floor(rng() * 60);
        } else if (choice < 0.1) {
          length = Math.floor(rng() * (lengths[i] as number)); // a shorter view of the same log
        } else {
          // Most polls find the index every Receiver of the cluster finds: a common end that grows now and then.
          if (rng() < 0.2) sharedEnd = Math.min(60, sharedEnd + 1 + Math.floor(rng() * 4));
          length = Math.max(sharedEnd, lengths[i] as number);
        }
        const view = viewOf(logs[which] as SnapshotLogEntry[], length, which);
        const asks = rng() < 0.2;
        walking.changed.forget();
        const got = asks ? reusing.changedFiles(i, view) : reusing.takeIndex(i, view);
        const expected = asks ? walking.changedFiles(i, view) : walking.takeIndex(i, view);
        expect(got).toBe(expected);
        expect(snapshot(reusing, got)).toEqual(snapshot(walking, expected));
        if (asks) continue;
        lengths[i] = length;
        for (let c = 0; c < got; c++) {
          // Installed from the cache, or kept while it is fetched: both as the engine settles a changed file.
          if (rng() < 0.9) {
            reusing.installListed(i, c);
            walking.installListed(i, c);
          } else {
            reusing.keepInstalled(i, c);
            walking.keepInstalled(i, c);
          }
        }
        if (rng() < 0.03) {
          // A fetch finishing later installs a version of its own: an exception.
          const fileId = Math.floor(rng() * FILES);
          const versionKey = 1000 + Math.floor(rng() * 80);
          expect(reusing.install(i, fileId, versionKey)).toBe(walking.install(i, fileId, versionKey));
        }
        expect(installed(reusing)).toEqual(installed(walking));
      }
    }
    // The reuse happened, or this test holds nothing.
    expect(reused).toBeGreaterThan(400);
  });
});
