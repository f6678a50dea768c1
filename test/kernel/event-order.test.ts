// The kernel runs events in (time, order scheduled) order, whatever the queue's layout: held here to a plain list
// sorted the same way, over random schedules with ties, times past 2^31 us (which V8 does not keep as small
// integers), cancellations (compacted once they outnumber the live events), events scheduled from handlers, and
// more events pending at once than the queue's first allocation of slots.
import { describe, expect, it } from 'vitest';
import { RandomStreams, Simulator, uniformInt, type EventTarget } from '../../src/kernel/index.js';

interface Planned { timeUs: number; order: number; id: number; cancelled: boolean }

describe('the kernel\'s event order', () => {
  it('is (time, order scheduled), against a sorted list, over random schedules', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const rng = new RandomStreams(seed).stream('event-order');
      const sim = new Simulator();
      const startUs = 2 ** 33;
      const planned: Planned[] = [];
      const tokens: number[] = [];
      const fired: number[] = [];
      let order = 0;
      const schedule = (timeUs: number): void => {
        const id = planned.length;
        planned.push({ timeUs, order: order++, id, cancelled: false });
        tokens.push(sim.scheduleAt(timeUs, target, 0, id));
      };
      const target: EventTarget = {
        targetId: 1,
        onEvent(nowUs: number, _kind: number, arg: unknown) {
          fired.push(arg as number);
          expect(nowUs).toBe((planned[arg as number] as Planned).timeUs);
          // Some handlers schedule more, at the same time (a tie with events already queued) or later.
          if (fired.length < 20_000 && rng() < 0.5) schedule(nowUs + (rng() < 0.3 ? 0 : uniformInt(rng, 1, 50)));
        },
      };
      sim.scheduleAt(startUs, { targetId: 2, onEvent() {} });
      sim.run();
      // 10,000 pending at once, in few distinct times so that ties are common.
      for (let k = 0; k < 10_000; k++) schedule(startUs + uniformInt(rng, 0, 400));
      // Cancel seven in ten: past the compaction threshold, so the queue is rebuilt without them.
      for (let k = 0; k < 10_000; k++) {
        if (rng() < 0.7) {
          (planned[k] as Planned).cancelled = true;
          sim.cancel(tokens[k] as number);
        }
      }
      // The dead events were dropped in one pass once they outnumbered the live ones (those cancelled after it wait).
      expect(sim.pendingCount).toBeLessThan(6_000);
      sim.run();
      const expected = planned.filter((p) => !p.cancelled).sort((a, b) => a.timeUs - b.timeUs || a.order - b.order).map((p) => p.id);
      expect(fired).toEqual(expected);
      expect(sim.pendingCount).toBe(0);
    }
  });
});
