import { describe, expect, it } from 'vitest';
import { Receiver } from '../../src/acms/receiver.js';
import { RandomStreams } from '../../src/kernel/random.js';
import { observations, sends, snapshotWith, timers, viewOf } from './support.js';

const CACHE = 50;
const P = 30_000_000;

function receiver(subscribed: Uint8Array | null = null): Receiver {
  return new Receiver({ cache: CACHE, fileCount: 8, pollIntervalUs: P, pollJitter: 0.1, subscribed, rng: new RandomStreams(1).stream('r') });
}

function started(subscribed: Uint8Array | null = null): Receiver {
  const r = receiver(subscribed);
  r.handle(0, { type: 'command', command: { type: 'start' } });
  return r;
}

describe('Receiver', () => {
  it('starts at a random phase within one poll interval', () => {
    const outputs = receiver().handle(0, { type: 'command', command: { type: 'start' } });
    const [timer] = timers(outputs);
    expect(timer?.timer).toBe('poll');
    expect(timer?.atUs).toBeGreaterThanOrEqual(0);
    expect(timer?.atUs).toBeLessThanOrEqual(P);
  });

  it('polls the root index with If-Modified-Since and re-arms within the jitter bounds', () => {
    const r = started();
    const outputs = r.handle(1_000_000, { type: 'timer', timer: 'poll' });
    expect(sends(outputs)).toEqual([{ to: CACHE, message: { type: 'indexGet', requestId: 0, ifModifiedSinceUs: -1, heldOriginSp: -1 }, sizeBytes: 400 }]);
    const next = timers(outputs)[0]?.atUs as number;
    expect(next - 1_000_000).toBeGreaterThanOrEqual(0.9 * P);
    expect(next - 1_000_000).toBeLessThanOrEqual(1.1 * P);
  });

  it('asks for every changed subscribed file after a 200, and sends the new Last-Modified next time', () => {
    const subscribed = new Uint8Array(8).fill(1);
    subscribed[2] = 0;
    const r = started(subscribed);
    const view = viewOf([[1, 10, 500], [2, 20, 600], [3, 30, 700]]);
    const outputs = r.handle(5, { type: 'receive', from: CACHE, message: { type: 'indexResponse', requestId: 0, view } });
    expect(sends(outputs).map((s) => s.message)).toEqual([
      { type: 'fileGet', requestId: 0, fileId: 3, versionKey: 30, sizeBytes: 700 },
      { type: 'fileGet', requestId: 0, fileId: 1, versionKey: 10, sizeBytes: 500 },
    ]);
    const poll = sends(r.handle(10, { type: 'timer', timer: 'poll' }))[0]?.message;
    expect(poll).toEqual({ type: 'indexGet', requestId: 0, ifModifiedSinceUs: view.lastModifiedUs, heldOriginSp: view.originSp });
  });

  it('asks only for the newest version the index lists when a file changed twice since the last poll', () => {
    const r = started();
    const view = viewOf([[1, 10, 500], [2, 20, 600], [1, 11, 550]]);
    const outputs = r.handle(5, { type: 'receive', from: CACHE, message: { type: 'indexResponse', requestId: 0, view } });
    expect(sends(outputs).map((s) => s.message)).toEqual([
      { type: 'fileGet', requestId: 0, fileId: 1, versionKey: 11, sizeBytes: 550 },
      { type: 'fileGet', requestId: 0, fileId: 2, versionKey: 20, sizeBytes: 600 },
    ]);
  });

  it('diffs only the entries added since the view it holds (same log)', () => {
    const r = started();
    const snapshot = snapshotWith([[1, 10, 500]]);
    r.handle(5, { type: 'receive', from: CACHE, message: { type: 'indexResponse', requestId: 0, view: snapshot.view() } });
    snapshot.install(4, 40, 800, 9000);
    const outputs = r.handle(6, { type: 'receive', from: CACHE, message: { type: 'indexResponse', requestId: 0, view: snapshot.view() } });
    expect(sends(outputs).map((s) => s.message)).toEqual([{ type: 'fileGet', requestId: 0, fileId: 4, versionKey: 40, sizeBytes: 800 }]);
  });

  it('does work per poll in proportion to the changes, not to the number of files in the index', () => {
    for (const fileCount of [10, 5000]) {
      const r = new Receiver({ cache: CACHE, fileCount: fileCount + 1, pollIntervalUs: P, pollJitter: 0.1, subscribed: null, rng: new RandomStreams(1).stream('r') });
      r.handle(0, { type: 'command', command: { type: 'start' } });
      const snapshot = snapshotWith(Array.from({ length: fileCount }, (_, f) => [f, 10, 100] as [number, number, number]));
      r.handle(1, { type: 'receive', from: CACHE, message: { type: 'indexResponse', requestId: 0, view: snapshot.view() } });
      const before = r.entriesExamined;
      snapshot.install(fileCount, 20, 100, 1e9);
      const outputs = r.handle(2, { type: 'receive', from: CACHE, message: { type: 'indexResponse', requestId: 0, view: snapshot.view() } });
      expect(sends(outputs)).toHaveLength(1);
      expect(r.entriesExamined - before).toBe(1);
    }
  });

  it('does nothing on 304', () => {
    const r = started();
    expect(r.handle(5, { type: 'receive', from: CACHE, message: { type: 'indexNotModified', requestId: 0, lastModifiedUs: 1 } })).toEqual([]);
  });

  it('installs a version and reports it; never installs an older one', () => {
    const r = started();
    const install = (key: number) => observations(r.handle(7, {
      type: 'receive', from: CACHE, message: { type: 'fileResponse', requestId: 0, fileId: 1, versionKey: key, found: true, sizeBytes: 100 },
    }));
    expect(install(20)).toEqual([{ type: 'installed', fileId: 1, versionKey: 20, previousKey: -Infinity, sizeBytes: 100 }]);
    expect(install(10)).toEqual([]);
    expect(r.installedVersion(1)).toBe(20);
    expect(install(30)).toEqual([{ type: 'installed', fileId: 1, versionKey: 30, previousKey: 20, sizeBytes: 100 }]);
  });

  it('ignores an index from an SP whose snapshot is older than what it has', () => {
    const r = started();
    r.handle(5, { type: 'receive', from: CACHE, message: { type: 'fileResponse', requestId: 0, fileId: 1, versionKey: 50, found: true, sizeBytes: 1 } });
    const older = viewOf([[1, 40, 500]]);
    expect(sends(r.handle(6, { type: 'receive', from: CACHE, message: { type: 'indexResponse', requestId: 0, view: older } }))).toEqual([]);
    expect(r.installedVersion(1)).toBe(50);
  });

  it('asks again on its next poll for a file whose download failed', () => {
    const r = started();
    r.handle(5, { type: 'receive', from: CACHE, message: { type: 'indexResponse', requestId: 0, view: viewOf([[3, 30, 700]]) } });
    r.handle(6, { type: 'receive', from: CACHE, message: { type: 'requestFailed', requestId: 0, fileId: 3, versionKey: 30 } });
    const retry = sends(r.handle(P, { type: 'timer', timer: 'poll' })).map((s) => s.message.type);
    expect(retry).toEqual(['fileGet', 'indexGet']);
  });

  it('asks again after a restart for a download that was in flight when it stopped', () => {
    const r = started();
    r.handle(5, { type: 'receive', from: CACHE, message: { type: 'indexResponse', requestId: 0, view: viewOf([[3, 30, 700]]) } });
    r.handle(6, { type: 'command', command: { type: 'stop' } });
    r.handle(7, { type: 'command', command: { type: 'start' } });
    expect(sends(r.handle(P, { type: 'timer', timer: 'poll' })).map((s) => s.message)).toEqual([
      { type: 'fileGet', requestId: 0, fileId: 3, versionKey: 30, sizeBytes: 700 },
      expect.objectContaining({ type: 'indexGet' }),
    ]);
  });

  it('stops polling when stopped (edge outage)', () => {
    const r = started();
    expect(r.handle(5, { type: 'command', command: { type: 'stop' } })).toEqual([{ type: 'clearTimer', timer: 'poll' }]);
    expect(r.handle(6, { type: 'timer', timer: 'poll' })).toEqual([]);
  });

  it('asks again at its next poll for the files it was waiting for when its cache went down', () => {
    const r = started();
    const view = viewOf([[1, 10, 500], [2, 20, 600]]);
    r.handle(5, { type: 'receive', from: CACHE, message: { type: 'indexResponse', requestId: 0, view } });
    // The cache is lost with both requests waiting on it; nothing is sent until the next poll.
    expect(r.handle(6, { type: 'command', command: { type: 'cacheLost' } })).toEqual([]);
    const poll = sends(r.handle(7, { type: 'timer', timer: 'poll' })).map((s) => s.message);
    expect(poll).toEqual([
      { type: 'fileGet', requestId: 0, fileId: 2, versionKey: 20, sizeBytes: 600 },
      { type: 'fileGet', requestId: 0, fileId: 1, versionKey: 10, sizeBytes: 500 },
      { type: 'indexGet', requestId: 0, ifModifiedSinceUs: view.lastModifiedUs, heldOriginSp: view.originSp },
    ]);
  });
});
