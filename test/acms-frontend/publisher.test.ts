import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/index.js';
import type { FrontendMessage, PublisherCommand, PublisherObservation } from '../../src/acms/frontend-messages.js';
import { defaultPublisherParams } from '../../src/acms/frontend-params.js';
import { Publisher } from '../../src/acms/publisher.js';
import { makeVersionId } from '../../src/acms/version.js';
import type { MachineInput, MachineOutput } from '../../src/kernel/index.js';
import { observationsOf, sendsOf, timersSet } from './support/outputs.js';

const S = 1_000_000;
type Out = readonly MachineOutput<FrontendMessage, PublisherObservation>[];

function makePublisher(maxAttempts = 3): Publisher {
  return new Publisher({
    params: defaultPublisherParams({ submitTimeoutUs: 10 * S, backoffBaseUs: 1 * S, backoffMaxUs: 3 * S, maxAttempts, backoffJitterFraction: 0 }),
    spOrder: [3, 1, 4],
    rng: new RandomStreams(5).stream('publisher/0'),
  });
}

function command(p: Publisher, nowUs: number, cmd: PublisherCommand): Out {
  return p.handle(nowUs, { type: 'command', command: cmd } as MachineInput<FrontendMessage, PublisherCommand>);
}

describe('Publisher', () => {
  it('uploads the file to its nearest SP and reports the accept time', () => {
    const p = makePublisher();
    const out = command(p, 100, { type: 'submit', fileId: 2, fileName: 'f2', sizeBytes: 4096 });
    const sends = sendsOf(out, 'submit');
    expect(sends.map((s) => [s.to, s.sizeBytes])).toEqual([[3, 4096]]);
    expect(observationsOf(out, 'submitted')).toEqual([{ type: 'submitted', submissionId: 1, fileId: 2, sizeBytes: 4096, attempt: 1, sp: 3 }]);
    // 10 s plus the upload allowance: 4,096 bytes at 250 KB/s is 16,384 us.
    expect(timersSet(out)).toEqual([{ timer: 'timeout/1', atUs: 100 + 10 * S + 16_384 }]);
    expect(p.timeoutUs(100_000_000)).toBe(10 * S + 400 * S);
    const version = makeVersionId(2, 'f2', 150, 3);
    const done = p.handle(900, { type: 'receive', from: 3, message: { type: 'submitAccepted', submissionId: 1, attempt: 1, version } });
    expect(observationsOf(done, 'accepted')[0]).toMatchObject({ submittedUs: 100, acceptedUs: 900, attempts: 1, version });
    expect(p.pendingCount).toBe(0);
  });

  it('on failure or timeout backs off exponentially (capped) and fails over down its list, then gives up', () => {
    const p = makePublisher(4);
    command(p, 0, { type: 'submit', fileId: 1, fileName: 'f1', sizeBytes: 10 });
    const failed = p.handle(1000, { type: 'receive', from: 3, message: { type: 'submitFailed', submissionId: 1, attempt: 1, reason: 'replicationTimeout' } });
    expect(observationsOf(failed, 'attemptFailed')[0]).toMatchObject({ attempt: 1, sp: 3, reason: 'replicationTimeout' });
    expect(timersSet(failed)).toEqual([{ timer: 'retry/1', atUs: 1000 + 1 * S }]);
    const retry2 = p.handle(1000 + S, { type: 'timer', timer: 'retry/1' });
    expect(sendsOf(retry2, 'submit')[0]?.to).toBe(1);
    // A stale failure of attempt 1 does nothing now.
    expect(p.handle(1001 + S, { type: 'receive', from: 3, message: { type: 'submitFailed', submissionId: 1, attempt: 1, reason: 'replicationTimeout' } })).toHaveLength(0);
    const timeout2 = p.handle(1000 + 11 * S, { type: 'timer', timer: 'timeout/1' });
    expect(observationsOf(timeout2, 'attemptFailed')[0]).toMatchObject({ attempt: 2, reason: 'timeout' });
    expect(timersSet(timeout2)[0]?.atUs).toBe(1000 + 11 * S + 2 * S);
    const retry3 = p.handle(1000 + 13 * S, { type: 'timer', timer: 'retry/1' });
    expect(sendsOf(retry3, 'submit')[0]?.to).toBe(4);
    const timeout3 = p.handle(1000 + 23 * S, { type: 'timer', timer: 'timeout/1' });
    expect(timersSet(timeout3)[0]?.atUs).toBe(1000 + 23 * S + 3 * S);
    const retry4 = p.handle(1000 + 26 * S, { type: 'timer', timer: 'retry/1' });
    expect(sendsOf(retry4, 'submit')[0]?.to).toBe(3);
    const final = p.handle(1000 + 36 * S, { type: 'timer', timer: 'timeout/1' });
    expect(observationsOf(final, 'failed')[0]).toMatchObject({ submissionId: 1, fileId: 1, attempts: 4, failedUs: 1000 + 36 * S });
    expect(timersSet(final)).toHaveLength(0);
    expect(p.pendingCount).toBe(0);
  });

  it('takes a late acceptance from an attempt it had given up on', () => {
    const p = makePublisher();
    command(p, 0, { type: 'submit', fileId: 1, fileName: 'f1', sizeBytes: 10 });
    p.handle(10 * S, { type: 'timer', timer: 'timeout/1' });
    const late = p.handle(10 * S + 5, { type: 'receive', from: 3, message: { type: 'submitAccepted', submissionId: 1, attempt: 1, version: makeVersionId(1, 'f1', 5, 3) } });
    expect(observationsOf(late, 'accepted')).toHaveLength(1);
    expect(late.some((o) => o.type === 'clearTimer' && o.timer === 'retry/1')).toBe(true);
    expect(p.handle(11 * S, { type: 'timer', timer: 'retry/1' })).toHaveLength(0);
  });

  it('follows a new SP order from the host', () => {
    const p = makePublisher();
    command(p, 0, { type: 'setSpOrder', spOrder: [0, 2] });
    expect(sendsOf(command(p, 1, { type: 'submit', fileId: 1, fileName: 'f1', sizeBytes: 10 }), 'submit')[0]?.to).toBe(0);
    expect(() => command(p, 2, { type: 'setSpOrder', spOrder: [] })).toThrow(RangeError);
  });
});
