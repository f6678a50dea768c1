// Measures the cost of a renumbering through BIND 4.8 resolvers against correct ones, for the README: the CI
// world of scenarios/ci/bind48-renumbering.yaml under both cut-overs and both kinds of resolver, seeds 1-3.
// `npx tsc -p . && node dist/scripts/bind48-cost.js` prints a Markdown table (about 20 s).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/index.js';
import { runScenario } from '../src/run/run.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = join(root, 'scenarios', 'ci', 'bind48-renumbering.yaml');
const SEEDS = [1, 2, 3];
const CUT_OVERS = [['make-before-break (old addresses answer 20 min)', '20m'], ['hard cut-over', '0s']] as const;
const RESOLVERS = [['correct', 0], ['BIND 4.8', 1]] as const;

const rows: string[] = [
  '| cut-over | resolvers | propagation mean (s) | p99 (s) | max (s) | within 180 s | failed requests | cache-minutes unreachable |',
  '|---|---|---|---|---|---|---|---|',
];
for (const [cutOver, oldFor] of CUT_OVERS) {
  for (const [resolvers, share] of RESOLVERS) {
    let meanS = 0, p99S = 0, maxS = 0, within = 0, failed = 0, unreachableUs = 0;
    for (const seed of SEEDS) {
      const result = runScenario(loadScenario(file, [`seed=${seed}`, `faults[0].bind48Share=${share}`, `faults[0].oldAddressesAnswerFor=${oldFor}`]));
      const propagation = result.summary.propagation;
      meanS += (propagation.meanS ?? 0) / SEEDS.length;
      p99S += (propagation.p99S ?? 0) / SEEDS.length;
      maxS += (propagation.maxS ?? 0) / SEEDS.length;
      within += (propagation.within180sFraction ?? 0) / SEEDS.length;
      failed += result.world.unresolvedRequests / SEEDS.length;
      for (const row of result.faultTimeline) {
        if (!row.target.startsWith('cluster-cache/')) continue;
        unreachableUs += (row.action === 'end' ? 1 : -1) * row.timeS * 1e6 / SEEDS.length;
      }
    }
    rows.push(`| ${cutOver} | ${resolvers} | ${meanS.toFixed(1)} | ${p99S.toFixed(0)} | ${maxS.toFixed(0)} | ${(within * 100).toFixed(2)}% | ${Math.round(failed)} | ${Math.round(unreachableUs / 60e6)} |`);
  }
}
process.stdout.write(`${rows.join('\n')}\n\nmeans over seeds ${SEEDS.join(', ')}\n`);
