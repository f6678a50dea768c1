// Seeded random fault schedules for the property test: a safety phase with faults on (never more
// than `maxFaultySps` SPs impaired at once, counting a recovery window after each fault), then a heal.
import { exponential, uniform, uniformInt, type Rng } from '../../../src/kernel/index.js';
import type { FrontendHarness } from './harness.js';

export interface FaultScheduleOptions {
  readonly safetyPhaseUs: number;
  /** SPs that may be impaired at once: S - majority keeps a majority healthy, which is all ACMS promises. */
  readonly maxFaultySps: number;
  /** After a fault ends, its SP still counts as impaired until merging has had time to catch it up. */
  readonly recoveryWindowUs: number;
  readonly submissions: number;
  readonly fileCount: number;
}

export interface ScheduledFault {
  readonly kind: 'crash' | 'crashDiskLost' | 'partition' | 'blackHole' | 'skew';
  readonly sps: readonly number[];
  readonly startUs: number;
  readonly endUs: number;
}

const S = 1_000_000;

/** Plans faults and submissions onto the harness; returns the fault list (for failure messages). */
export function scheduleRandomRun(h: FrontendHarness, rng: Rng, options: FaultScheduleOptions): ScheduledFault[] {
  const faults: ScheduledFault[] = [];
  const busyUntilUs: number[] = new Array<number>(h.spCount).fill(0);
  let partitionBusyUntilUs = 0;
  let t = 0;
  for (;;) {
    t += Math.round(exponential(rng, 4 * S));
    if (t >= options.safetyPhaseUs) break;
    const idle: number[] = [];
    let impaired = 0;
    for (let sp = 0; sp < h.spCount; sp++) {
      if ((busyUntilUs[sp] as number) > t) impaired++;
      else idle.push(sp);
    }
    const durationUs = Math.round(uniform(rng, 1 * S, 15 * S));
    const endUs = Math.min(t + durationUs, options.safetyPhaseUs);
    const roll = rng();
    if (roll < 0.15) {
      // Clock skew within the tolerated bound is not a fault: it must change nothing.
      const sp = uniformInt(rng, 0, h.spCount - 1);
      const offsetUs = Math.round(uniform(rng, -0.9 * S, 0.9 * S));
      faults.push({ kind: 'skew', sps: [sp], startUs: t, endUs });
      h.at(t, () => h.setClockOffset(sp, offsetUs));
      h.at(endUs, () => h.setClockOffset(sp, 0));
      continue;
    }
    const width = roll < 0.35 && partitionBusyUntilUs <= t ? uniformInt(rng, 1, 2) : 1;
    if (impaired + width > options.maxFaultySps || idle.length < width) continue;
    const sps: number[] = [];
    for (let i = 0; i < width; i++) {
      const pick = idle.splice(uniformInt(rng, 0, idle.length - 1), 1)[0] as number;
      sps.push(pick);
      busyUntilUs[pick] = endUs + options.recoveryWindowUs;
    }
    if (roll < 0.35 && width >= 1 && partitionBusyUntilUs <= t) {
      partitionBusyUntilUs = endUs;
      faults.push({ kind: 'partition', sps, startUs: t, endUs });
      h.at(t, () => h.partition(sps));
      h.at(endUs, () => h.heal());
    } else if (roll < 0.5) {
      const sp = sps[0] as number;
      faults.push({ kind: 'blackHole', sps, startUs: t, endUs });
      h.at(t, () => h.blackHole(sp, 1500));
      h.at(endUs, () => h.clearBlackHole(sp));
    } else {
      const sp = sps[0] as number;
      const diskLost = rng() < 0.4;
      faults.push({ kind: diskLost ? 'crashDiskLost' : 'crash', sps, startUs: t, endUs });
      h.at(t, () => h.crash(sp));
      h.at(endUs, () => h.restart(sp, diskLost));
    }
  }
  for (let i = 0; i < options.submissions; i++) {
    const atUs = Math.round(uniform(rng, 0, options.safetyPhaseUs));
    const fileId = uniformInt(rng, 0, options.fileCount - 1);
    // Mostly small files, some above the black hole's MTU.
    const sizeBytes = rng() < 0.7 ? uniformInt(rng, 100, 1400) : uniformInt(rng, 2000, 300_000);
    const publisher = uniformInt(rng, 0, h.publishers.length - 1);
    h.at(atUs, () => h.submit(publisher, sizeBytes, fileId));
  }
  return faults;
}
