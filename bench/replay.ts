// The paper replay as a benchmark: runs scenarios/paper-48h.yaml (whole, or a slice at the paper's
// submission rate, optionally on another number of edge servers) in this process and prints one JSON line
// with wall time, events, deliveries and peak memory.
//   node dist/bench/replay.js [hours] [engine|reference] [edgeServers]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/index.js';
import { runScenario } from '../src/run/run.js';
import type { ClusterOrganisation } from '../src/world/cluster/port.js';

const PAPER_SUBMISSIONS = 14_276;
const PAPER_HOURS = 48;
const PAPER_EDGE_SERVERS = 15_000;
/** base.yaml's parent sites per continent and an SP's egress (src/network/transfer-model.ts). */
const PAPER_PARENT_SITES_PER_CONTINENT = 3;
const PAPER_SP_EGRESS_BYTES_PER_S = 12.5e6;

const here = path.dirname(fileURLToPath(import.meta.url));
const hours = Number(process.argv[2] ?? PAPER_HOURS);
const organisation = (process.argv[3] ?? 'engine') as ClusterOrganisation;
const edgeServers = Number(process.argv[4] ?? PAPER_EDGE_SERVERS);
const submissions = Math.round((PAPER_SUBMISSIONS * hours) / PAPER_HOURS);
// More servers keep the paper's proportions (base.yaml's): ISPs, clusters and parent sites grow with the fleet, so
// a parent serves as many clusters as in the paper replay. With 18 parents for 150,000 servers the parents' egress
// saturates, caches time out and fail over to the SPs: another regime, not the same model at a larger scale. For
// the same reason the SPs' egress grows with the parent sites, whose fetches share it: with the paper's 100 Mbit/s
// per SP and 180 parent sites, 150,000 servers x 0.5 h ran at a mean propagation of 50.3 s instead of 44.7 s, with
// 22 times the cluster wakes of 15,000 servers (measured 2026-12-02).
const scale = edgeServers / PAPER_EDGE_SERVERS;
const overrides = [`duration=${hours}h`, `workload.submissions=${submissions}`];
if (scale !== 1) {
  overrides.push(`topology.edgeServers=${edgeServers}`, `topology.isps=${Math.round(1200 * scale)}`);
  const parentSitesPerContinent = Math.max(1, Math.round(3 * scale));
  overrides.push(`topology.parentSitesPerContinent=${parentSitesPerContinent}`);
  overrides.push(`network.spEgressBytesPerS=${(PAPER_SP_EGRESS_BYTES_PER_S * parentSitesPerContinent) / PAPER_PARENT_SITES_PER_CONTINENT}`);
}
const scenario = loadScenario(path.join(here, '..', '..', 'scenarios', 'paper-48h.yaml'), overrides);
const startNs = process.hrtime.bigint();
const result = runScenario(scenario, { organisation });
const wallS = Number(process.hrtime.bigint() - startNs) / 1e9;
console.log(JSON.stringify({
  bench: 'replay',
  implementation: organisation,
  hours,
  edgeServers,
  events: result.summary.events,
  deliveries: result.summary.propagation.deliveries,
  wallS,
  eventsPerS: result.summary.events / wallS,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
  meanPropagationS: result.summary.propagation.meanS,
}));
