import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, DRAIN_US, type RunResult } from '../../src/run/run.js';
import type { VersionRecord } from '../../src/world/run-metrics.js';
import { smallScenario } from './support.js';

const P_S = 20;
const EDGE_TTL_S = 10;
const PARENT_TTL_S = 40;
const JITTER = 0.1;

function deliveries(result: RunResult): { edge: number; version: number; deliverUs: number }[] {
  const rows = [];
  for (let r = 0; r < result.world.metrics.sampleRows; r++) {
    const [edge, version, deliverUs] = result.world.metrics.sampleRow(r);
    rows.push({ edge, version, deliverUs });
  }
  return rows.sort((a, b) => a.edge - b.edge || a.version - b.version || a.deliverUs - b.deliverUs);
}

describe('delivery on a small topology without faults', () => {
  const scenario = smallScenario([
    `acms.pollInterval=${P_S}s`, `acms.pollJitter=${JITTER}`, `acms.indexTtl={edge: ${EDGE_TTL_S}s, parent: ${PARENT_TTL_S}s}`,
  ]);
  const engine = runScenario(scenario, { organisation: 'engine' });

  it('gives every receiver every accepted version', () => {
    const summary = engine.summary;
    expect(summary.submissions.accepted).toBeGreaterThan(50);
    expect(summary.propagation.expectedDeliveries).toBe(summary.submissions.accepted * 200);
    expect(summary.propagation.undelivered).toBe(0);
    expect(summary.invariants.violations).toBe(0);
  });

  it('keeps the mean propagation within the bounds the poll interval and TTLs imply', () => {
    // A new version waits for the parent's next revalidation (on average half its TTL, as acceptance times are
    // independent of the refresh phase), then for the cluster cache's (half the edge TTL on average), then for
    // the receiver's next poll (at most one jittered interval). Latencies add a few seconds; transfer time is
    // negligible below 100 KB, so the bounds are checked on those files.
    const lowerS = 0.8 * (PARENT_TTL_S / 2 + EDGE_TTL_S / 2);
    const upperS = PARENT_TTL_S / 2 + EDGE_TTL_S / 2 + P_S * (1 + JITTER) + 5;
    const maxS = PARENT_TTL_S + EDGE_TTL_S + 2 * P_S * (1 + JITTER) + 10;
    const versions = engine.world.metrics.versions;
    const latenciesS = deliveries(engine)
      .filter((row) => (versions[row.version] as VersionRecord).sizeBytes < 100_000)
      .map((row) => (row.deliverUs - (versions[row.version] as VersionRecord).acceptUs) / 1e6);
    expect(latenciesS.length).toBeGreaterThan(5000);
    const meanS = latenciesS.reduce((sum, s) => sum + s, 0) / latenciesS.length;
    expect(meanS).toBeGreaterThan(lowerS);
    expect(meanS).toBeLessThan(upperS);
    expect(Math.max(...latenciesS)).toBeLessThan(maxS);
  });

  it('keeps the index request rate at the SPs near (caches that talk to SPs) / TTL, not receivers / poll interval', () => {
    const world = engine.world;
    const elapsedS = (scenario.durationUs + DRAIN_US) / 1e6;
    const ratePerS = world.spIndexRequests / elapsedS;
    const parentSites = world.topology.parentSiteCount;
    // Parents revalidate at the first request after expiry: a period a little above the TTL.
    expect(ratePerS).toBeGreaterThan(0.7 * (parentSites / PARENT_TTL_S));
    expect(ratePerS).toBeLessThan(1.1 * (parentSites / PARENT_TTL_S));
    expect(ratePerS).toBeLessThan(0.05 * (world.topology.edgeServerCount / P_S));
  });

  it('gives the same deliveries from the cluster engine as from the reference host (one event per poll)', () => {
    const reference = runScenario(scenario, { organisation: 'reference' });
    expect(deliveries(engine)).toEqual(deliveries(reference));
    expect(reference.summary.propagation).toEqual(engine.summary.propagation);
    expect(reference.summary.caches).toEqual(engine.summary.caches);
    expect(engine.summary.events).toBeLessThan(reference.summary.events);
  });
});

