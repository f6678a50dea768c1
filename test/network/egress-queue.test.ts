// The egress queue in virtual time (src/network/egress-queue.ts) against the plain water-filling it stands for:
// every transfer's rate recomputed at every change, every remaining byte count charged at every step.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { EgressQueue } from '../../src/network/egress-queue.js';
import { EgressSlots } from '../../src/network/egress-slots.js';

interface Flow { slot: number; capBytesPerS: number; remainingBytes: number; rateBytesPerS: number }

/** The reference: max-min fair shares with caps, recomputed from scratch. */
function share(flows: Flow[], capacityBytesPerS: number): void {
  const order = [...flows].sort((a, b) => a.capBytesPerS - b.capBytesPerS || a.slot - b.slot);
  let left = capacityBytesPerS;
  let k = 0;
  for (; k < order.length; k++) {
    const flow = order[k] as Flow;
    if (flow.capBytesPerS > left / (order.length - k)) break;
    flow.rateBytesPerS = flow.capBytesPerS;
    left -= flow.capBytesPerS;
  }
  for (let i = k; i < order.length; i++) (order[i] as Flow).rateBytesPerS = left / (order.length - k);
}

/** Finish times (us) of transfers joining at given times, by the reference, stepping from change to change. */
function referenceFinishes(joins: { atUs: number; capBytesPerS: number; bytes: number }[], capacityBytesPerS: number): number[] {
  const finishes = new Array<number>(joins.length).fill(NaN);
  const active: Flow[] = [];
  let nowUs = 0;
  let next = 0;
  while (next < joins.length || active.length > 0) {
    share(active, capacityBytesPerS);
    let finishUs = Infinity;
    for (const flow of active) finishUs = Math.min(finishUs, nowUs + (flow.remainingBytes * 1e6) / flow.rateBytesPerS);
    const joinUs = next < joins.length ? (joins[next] as { atUs: number }).atUs : Infinity;
    const stepUs = Math.min(finishUs, joinUs);
    for (const flow of active) flow.remainingBytes -= (flow.rateBytesPerS * (stepUs - nowUs)) / 1e6;
    nowUs = stepUs;
    for (let i = active.length - 1; i >= 0; i--) {
      const flow = active[i] as Flow;
      if (flow.remainingBytes <= flow.rateBytesPerS * 1e-6) {
        finishes[flow.slot] = nowUs;
        active.splice(i, 1);
      }
    }
    while (next < joins.length && (joins[next] as { atUs: number }).atUs === nowUs) {
      const join = joins[next] as { capBytesPerS: number; bytes: number };
      active.push({ slot: next, capBytesPerS: join.capBytesPerS, remainingBytes: join.bytes, rateBytesPerS: 0 });
      next++;
    }
  }
  return finishes;
}

function queueFinishes(joins: { atUs: number; capBytesPerS: number; bytes: number }[], capacityBytesPerS: number): number[] {
  const store = new EgressSlots();
  store.grow(joins.length);
  const queue = new EgressQueue(0, capacityBytesPerS, store, 0);
  const finishes = new Array<number>(joins.length).fill(NaN);
  const done: number[] = [];
  let next = 0;
  let nowUs = 0;
  while (next < joins.length || queue.length > 0) {
    const finishUs = queue.nextFinishUs(nowUs);
    const joinUs = next < joins.length ? (joins[next] as { atUs: number }).atUs : Infinity;
    if (finishUs <= joinUs) {
      nowUs = finishUs;
      queue.takeFinished(nowUs, done);
      for (const slot of done) finishes[slot] = nowUs;
      continue;
    }
    nowUs = joinUs;
    const join = joins[next] as { capBytesPerS: number; bytes: number };
    store.capBytesPerS[next] = join.capBytesPerS;
    queue.add(nowUs, next, join.bytes);
    next++;
  }
  return finishes;
}

describe('EgressQueue: water-filling in virtual time', () => {
  it('gives every transfer the finish time of the plain water-filling, over random joins and caps', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rng = seedrandom.alea(`egress-${seed}`);
      const capacityBytesPerS = 1e6 * (1 + Math.floor(rng() * 100));
      const joins: { atUs: number; capBytesPerS: number; bytes: number }[] = [];
      let atUs = 0;
      const count = 5 + Math.floor(rng() * 200);
      for (let i = 0; i < count; i++) {
        atUs += Math.floor(rng() * 2e5);
        // A few distinct caps (paths of similar length share one), sometimes far above the sender's capacity.
        const capBytesPerS = [2e5, 1e6, 5e6, 3e7][Math.floor(rng() * 4)] as number;
        joins.push({ atUs, capBytesPerS, bytes: 1e4 + Math.floor(rng() * 5e7) });
      }
      const expected = referenceFinishes(joins, capacityBytesPerS);
      const actual = queueFinishes(joins, capacityBytesPerS);
      for (let i = 0; i < count; i++) {
        expect(Math.abs((actual[i] as number) - (expected[i] as number)), `seed ${seed}, transfer ${i}`).toBeLessThan(1 + 1e-9 * (expected[i] as number));
      }
    }
  });

  it('sends at the caps while the sender is not saturated, and splits it equally once it is', () => {
    const store = new EgressSlots();
    store.grow(3);
    const queue = new EgressQueue(0, 3e6, store, 0);
    store.capBytesPerS[0] = 1e6;
    store.capBytesPerS[1] = 1e6;
    queue.add(0, 0, 1e6);
    queue.add(0, 1, 2e6);
    expect(queue.nextFinishUs(0)).toBe(1e6); // both at their cap of 1 MB/s
    store.capBytesPerS[2] = 1e8;
    queue.add(0, 2, 1e6); // the uncapped one takes what is left: 1 MB/s
    expect(queue.nextFinishUs(0)).toBe(1e6);
    const done: number[] = [];
    queue.takeFinished(1e6, done);
    expect(done).toEqual([0, 2]);
    expect(queue.nextFinishUs(1e6)).toBe(2e6);
  });
});
