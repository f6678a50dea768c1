// The engine's Receivers keep their polls in order of (next poll, place) in a ring (engine-receivers.ts
// setNextPoll): held here, after every change, to the order a plain sort gives, through random starts, stops, polls
// (the first Receiver moving a whole interval later) and pushes that bring a poll forward, including ties in time.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { LogIndexes } from '../../src/world/cluster/log-index.js';
import { FleetTables } from '../../src/world/cluster/fleet-tables.js';
import { ClusterReceivers } from '../../src/world/cluster/engine-receivers.js';

const FILES = 4;

/** The place that should poll first by (next poll, place), -1 when none runs. */
function expectedFirst(receivers: ClusterReceivers): number {
  let best = -1;
  for (let i = 0; i < receivers.count; i++) {
    const atUs = receivers.nextPollOf(i);
    if (atUs === Infinity) continue;
    if (best < 0 || atUs < receivers.nextPollOf(best)) best = i;
  }
  return best;
}

function checkOrder(tables: FleetTables, receivers: ClusterReceivers): void {
  // The ring read from its head is sorted by (next poll, place), and every place is where orderSlot says.
  const count = receivers.count;
  const first = receivers.earliestPoll();
  expect(first).toBe(expectedFirst(receivers));
  const base = receivers.base;
  const places: number[] = [];
  for (let at = 0; at < count; at++) {
    const place = tables.pollOrder[base + at] as number;
    expect(tables.orderSlot[base + place]).toBe(at);
    places.push(place);
  }
  expect([...places].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
  if (first >= 0) {
    const ranked: number[] = [];
    const start = tables.orderSlot[base + first] as number;
    for (let k = 0; k < count; k++) ranked.push(tables.pollOrder[base + ((start + k) % count)] as number);
    const sorted = [...ranked].sort((a, b) => receivers.nextPollOf(a) - receivers.nextPollOf(b) || a - b);
    expect(ranked).toEqual(sorted);
  }
}

describe('the order of a cluster\'s polls', () => {
  for (const count of [1, 2, 3, 9, 50]) {
    it(`stays sorted by (next poll, place) through starts, stops, polls and pushes, ${count} Receivers`, () => {
      const rng = seedrandom(`poll-order-${count}`);
      const tables = new FleetTables();
      // Another cluster first, so that this one's slots do not start at 0.
      new ClusterReceivers(3, FILES, 1, 0, { fileCount: FILES, pollIntervalUs: 30e6, pollJitter: 0.1 }, new LogIndexes(FILES), new Float64Array(3), tables);
      const receivers = new ClusterReceivers(count, FILES, 7, 3, { fileCount: FILES, pollIntervalUs: 1_000, pollJitter: 0.5 }, new LogIndexes(FILES), new Float64Array(count), tables);
      let nowUs = 0;
      for (let i = 0; i < count; i++) if (rng() < 0.8) receivers.start(nowUs, i);
      checkOrder(tables, receivers);
      for (let step = 0; step < 3_000; step++) {
        const roll = rng();
        const i = Math.floor(rng() * count);
        const first = receivers.earliestPoll();
        if (roll < 0.6 && first >= 0) {
          nowUs = Math.max(nowUs, receivers.nextPollOf(first));
          receivers.chooseNextPoll(nowUs, first);
        } else if (roll < 0.7) {
          if (!receivers.isRunning(i)) receivers.start(nowUs, i);
        } else if (roll < 0.8) {
          if (receivers.isRunning(i)) receivers.stop(i);
        } else {
          // A push brings a poll to now: several Receivers then tie on the same time.
          receivers.pollNow(nowUs, i);
        }
        checkOrder(tables, receivers);
      }
    });
  }
});
