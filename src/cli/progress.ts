// Progress of a run on stderr: simulated time, percent done, events per second, ETA. On a terminal one line
// redrawn in place; otherwise (a log file, a CI job) a plain line at every tenth of the simulated time, as
// OMNeT++'s express mode does, so long work shows progress wherever stderr goes. This is the one place that
// reads the wall clock during a run.

export type ProgressMode = 'terminal' | 'lines' | 'off';

/** How progress should show for this process's stderr: --quiet turns it off. */
export function progressModeFor(quiet: boolean): ProgressMode {
  if (quiet) return 'off';
  return process.stderr.isTTY === true ? 'terminal' : 'lines';
}

export class ProgressLine {
  private readonly startNs = process.hrtime.bigint();
  private shown = false;
  /** In 'lines' mode, the last tenth reported. */
  private lastTenth = 0;

  constructor(private readonly mode: ProgressMode) {}

  update(nowUs: number, totalUs: number, events: number): void {
    if (this.mode === 'off') return;
    const done = totalUs > 0 ? nowUs / totalUs : 1;
    if (this.mode === 'lines') {
      const tenth = Math.floor(done * 10 + 1e-9);
      if (tenth <= this.lastTenth) return;
      this.lastTenth = tenth;
    }
    const wallS = this.elapsedS();
    const etaS = done > 0 ? (wallS / done) * (1 - done) : 0;
    const hours = (nowUs / 3.6e9).toFixed(1);
    const text = `simulated ${hours} h  ${(done * 100).toFixed(0).padStart(3)}%  ${formatRate(wallS > 0 ? events / wallS : 0)} events/s  ETA ${etaS.toFixed(0)} s`;
    if (this.mode === 'terminal') {
      process.stderr.write(`\r  ${text}   `);
      this.shown = true;
    } else {
      process.stderr.write(`acmsim: ${text}\n`);
    }
  }

  finish(): void {
    if (this.shown) process.stderr.write('\n');
  }

  elapsedS(): number {
    return Number(process.hrtime.bigint() - this.startNs) / 1e9;
  }
}

/** Events per second with a unit that keeps two or three digits: "830 k", "1.2 M". */
function formatRate(perS: number): string {
  return perS >= 1e6 ? `${(perS / 1e6).toFixed(1)} M` : `${(perS / 1e3).toFixed(0)} k`;
}
