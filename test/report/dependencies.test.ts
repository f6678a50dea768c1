// The charts' bytes depend on how text is measured: if the `canvas` package were installed, vega would
// measure with it and every SVG would change. It must never enter the dependency tree; and the chart
// libraries stay pinned to exact versions that run on Node 20 (vega-lite 6.5 and later need Node 22).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../cli/cli-helpers.js';

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>; devDependencies: Record<string, string>;
};

describe('dependency tree', () => {
  it('holds no canvas package, and nothing asks for one', () => {
    const installed = Object.keys(lock.packages).filter((key) => /(^|\/)node_modules\/canvas$/.test(key));
    expect(installed).toEqual([]);
    const askers = Object.entries(lock.packages)
      .filter(([, pkg]) => [pkg.dependencies, pkg.optionalDependencies, pkg.peerDependencies].some((deps) => deps !== undefined && 'canvas' in deps))
      .map(([key]) => key);
    expect(askers).toEqual([]);
  });

  it('pins the chart and browser libraries exactly', () => {
    expect(manifest.dependencies['vega']).toBe('6.4.0');
    expect(manifest.dependencies['vega-lite']).toBe('6.4.3');
    expect(manifest.devDependencies['playwright-core']).toBe('1.65.1');
  });
});
