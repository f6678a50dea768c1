// The progress line of `acmsim sweep` on stderr: runs done, failed, ETA. On a terminal it is rewritten
// in place; otherwise (a log file, a batch job) a plain line is written every ~10% of the runs.

export class SweepProgress {
  private readonly startNs = process.hrtime.bigint();
  private readonly isTty: boolean;
  private shown = false;
  private lastTenth = 0;

  constructor(private readonly stream: NodeJS.WriteStream, private readonly enabled: boolean) {
    this.isTty = stream.isTTY === true;
  }

  /** note: a line to print above the progress line (a failed run). */
  update(done: number, failed: number, total: number, note?: string): void {
    if (!this.enabled) return;
    const elapsedS = Number(process.hrtime.bigint() - this.startNs) / 1e9;
    const etaS = done > 0 ? (elapsedS / done) * (total - done) : 0;
    const text = `  runs ${done}/${total}  failed ${failed}  ${elapsedS.toFixed(0)} s  ETA ${etaS.toFixed(0)} s`;
    if (this.isTty) {
      this.stream.write(`\r${note === undefined ? '' : `${note}\x1b[K\n`}${text}   `);
      this.shown = true;
      return;
    }
    if (note !== undefined) this.stream.write(`${note}\n`);
    const tenth = Math.floor((done * 10) / total);
    if (tenth > this.lastTenth || done === total) {
      this.lastTenth = tenth;
      this.stream.write(`${text.trim()}\n`);
    }
  }

  finish(): void {
    if (this.shown) this.stream.write('\n');
  }
}
