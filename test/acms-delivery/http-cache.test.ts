import { describe, expect, it } from 'vitest';
import { HttpCache, TIMEOUT_TIMER } from '../../src/acms/http-cache.js';
import type { DeliveryMessage } from '../../src/acms/delivery-messages.js';
import { sends, snapshotWith, timers } from './support.js';

const PARENT = 10;
const SP0 = 0;
const SP1 = 1;
const TTL = 30_000_000;
const TIMEOUT = 5_000_000;
const RECEIVER_A = 100;
const RECEIVER_B = 101;

function cache(): HttpCache {
  return new HttpCache({
    upstreams: [PARENT, SP0, SP1], indexTtlUs: TTL, requestTimeoutUs: TIMEOUT, upstreamBackoffUs: 60_000_000, minThroughputBytesPerS: 100_000,
  });
}

const get = (ims: number, heldOriginSp = 0): DeliveryMessage => ({ type: 'indexGet', requestId: 0, ifModifiedSinceUs: ims, heldOriginSp });
const fileGet = (key: number): DeliveryMessage => ({ type: 'fileGet', requestId: 0, fileId: 1, versionKey: key, sizeBytes: 0 });

/** A cache holding a fresh root fetched at time 0 (its request went to the parent as request 1). */
function primed() {
  const c = cache();
  const snapshot = snapshotWith([[1, 10, 500]]);
  c.handle(0, { type: 'receive', from: RECEIVER_A, message: get(-1) });
  c.handle(0, { type: 'receive', from: PARENT, message: { type: 'indexResponse', requestId: 1, view: snapshot.view() } });
  return { c, snapshot };
}

describe('HttpCache: the root index', () => {
  it('answers If-Modified-Since from a fresh entry: 200 when the client is older, 304 when it is not', () => {
    const { c, snapshot } = primed();
    const lm = snapshot.lastModifiedUs;
    expect(sends(c.handle(1, { type: 'receive', from: RECEIVER_B, message: get(lm - 1) }))[0]?.message.type).toBe('indexResponse');
    expect(sends(c.handle(2, { type: 'receive', from: RECEIVER_B, message: get(lm) }))[0]?.message.type).toBe('indexNotModified');
    expect(c.hits).toBe(2);
  });

  it('revalidates upstream with its own Last-Modified once the TTL has expired, and a 304 refreshes the entry', () => {
    const { c, snapshot } = primed();
    const lm = snapshot.lastModifiedUs;
    const outputs = c.handle(TTL, { type: 'receive', from: RECEIVER_B, message: get(lm) });
    expect(sends(outputs)).toEqual([{ to: PARENT, message: { type: 'indexGet', requestId: 2, ifModifiedSinceUs: lm, heldOriginSp: 0 }, sizeBytes: 400 }]);
    const answered = sends(c.handle(TTL + 100, { type: 'receive', from: PARENT, message: { type: 'indexNotModified', requestId: 2, lastModifiedUs: lm } }));
    expect(answered).toEqual([{ to: RECEIVER_B, message: { type: 'indexNotModified', requestId: 0, lastModifiedUs: -1 }, sizeBytes: 250 }]);
    expect(sends(c.handle(TTL + 200, { type: 'receive', from: RECEIVER_A, message: get(lm) }))[0]?.to).toBe(RECEIVER_A);
    // Fresh for one TTL from the 304: answered from the cache just before, revalidated upstream at its end.
    expect(sends(c.handle(TTL + 100 + TTL - 1, { type: 'receive', from: RECEIVER_A, message: get(lm) }))[0]?.to).toBe(RECEIVER_A);
    expect(sends(c.handle(TTL + 100 + TTL, { type: 'receive', from: RECEIVER_A, message: get(lm) }))[0]?.to).toBe(PARENT);
  });

  it('answers in full a requester that holds another SP\'s index, whatever its If-Modified-Since', () => {
    const { c, snapshot } = primed();
    const lm = snapshot.lastModifiedUs;
    expect(sends(c.handle(1, { type: 'receive', from: RECEIVER_B, message: get(lm + 1e9, 7) }))[0]?.message.type).toBe('indexResponse');
    expect(sends(c.handle(2, { type: 'receive', from: RECEIVER_B, message: get(lm) }))[0]?.message.type).toBe('indexNotModified');
  });

  it('serves a newer index after revalidation returns 200', () => {
    const { c, snapshot } = primed();
    const oldLm = snapshot.lastModifiedUs;
    snapshot.install(2, 20, 100, 5000);
    c.handle(TTL, { type: 'receive', from: RECEIVER_A, message: get(oldLm) });
    const out = sends(c.handle(TTL + 1, { type: 'receive', from: PARENT, message: { type: 'indexResponse', requestId: 2, view: snapshot.view() } }));
    expect(out[0]?.message).toMatchObject({ type: 'indexResponse', view: { length: 2 } });
  });
});

