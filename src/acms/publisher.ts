// The Publisher as a pure machine: submits files to Storage Points (nearest first), waits for an answer,
// and on failure or timeout backs off (capped exponential) and fails over to the next SP, up to a limit.
import type { Rng } from '../kernel/random.js';
import type { Address, Machine, MachineInput, MachineOutput } from '../kernel/machine.js';
import type { FrontendMessage, PublisherCommand, PublisherObservation, SubmitFailureReason } from './frontend-messages.js';
import { validatePublisherParams, type PublisherParams } from './frontend-params.js';

export interface PublisherOptions {
  readonly params: PublisherParams;
  /** SP addresses by preference, nearest first; the host may change it later with a setSpOrder command. */
  readonly spOrder: readonly Address[];
  /** The publisher's own stream, used only for back-off jitter. */
  readonly rng: Rng;
}

type Input = MachineInput<FrontendMessage, PublisherCommand>;
type Output = MachineOutput<FrontendMessage, PublisherObservation>;

interface Submission {
  readonly submissionId: number;
  readonly fileId: number;
  readonly fileName: string;
  readonly sizeBytes: number;
  readonly submittedUs: number;
  attempt: number;
  /** Position in spOrder of the SP the current attempt went to. */
  spCursor: number;
  sp: Address;
  /** True while an attempt is outstanding; false while backing off. */
  waiting: boolean;
}

const TIMEOUT_TIMER = 'timeout/';
const RETRY_TIMER = 'retry/';

export class Publisher implements Machine<FrontendMessage, PublisherCommand, PublisherObservation> {
  readonly params: PublisherParams;
  private spOrder: readonly Address[];
  private readonly rng: Rng;
  private readonly submissions = new Map<number, Submission>();
  private nextSubmissionId = 1;

  constructor(options: PublisherOptions) {
    validatePublisherParams(options.params);
    if (options.spOrder.length === 0) throw new RangeError('a publisher needs at least one SP to submit to');
    this.params = options.params;
    this.spOrder = [...options.spOrder];
    this.rng = options.rng;
  }

  /** Submissions neither accepted nor given up yet. */
  get pendingCount(): number {
    return this.submissions.size;
  }

  handle(nowUs: number, input: Input): readonly Output[] {
    const out: Output[] = [];
    switch (input.type) {
      case 'command':
        this.onCommand(nowUs, input.command, out);
        break;
      case 'timer':
        this.onTimer(nowUs, input.timer, out);
        break;
      case 'receive':
        this.onMessage(nowUs, input.message, out);
        break;
    }
    return out;
  }

  private onCommand(nowUs: number, command: PublisherCommand, out: Output[]): void {
    if (command.type === 'setSpOrder') {
      if (command.spOrder.length === 0) throw new RangeError('a publisher needs at least one SP to submit to');
      this.spOrder = [...command.spOrder];
      return;
    }
    const sp = this.spOrder[0] as Address;
    const submission: Submission = {
      submissionId: this.nextSubmissionId++,
      fileId: command.fileId,
      fileName: command.fileName,
      sizeBytes: command.sizeBytes,
      submittedUs: nowUs,
      attempt: 1,
      spCursor: 0,
      sp,
      waiting: true,
    };
    this.submissions.set(submission.submissionId, submission);
    this.sendAttempt(nowUs, submission, out);
  }

  private sendAttempt(nowUs: number, submission: Submission, out: Output[]): void {
    submission.waiting = true;
    out.push({
      type: 'send',
      to: submission.sp,
      message: {
        type: 'submit',
        submissionId: submission.submissionId,
        attempt: submission.attempt,
        fileId: submission.fileId,
        fileName: submission.fileName,
        sizeBytes: submission.sizeBytes,
      },
      sizeBytes: Math.max(submission.sizeBytes, 1),
    });
    out.push({ type: 'setTimer', timer: TIMEOUT_TIMER + submission.submissionId, atUs: nowUs + this.timeoutUs(submission.sizeBytes) });
    out.push({
      type: 'observe',
      observation: { type: 'submitted', submissionId: submission.submissionId, fileId: submission.fileId, sizeBytes: submission.sizeBytes, attempt: submission.attempt, sp: submission.sp },
    });
  }

