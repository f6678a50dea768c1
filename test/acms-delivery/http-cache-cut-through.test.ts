// HttpCache with cut-through (network.cacheForwarding): a file it is still fetching is answered at once, the
// fetch's end is reported for the host to time those answers, and store-and-forward stays as it was.
import { describe, expect, it } from 'vitest';
import { HttpCache, TIMEOUT_TIMER } from '../../src/acms/http-cache.js';
import type { DeliveryMessage } from '../../src/acms/delivery-messages.js';
import { observations, sends } from './support.js';

const SP0 = 0;
const SP1 = 1;
const CLUSTER_A = 200;
const CLUSTER_B = 201;
const TIMEOUT = 5_000_000;
const BIG = 20_000_000;
const SMALL = 1_000;

function parent(cutThroughMinBytes?: number): HttpCache {
  return new HttpCache({
    upstreams: [SP0, SP1], indexTtlUs: 30_000_000, requestTimeoutUs: TIMEOUT, upstreamBackoffUs: 60_000_000,
    minThroughputBytesPerS: 100_000, keepOlderVersions: true, ...(cutThroughMinBytes === undefined ? {} : { cutThroughMinBytes }),
  });
}

const fileGet = (requestId: number, key: number, sizeBytes: number): DeliveryMessage => ({ type: 'fileGet', requestId, fileId: 1, versionKey: key, sizeBytes });
const found = (requestId: number, key: number, sizeBytes: number): DeliveryMessage => ({ type: 'fileResponse', requestId, fileId: 1, versionKey: key, found: true, sizeBytes });