describe('HttpCache: data files', () => {
  it('coalesces concurrent misses for one version into one upstream request, then serves from the cache', () => {
    const c = cache();
    const first = sends(c.handle(0, { type: 'receive', from: RECEIVER_A, message: fileGet(10) }));
    expect(first).toEqual([{ to: PARENT, message: { type: 'fileGet', requestId: 1, fileId: 1, versionKey: 10, sizeBytes: 0 }, sizeBytes: 400 }]);
    expect(sends(c.handle(1, { type: 'receive', from: RECEIVER_B, message: fileGet(10) }))).toEqual([]);
    const answered = sends(c.handle(2, {
      type: 'receive', from: PARENT, message: { type: 'fileResponse', requestId: 1, fileId: 1, versionKey: 10, found: true, sizeBytes: 5000 },
    }));
    expect(answered.map((s) => s.to)).toEqual([RECEIVER_A, RECEIVER_B]);
    expect(answered[0]?.sizeBytes).toBe(5250);
    const hit = sends(c.handle(3, { type: 'receive', from: RECEIVER_A, message: fileGet(10) }));
    expect(hit).toEqual([{ to: RECEIVER_A, message: { type: 'fileResponse', requestId: 0, fileId: 1, versionKey: 10, found: true, sizeBytes: 5000 }, sizeBytes: 5250 }]);
  });

  it('fails over to the next upstream on a timeout and backs off from the one that failed', () => {
    const c = cache();
    const armed = c.handle(0, { type: 'receive', from: RECEIVER_A, message: fileGet(10) });
    expect(timers(armed)).toEqual([{ timer: TIMEOUT_TIMER, atUs: TIMEOUT }]);
    const retried = c.handle(TIMEOUT, { type: 'timer', timer: TIMEOUT_TIMER });
    expect(sends(retried)[0]).toMatchObject({ to: SP0, message: { type: 'fileGet', requestId: 1 } });
    c.handle(TIMEOUT + 10, { type: 'receive', from: SP0, message: { type: 'fileResponse', requestId: 1, fileId: 1, versionKey: 10, found: true, sizeBytes: 1 } });
    // The parent is still backed off: the next miss goes straight to the nearest SP.
    expect(sends(c.handle(TIMEOUT + 20, { type: 'receive', from: RECEIVER_A, message: fileGet(11) }))[0]?.to).toBe(SP0);
  });

  it('keeps only the newest version of a file, unless told to keep older ones (as parent sites are)', () => {
    for (const keepOlderVersions of [false, true]) {
      const c = new HttpCache({
        upstreams: [PARENT], indexTtlUs: TTL, requestTimeoutUs: TIMEOUT, upstreamBackoffUs: 1, minThroughputBytesPerS: 100_000, keepOlderVersions,
      });
      for (const [requestId, key] of [[1, 10], [2, 11]] as const) {
        c.handle(requestId, { type: 'receive', from: RECEIVER_A, message: fileGet(key) });
        c.handle(requestId, { type: 'receive', from: PARENT, message: { type: 'fileResponse', requestId, fileId: 1, versionKey: key, found: true, sizeBytes: key * 100 } });
      }
      // A hit is answered to the requester; a miss goes upstream.
      const answerTo = (key: number): number | undefined => sends(c.handle(10, { type: 'receive', from: RECEIVER_A, message: fileGet(key) }))[0]?.to;
      expect(answerTo(11)).toBe(RECEIVER_A);
      expect(answerTo(10)).toBe(keepOlderVersions ? RECEIVER_A : PARENT);
    }
  });

  it('answers an older version it keeps with that version\'s own size, not the newest one\'s', () => {
    const c = new HttpCache({
      upstreams: [PARENT], indexTtlUs: TTL, requestTimeoutUs: TIMEOUT, upstreamBackoffUs: 1, minThroughputBytesPerS: 100_000, keepOlderVersions: true,
    });
    for (const [requestId, key] of [[1, 10], [2, 11]] as const) {
      c.handle(requestId, { type: 'receive', from: RECEIVER_A, message: fileGet(key) });
      c.handle(requestId, { type: 'receive', from: PARENT, message: { type: 'fileResponse', requestId, fileId: 1, versionKey: key, found: true, sizeBytes: key * 100 } });
    }
    const older = sends(c.handle(10, { type: 'receive', from: RECEIVER_A, message: fileGet(10) }))[0];
    expect(older?.message).toMatchObject({ type: 'fileResponse', versionKey: 10, sizeBytes: 1000 });
    expect(older?.sizeBytes).toBe(1250);
  });

  it('allows a large download time in proportion to its size before giving up on it', () => {
    const c = cache();
    const armed = c.handle(0, { type: 'receive', from: RECEIVER_A, message: { type: 'fileGet', requestId: 0, fileId: 1, versionKey: 10, sizeBytes: 50_000_000 } });
    expect(timers(armed)).toEqual([{ timer: TIMEOUT_TIMER, atUs: TIMEOUT + 500_000_000 }]);
  });

  it('tries the next upstream when one does not have the file, and fails the waiters when none answers', () => {
    const c = cache();
    c.handle(0, { type: 'receive', from: RECEIVER_A, message: fileGet(10) });
    const next = sends(c.handle(1, { type: 'receive', from: PARENT, message: { type: 'fileResponse', requestId: 1, fileId: 1, versionKey: 10, found: false, sizeBytes: 0 } }));
    expect(next[0]?.to).toBe(SP0);
    c.handle(TIMEOUT + 1, { type: 'timer', timer: TIMEOUT_TIMER });
    const failed = sends(c.handle(2 * TIMEOUT + 1, { type: 'timer', timer: TIMEOUT_TIMER }));
    expect(failed).toEqual([{ to: RECEIVER_A, message: { type: 'requestFailed', requestId: 0, fileId: 1, versionKey: 10 }, sizeBytes: 250 }]);
  });
});
