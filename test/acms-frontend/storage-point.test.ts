import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/index.js';
import type { FrontendMessage, MergeResponseMessage, StoragePointCommand, StoragePointObservation, VectorMessage } from '../../src/acms/frontend-messages.js';
import { defaultStoragePointParams, type StoragePointParams } from '../../src/acms/frontend-params.js';
import { StoragePoint } from '../../src/acms/storage-point.js';
import { makeVersionId, type VersionId } from '../../src/acms/version.js';
import type { MachineInput, MachineOutput } from '../../src/kernel/index.js';
import { observationsOf, sendsOf, timersSet } from './support/outputs.js';

const S = 1_000_000;
const PUBLISHER = 100;
type Out = readonly MachineOutput<FrontendMessage, StoragePointObservation>[];

function makeSp(index: number, overrides: Partial<StoragePointParams> = {}, clockOffsetUs = 0): StoragePoint {
  return new StoragePoint({
    index,
    params: defaultStoragePointParams(5, overrides),
    localClockUs: (nowUs) => nowUs + clockOffsetUs,
    rng: new RandomStreams(1).stream(`sp/${index}`),
  });
}

function receive(sp: StoragePoint, nowUs: number, from: number, message: FrontendMessage): Out {
  return sp.handle(nowUs, { type: 'receive', from, message });
}

function command(sp: StoragePoint, nowUs: number, cmd: StoragePointCommand): Out {
  return sp.handle(nowUs, { type: 'command', command: cmd } as MachineInput<FrontendMessage, StoragePointCommand>);
}

function submit(sp: StoragePoint, nowUs: number, fileId = 1, sizeBytes = 5000): Out {
  return receive(sp, nowUs, PUBLISHER, { type: 'submit', submissionId: 9, attempt: 1, fileId, fileName: `f${fileId}`, sizeBytes });
}

function acceptedVersion(outputs: Out): VersionId {
  const accepting = observationsOf(outputs, 'accepting')[0];
  if (accepting === undefined || accepting.type !== 'accepting') throw new Error('no accepting observation');
  return accepting.version;
}

