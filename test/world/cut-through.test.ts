// network.cacheForwarding at the scale of a small world: a 40 MB version reaches the receivers sooner when its
// parent sites forward it while it still arrives, and the same run with store-and-forward forwards nothing early.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run.js';
import { smallScenario } from './support.js';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'acmsim-cut-through-'));
const trace = path.join(folder, 'large.csv');
// One 40 MB version (the 10-100 MB class the paper's tail is made of), published after the first polls.
fs.writeFileSync(trace, 'timeS,file,sizeBytes,publisher\n30,big.conf,40000000,0\n');
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

function run(forwarding: string) {
  return runScenario(smallScenario(['duration=10m', `workload={ kind: trace, file: ${trace} }`, `network.cacheForwarding=${forwarding}`]));
}

/** Edge server -> when it installed the one version (every receiver is sampled in smallScenario). */
function installTimesUs(result: ReturnType<typeof run>): Map<number, number> {
  const times = new Map<number, number>();
  for (let r = 0; r < result.world.metrics.sampleRows; r++) {
    const [edge, , deliverUs] = result.world.metrics.sampleRow(r);
    times.set(edge, deliverUs);
  }
  return times;
}

describe('cut-through at parent sites (network.cacheForwarding)', () => {
  const stored = run('store-and-forward');
  const cut = run('cut-through');

  it('delivers the 40 MB version to every receiver either way', () => {
    for (const result of [stored, cut]) {
      expect(result.summary.submissions.accepted).toBe(1);
      expect(result.summary.propagation.deliveries).toBe(200);
      expect(result.summary.propagation.undelivered).toBe(0);
      expect(result.summary.invariants.violations).toBe(0);
    }
  });

  it('forwards answers while the parent still fetches only with cut-through', () => {
    expect(stored.world.forwardedAnswers).toBe(0);
    expect(cut.world.forwardedAnswers).toBeGreaterThan(0);
  });

  it('delivers it sooner with cut-through: no receiver later, those behind a forwarded answer earlier', () => {
    const storedUs = installTimesUs(stored);
    const cutUs = installTimesUs(cut);
    let earlier = 0;
    for (const [edge, timeUs] of storedUs) {
      const cutTimeUs = cutUs.get(edge) as number;
      expect(cutTimeUs, `edge server ${edge}`).toBeLessThanOrEqual(timeUs);
      if (cutTimeUs < timeUs) earlier++;
    }
    expect(earlier).toBeGreaterThan(0);
    expect(cut.summary.propagation.meanS as number).toBeLessThan(stored.summary.propagation.meanS as number);
  });
});
