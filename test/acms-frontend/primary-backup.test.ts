import { describe, expect, it } from 'vitest';
import type { FrontendMessage, PublisherCommand, PublisherObservation, StoragePointCommand, StoragePointObservation } from '../../src/acms/frontend-messages.js';
import { defaultPublisherParams, defaultStoragePointParams } from '../../src/acms/frontend-params.js';
import type { FrontEndWireMessage, HeartbeatMessage } from '../../src/acms/frontends/messages.js';
import { PrimaryBackupPoint } from '../../src/acms/frontends/primary-backup.js';
import { defaultPrimaryBackupParams } from '../../src/acms/frontends/primary-backup-params.js';
import { FrontendInvariantChecker } from '../../src/acms/invariants.js';
import { Publisher } from '../../src/acms/publisher.js';
import type { VersionId } from '../../src/acms/version.js';
import { MachineHost, RandomStreams, Simulator, type EventTarget, type MachineInput, type MachineOutput } from '../../src/kernel/index.js';
import { FakeLink } from './support/fake-link.js';
import { observationsOf, sendsOf, timersSet } from './support/outputs.js';

const S = 1_000_000;
const PUBLISHER = 100;
const HEARTBEAT_US = 1 * S;
const TIMEOUT_US = 5 * S;
type Out = readonly MachineOutput<FrontEndWireMessage, StoragePointObservation>[];

function makeNode(index: number, spCount = 5): PrimaryBackupPoint {
  return new PrimaryBackupPoint({
    index,
    params: defaultStoragePointParams(spCount, { replicationTimeoutUs: 60 * S }),
    pb: defaultPrimaryBackupParams({ heartbeatIntervalUs: HEARTBEAT_US, heartbeatTimeoutUs: TIMEOUT_US }),
    localClockUs: (nowUs) => nowUs,
  });
}

function receive(node: PrimaryBackupPoint, nowUs: number, from: number, message: FrontEndWireMessage): Out {
  return node.handle(nowUs, { type: 'receive', from, message });
}

function command(node: PrimaryBackupPoint, nowUs: number, cmd: StoragePointCommand): Out {
  return node.handle(nowUs, { type: 'command', command: cmd } as MachineInput<FrontEndWireMessage, StoragePointCommand>);
}

function timer(node: PrimaryBackupPoint, nowUs: number, name: string): Out {
  return node.handle(nowUs, { type: 'timer', timer: name });
}

function submit(node: PrimaryBackupPoint, nowUs: number, fileId = 1, sizeBytes = 5000): Out {
  return receive(node, nowUs, PUBLISHER, { type: 'submit', submissionId: 9, attempt: 1, fileId, fileName: `f${fileId}`, sizeBytes });
}

function accepting(outputs: Out): VersionId {
  const observation = observationsOf(outputs, 'accepting')[0];
  if (observation === undefined || observation.type !== 'accepting') throw new Error('no accepting observation');
  return observation.version;
}

function ack(node: PrimaryBackupPoint, nowUs: number, from: number, term = 0, primary = 0): Out {
  return receive(node, nowUs, from, { type: 'heartbeatAck', term, primary });
}

function heartbeat(term: number, logLength = 0, logIncarnation = 0): HeartbeatMessage {
  return { type: 'heartbeat', term, logIncarnation, logLength };
}

