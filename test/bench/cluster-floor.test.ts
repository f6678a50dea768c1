// The engine bench's floor (bench/cluster-floor.ts) is only a floor if it does the engine's work: both must install
// the same (time, edge server, file, version, version replaced) records, whatever the cluster size, the length of the
// run, how each organises its clusters' turns (whole, or every 30 s), and the ground (engine-bench-shape.ts: small
// files answered at once, or large ones whose answers outlast a poll interval, over a few hot files, so that Receivers
// take indexes while they wait, and a file changes again while they do; and with Receivers' outages). Run from dist/
// (built by `pretest`), as `npm run bench` runs them.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/bench');

interface BenchLine { exchanges: number; installs: number; fingerprint: string }

function runBench(script: string, args: string[]): BenchLine {
  const output = execFileSync(process.execPath, [path.join(benchDir, script), ...args, 'fingerprint'], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').pop() as string) as BenchLine;
}

describe('the cluster engine bench and its floor', () => {
  const shapes: Array<{ clusters: number; receivers: number; hours: number }> = [
    { clusters: 30, receivers: 9, hours: 1 },
    { clusters: 40, receivers: 3, hours: 2 },
    { clusters: 12, receivers: 1, hours: 1.5 },
    { clusters: 5, receivers: 40, hours: 0.5 },
  ];
  const grounds: string[][] = [[], ['large', 'hot'], ['large', 'hot', 'outages']];
  for (const ground of grounds) {
    for (const { clusters, receivers, hours } of shapes) {
      it(`install the same versions at the same times: ${clusters} clusters of ${receivers}, ${hours} h, ${ground.join(' ') || 'small files'}`, () => {
        const sizes = [String(clusters), String(receivers), String(hours)];
        const floor = runBench('cluster-floor.js', ['whole', ...sizes, ...ground]);
        expect(floor.installs).toBeGreaterThan(clusters * receivers);
        const floorInTurns = runBench('cluster-floor.js', ['epoch30', ...sizes, ...ground]);
        expect(floorInTurns).toMatchObject({ exchanges: floor.exchanges, installs: floor.installs, fingerprint: floor.fingerprint });
        for (const limit of ['whole', '30']) {
          const engine = runBench('cluster-engine.js', [limit, ...sizes, ...ground]);
          expect({ limit, ...engine }).toMatchObject({ limit, exchanges: floor.exchanges, installs: floor.installs, fingerprint: floor.fingerprint });
        }
      });
    }
  }
});
