import { describe, expect, it } from 'vitest';
import { Simulator, SchedulingError, RandomStreams, exponential, uniformInt, type EventTarget } from '../../src/kernel/index.js';

/** A PHOLD-like workload: every event schedules one more at a random process after a random delay. */
function trajectoryHash(seed: number, events: number): number {
  const sim = new Simulator();
  const rng = new RandomStreams(seed).stream('phold');
  const processCount = 100;
  const processes: EventTarget[] = [];
  for (let i = 0; i < processCount; i++) {
    processes.push({
      targetId: i,
      onEvent() {
        const next = processes[uniformInt(rng, 0, processCount - 1)] as EventTarget;
        sim.scheduleAfter(Math.round(exponential(rng, 1_000_000)), next, 1);
      },
    });
  }
  for (const process of processes) sim.scheduleAt(0, process, 1);
  sim.run({ maxEvents: events });
  return sim.fingerprint;
}

describe('Simulator', () => {
  it('gives an identical trajectory for the same seed over 100,000 events, and a different one for another seed', () => {
    const first = trajectoryHash(7, 100_000);
    expect(trajectoryHash(7, 100_000)).toBe(first);
    expect(trajectoryHash(8, 100_000)).not.toBe(first);
  });

  it('runs same-time events in the order they were scheduled', () => {
    const sim = new Simulator();
    const order: number[] = [];
    const target: EventTarget = { targetId: 0, onEvent: (_now, kind) => order.push(kind) };
    for (let kind = 0; kind < 50; kind++) sim.scheduleAt(1000, target, kind);
    sim.scheduleAt(500, target, 99);
    sim.run();
    expect(order).toEqual([99, ...Array.from({ length: 50 }, (_, i) => i)]);
  });

  it('keeps FIFO order for events scheduled from inside a handler at the current time', () => {
    const sim = new Simulator();
    const order: string[] = [];
    const target: EventTarget = {
      targetId: 0,
      onEvent(now, kind) {
        order.push(`${kind}@${now}`);
        if (kind === 1) {
          sim.scheduleAt(now, target, 3);
          sim.scheduleAt(now, target, 4);
        }
      },
    };
    sim.scheduleAt(10, target, 1);
    sim.scheduleAt(10, target, 2);
    sim.run();
    expect(order).toEqual(['1@10', '2@10', '3@10', '4@10']);
  });

  it('drops dead events in one pass once they outnumber the live ones, and still runs the rest in order', () => {
    const sim = new Simulator();
    const rng = new RandomStreams(3).stream('compaction');
    const fired: number[] = [];
    const target: EventTarget = { targetId: 0, onEvent: (_now, kind) => fired.push(kind) };
    const timeOf: number[] = [];
    const tokens: number[] = [];
    for (let kind = 0; kind < 20_000; kind++) {
      timeOf.push(1 + Math.floor(rng() * 1e5)); // many equal times: order among them is scheduling order
      tokens.push(sim.scheduleAt(timeOf[kind] as number, target, kind));
    }
    const survivors: number[] = [];
    for (let kind = 0; kind < 20_000; kind++) {
      if (rng() < 0.8) sim.cancel(tokens[kind] as number);
      else survivors.push(kind);
    }
    expect(sim.pendingCount).toBeLessThan(10_000); // the dead were dropped, not left until they reach the top
    sim.run();
    survivors.sort((a, b) => (timeOf[a] as number) - (timeOf[b] as number) || a - b);
    expect(fired).toEqual(survivors);
    expect(sim.eventsProcessed).toBe(survivors.length);
  });

  it('drops dead events from inside a handler, keeping the running event in place', () => {
    const sim = new Simulator();
    const fired: string[] = [];
    const tokens: number[] = [];
    const target: EventTarget = {
      targetId: 0,
      onEvent(now, kind) {
        fired.push(`${kind}@${now}`);
        if (kind !== 0) return;
        for (const token of tokens) sim.cancel(token); // compacts while this event is the queue's spent top
        sim.scheduleAt(now, target, 1); // replaces the spent top
        sim.scheduleAt(now + 5, target, 2);
      },
    };
    sim.scheduleAt(10, target, 0);
    for (let k = 0; k < 6000; k++) tokens.push(sim.scheduleAt(11 + k, target, 100 + k));
    sim.scheduleAt(20_000, target, 3);
    sim.run();
    expect(fired).toEqual(['0@10', '1@10', '2@15', '3@20000']);
    expect(sim.pendingCount).toBe(0);
  });

  it('never fires a cancelled event and does not count it', () => {
    const sim = new Simulator();
    const fired: number[] = [];
    const target: EventTarget = { targetId: 0, onEvent: (_now, kind) => fired.push(kind) };
    const tokens = [1, 2, 3, 4].map((kind) => sim.scheduleAt(kind * 10, target, kind));
    sim.cancel(tokens[1] as number);
    sim.cancel(tokens[3] as number);
    sim.run();
    expect(fired).toEqual([1, 3]);
    expect(sim.eventsProcessed).toBe(2);
  });

  it('ignores a token whose event has run, though its slot now holds another event', () => {
    const sim = new Simulator();
    const fired: number[] = [];
    const target: EventTarget = { targetId: 0, onEvent: (_now, kind) => fired.push(kind) };
    const first = sim.scheduleAt(10, target, 1);
    sim.run({ untilUs: 10 });
    const second = sim.scheduleAt(20, target, 2); // reuses the slot the first event freed
    expect(second).not.toBe(first);
    sim.cancel(first);
    sim.cancel(first);
    sim.run();
    expect(fired).toEqual([1, 2]);
  });

  it('lets a handler cancel its own event and a later one, counting only what it drops', () => {
    const sim = new Simulator();
    const fired: number[] = [];
    const tokens: number[] = [];
    const target: EventTarget = {
      targetId: 0,
      onEvent(now, kind) {
        fired.push(kind);
        if (kind !== 0) return;
        sim.cancel(tokens[0] as number); // the running event: it has already fired
        sim.cancel(tokens[2] as number);
        tokens.push(sim.scheduleAt(now + 1, target, 3)); // refills the running event's slot
      },
    };
    tokens.push(sim.scheduleAt(10, target, 0), sim.scheduleAt(30, target, 1), sim.scheduleAt(20, target, 2));
    sim.run();
    expect(fired).toEqual([0, 3, 1]);
    expect(sim.eventsProcessed).toBe(3);
    expect(sim.pendingCount).toBe(0);
  });

  it('refuses a negative delay, a time in the past and a non-integer time with a clear error', () => {
    const sim = new Simulator();
    const target: EventTarget = { targetId: 0, onEvent: () => {} };
    sim.scheduleAt(100, target);
    sim.run();
    expect(sim.nowUs).toBe(100);
    expect(() => sim.scheduleAfter(-1, target)).toThrow(SchedulingError);
    expect(() => sim.scheduleAfter(-1, target)).toThrow(/negative/);
    expect(() => sim.scheduleAt(99, target)).toThrow(/already at 100 us/);
    expect(() => sim.scheduleAt(100.5, target)).toThrow(/integer/);
  });

  it('runs until a time and leaves the clock there, with later events still pending', () => {
    const sim = new Simulator();
    const fired: number[] = [];
    const target: EventTarget = { targetId: 0, onEvent: (now) => fired.push(now) };
    for (const t of [5, 10, 15, 20]) sim.scheduleAt(t, target);
    expect(sim.run({ untilUs: 15 })).toBe('until');
    expect(fired).toEqual([5, 10, 15]);
    expect(sim.nowUs).toBe(15);
    expect(sim.pendingCount).toBe(1);
    expect(sim.run()).toBe('empty');
    expect(fired).toEqual([5, 10, 15, 20]);
  });

  it('stops when a handler asks it to', () => {
    const sim = new Simulator();
    let count = 0;
    const target: EventTarget = {
      targetId: 0,
      onEvent() {
        count++;
        if (count === 3) sim.stop();
        sim.scheduleAfter(1, target);
      },
    };
    sim.scheduleAt(0, target);
    expect(sim.run()).toBe('stopped');
    expect(count).toBe(3);
    expect(sim.run({ maxEvents: 2 })).toBe('maxEvents');
    expect(count).toBe(5);
  });
});
