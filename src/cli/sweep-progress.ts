// The progress of `acmsim sweep` on stderr: runs done, failed, ETA, in the modes of progress.ts (one line
// redrawn on a terminal; a plain line every tenth of the runs otherwise; nothing with --quiet).
import type { ProgressMode } from './progress.js';

export class SweepProgress {
  private readonly startNs = process.hrtime.bigint();
  private shown = false;
  /** In 'lines' mode, the last tenth reported. */
  private lastTenth = 0;

  constructor(private readonly mode: ProgressMode) {}

  /** note: a line to print above the progress (a failed run); shown in every mode but 'off'. */
  update(done: number, failed: number, total: number, note?: string): void {
    if (this.mode === 'off') return;
    const elapsedS = Number(process.hrtime.bigint() - this.startNs) / 1e9;
    const etaS = done > 0 ? (elapsedS / done) * (total - done) : 0;
    const text = `runs ${done}/${total}  failed ${failed}  ${elapsedS.toFixed(0)} s  ETA ${etaS.toFixed(0)} s`;
    if (this.mode === 'terminal') {
      process.stderr.write(`\r${note === undefined ? '' : `acmsim: ${note}\x1b[K\n`}  ${text}   `);
      this.shown = true;
      return;
    }
    if (note !== undefined) process.stderr.write(`acmsim: ${note}\n`);
    const tenth = Math.floor((done * 10) / total);
    if (tenth > this.lastTenth || done === total) {
      this.lastTenth = tenth;
      process.stderr.write(`acmsim: ${text}\n`);
    }
  }

  finish(): void {
    if (this.shown) process.stderr.write('\n');
  }
}