describe('HttpCache: cut-through', () => {
  it('answers every request for a version it is fetching at once, marked streamed, and fetches it once', () => {
    const c = parent(64_000);
    const first = sends(c.handle(0, { type: 'receive', from: CLUSTER_A, message: fileGet(7, 10, BIG) }));
    expect(first).toEqual([
      { to: SP0, message: { type: 'fileGet', requestId: 1, fileId: 1, versionKey: 10, sizeBytes: BIG }, sizeBytes: 400 },
      { to: CLUSTER_A, message: { type: 'fileResponse', requestId: 7, fileId: 1, versionKey: 10, found: true, sizeBytes: BIG, streamed: true }, sizeBytes: BIG + 250 },
    ]);
    const second = sends(c.handle(1_000, { type: 'receive', from: CLUSTER_B, message: fileGet(3, 10, BIG) }));
    expect(second).toEqual([
      { to: CLUSTER_B, message: { type: 'fileResponse', requestId: 3, fileId: 1, versionKey: 10, found: true, sizeBytes: BIG, streamed: true }, sizeBytes: BIG + 250 },
    ]);
    expect(c.misses).toBe(2);
  });

  it('reports forwardDone when the whole file has arrived, sends nothing more, and then answers from the cache', () => {
    const c = parent(64_000);
    c.handle(0, { type: 'receive', from: CLUSTER_A, message: fileGet(7, 10, BIG) });
    c.handle(1_000, { type: 'receive', from: CLUSTER_B, message: fileGet(3, 10, BIG) });
    const done = c.handle(9_000_000, { type: 'receive', from: SP0, message: found(1, 10, BIG) });
    expect(sends(done)).toEqual([]);
    expect(observations(done)).toEqual([{ type: 'forwardDone', versionKey: 10, sizeBytes: BIG }]);
    const hit = sends(c.handle(9_000_001, { type: 'receive', from: CLUSTER_A, message: fileGet(8, 10, BIG) }));
    expect(hit).toEqual([{ to: CLUSTER_A, message: { type: 'fileResponse', requestId: 8, fileId: 1, versionKey: 10, found: true, sizeBytes: BIG }, sizeBytes: BIG + 250 }]);
    expect(c.hits).toBe(1);
  });

  it('keeps forwarding across a fail-over to the next upstream (the SP did not have the version yet)', () => {
    const c = parent(64_000);
    c.handle(0, { type: 'receive', from: CLUSTER_A, message: fileGet(7, 10, BIG) });
    const notFound: DeliveryMessage = { type: 'fileResponse', requestId: 1, fileId: 1, versionKey: 10, found: false, sizeBytes: 0 };
    const retried = c.handle(200_000, { type: 'receive', from: SP0, message: notFound });
    expect(sends(retried).map((s) => s.to)).toEqual([SP1]);
    expect(observations(retried)).toEqual([]);
    expect(observations(c.handle(5_000_000, { type: 'receive', from: SP1, message: found(1, 10, BIG) }))).toEqual([{ type: 'forwardDone', versionKey: 10, sizeBytes: BIG }]);
  });

  it('reports forwardAborted and fails every requester when no upstream delivers (a truncated response)', () => {
    const c = parent(64_000);
    c.handle(0, { type: 'receive', from: CLUSTER_A, message: fileGet(7, 10, BIG) });
    c.handle(1_000, { type: 'receive', from: CLUSTER_B, message: fileGet(3, 10, BIG) });
    const allowanceUs = Math.round((BIG * 1e6) / 100_000);
    // Each time-out gives up on the upstream it asked (the host stops that answer's bytes), then tries the next.
    expect(observations(c.handle(TIMEOUT + allowanceUs, { type: 'timer', timer: TIMEOUT_TIMER }))).toEqual([{ type: 'abandoned', target: SP0, requestId: 1, sizeBytes: BIG }]);
    const failed = c.handle(2 * (TIMEOUT + allowanceUs), { type: 'timer', timer: TIMEOUT_TIMER });
    expect(observations(failed)).toEqual([{ type: 'abandoned', target: SP1, requestId: 1, sizeBytes: BIG }, { type: 'forwardAborted', versionKey: 10 }]);
    expect(sends(failed)).toEqual([
      { to: CLUSTER_A, message: { type: 'requestFailed', requestId: 7, fileId: 1, versionKey: 10 }, sizeBytes: 250 },
      { to: CLUSTER_B, message: { type: 'requestFailed', requestId: 3, fileId: 1, versionKey: 10 }, sizeBytes: 250 },
    ]);
  });

  it('reports forwardAborted for every version it was forwarding when wiped', () => {
    const c = parent(64_000);
    c.handle(0, { type: 'receive', from: CLUSTER_A, message: fileGet(7, 10, BIG) });
    c.handle(0, { type: 'receive', from: CLUSTER_A, message: fileGet(8, 11, SMALL) });
    expect(observations(c.handle(1_000, { type: 'command', command: { type: 'wipe' } }))).toEqual([{ type: 'forwardAborted', versionKey: 10 }]);
  });

  it('stores and forwards a file below cutThroughMinBytes, as without cut-through', () => {
    const c = parent(64_000);
    expect(sends(c.handle(0, { type: 'receive', from: CLUSTER_A, message: fileGet(7, 11, SMALL) })).map((s) => s.to)).toEqual([SP0]);
    const answered = c.handle(300_000, { type: 'receive', from: SP0, message: found(1, 11, SMALL) });
    expect(observations(answered)).toEqual([]);
    expect(sends(answered)).toEqual([{ to: CLUSTER_A, message: { type: 'fileResponse', requestId: 7, fileId: 1, versionKey: 11, found: true, sizeBytes: SMALL }, sizeBytes: SMALL + 250 }]);
  });

  it('without the option stores the whole file first (store-and-forward) and reports nothing', () => {
    const c = parent();
    expect(sends(c.handle(0, { type: 'receive', from: CLUSTER_A, message: fileGet(7, 10, BIG) })).map((s) => s.to)).toEqual([SP0]);
    expect(sends(c.handle(1_000, { type: 'receive', from: CLUSTER_B, message: fileGet(3, 10, BIG) }))).toEqual([]);
    const answered = c.handle(9_000_000, { type: 'receive', from: SP0, message: found(1, 10, BIG) });
    expect(observations(answered)).toEqual([]);
    expect(sends(answered).map((s) => [s.to, s.message.type])).toEqual([[CLUSTER_A, 'fileResponse'], [CLUSTER_B, 'fileResponse']]);
  });
});