describe('primary-backup: the primary', () => {
  it('SP 0 leads from the start and sends heartbeats; the others wait for them', () => {
    const primary = makeNode(0);
    const start = command(primary, 0, { type: 'start' });
    expect(primary.isLeading).toBe(true);
    expect(sendsOf(start, 'heartbeat').map((s) => s.to)).toEqual([1, 2, 3, 4]);
    expect(timersSet(start)).toContainEqual({ timer: 'heartbeat', atUs: HEARTBEAT_US });
    const backup = makeNode(2);
    const waiting = command(backup, 0, { type: 'start' });
    expect(backup.isLeading).toBe(false);
    expect(timersSet(waiting)).toEqual([{ timer: 'silence', atUs: TIMEOUT_US }]);
  });

  it('answers its publisher only once every reachable backup has acknowledged, then tells the backups', () => {
    const primary = makeNode(0);
    command(primary, 0, { type: 'start' });
    const outputs = submit(primary, 100, 4, 70_000);
    const version = accepting(outputs);
    const replicas = sendsOf(outputs, 'replicate');
    expect(replicas.map((r) => r.to)).toEqual([1, 2, 3, 4]);
    expect(replicas.every((r) => r.sizeBytes === 70_000)).toBe(true);
    for (const backup of [1, 2, 3]) {
      expect(sendsOf(receive(primary, 200 + backup, backup, { type: 'replicateAck', versionKey: version.versionKey, stored: true }), 'submitAccepted')).toHaveLength(0);
    }
    const done = receive(primary, 300, 4, { type: 'replicateAck', versionKey: version.versionKey, stored: true });
    expect(sendsOf(done, 'submitAccepted').map((s) => s.to)).toEqual([PUBLISHER]);
    expect(sendsOf(done, 'commit').map((s) => s.to)).toEqual([1, 2, 3, 4]);
    expect(observationsOf(done, 'agreed')).toEqual([{ type: 'agreed', version, via: 'commit' }]);
    expect(primary.snapshot.versionOf(4)?.versionKey).toBe(version.versionKey);
  });

  it('stops waiting for a backup that stopped answering heartbeats, and commits with the rest', () => {
    const primary = makeNode(0);
    command(primary, 0, { type: 'start' });
    const version = accepting(submit(primary, 100));
    for (const backup of [1, 2]) receive(primary, 200, backup, { type: 'replicateAck', versionKey: version.versionKey, stored: true });
    // Backups 1 and 2 keep answering heartbeats; 3 and 4 fall silent.
    for (let t = 1; t <= 5; t++) {
      ack(primary, t * HEARTBEAT_US - 10, 1);
      ack(primary, t * HEARTBEAT_US - 10, 2);
      const round = timer(primary, t * HEARTBEAT_US, 'heartbeat');
      expect(sendsOf(round, 'submitAccepted')).toHaveLength(0);
    }
    const round = timer(primary, 6 * HEARTBEAT_US, 'heartbeat');
    expect(sendsOf(round, 'submitAccepted')).toHaveLength(1);
  });

  it('cut off from every backup, it commits on its own write: the design\'s weakness', () => {
    const primary = makeNode(0);
    command(primary, 0, { type: 'start' });
    const later = TIMEOUT_US + 1;
    const alone = submit(primary, later);
    expect(sendsOf(alone, 'replicate')).toHaveLength(4);
    expect(sendsOf(alone, 'submitAccepted')).toHaveLength(1);
  });

  it('commits at the replication time-out with the backups that acknowledged', () => {
    const primary = makeNode(0);
    command(primary, 0, { type: 'start' });
    const version = accepting(submit(primary, 100));
    const expiry = timer(primary, 100 + 60 * S, `repl/${version.versionKey}`);
    expect(sendsOf(expiry, 'submitAccepted')).toHaveLength(1);
  });
});

