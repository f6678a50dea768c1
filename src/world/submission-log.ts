// One row per submission of the workload: when it was submitted, whether and when it was accepted,
// by which SP and under which version. Fed by the World from publisher observations.

export type SubmissionOutcome = 'pending' | 'accepted' | 'failed';

export interface SubmissionRow {
  readonly index: number;
  publisher: number;
  submitUs: number;
  acceptUs: number;
  outcome: SubmissionOutcome;
  acceptingSp: number;
  versionKey: number;
}

export class SubmissionLog {
  readonly rows: SubmissionRow[] = [];
  /** Per publisher, workload indexes in submission order: publishers number their submissions 1, 2, 3, ... */
  private readonly byPublisher: number[][] = [];

  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      this.rows.push({ index: i, publisher: -1, submitUs: -1, acceptUs: -1, outcome: 'pending', acceptingSp: -1, versionKey: -1 });
    }
  }

  submitted(index: number, publisher: number, nowUs: number): void {
    const row = this.rows[index] as SubmissionRow;
    row.publisher = publisher;
    row.submitUs = nowUs;
    while (this.byPublisher.length <= publisher) this.byPublisher.push([]);
    (this.byPublisher[publisher] as number[]).push(index);
  }

  private rowOf(publisher: number, submissionId: number): SubmissionRow {
    const index = this.byPublisher[publisher]?.[submissionId - 1];
    if (index === undefined) throw new Error(`publisher ${publisher} reported unknown submission ${submissionId}`);
    return this.rows[index] as SubmissionRow;
  }

  accepted(publisher: number, submissionId: number, nowUs: number, versionKey: number, sp: number): void {
    const row = this.rowOf(publisher, submissionId);
    row.outcome = 'accepted';
    row.acceptUs = nowUs;
    row.versionKey = versionKey;
    row.acceptingSp = sp;
  }

  failed(publisher: number, submissionId: number, _nowUs: number): void {
    this.rowOf(publisher, submissionId).outcome = 'failed';
  }
}