describe('the cluster engine and the reference host under faults', () => {
  // Edge servers failing often (each cluster's run-ahead stops at its own servers' transitions only), a
  // cluster cache and a parent site going down, and an SP crash: the engine and the reference must still agree.
  const scenario = smallScenario([
    `faults=[{kind: edge-outage, mtbf: 15m, mttr: 2m, target: {fraction: 1}},
      {kind: cache-outage, at: 5m, for: 3m, target: {clusters: [3]}},
      {kind: sp-crash, at: 8m, for: 4m, target: {sps: [1]}}]`,
  ]);

  it('gives the same deliveries, cache counts and propagation figures', () => {
    const engine = runScenario(scenario, { organisation: 'engine' });
    const reference = runScenario(scenario, { organisation: 'reference' });
    expect(engine.world.faults.timeline.length).toBeGreaterThan(50);
    expect(deliveries(engine)).toEqual(deliveries(reference));
    expect(reference.summary.propagation).toEqual(engine.summary.propagation);
    expect(reference.summary.caches).toEqual(engine.summary.caches);
    expect(engine.summary.events).toBeLessThan(reference.summary.events);
  });
});

describe('an MTU black hole on one ISP', () => {
  const faultEndS = 600;
  const probe = runScenario(smallScenario(['duration=1m', 'workload.submissions=1']));
  const topology = probe.world.topology;
  // An ISP with a cluster but with no SP, parent site or publisher in it, so only its receivers are cut.
  const busyIsps = new Set<number>();
  for (let address = 0; address < topology.clusterCacheBase; address++) busyIsps.add(topology.nodeIsp[address] as number);
  let isp = -1;
  for (let c = 0; c < topology.clusterCount && isp < 0; c++) {
    if (!busyIsps.has(topology.clusterIsp[c] as number)) isp = topology.clusterIsp[c] as number;
  }
  const result = runScenario(smallScenario([
    `faults=[{kind: mtu-blackhole, at: 0s, for: ${faultEndS}s, mtuBytes: 1400, target: {isps: [${isp}]}}]`,
  ]));
  const versions = result.world.metrics.versions;
  const inIsp = (edge: number): boolean => topology.nodeIsp[topology.edgeServerAddress(edge)] === isp;

  it('delays large files in that ISP until the fault ends, and nothing else', () => {
    let smallInside = 0;
    let largeInside = 0;
    for (const row of deliveries(result)) {
      const version = versions[row.version] as VersionRecord;
      const latencyS = (row.deliverUs - version.acceptUs) / 1e6;
      const acceptedDuringFault = version.acceptUs < faultEndS * 1e6 - 120e6;
      if (inIsp(row.edge) && acceptedDuringFault && version.sizeBytes > 1400) {
        largeInside++;
        expect(row.deliverUs).toBeGreaterThanOrEqual(faultEndS * 1e6);
      } else {
        if (inIsp(row.edge)) smallInside++;
        // Unaffected: as fast as without the fault (files above 1 MB may legitimately take longer to transfer).
        if (version.sizeBytes < 1_000_000) expect(latencyS).toBeLessThan(180);
      }
    }
    expect(largeInside).toBeGreaterThan(0);
    expect(smallInside).toBeGreaterThan(0);
    expect(result.summary.propagation.undelivered).toBe(0);
  });
});

describe('a trace row whose country has no publisher site', () => {
  it('enters at the publisher nearest to that country', () => {
    const probe = runScenario(smallScenario(['duration=1m', 'workload.submissions=1']));
    const topology = probe.world.topology;
    const withPublisher = new Set<number>();
    for (let p = 0; p < topology.publisherCount; p++) withPublisher.add(topology.nodeCountry[topology.publisherAddress(p)] as number);
    const country = topology.countries.findIndex((_, index) => !withPublisher.has(index));
    expect(country).toBeGreaterThanOrEqual(0);
    const code = (topology.countries[country] as { code: string }).code;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'acmsim-trace-country-'));
    fs.writeFileSync(path.join(folder, 't.csv'), `timeS,file,sizeBytes,publisher\n1,a,100,${code}\n`);
    const result = runScenario(smallScenario(['duration=1m', `workload={ kind: trace, file: ${path.join(folder, 't.csv')} }`]));
    fs.rmSync(folder, { recursive: true, force: true });
    const chosen = (result.world.workload[0] as { publisher: number }).publisher;
    // Nearest by great-circle distance from the country's centre, computed here independently.
    const { latDeg, lonDeg } = topology.countries[country] as { latDeg: number; lonDeg: number };
    const distance = (p: number): number => {
      const a = topology.publisherAddress(p);
      const toRad = Math.PI / 180;
      const [lat1, lon1, lat2, lon2] = [latDeg * toRad, lonDeg * toRad, (topology.nodeLatDeg[a] as number) * toRad, (topology.nodeLonDeg[a] as number) * toRad];
      return Math.acos(Math.min(1, Math.sin(lat1) * Math.sin(lat2) + Math.cos(lat1) * Math.cos(lat2) * Math.cos(lon1 - lon2)));
    };
    for (let p = 0; p < topology.publisherCount; p++) expect(distance(chosen)).toBeLessThanOrEqual(distance(p) + 1e-12);
  });
});