describe('primary-backup: backups and fail-over', () => {
  it('a backup stores replicas from its primary only, shows a version once committed, and refuses submissions', () => {
    const backup = makeNode(1);
    command(backup, 0, { type: 'start' });
    const primary = makeNode(0);
    command(primary, 0, { type: 'start' });
    const version = accepting(submit(primary, 10));
    const stored = receive(backup, 20, 0, { type: 'replicate', version, sizeBytes: 5000 });
    expect(sendsOf(stored, 'replicateAck')[0]?.message).toMatchObject({ stored: true });
    expect(backup.snapshot.versionOf(1)).toBeUndefined();
    const stranger = receive(backup, 30, 3, { type: 'replicate', version: { ...version, versionKey: version.versionKey + 1, originSp: 3 }, sizeBytes: 10 });
    expect(sendsOf(stranger, 'replicateAck')[0]?.message).toMatchObject({ stored: false });
    const committed = receive(backup, 40, 0, { type: 'commit', term: 0, version, sizeBytes: 5000, logLength: 1 });
    expect(observationsOf(committed, 'visible')).toHaveLength(1);
    expect(backup.snapshot.versionOf(1)?.versionKey).toBe(version.versionKey);
    expect(sendsOf(submit(backup, 50), 'submitFailed')[0]?.message).toMatchObject({ reason: 'notPrimary' });
  });

  it('the backup k places after the primary takes over after k silent rounds, with the next term', () => {
    const first = makeNode(1);
    const second = makeNode(2);
    command(first, 0, { type: 'start' });
    command(second, 0, { type: 'start' });
    const takeOver = timer(first, TIMEOUT_US, 'silence');
    expect(first.isLeading).toBe(true);
    expect(first.term).toBe(1);
    expect(sendsOf(takeOver, 'heartbeat').map((s) => s.message)).toContainEqual({ type: 'heartbeat', term: 1, logIncarnation: 0, logLength: 0 });
    timer(second, TIMEOUT_US, 'silence');
    expect(second.isLeading).toBe(false);
    // SP 1's heartbeat reaches SP 2 before its second round: it follows SP 1.
    const follows = receive(second, TIMEOUT_US + 100, 1, heartbeat(1));
    expect(second.primary).toBe(1);
    expect(sendsOf(follows, 'heartbeatAck')[0]?.message).toEqual({ type: 'heartbeatAck', term: 1, primary: 1 });
  });

  it('a backup missing commits asks the primary for them and fetches the files', () => {
    const backup = makeNode(1);
    command(backup, 0, { type: 'start' });
    const request = sendsOf(receive(backup, 10, 0, heartbeat(0, 2, 7)), 'mergeRequest');
    expect(request.map((r) => r.message)).toEqual([expect.objectContaining({ incarnation: 7, sinceLength: 0 })]);
    const primary = makeNode(0);
    command(primary, 0, { type: 'start' });
    const a = accepting(submit(primary, TIMEOUT_US + 1, 1, 100));
    const b = accepting(submit(primary, TIMEOUT_US + 2, 2, 200));
    const response = receive(backup, TIMEOUT_US + 10, 0, { type: 'mergeResponse', requestId: 1, incarnation: 7, startLength: 0, entries: [{ version: a, sizeBytes: 100 }, { version: b, sizeBytes: 200 }], logLength: 2 });
    expect(observationsOf(response, 'agreed')).toHaveLength(2);
    const fetches = sendsOf(response, 'fileFetch');
    expect(fetches.map((f) => f.to)).toEqual([0, 0]);
    const arrived = receive(backup, TIMEOUT_US + 20, 0, { type: 'fileFetchResponse', requestId: 1, version: a, found: true, sizeBytes: 100 });
    expect(observationsOf(arrived, 'visible')).toHaveLength(1);
    expect(backup.isCommitted(b.versionKey)).toBe(true);
  });

  it('a deposed primary that hears the newer term steps down and discards its state (rolledBack)', () => {
    const old = makeNode(0);
    command(old, 0, { type: 'start' });
    submit(old, TIMEOUT_US + 1);
    expect(old.snapshot.fileCount).toBe(1);
    const stepDown = receive(old, 20 * S, 1, heartbeat(1, 0, 0));
    expect(old.isLeading).toBe(false);
    expect(old.primary).toBe(1);
    expect(observationsOf(stepDown, 'rolledBack')).toEqual([{ type: 'rolledBack', newPrimary: 1, term: 1 }]);
    expect(old.snapshot.fileCount).toBe(0);
    // The same happens when a backup's answer names the newer primary.
    const other = makeNode(0);
    command(other, 0, { type: 'start' });
    ack(other, 10, 2, 1, 1);
    expect(other.isLeading).toBe(false);
  });

  it('a stale heartbeat is answered with the newer leadership, and changes nothing', () => {
    const backup = makeNode(2);
    command(backup, 0, { type: 'start' });
    receive(backup, 10, 1, heartbeat(1));
    const stale = receive(backup, 20, 0, heartbeat(0));
    expect(sendsOf(stale, 'heartbeatAck')[0]?.message).toEqual({ type: 'heartbeatAck', term: 1, primary: 1 });
    expect(backup.primary).toBe(1);
  });
});

// ---- a small world: three SPs and two publishers over a fake link ----------------------------------------

type Command = StoragePointCommand | PublisherCommand;
type Observation = StoragePointObservation | PublisherObservation;

class At implements EventTarget {
  readonly targetId = 9_999;
  onEvent(_nowUs: number, _kind: number, arg: unknown): void {
    (arg as () => void)();
  }
}