describe('Storage Point: acceptance', () => {
  it('names the submission from its local clock, stores it and replicates the whole file to every peer', () => {
    const sp = makeSp(2, {}, 250);
    const outputs = submit(sp, 1000, 4, 70_000);
    const version = acceptedVersion(outputs);
    expect(version).toMatchObject({ fileId: 4, timestampUs: 1250, originSp: 2 });
    expect(observationsOf(outputs, 'stored')).toHaveLength(1);
    const replicas = sendsOf(outputs, 'replicate');
    expect(replicas.map((r) => r.to)).toEqual([0, 1, 3, 4]);
    expect(replicas.every((r) => r.sizeBytes === 70_000)).toBe(true);
    expect(timersSet(outputs)).toContainEqual({ timer: `repl/${version.versionKey}`, atUs: 1000 + 60 * S });
    // A second submission in the same microsecond still gets a unique, newer id.
    const second = acceptedVersion(submit(sp, 1000, 4));
    expect(second.timestampUs).toBe(1251);
  });

  it('starts Vector Exchange at a quorum of stored copies and accepts at a quorum of bits', () => {
    const sp = makeSp(0);
    const version = acceptedVersion(submit(sp, 0));
    const key = version.versionKey;
    expect(sendsOf(receive(sp, 10, 1, { type: 'replicateAck', versionKey: key, stored: true }), 'vector')).toHaveLength(0);
    const start = receive(sp, 20, 2, { type: 'replicateAck', versionKey: key, stored: true });
    const vectors = sendsOf(start, 'vector');
    expect(vectors).toHaveLength(4);
    expect((vectors[0]?.message as VectorMessage).bits).toBe(0b00001);
    expect(observationsOf(start, 'bitSet')).toHaveLength(1);
    expect(timersSet(start)).toContainEqual({ timer: `agree/${key}`, atUs: 20 + 10 * S });
    expect(sendsOf(receive(sp, 30, 1, { type: 'vector', version, sizeBytes: 5000, bits: 0b00010 }), 'submitAccepted')).toHaveLength(0);
    const done = receive(sp, 40, 2, { type: 'vector', version, sizeBytes: 5000, bits: 0b00100 });
    const answer = sendsOf(done, 'submitAccepted');
    expect(answer).toHaveLength(1);
    expect(answer[0]?.to).toBe(PUBLISHER);
    expect(observationsOf(done, 'agreed')).toHaveLength(1);
    expect(observationsOf(done, 'visible')).toHaveLength(1);
    expect(sp.snapshot.versionOf(1)?.versionKey).toBe(key);
    // Bits only grow: the same vector again changes nothing and sends nothing.
    expect(receive(sp, 50, 2, { type: 'vector', version, sizeBytes: 5000, bits: 0b00100 })).toHaveLength(0);
  });

  it('answers failed when no quorum stores the file within the replication timeout', () => {
    const sp = makeSp(0);
    const version = acceptedVersion(submit(sp, 0));
    receive(sp, 10, 1, { type: 'replicateAck', versionKey: version.versionKey, stored: true });
    const outputs = sp.handle(60 * S, { type: 'timer', timer: `repl/${version.versionKey}` });
    expect(sendsOf(outputs, 'submitFailed').map((s) => s.message)).toEqual([{ type: 'submitFailed', submissionId: 9, attempt: 1, reason: 'replicationTimeout' }]);
    expect(sp.isAgreed(version.versionKey)).toBe(false);
  });

  it('answers failed when Vector Exchange does not reach a quorum in time', () => {
    const sp = makeSp(0, { quorum: 1 });
    const version = acceptedVersion(submit(sp, 0));
    // quorum 1 accepts at once on its own bit: this is the broken variant the checker must catch.
    expect(sp.isAgreed(version.versionKey)).toBe(true);
    const sp2 = makeSp(0);
    const v2 = acceptedVersion(submit(sp2, 0));
    receive(sp2, 1, 1, { type: 'replicateAck', versionKey: v2.versionKey, stored: true });
    receive(sp2, 2, 2, { type: 'replicateAck', versionKey: v2.versionKey, stored: true });
    const outputs = sp2.handle(10 * S + 2, { type: 'timer', timer: `agree/${v2.versionKey}` });
    expect(sendsOf(outputs, 'submitFailed')[0]?.message).toMatchObject({ reason: 'agreementTimeout' });
  });
});

