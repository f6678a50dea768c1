import { describe, expect, it } from 'vitest';
import { Simulator, RandomStreams, uniformInt, type EventTarget } from '../../src/kernel/index.js';
import { HeldEvents } from '../../src/kernel/held-events.js';

/**
 * A script of many processes: ordinary targets that schedule each other, and one "schedule" target with many far-off
 * events that, when one fires, adds the next (as the fault schedule does). Times are coarse so that ties are common.
 * held: the schedule's events go through HeldEvents; otherwise straight into the kernel.
 */
function runScript(seed: number, held: boolean): { order: string[]; fingerprint: number; processed: number } {
  const sim = new Simulator();
  const rng = new RandomStreams(seed).stream('script');
  const order: string[] = [];
  const ordinary: EventTarget[] = [];
  const schedule: EventTarget & { held?: HeldEvents } = {
    targetId: 1000,
    onEvent(nowUs, kind, arg) {
      schedule.held?.fired();
      order.push(`s${kind}:${String(arg)}@${nowUs}`);
      // What a transition does to others (a cluster woken at once), then the entity's next transition.
      sim.scheduleAt(nowUs + uniformInt(rng, 0, 2) * 10, ordinary[uniformInt(rng, 0, ordinary.length - 1)] as EventTarget, 7);
      const count = uniformInt(rng, 0, 2);
      for (let k = 0; k < count; k++) add(nowUs + uniformInt(rng, 0, 40) * 10, kind === 1 ? 2 : 1, arg);
      schedule.held?.arm();
    },
  };
  const add = (atUs: number, kind: number, arg: unknown): void => {
    if (held) (schedule.held as HeldEvents).add(atUs, kind, arg);
    else sim.scheduleAt(atUs, schedule, kind, arg);
  };
  if (held) schedule.held = new HeldEvents(sim, schedule);
  for (let i = 0; i < 20; i++) {
    ordinary.push({
      targetId: i,
      onEvent(nowUs, kind) {
        order.push(`${i}:${kind}@${nowUs}`);
        if (rng() < 0.9) sim.scheduleAt(nowUs + uniformInt(rng, 0, 5) * 10, ordinary[uniformInt(rng, 0, 19)] as EventTarget, kind);
      },
    });
  }
  for (let i = 0; i < 20; i++) sim.scheduleAt(uniformInt(rng, 0, 10) * 10, ordinary[i] as EventTarget, i);
  for (let e = 0; e < 200; e++) add(uniformInt(rng, 0, 300) * 10, 1, e);
  schedule.held?.arm();
  sim.run({ untilUs: 3000 });
  return { order, fingerprint: sim.fingerprint, processed: sim.eventsProcessed };
}

describe('HeldEvents', () => {
  it('runs held events where the kernel runs the same events scheduled directly: same order, same fingerprint', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const direct = runScript(seed, false);
      const held = runScript(seed, true);
      expect(held.order.length).toBeGreaterThan(300);
      expect(held.order).toEqual(direct.order);
      expect(held.fingerprint).toBe(direct.fingerprint);
      expect(held.processed).toBe(direct.processed);
    }
  });

  it('keeps only one of its events in the kernel\'s queue', () => {
    const sim = new Simulator();
    const target: EventTarget & { held?: HeldEvents } = { targetId: 1, onEvent: () => { target.held?.fired(); target.held?.arm(); } };
    target.held = new HeldEvents(sim, target);
    for (let k = 0; k < 1000; k++) target.held.add(1000 + k, 1, k);
    target.held.arm();
    expect(sim.pendingCount).toBe(1);
    expect(target.held.size).toBe(1000);
    sim.run();
    expect(sim.eventsProcessed).toBe(1000);
    expect(target.held.size).toBe(0);
  });

  it('refuses an event added while one is in the kernel\'s queue, and a number that was never reserved', () => {
    const sim = new Simulator();
    const target: EventTarget = { targetId: 1, onEvent: () => {} };
    const held = new HeldEvents(sim, target);
    held.add(10, 1, null);
    held.arm();
    expect(() => held.add(5, 1, null)).toThrow(/only while none/);
    expect(() => sim.scheduleReserved(10, 999, target)).toThrow(/not reserved/);
  });
});
