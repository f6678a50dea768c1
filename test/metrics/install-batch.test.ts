// InstallBatch hands the sink every install, in order; RunMetrics records what it holds before anything is read.
import { describe, expect, it } from 'vitest';
import { InstallBatch } from '../../src/metrics/install-batch.js';
import { RunMetrics } from '../../src/world/run-metrics.js';

describe('InstallBatch', () => {
  it('hands every install to the sink in order, a full batch at once and the rest on flush', () => {
    const seen: string[] = [];
    const batch = new InstallBatch((installUs, edge, fileId, versionKey, previousKey) => seen.push(`${installUs} ${edge} ${fileId} ${versionKey} ${previousKey}`), 3);
    for (let k = 0; k < 7; k++) batch.add(1e12 + k, k, 2 * k, 2 ** 50 + k, k === 0 ? -Infinity : 2 ** 50 + k - 1);
    expect(seen).toHaveLength(6);
    batch.flush();
    expect(seen).toHaveLength(7);
    expect(seen[0]).toBe(`1000000000000 0 0 ${2 ** 50} -Infinity`);
    expect(seen[6]).toBe(`1000000000006 6 12 ${2 ** 50 + 6} ${2 ** 50 + 5}`);
    batch.flush();
    expect(seen).toHaveLength(7);
  });

  it('refuses a capacity below one', () => {
    expect(() => new InstallBatch(() => {}, 0)).toThrow(RangeError);
  });
});

describe('RunMetrics with installs batched', () => {
  it('counts an install added before its version is accepted as unmatched, as recording it at once would', () => {
    const metrics = new RunMetrics(new Uint8Array(4));
    metrics.installs.add(5_000, 1, 0, 100, -Infinity);
    metrics.recordAccepted(1_000, 100, 0, 2_000);
    metrics.installs.add(6_000, 2, 0, 100, -Infinity);
    expect(metrics.unmatchedInstalls).toBe(1);
    expect(metrics.versions[0]?.deliveries).toBe(1);
    expect(metrics.propagation.count).toBe(1);
  });
});
