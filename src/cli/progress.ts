// A one-line progress display on stderr: simulated time, percent done, events per second, ETA.
// Shown only when stderr is a terminal. This is the one place that reads the wall clock during a run.

export class ProgressLine {
  private readonly startNs = process.hrtime.bigint();
  private shown = false;

  constructor(private readonly enabled: boolean) {}

  update(nowUs: number, totalUs: number, events: number): void {
    if (!this.enabled) return;
    const wallS = Number(process.hrtime.bigint() - this.startNs) / 1e9;
    const done = nowUs / totalUs;
    const etaS = done > 0 ? (wallS / done) * (1 - done) : 0;
    const hours = (nowUs / 3.6e9).toFixed(1);
    const rate = wallS > 0 ? (events / wallS / 1e6).toFixed(1) : '0.0';
    process.stderr.write(`\r  simulated ${hours} h  ${(done * 100).toFixed(0).padStart(3)}%  ${rate} M events/s  ETA ${etaS.toFixed(0)} s   `);
    this.shown = true;
  }

  finish(): void {
    if (this.shown) process.stderr.write('\n');
  }

  elapsedS(): number {
    return Number(process.hrtime.bigint() - this.startNs) / 1e9;
  }
}