describe('Storage Point: replicas and Vector Exchange at a peer', () => {
  const version = makeVersionId(3, 'f3', 1_000_000, 0);

  it('stores a replica, acks it, and sets its own bit only once it holds the file', () => {
    const sp = makeSp(1);
    // The vector overtakes the (large) replica: the bits are merged and re-broadcast, without our bit.
    const early = receive(sp, 1_000_000, 0, { type: 'vector', version, sizeBytes: 9000, bits: 0b00101 });
    expect(observationsOf(early, 'bitSet')).toHaveLength(0);
    expect(sendsOf(early, 'vector').map((v) => (v.message as VectorMessage).bits)).toEqual([0b00101, 0b00101, 0b00101, 0b00101]);
    const stored = receive(sp, 1_100_000, 0, { type: 'replicate', version, sizeBytes: 9000 });
    expect(sendsOf(stored, 'replicateAck')[0]?.message).toEqual({ type: 'replicateAck', versionKey: version.versionKey, stored: true });
    expect(observationsOf(stored, 'bitSet')).toHaveLength(1);
    expect(sp.bitsOf(version.versionKey)).toBe(0b00111);
    // Three bits of five: agreement is recorded and the version becomes visible.
    expect(observationsOf(stored, 'agreed')).toEqual([{ type: 'agreed', version, via: 'exchange' }]);
    expect(sp.snapshot.versionOf(3)?.versionKey).toBe(version.versionKey);
  });

  it('an agreed version it does not hold is fetched from a bit holder, then shown', () => {
    const sp = makeSp(4);
    const outputs = receive(sp, 1_000_000, 0, { type: 'vector', version, sizeBytes: 9000, bits: 0b00111 });
    expect(observationsOf(outputs, 'agreed')).toHaveLength(1);
    expect(observationsOf(outputs, 'visible')).toHaveLength(0);
    const fetches = sendsOf(outputs, 'fileFetch');
    expect(fetches.map((f) => f.to)).toEqual([0]);
    const got = receive(sp, 1_200_000, 0, { type: 'fileFetchResponse', requestId: 1, version, found: true, sizeBytes: 9000 });
    expect(observationsOf(got, 'visible')).toHaveLength(1);
    expect(sp.snapshot.versionOf(3)?.versionKey).toBe(version.versionKey);
  });

  it('refuses replicas stamped too far ahead (or behind) of its clock, and the origin fails over early', () => {
    const sp = makeSp(1);
    const ahead = makeVersionId(3, 'f3', 3 * S, 0);
    const refused = receive(sp, 1 * S, 0, { type: 'replicate', version: ahead, sizeBytes: 100 });
    expect(sendsOf(refused, 'replicateAck')[0]?.message).toMatchObject({ stored: false });
    expect(observationsOf(refused, 'refused')).toHaveLength(1);
    const within = makeVersionId(3, 'f3', 1 * S + 900_000, 0);
    expect(sendsOf(receive(sp, 1 * S, 0, { type: 'replicate', version: within, sizeBytes: 100 }), 'replicateAck')[0]?.message).toMatchObject({ stored: true });
    const behind = makeVersionId(3, 'f3', 100 * S, 0);
    expect(sendsOf(receive(sp, 162 * S, 0, { type: 'replicate', version: behind, sizeBytes: 100 }), 'replicateAck')[0]?.message).toMatchObject({ stored: false });

    const origin = makeSp(0);
    const v = acceptedVersion(submit(origin, 0));
    receive(origin, 1, 1, { type: 'replicateAck', versionKey: v.versionKey, stored: false });
    receive(origin, 2, 2, { type: 'replicateAck', versionKey: v.versionKey, stored: false });
    const failed = receive(origin, 3, 3, { type: 'replicateAck', versionKey: v.versionKey, stored: false });
    expect(sendsOf(failed, 'submitFailed')[0]?.message).toMatchObject({ reason: 'refusedByPeers' });
  });
});

describe('Storage Point: serving reads', () => {
  it('answers If-Modified-Since with 304 or a view, and files by version key', () => {
    const sp = makeSp(0, { quorum: 1 });
    const v = acceptedVersion(submit(sp, 500, 6, 1234));
    const lastModifiedUs = sp.snapshot.lastModifiedUs;
    const fresh = sendsOf(receive(sp, 600, 200, { type: 'indexGet', requestId: 1, ifModifiedSinceUs: -1, heldOriginSp: sp.index }), 'indexResponse')[0];
    expect(fresh?.message).toMatchObject({ requestId: 1, view: { originSp: 0, length: 1, lastModifiedUs } });
    const same = sendsOf(receive(sp, 700, 200, { type: 'indexGet', requestId: 2, ifModifiedSinceUs: lastModifiedUs, heldOriginSp: sp.index }), 'indexNotModified')[0];
    expect(same?.message).toEqual({ type: 'indexNotModified', requestId: 2, lastModifiedUs });
    // An index held from another SP is not comparable by time: answered in full, however late its Last-Modified.
    const other = sendsOf(receive(sp, 750, 200, { type: 'indexGet', requestId: 5, ifModifiedSinceUs: lastModifiedUs + 1e9, heldOriginSp: 3 }), 'indexResponse')[0];
    expect(other?.message).toMatchObject({ requestId: 5, view: { originSp: 0, length: 1 } });
    const file = sendsOf(receive(sp, 800, 200, { type: 'fileGet', requestId: 3, fileId: 6, versionKey: v.versionKey }), 'fileResponse')[0];
    expect(file?.message).toMatchObject({ found: true, sizeBytes: 1234 });
    expect(file?.sizeBytes).toBe(1234);
    const missing = sendsOf(receive(sp, 800, 200, { type: 'fileGet', requestId: 4, fileId: 6, versionKey: v.versionKey + 1 }), 'fileResponse')[0];
    expect(missing?.message).toMatchObject({ found: false });
  });
});

