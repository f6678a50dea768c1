// StandingEvents against the kernel's own scheduleAt and cancel: the same random script of standing events that
// move, are cleared and fire (from handlers and from outside, at the current time and later, among ordinary events)
// must run the same events in the same order, with the same fingerprint.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { Simulator, type EventTarget } from '../../src/kernel/simulator.js';
import { StandingEvents } from '../../src/kernel/standing-events.js';

const TARGETS = 12;
const SLOTS = 2;
const KIND_ORDINARY = 9;

/** One way of holding each target's standing events: set (replace) or clear slot s of target t. */
interface Holder {
  set(t: number, s: number, atUs: number): void;
  clear(t: number, s: number): void;
  fired(t: number, s: number): void;
}

function runScript(seed: number, grouped: boolean): { log: string[]; fingerprint: number; events: number } {
  const sim = new Simulator();
  const log: string[] = [];
  const rng = seedrandom.alea(`standing-${seed}`);
  let holder: Holder;
  const targets: EventTarget[] = [];
  let lastRunUs = 0;
  // A handler's follow-up depends only on what ran so far, which both runs must agree on.
  const act = (nowUs: number): void => {
    const ops = 1 + Math.floor(rng() * 2);
    for (let k = 0; k < ops; k++) {
      const t = Math.floor(rng() * TARGETS);
      const s = Math.floor(rng() * SLOTS);
      const r = rng();
      if (r < 0.15) holder.clear(t, s);
      else if (r < 0.3) sim.scheduleAt(nowUs + Math.floor(rng() * 3) * 1000, targets[t] as EventTarget, KIND_ORDINARY, 0);
      else holder.set(t, s, nowUs + Math.floor(rng() * 5) * 1000);
    }
  };
  for (let t = 0; t < TARGETS; t++) {
    targets.push({
      targetId: 10 + t,
      onEvent(nowUs, kind) {
        lastRunUs = nowUs;
        log.push(`${nowUs} ${t} ${kind}`);
        if (kind !== KIND_ORDINARY) holder.fired(t, kind);
        act(nowUs);
      },
    });
  }
  if (grouped) {
    const groups = [new StandingEvents(sim), new StandingEvents(sim)];
    const first = targets.map((target, t) => (groups[t % 2] as StandingEvents).join(target, SLOTS));
    const groupOf = (t: number): StandingEvents => groups[t % 2] as StandingEvents;
    holder = {
      set: (t, s, atUs) => groupOf(t).set((first[t] as number) + s, atUs, s),
      clear: (t, s) => groupOf(t).clear((first[t] as number) + s),
      fired: (t, s) => groupOf(t).fired((first[t] as number) + s),
    };
  } else {
    const tokens = new Map<string, number>();
    holder = {
      set(t, s, atUs) {
        const token = tokens.get(`${t}/${s}`);
        if (token !== undefined) sim.cancel(token);
        tokens.set(`${t}/${s}`, sim.scheduleAt(atUs, targets[t] as EventTarget, s, 0));
      },
      clear(t, s) {
        const token = tokens.get(`${t}/${s}`);
        if (token !== undefined) sim.cancel(token);
        tokens.delete(`${t}/${s}`);
      },
      fired: (t, s) => tokens.delete(`${t}/${s}`),
    };
  }
  for (let k = 0; k < 40; k++) holder.set(Math.floor(rng() * TARGETS), Math.floor(rng() * SLOTS), Math.floor(rng() * 4) * 1000);
  // Steps from outside too: a host that sets events between kernel steps.
  while (sim.eventsProcessed < 5000) {
    const ran = sim.eventsProcessed;
    // Every event has run: a host starts more, at the same point of the script and the same time in both runs (the
    // clock itself may differ: dropping a cancelled event moves it, and the two runs cancel different events).
    if (!sim.step()) {
      holder.set(0, 0, lastRunUs + 10_000);
      continue;
    }
    // A cancelled event is dropped by a step of its own: only an event run moves the script on.
    if (sim.eventsProcessed === ran) continue;
    if (rng() < 0.05) holder.set(Math.floor(rng() * TARGETS), Math.floor(rng() * SLOTS), sim.nowUs + Math.floor(rng() * 3) * 1000);
  }
  return { log, fingerprint: sim.fingerprint, events: sim.eventsProcessed };
}

describe('StandingEvents', () => {
  for (let seed = 1; seed <= 20; seed++) {
    it(`runs what direct scheduling runs, in the same order, seed ${seed}`, () => {
      const direct = runScript(seed, false);
      const grouped = runScript(seed, true);
      expect(grouped.events).toBe(direct.events);
      expect(grouped.log).toEqual(direct.log);
      expect(grouped.fingerprint).toBe(direct.fingerprint);
      expect(direct.events).toBe(5000);
    });
  }

  it('keeps one entry in the kernel queue per group, whatever its number of standing events', () => {
    const sim = new Simulator();
    const group = new StandingEvents(sim);
    const target: EventTarget = { targetId: 5, onEvent: () => {} };
    const first = group.join(target, 1000);
    for (let s = 0; s < 1000; s++) group.set(first + s, 1000 + s, 0);
    expect(sim.pendingCount).toBe(1);
    expect(sim.peekTimeUs()).toBe(1000);
    group.clear(first);
    while (sim.eventsProcessed === 0) sim.step();
    expect(sim.nowUs).toBe(1001);
  });

  it('refuses a time before the clock, and a slot that fires out of turn', () => {
    const sim = new Simulator();
    const group = new StandingEvents(sim);
    const target: EventTarget = { targetId: 5, onEvent: () => {} };
    const first = group.join(target, 2);
    sim.run({ untilUs: 500 });
    expect(() => group.set(first, 499, 0)).toThrow(RangeError);
    group.set(first, 600, 0);
    group.set(first + 1, 700, 0);
    expect(() => group.fired(first + 1)).toThrow(/fired/);
  });
});

describe('Simulator.scheduleReserved', () => {
  it('runs an event at the place its reserved sequence number gives it among same-time events', () => {
    const sim = new Simulator();
    const order: string[] = [];
    const target = (name: string): EventTarget => ({ targetId: 1, onEvent: () => order.push(name) });
    const early = sim.reserveSeq();
    sim.scheduleAt(100, target('scheduled second'));
    sim.scheduleReserved(100, early, target('reserved first'));
    sim.run();
    expect(order).toEqual(['reserved first', 'scheduled second']);
  });

  it('refuses a sequence number never handed out, and a place among events already run', () => {
    const sim = new Simulator();
    const noop: EventTarget = { targetId: 1, onEvent: () => {} };
    expect(() => sim.scheduleReserved(10, 99, noop)).toThrow(/not reserved/);
    const early = sim.reserveSeq();
    sim.scheduleAt(10, noop);
    sim.step();
    expect(() => sim.scheduleReserved(10, early, noop)).toThrow(/has run/);
  });

  it('cancels each insertion of a reserved event on its own', () => {
    const sim = new Simulator();
    let runs = 0;
    const counted: EventTarget = { targetId: 1, onEvent: () => runs++ };
    const seq = sim.reserveSeq();
    const first = sim.scheduleReserved(10, seq, counted);
    sim.cancel(first);
    const second = sim.scheduleReserved(10, seq, counted);
    expect(second).not.toBe(first);
    sim.run();
    expect(runs).toBe(1);
  });
});
