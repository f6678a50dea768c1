import { describe, expect, it } from 'vitest';
import type { FrontendMessage, IndexResponseMessage, StoragePointCommand, StoragePointObservation } from '../../src/acms/frontend-messages.js';
import { defaultStoragePointParams } from '../../src/acms/frontend-params.js';
import type { FrontEndWireMessage } from '../../src/acms/frontends/messages.js';
import { SingleStoragePoint } from '../../src/acms/frontends/single.js';
import { FrontendInvariantChecker } from '../../src/acms/invariants.js';
import type { VersionId } from '../../src/acms/version.js';
import type { MachineInput, MachineOutput } from '../../src/kernel/index.js';
import { observationsOf, sendsOf, timersSet } from './support/outputs.js';

const PUBLISHER = 100;
const READER = 200;
type Out = readonly MachineOutput<FrontEndWireMessage, StoragePointObservation>[];

function makeSp(index: number, clockOffsetUs = 0): SingleStoragePoint {
  return new SingleStoragePoint({ index, params: defaultStoragePointParams(5), localClockUs: (nowUs) => nowUs + clockOffsetUs });
}

function receive(sp: SingleStoragePoint, nowUs: number, from: number, message: FrontendMessage): Out {
  return sp.handle(nowUs, { type: 'receive', from, message });
}

function command(sp: SingleStoragePoint, nowUs: number, cmd: StoragePointCommand): Out {
  return sp.handle(nowUs, { type: 'command', command: cmd } as MachineInput<FrontEndWireMessage, StoragePointCommand>);
}

function submit(sp: SingleStoragePoint, nowUs: number, fileId = 1, sizeBytes = 5000): Out {
  return receive(sp, nowUs, PUBLISHER, { type: 'submit', submissionId: 9, attempt: 1, fileId, fileName: `f${fileId}`, sizeBytes });
}

function acceptedVersion(outputs: Out): VersionId {
  const accepted = observationsOf(outputs, 'accepted')[0];
  if (accepted === undefined || accepted.type !== 'accepted') throw new Error('not accepted');
  return accepted.version;
}

/** Feeds every observation to a checker of the single design, as the World does. */
function feed(checker: FrontendInvariantChecker, nowUs: number, sp: number, outputs: Out): void {
  for (const output of outputs) if (output.type === 'observe') checker.observe(nowUs, sp, output.observation);
}

describe('single front end: acceptance', () => {
  it('accepts on its own write: stores, commits, shows and answers at once, with nothing sent to peers', () => {
    const sp = makeSp(0, 250);
    const outputs = submit(sp, 1000, 4, 70_000);
    const version = acceptedVersion(outputs);
    expect(version).toMatchObject({ fileId: 4, timestampUs: 1250, originSp: 0 });
    expect(outputs.map((o) => (o.type === 'observe' ? o.observation.type : o.type))).toEqual(['accepting', 'stored', 'agreed', 'visible', 'send', 'accepted']);
    const answers = sendsOf(outputs, 'submitAccepted');
    expect(answers.map((a) => a.to)).toEqual([PUBLISHER]);
    expect(sendsOf(outputs, 'replicate')).toHaveLength(0);
    expect(timersSet(outputs)).toHaveLength(0);
    expect(sp.snapshot.versionOf(4)?.versionKey).toBe(version.versionKey);
    // Ids stay unique and increasing within one microsecond.
    expect(acceptedVersion(submit(sp, 1000, 4)).timestampUs).toBe(1251);
  });

  it('a spare SP (not index 0) refuses submissions at once so the publisher moves on', () => {
    const spare = makeSp(3);
    const outputs = submit(spare, 10);
    const refusals = sendsOf(outputs, 'submitFailed');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.message).toMatchObject({ reason: 'notPrimary', submissionId: 9 });
    expect(observationsOf(outputs, 'accepting')).toHaveLength(0);
  });

  it('serves the index by If-Modified-Since and files by version-unique name', () => {
    const sp = makeSp(0);
    const version = acceptedVersion(submit(sp, 100, 2, 3000));
    const full = sendsOf(receive(sp, 200, READER, { type: 'indexGet', requestId: 1, ifModifiedSinceUs: -1, heldOriginSp: -1 }), 'indexResponse');
    const view = (full[0]?.message as IndexResponseMessage).view;
    expect(view.length).toBe(1);
    const unchanged = receive(sp, 300, READER, { type: 'indexGet', requestId: 2, ifModifiedSinceUs: view.lastModifiedUs, heldOriginSp: 0 });
    expect(sendsOf(unchanged, 'indexNotModified')).toHaveLength(1);
    const file = sendsOf(receive(sp, 400, READER, { type: 'fileGet', requestId: 3, fileId: 2, versionKey: version.versionKey, sizeBytes: 3000 }), 'fileResponse');
    expect(file[0]?.message).toMatchObject({ found: true, sizeBytes: 3000 });
    expect(file[0]?.sizeBytes).toBe(3000);
    const missing = sendsOf(receive(sp, 500, READER, { type: 'fileGet', requestId: 4, fileId: 2, versionKey: version.versionKey + 1, sizeBytes: 3000 }), 'fileResponse');
    expect(missing[0]?.message).toMatchObject({ found: false });
  });

  it('ignores everything while down and counts it', () => {
    const sp = makeSp(0);
    expect(observationsOf(command(sp, 0, { type: 'crash' }), 'crashed')).toHaveLength(1);
    expect(submit(sp, 10)).toHaveLength(0);
    expect(sp.inputsWhileDown).toBe(1);
    expect(() => command(sp, 20, { type: 'crash' })).toThrow(/already down/);
  });
});

describe('single front end under the invariant checker', () => {
  it('keeps one history: successive versions of a file break no invariant', () => {
    const checker = new FrontendInvariantChecker(5, 100, 'single');
    const sp = makeSp(0);
    for (let t = 1; t <= 5; t++) feed(checker, t, 0, submit(sp, t * 1000, 7));
    expect(checker.violations).toBe(0);
    expect(checker.checks).toBeGreaterThan(0);
  });

  it('loses every accepted version with its disk, and the checker says so (invariant 2)', () => {
    const checker = new FrontendInvariantChecker(5, 100, 'single');
    const sp = makeSp(0);
    feed(checker, 1000, 0, submit(sp, 1000, 1));
    feed(checker, 2000, 0, submit(sp, 2000, 2));
    feed(checker, 3000, 0, command(sp, 3000, { type: 'crash' }));
    const restart = command(sp, 4000, { type: 'restart', diskLost: true });
    expect(observationsOf(restart, 'diskLost')).toHaveLength(1);
    feed(checker, 4000, 0, restart);
    expect(sp.snapshot.fileCount).toBe(0);
    expect(checker.violationsByInvariant[2]).toBe(2);
  });
});