describe('Storage Point: index merging and crashes', () => {
  function agreedAt(sp: StoragePoint, count: number): VersionId[] {
    const versions: VersionId[] = [];
    for (let i = 0; i < count; i++) {
      const v = acceptedVersion(submit(sp, 1000 * i, i % 3, 100 + i));
      versions.push(v);
    }
    return versions;
  }

  it('pages the agreement log from the watermark and downloads only the newest version of each file', () => {
    const source = makeSp(1, { quorum: 1, mergeBatchMaxEntries: 4 });
    const versions = agreedAt(source, 6);
    expect(source.agreementCount).toBe(6);
    const learner = makeSp(0, { mergeBatchMaxEntries: 4 });
    const request = sendsOf(learner.handle(0, { type: 'timer', timer: 'merge' }), 'mergeRequest')[0];
    expect(request?.to).toBe(1);
    expect(request?.message).toMatchObject({ incarnation: -1, sinceLength: 0 });
    const page1 = sendsOf(receive(source, 10, 0, request!.message), 'mergeResponse')[0]!;
    expect(page1.message).toMatchObject({ startLength: 0, logLength: 6 });
    const afterPage1 = receive(learner, 20, 1, page1.message);
    expect(observationsOf(afterPage1, 'agreed')).toHaveLength(4);
    // Page 1 holds files 0,1,2,0: three downloads (file 0 only at its newer version) and a request for page 2.
    expect(sendsOf(afterPage1, 'fileFetch').map((f) => (f.message as { version: VersionId }).version.versionKey)).toEqual([
      versions[1]!.versionKey,
      versions[2]!.versionKey,
      versions[3]!.versionKey,
    ]);
    const next = sendsOf(afterPage1, 'mergeRequest')[0]!;
    expect(next.message).toMatchObject({ sinceLength: 4, incarnation: 0 });
    const page2 = sendsOf(receive(source, 30, 0, next.message), 'mergeResponse')[0]!;
    expect((page2.message as MergeResponseMessage).entries).toHaveLength(2);
    const afterPage2 = receive(learner, 40, 1, page2.message);
    expect(sendsOf(afterPage2, 'mergeRequest')).toHaveLength(0);
    for (const fetch of [...sendsOf(afterPage1, 'fileFetch'), ...sendsOf(afterPage2, 'fileFetch')]) {
      const reply = sendsOf(receive(source, 50, 0, fetch.message), 'fileFetchResponse')[0]!;
      receive(learner, 60, 1, reply.message);
    }
    for (let file = 0; file < 3; file++) expect(learner.snapshot.versionOf(file)?.versionKey).toBe(source.snapshot.versionOf(file)?.versionKey);
    expect(learner.agreementCount).toBe(6);
    // Merging never shows an older version: the snapshot changed once per file at most per newer version.
    expect(learner.snapshot.length).toBeLessThanOrEqual(6);
  });

  it('keeps its disk across a crash, starts empty after a disk loss, and ignores inputs while down', () => {
    const sp = makeSp(0, { quorum: 1 });
    agreedAt(sp, 2);
    const crash = command(sp, 1 * S, { type: 'crash' });
    expect(observationsOf(crash, 'crashed')).toHaveLength(1);
    expect(submit(sp, 2 * S)).toHaveLength(0);
    expect(sp.inputsWhileDown).toBe(1);
    const restart = command(sp, 3 * S, { type: 'restart', diskLost: false });
    expect(timersSet(restart).map((t) => t.timer)).toEqual(['merge']);
    expect(sp.agreementCount).toBe(2);
    const oldLog = sp.snapshot.view().log;
    command(sp, 4 * S, { type: 'crash' });
    const lost = command(sp, 5 * S, { type: 'restart', diskLost: true });
    expect(observationsOf(lost, 'diskLost')).toHaveLength(1);
    expect(sp.agreementCount).toBe(0);
    expect(sp.snapshot.length).toBe(0);
    expect(sp.snapshot.view().log).not.toBe(oldLog);
    expect(sp.snapshot.lastModifiedUs).toBe(5 * S);
    expect(() => command(sp, 6 * S, { type: 'restart', diskLost: false })).toThrow();
  });
});
