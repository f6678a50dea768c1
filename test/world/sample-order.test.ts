// propagation.csv's rows come in RunMetrics.sampleOrder: by version (in order of acceptance), then edge server, then
// delivery time, whatever order the installs were recorded in. Held here to one sort of every row by those keys.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { RunMetrics } from '../../src/world/run-metrics.js';

describe('the sample\'s row order', () => {
  it('is by version, edge server and delivery time, against a sort of all rows', () => {
    for (let seed = 0; seed < 5; seed++) {
      const rng = seedrandom.alea(`sample-order/${seed}`);
      const edgeServers = 40;
      const sampled = new Uint8Array(edgeServers);
      for (let e = 0; e < edgeServers; e++) sampled[e] = rng() < 0.5 ? 1 : 0;
      const metrics = new RunMetrics(sampled);
      const files = 6;
      const installed: number[][] = Array.from({ length: edgeServers }, () => new Array<number>(files).fill(-Infinity));
      let versionKey = 1;
      for (let step = 0; step < 3_000; step++) {
        if (step % 20 === 0) metrics.recordAccepted(step * 1_000, versionKey++, Math.floor(rng() * files), 100);
        // An install of a random accepted version newer than the one held (several at one time, as a cache's answer
        // installs for its waiters), recorded in no particular order of edge server.
        const edge = Math.floor(rng() * edgeServers);
        const fileId = Math.floor(rng() * files);
        const key = 1 + Math.floor(rng() * (versionKey - 1));
        const held = (installed[edge] as number[])[fileId] as number;
        if (key <= held || metrics.versionOf(key)?.fileId !== fileId) continue;
        metrics.installs.add(step * 1_000 + Math.floor(rng() * 3) * 500, edge, fileId, key, held);
        (installed[edge] as number[])[fileId] = key;
      }
      const rows = metrics.sampleRows;
      expect(rows).toBeGreaterThan(100);
      const all = Array.from({ length: rows }, (_, r) => metrics.sampleRow(r));
      const expected = [...all].sort((a, b) => a[1] - b[1] || a[0] - b[0] || a[2] - b[2]);
      const order = metrics.sampleOrder();
      expect(Array.from(order, (r) => metrics.sampleRow(r))).toEqual(expected);
    }
  });
});
