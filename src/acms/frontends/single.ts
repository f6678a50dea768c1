// The `single` front end as a pure machine: one Storage Point (index 0) accepts, stores and serves; nothing is
// replicated, so a submission is accepted as soon as its own write is done, and a disk loss loses every version.
// The other SP addresses of the topology run this machine too, as spares outside the design: they refuse
// submissions (notPrimary) and serve an empty index. The host routes neither publishers nor caches to them.
import type { Address, MachineInput, MachineOutput } from '../../kernel/machine.js';
import type { AgreementRecord, StoragePointCommand, StoragePointObservation, SubmitMessage } from '../frontend-messages.js';
import { validateStoragePointParams, type StoragePointParams } from '../frontend-params.js';
import { Snapshot } from '../snapshot.js';
import { assertStoragePointIndex, makeVersionId } from '../version.js';
import { FIRST_SP_INDEX, type FrontEndNode } from './design.js';
import type { FrontEndWireMessage } from './messages.js';
import { answerFileGet, answerIndexGet } from '../reader-answers.js';

export interface SingleStoragePointOptions {
  readonly index: number;
  readonly params: StoragePointParams;
  /** The SP's own (possibly skewed) clock as a function of true time. */
  readonly localClockUs: (nowUs: number) => number;
}

type Input = MachineInput<FrontEndWireMessage, StoragePointCommand>;
type Output = MachineOutput<FrontEndWireMessage, StoragePointObservation>;

export class SingleStoragePoint implements FrontEndNode {
  readonly index: number;
  readonly params: StoragePointParams;
  /** Whether this is the one SP of the design (the others are spares). */
  readonly isStore: boolean;
  private readonly localClock: (nowUs: number) => number;
  private up = true;
  private stored = new Map<number, AgreementRecord>();
  private shown: Snapshot;
  /** Kept outside the disk so that ids stay unique across a disk loss (as in the Storage Point). */
  private lastTimestampUs = -Infinity;
  /** Inputs that arrived while down (a host bug or a race); ignored and counted. */
  inputsWhileDown = 0;

  constructor(options: SingleStoragePointOptions) {
    validateStoragePointParams(options.params);
    assertStoragePointIndex(options.index);
    if (options.index >= options.params.spCount) throw new RangeError(`SP index ${options.index} is not below spCount ${options.params.spCount}`);
    this.index = options.index;
    this.params = options.params;
    this.isStore = options.index === FIRST_SP_INDEX;
    this.localClock = options.localClockUs;
    this.shown = new Snapshot(this.index, this.params.subIndexCount, Math.round(this.localClock(0)));
  }

  get snapshot(): Snapshot {
    return this.shown;
  }

  get isUp(): boolean {
    return this.up;
  }

  isStored(versionKey: number): boolean {
    return this.stored.has(versionKey);
  }

  handle(nowUs: number, input: Input): readonly Output[] {
    const out: Output[] = [];
    if (input.type === 'command') {
      this.onCommand(nowUs, input.command, out);
      return out;
    }
    if (!this.up) {
      this.inputsWhileDown++;
      return out;
    }
    // No timers: a single SP waits for nobody.
    if (input.type === 'timer') throw new Error(`single SP ${this.index}: unknown timer ${input.timer}`);
    const message = input.message;
    switch (message.type) {
      case 'submit':
        this.onSubmit(nowUs, input.from, message, out);
        break;
      case 'indexGet':
        answerIndexGet(this.shown, this.params, input.from, message, out);
        break;
      case 'fileGet':
        answerFileGet(this.stored, this.params, input.from, message, out);
        break;
      default:
        // SP-to-SP traffic has no place in this design; a stray message is a peer fault, ignored.
        break;
    }
    return out;
  }

  private onCommand(nowUs: number, command: StoragePointCommand, out: Output[]): void {
    switch (command.type) {
      case 'start':
        return;
      case 'crash':
        if (!this.up) throw new Error(`SP ${this.index} crashed while already down`);
        this.up = false;
        out.push({ type: 'observe', observation: { type: 'crashed' } });
        return;
      case 'restart':
        if (this.up) throw new Error(`SP ${this.index} restarted while up`);
        this.up = true;
        if (command.diskLost) {
          this.stored = new Map();
          this.shown = new Snapshot(this.index, this.params.subIndexCount, Math.round(this.localClock(nowUs)));
          out.push({ type: 'observe', observation: { type: 'diskLost' } });
        }
        out.push({ type: 'observe', observation: { type: 'restarted', diskLost: command.diskLost } });
        return;
    }
  }

  private onSubmit(nowUs: number, publisher: Address, submit: SubmitMessage, out: Output[]): void {
    if (!this.isStore) {
      out.push({ type: 'send', to: publisher, message: { type: 'submitFailed', submissionId: submit.submissionId, attempt: submit.attempt, reason: 'notPrimary' }, sizeBytes: this.params.controlMessageBytes });
      return;
    }
    const localUs = this.localClock(nowUs);
    const timestampUs = Math.max(Math.round(localUs), this.lastTimestampUs + 1);
    this.lastTimestampUs = timestampUs;
    const version = makeVersionId(submit.fileId, submit.fileName, timestampUs, this.index);
    const record: AgreementRecord = { version, sizeBytes: submit.sizeBytes };
    out.push({ type: 'observe', observation: { type: 'accepting', version, sizeBytes: submit.sizeBytes, publisher } });
    this.stored.set(version.versionKey, record);
    out.push({ type: 'observe', observation: { type: 'stored', version, sizeBytes: submit.sizeBytes } });
    // The write is done (the upload has arrived whole): that is the whole acceptance.
    out.push({ type: 'observe', observation: { type: 'agreed', version, via: 'commit' } });
    const previousKey = this.shown.versionOf(version.fileId)?.versionKey;
    if (this.shown.install(version.fileId, version.versionKey, submit.sizeBytes, localUs)) {
      out.push({ type: 'observe', observation: { type: 'visible', version, sizeBytes: submit.sizeBytes, previousKey } });
    }
    out.push({ type: 'send', to: publisher, message: { type: 'submitAccepted', submissionId: submit.submissionId, attempt: submit.attempt, version }, sizeBytes: this.params.controlMessageBytes });
    out.push({ type: 'observe', observation: { type: 'accepted', version, publisher, submissionId: submit.submissionId } });
  }
}
