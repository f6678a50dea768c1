// The cluster engine against the reference host on a slice of the paper replay at full scale: the sampled
// receivers' deliveries (every row of propagation.csv, to the microsecond) and the summary's figures must be
// identical. Too slow for the test suite (the reference host runs one kernel event per poll); run it after a
// change to the engine:   node dist/bench/replay-equivalence.js [hours]   (exit 1 on any difference)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/index.js';
import { runScenario } from '../src/run/run.js';
import { CLUSTER_ORGANISATIONS } from '../src/world/cluster/port.js';

const PAPER_SUBMISSIONS = 14_276;
const PAPER_HOURS = 48;

const here = path.dirname(fileURLToPath(import.meta.url));
const hours = Number(process.argv[2] ?? 2);
const scenario = loadScenario(path.join(here, '..', '..', 'scenarios', 'paper-48h.yaml'), [
  `duration=${hours}h`, `workload.submissions=${Math.round((PAPER_SUBMISSIONS * hours) / PAPER_HOURS)}`,
]);

interface Outcome { readonly rows: string[]; readonly figures: string }
const outcomes: Outcome[] = [];
for (const organisation of CLUSTER_ORGANISATIONS) {
  const startNs = process.hrtime.bigint();
  const result = runScenario(scenario, { organisation });
  const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
  const rows: string[] = [];
  for (let r = 0; r < result.world.metrics.sampleRows; r++) rows.push(result.world.metrics.sampleRow(r).join(' '));
  rows.sort();
  const s = result.summary;
  outcomes.push({ rows, figures: JSON.stringify([s.propagation, s.bySize, s.acceptance, s.submissions, s.caches, s.spLoad, s.invariants]) });
  console.log(`${organisation}: ${wallS.toFixed(1)} s wall, ${s.events} events, ${s.propagation.deliveries} deliveries, mean ${s.propagation.meanS} s, ${rows.length} sampled rows`);
}
const [engine, reference] = outcomes as [Outcome, Outcome];
const sameRows = engine.rows.length === reference.rows.length && engine.rows.every((row, i) => row === reference.rows[i]);
const sameFigures = engine.figures === reference.figures;
console.log(`sampled deliveries identical: ${sameRows}; summary figures identical: ${sameFigures}`);
process.exitCode = sameRows && sameFigures ? 0 : 1;
