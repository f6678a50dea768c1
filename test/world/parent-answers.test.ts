// ParentAnswers against the parent's own machine: a parent HttpCache is fed random requests from clusters, random
// answers from two SPs (either index, 304s, files found or not), time-outs and wipes, and ParentAnswers sees only what
// ParentSites shows it (the machine's sends and observations). Whenever it calls a request settled, the answer it
// gives is the machine's, to the field and the byte on the wire.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { HttpCache, TIMEOUT_TIMER, type HttpCacheObservation } from '../../src/acms/http-cache.js';
import type { DeliveryMessage } from '../../src/acms/delivery-messages.js';
import { Snapshot, type SnapshotView } from '../../src/acms/snapshot.js';
import type { MachineOutput } from '../../src/kernel/machine.js';
import { ParentAnswers } from '../../src/world/parent-answers.js';

const SPS = [0, 1];
const CLUSTERS = [100, 101, 102];
const TTL_US = 30_000_000;
const BIG = 200_000;

type Output = MachineOutput<DeliveryMessage, HttpCacheObservation>;
type Input = Parameters<HttpCache['handle']>[1];

interface Counts { fileAnswers: number; fullIndexes: number; notModified: number; bulk: number }

function run(seed: number, cutThrough: boolean, counts: Counts): void {
  const rng = seedrandom.alea(`parent-answers/${seed}`);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  const cache = new HttpCache({
    upstreams: SPS, indexTtlUs: TTL_US, requestTimeoutUs: 5_000_000, upstreamBackoffUs: 60_000_000,
    minThroughputBytesPerS: 100_000, keepOlderVersions: true, ...(cutThrough ? { cutThroughMinBytes: 64_000 } : {}),
  });
  const answers = new ParentAnswers(1, TTL_US);
  const snapshots = SPS.map((sp) => new Snapshot(sp, 8, 0));
  const pastViews = snapshots.map((snapshot) => [snapshot.view()]);
  const versions: { fileId: number; versionKey: number; sizeBytes: number }[] = [];
  /** The cache's requests upstream not answered yet: request id to what was asked. */
  const upstream = new Map<number, DeliveryMessage>();
  let nowUs = 0;
  let nextRequestId = 1;
  let nextKey = 1;

  const feed = (input: Input): readonly Output[] => {
    const outputs = cache.handle(nowUs, input);
    const received = input.type === 'receive' ? input.message : null;
    for (const output of outputs) {
      if (output.type === 'send') {
        answers.observe(0, nowUs, received, output.message);
        if (SPS.includes(output.to) && 'requestId' in output.message) upstream.set(output.message.requestId, output.message);
      }
      if (output.type === 'observe' && output.observation.type === 'forwardDone') {
        answers.forwarded(0, output.observation.versionKey, output.observation.sizeBytes);
      }
    }
    if (input.type === 'command') answers.wiped(0);
    return outputs;
  };

  const ask = (message: DeliveryMessage): void => {
    const from = pick(CLUSTERS);
    const settled = answers.settledAt(0, nowUs, message);
    const hitsBefore = cache.hits;
    const known = settled && answers.answer(0, message);
    expect(known, `seed ${seed}: settled ${settled}`).toBe(settled);
    if (known) answers.countHit(0); // as ParentSites does when it sends the answer
    const outputs = feed({ type: 'receive', from, message });
    if (!settled) return;
    expect(cache.hits).toBe(hitsBefore + 1);
    expect(outputs.length).toBe(1);
    const send = outputs[0] as Extract<Output, { type: 'send' }>;
    expect(send.to).toBe(from);
    expect({ ...send.message }).toEqual({ ...(answers.answerMessage as DeliveryMessage) });
    if (send.message.type === 'indexResponse' && answers.answerMessage?.type === 'indexResponse') {
      expect(answers.answerMessage.view).toBe(send.message.view);
    }
    expect(send.sizeBytes).toBe(answers.answerSizeBytes);
    if (send.message.type === 'fileResponse') {
      counts.fileAnswers++;
      if (send.message.sizeBytes >= 64_000) counts.bulk++;
    } else if (send.message.type === 'indexResponse') counts.fullIndexes++;
    else counts.notModified++;
  };

  for (let step = 0; step < 3_000; step++) {
    // Whole seconds, so that requests often come exactly when the root index's TTL runs out.
    nowUs += Math.floor(rng() * 8) * 1_000_000;
    const roll = rng();
    if (roll < 0.15) {
      // A submission becomes visible at one SP or both (the other may lag: fail-over then sees an older index).
      const fileId = Math.floor(rng() * 6);
      const version = { fileId, versionKey: nextKey++, sizeBytes: rng() < 0.3 ? BIG : 1_000 + Math.floor(rng() * 5_000) };
      versions.push(version);
      SPS.forEach((sp) => {
        if (rng() < 0.8 && (snapshots[sp] as Snapshot).install(fileId, version.versionKey, version.sizeBytes, nowUs)) (pastViews[sp] as SnapshotView[]).push((snapshots[sp] as Snapshot).view());
      });
    } else if (roll < 0.45) {
      const held = rng() < 0.5 ? { ifModifiedSinceUs: -1, heldOriginSp: -1 } : { ifModifiedSinceUs: pick(pastViews[pick(SPS)] as SnapshotView[]).lastModifiedUs, heldOriginSp: pick(SPS) };
      ask({ type: 'indexGet', requestId: nextRequestId++, ...held });
    } else if (roll < 0.75) {
      if (versions.length === 0) continue;
      const version = pick(versions);
      ask({ type: 'fileGet', requestId: nextRequestId++, ...version });
    } else if (roll < 0.95) {
      if (upstream.size === 0) continue;
      const [requestId, request] = pick([...upstream]);
      upstream.delete(requestId);
      let answer: DeliveryMessage;
      if (request.type === 'indexGet') {
        // Mostly the SP's index now; sometimes an older one of the same log (the cache keeps the longer one it holds).
        const views = pastViews[pick(SPS)] as SnapshotView[];
        const view = rng() < 0.7 || views.length === 1 ? views[views.length - 1] as SnapshotView : pick(views);
        answer = rng() < 0.3 ? { type: 'indexNotModified', requestId, lastModifiedUs: request.ifModifiedSinceUs } : { type: 'indexResponse', requestId, view };
      } else if (request.type === 'fileGet') {
        const found = rng() < 0.8;
        answer = { type: 'fileResponse', requestId, fileId: request.fileId, versionKey: request.versionKey, found, sizeBytes: found ? request.sizeBytes : 0 };
      } else continue;
      feed({ type: 'receive', from: pick(SPS), message: answer });
    } else if (roll < 0.99) {
      feed({ type: 'timer', timer: TIMEOUT_TIMER });
    } else {
      upstream.clear();
      feed({ type: 'command', command: { type: 'wipe' } });
    }
  }
  expect(answers.hitsOf(0)).toBeGreaterThan(0);
}

describe('ParentAnswers: a settled answer is the parent machine\'s answer', () => {
  for (const cutThrough of [false, true]) {
    it(`over random requests, upstream answers, time-outs and wipes${cutThrough ? ', cut-through' : ''}`, () => {
      const counts: Counts = { fileAnswers: 0, fullIndexes: 0, notModified: 0, bulk: 0 };
      for (let seed = 1; seed <= 20; seed++) run(seed, cutThrough, counts);
      // Every kind of settled answer was compared, many times.
      expect(counts.fileAnswers).toBeGreaterThan(500);
      expect(counts.bulk).toBeGreaterThan(50);
      expect(counts.fullIndexes).toBeGreaterThan(100);
      expect(counts.notModified).toBeGreaterThan(100);
    });
  }
});