  private onTimer(nowUs: number, timer: string, out: Output[]): void {
    if (timer.startsWith(TIMEOUT_TIMER)) {
      const submission = this.submissions.get(Number(timer.slice(TIMEOUT_TIMER.length)));
      if (submission !== undefined && submission.waiting) this.attemptFailed(nowUs, submission, 'timeout', out);
      return;
    }
    if (timer.startsWith(RETRY_TIMER)) {
      const submission = this.submissions.get(Number(timer.slice(RETRY_TIMER.length)));
      if (submission === undefined || submission.waiting) return;
      submission.attempt++;
      submission.spCursor = (submission.spCursor + 1) % this.spOrder.length;
      submission.sp = this.spOrder[submission.spCursor] as Address;
      this.sendAttempt(nowUs, submission, out);
      return;
    }
    throw new Error(`publisher: unknown timer ${timer}`);
  }

  private onMessage(nowUs: number, message: FrontendMessage, out: Output[]): void {
    if (message.type === 'submitAccepted') {
      // An acceptance from any attempt counts, even one we had given up waiting for: the file is in.
      const submission = this.submissions.get(message.submissionId);
      if (submission === undefined) return;
      this.submissions.delete(submission.submissionId);
      out.push({ type: 'clearTimer', timer: TIMEOUT_TIMER + submission.submissionId });
      out.push({ type: 'clearTimer', timer: RETRY_TIMER + submission.submissionId });
      out.push({
        type: 'observe',
        observation: {
          type: 'accepted',
          submissionId: submission.submissionId,
          fileId: submission.fileId,
          version: message.version,
          submittedUs: submission.submittedUs,
          acceptedUs: nowUs,
          attempts: submission.attempt,
          sp: message.version.originSp,
        },
      });
      return;
    }
    if (message.type === 'submitFailed') {
      const submission = this.submissions.get(message.submissionId);
      // A failure of an attempt we already gave up on is stale.
      if (submission === undefined || !submission.waiting || message.attempt !== submission.attempt) return;
      this.attemptFailed(nowUs, submission, message.reason, out);
    }
  }

  private attemptFailed(nowUs: number, submission: Submission, reason: SubmitFailureReason | 'timeout', out: Output[]): void {
    submission.waiting = false;
    out.push({ type: 'clearTimer', timer: TIMEOUT_TIMER + submission.submissionId });
    out.push({ type: 'observe', observation: { type: 'attemptFailed', submissionId: submission.submissionId, attempt: submission.attempt, sp: submission.sp, reason } });
    if (submission.attempt >= this.params.maxAttempts) {
      this.submissions.delete(submission.submissionId);
      out.push({
        type: 'observe',
        observation: { type: 'failed', submissionId: submission.submissionId, fileId: submission.fileId, submittedUs: submission.submittedUs, failedUs: nowUs, attempts: submission.attempt },
      });
      return;
    }
    out.push({ type: 'setTimer', timer: RETRY_TIMER + submission.submissionId, atUs: nowUs + this.backoffUs(submission.attempt) });
  }

  /** Back-off before attempt n+1: base * 2^(n-1), capped, times a jitter factor. */
  /** How long an attempt may take before the publisher gives up on that SP (see PublisherParams). */
  timeoutUs(sizeBytes: number): number {
    return this.params.submitTimeoutUs + Math.round((sizeBytes * 1e6) / this.params.submitAllowanceBytesPerS);
  }

  backoffUs(failedAttempts: number): number {
    let delayUs = this.params.backoffBaseUs;
    for (let i = 1; i < failedAttempts && delayUs < this.params.backoffMaxUs; i++) delayUs *= 2;
    delayUs = Math.min(delayUs, this.params.backoffMaxUs);
    const jitter = 1 + this.params.backoffJitterFraction * (2 * this.rng() - 1);
    return Math.max(1, Math.round(delayUs * jitter));
  }
}
