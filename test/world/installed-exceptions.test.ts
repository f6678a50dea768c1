// The pooled per-Receiver exception lists of the engine's installed versions, against a Map doing the same.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { InstalledExceptions } from '../../src/world/cluster/installed-exceptions.js';

describe('InstalledExceptions', () => {
  it('holds, replaces and forgets what a Map would, over random changes and clears', () => {
    const rng = seedrandom.alea('installed-exceptions');
    const receivers = 7;
    const files = 9;
    const table = new InstalledExceptions(receivers);
    const model = new Map<number, number>();
    for (let step = 0; step < 20_000; step++) {
      const i = Math.floor(rng() * receivers);
      const fileId = Math.floor(rng() * files);
      const what = rng();
      if (what < 0.02) {
        table.clear(i);
        for (let f = 0; f < files; f++) model.delete(i * files + f);
      } else if (what < 0.5) {
        const versionKey = Math.floor(rng() * 1000);
        table.set(i, fileId, versionKey);
        model.set(i * files + fileId, versionKey);
      } else {
        table.delete(i, fileId);
        model.delete(i * files + fileId);
      }
      const probeReceiver = Math.floor(rng() * receivers);
      const probeFile = Math.floor(rng() * files);
      expect(table.get(probeReceiver, probeFile, -1)).toBe(model.get(probeReceiver * files + probeFile) ?? -1);
      expect(table.size).toBe(model.size);
    }
    for (let i = 0; i < receivers; i++) {
      let count = 0;
      for (let fileId = 0; fileId < files; fileId++) if (model.has(i * files + fileId)) count++;
      expect(table.count[i]).toBe(count);
    }
  });
});
