// design.delivery: push (issue 17) in the pure machines, by feeding inputs: the SP's notifier, a cache that
// revalidates when told and tells its children when its index changes, and a Receiver that polls when told.
import { describe, expect, it } from 'vitest';
import { HttpCache } from '../../src/acms/http-cache.js';
import { PushNotifier } from '../../src/acms/push-notifier.js';
import { Receiver } from '../../src/acms/receiver.js';
import { RandomStreams } from '../../src/kernel/random.js';
import type { DeliveryMessage } from '../../src/acms/delivery-messages.js';
import { sends, snapshotWith, timers } from './support.js';

const SP0 = 0;
const PARENT = 10;
const CHILD_A = 20;
const CHILD_B = 21;
const TTL = 30_000_000;
const notify = (seq = 0): DeliveryMessage => ({ type: 'notify', seq });

function pushCache(): HttpCache {
  return new HttpCache({
    upstreams: [SP0], indexTtlUs: TTL, requestTimeoutUs: 5_000_000, upstreamBackoffUs: 60_000_000, minThroughputBytesPerS: 100_000,
    notifyChildren: [CHILD_A, CHILD_B],
  });
}

describe('PushNotifier', () => {
  it('tells every subscriber when the index changes, numbering its notifications', () => {
    const notifier = new PushNotifier([PARENT, PARENT + 1]);
    expect(sends(notifier.handle(5, { type: 'command', command: { type: 'indexChanged' } }))).toEqual([
      { to: PARENT, message: notify(0), sizeBytes: 400 },
      { to: PARENT + 1, message: notify(0), sizeBytes: 400 },
    ]);
    expect(sends(notifier.handle(6, { type: 'command', command: { type: 'indexChanged' } }))[0]?.message).toEqual(notify(1));
  });
});

describe('HttpCache under push', () => {
  it('revalidates at once when told, even with a fresh root, and tells its children when the index changed', () => {
    const c = pushCache();
    const first = snapshotWith([[1, 10, 500]]);
    expect(sends(c.handle(0, { type: 'receive', from: SP0, message: notify() }))).toEqual([
      { to: SP0, message: { type: 'indexGet', requestId: 1, ifModifiedSinceUs: -1, heldOriginSp: -1 }, sizeBytes: 400 },
    ]);
    const told = sends(c.handle(100, { type: 'receive', from: SP0, message: { type: 'indexResponse', requestId: 1, view: first.view() } }));
    expect(told.map((s) => [s.to, s.message.type])).toEqual([[CHILD_A, 'notify'], [CHILD_B, 'notify']]);
    // Fresh now, but told again: it asks again; a 304 changes nothing, so nobody is told.
    expect(sends(c.handle(200, { type: 'receive', from: SP0, message: notify(1) }))[0]?.message.type).toBe('indexGet');
    expect(sends(c.handle(300, { type: 'receive', from: SP0, message: { type: 'indexNotModified', requestId: 2, lastModifiedUs: first.lastModifiedUs } }))).toEqual([]);
  });

  it('asks again after the answer when told while a revalidation was on its way (it may have left before the change)', () => {
    const c = pushCache();
    c.handle(0, { type: 'receive', from: SP0, message: notify() });
    expect(sends(c.handle(10, { type: 'receive', from: SP0, message: notify(1) }))).toEqual([]);
    const snapshot = snapshotWith([[1, 10, 500]]);
    const after = sends(c.handle(100, { type: 'receive', from: SP0, message: { type: 'indexResponse', requestId: 1, view: snapshot.view() } }));
    expect(after.map((s) => s.message.type)).toEqual(['notify', 'notify', 'indexGet']);
    expect(after[2]?.message).toMatchObject({ requestId: 2, ifModifiedSinceUs: snapshot.lastModifiedUs });
  });

  it('ignores notifications without children to tell (the cached design)', () => {
    const c = new HttpCache({ upstreams: [SP0], indexTtlUs: TTL, requestTimeoutUs: 5_000_000, upstreamBackoffUs: 60_000_000, minThroughputBytesPerS: 100_000 });
    expect(c.handle(0, { type: 'receive', from: SP0, message: notify() })).toEqual([]);
  });
});

describe('Receiver under push', () => {
  it('polls at once when told, drawing its next (fall-back) poll as after any poll; a stopped one does not', () => {
    const r = new Receiver({ cache: 50, fileCount: 4, pollIntervalUs: TTL, pollJitter: 0.1, subscribed: null, rng: new RandomStreams(1).stream('r') });
    r.handle(0, { type: 'command', command: { type: 'start' } });
    const outputs = r.handle(7_000_000, { type: 'receive', from: 50, message: notify() });
    expect(sends(outputs)).toEqual([{ to: 50, message: { type: 'indexGet', requestId: 0, ifModifiedSinceUs: -1, heldOriginSp: -1 }, sizeBytes: 400 }]);
    const [timer] = timers(outputs);
    expect(timer?.atUs).toBeGreaterThanOrEqual(7_000_000 + 0.9 * TTL);
    expect(timer?.atUs).toBeLessThanOrEqual(7_000_000 + 1.1 * TTL);
    r.handle(8_000_000, { type: 'command', command: { type: 'stop' } });
    expect(r.handle(9_000_000, { type: 'receive', from: 50, message: notify() })).toEqual([]);
  });
});