function smallWorld(): { sim: Simulator; link: FakeLink; host: MachineHost<FrontendMessage, Command, Observation>; checker: FrontendInvariantChecker; nodes: PrimaryBackupPoint[]; accepted: VersionId[]; at: (timeUs: number, fn: () => void) => void } {
  const sim = new Simulator();
  const link = new FakeLink();
  const checker = new FrontendInvariantChecker(3, 100, 'primary-backup');
  const accepted: VersionId[] = [];
  const host = new MachineHost<FrontendMessage, Command, Observation>(sim, link, (nowUs, address, observation) => {
    if (address < 3) checker.observe(nowUs, address, observation as StoragePointObservation);
    else if (observation.type === 'accepted' && 'attempts' in observation) accepted.push(observation.version);
  }, link.isUp);
  const nodes: PrimaryBackupPoint[] = [];
  for (let i = 0; i < 3; i++) {
    nodes.push(makeNode(i, 3));
    host.add(i, nodes[i] as unknown as Parameters<typeof host.add>[1]);
  }
  const streams = new RandomStreams(3);
  for (let p = 0; p < 2; p++) {
    host.add(PUBLISHER + p, new Publisher({ params: defaultPublisherParams({ submitTimeoutUs: 12 * S, backoffMaxUs: 4 * S }), spOrder: [0, 1, 2], rng: streams.stream(`publisher/${p}`) }));
  }
  for (let i = 0; i < 3; i++) host.command(i, { type: 'start' });
  const marker = new At();
  return { sim, link, host, checker, nodes, accepted, at: (timeUs, fn) => sim.scheduleAt(timeUs, marker, 0, fn) };
}

describe('primary-backup in a small world', () => {
  it('a crashed primary is replaced, and what it accepted survives on the backups: no violation', () => {
    const w = smallWorld();
    w.at(1 * S, () => w.host.command(PUBLISHER, { type: 'submit', fileId: 1, fileName: 'f1', sizeBytes: 1000 }));
    w.at(3 * S, () => {
      w.host.command(0, { type: 'crash' });
      w.link.down.add(0);
    });
    w.at(20 * S, () => w.host.command(PUBLISHER + 1, { type: 'submit', fileId: 1, fileName: 'f1', sizeBytes: 1000 }));
    w.sim.run({ untilUs: 60 * S, maxEvents: 1_000_000 });
    expect(w.nodes[1]?.isLeading).toBe(true);
    expect(w.accepted).toHaveLength(2);
    expect(w.accepted[1]?.originSp).toBe(1);
    expect(w.checker.violations).toBe(0);
    expect(w.nodes[2]?.snapshot.versionOf(1)?.versionKey).toBe(w.accepted[1]?.versionKey);
  });

  it('a partitioned primary keeps accepting beside its successor: the checker reports the split brain', () => {
    const w = smallWorld();
    // SP 0 and publisher 0 on one side; SPs 1, 2 and publisher 1 on the other.
    w.at(2 * S, () => w.link.partition([0, PUBLISHER]));
    w.at(10 * S, () => w.host.command(PUBLISHER + 1, { type: 'submit', fileId: 5, fileName: 'f5', sizeBytes: 1000 }));
    w.at(12 * S, () => w.host.command(PUBLISHER, { type: 'submit', fileId: 5, fileName: 'f5', sizeBytes: 1000 }));
    w.at(60 * S, () => w.link.heal());
    w.sim.run({ untilUs: 90 * S, maxEvents: 1_000_000 });
    expect(w.accepted.map((v) => v.originSp).sort()).toEqual([0, 1]);
    expect(w.checker.violationsByInvariant[5]).toBe(1);
    expect(w.checker.reports[0]?.message).toMatch(/invariant 5 .* two histories of file 5/);
    // After the heal SP 0 follows SP 1 and shows SP 1's history, not its own.
    expect(w.nodes[0]?.isLeading).toBe(false);
    expect(w.nodes[0]?.primary).toBe(1);
    const own = w.accepted.find((v) => v.originSp === 0) as VersionId;
    const theirs = w.accepted.find((v) => v.originSp === 1) as VersionId;
    expect(w.nodes[0]?.isStored(own.versionKey)).toBe(false);
    expect(w.nodes[0]?.snapshot.versionOf(5)?.versionKey).toBe(theirs.versionKey);
  });
});
