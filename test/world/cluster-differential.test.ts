// One cluster, engine against reference host, with no World around it: a fake upstream answers each request from
// a hash of (seed, request id, target) (settled at once, later through the kernel, a failure, "not found", or never),
// two SPs' logs grow on a fixed timeline, and receivers and the cache go down and up at random times. Both hosts
// must install the same versions at the same microseconds and count the same cache hits and misses.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { Simulator, type EventTarget } from '../../src/kernel/simulator.js';
import { RandomStreams } from '../../src/kernel/random.js';
import { Snapshot, type SnapshotView } from '../../src/acms/snapshot.js';
import type { DeliveryMessage } from '../../src/acms/delivery-messages.js';
import { keyedUniform } from '../../src/kernel/random.js';
import { ClusterEngine } from '../../src/world/cluster/engine.js';
import { ReferenceCluster } from '../../src/world/cluster/reference-host.js';
import { LogIndexes } from '../../src/world/cluster/log-index.js';
import { FleetTables } from '../../src/world/cluster/fleet-tables.js';
import { InstallBatch } from '../../src/metrics/install-batch.js';
import type { ClusterEnvironment, ClusterOrganisation, ClusterPort, ClusterSpec, SettledAnswer } from '../../src/world/cluster/port.js';

const RECEIVERS = 12;
const FILES = 40;
const RUN_US = 40 * 60_000_000;
const CACHE = 1000;
const FIRST_RECEIVER = 2000;
const PARENT = 10;
const SPS = [11, 12];

/** Two SP logs of the same changes, the second a little behind (a fail-over sees another log). */
function buildLogs(seed: number): { snapshots: Snapshot[]; timesUs: number[][] } {
  const rng = seedrandom.alea(`logs/${seed}`);
  const snapshots = [new Snapshot(0, 8, 0), new Snapshot(1, 8, 0)];
  const timesUs: number[][] = [[], []];
  let atUs = 0;
  for (let v = 1; atUs < RUN_US; v++) {
    atUs += Math.floor(rng() * 20_000_000);
    const fileId = Math.floor(rng() * FILES);
    const sizeBytes = Math.floor(Math.exp(rng() * 14));
    snapshots.forEach((snapshot, s) => {
      if (snapshot.install(fileId, v, sizeBytes, atUs + s * 3_000_000)) (timesUs[s] as number[]).push(atUs + s * 3_000_000);
    });
  }
  return { snapshots, timesUs };
}

function viewAt(snapshot: Snapshot, timesUs: number[], atUs: number): SnapshotView {
  let length = 0;
  while (length < timesUs.length && (timesUs[length] as number) <= atUs) length++;
  const full = snapshot.view();
  return { originSp: full.originSp, log: full.log, length, lastModifiedUs: length === 0 ? 0 : (full.log[length - 1]?.rootLastModifiedUs as number) };
}

interface Outcome { readonly installs: string[]; readonly abandoned: string[]; readonly hits: number; readonly misses: number }

function runCluster(seed: number, organisation: ClusterOrganisation): Outcome {
  const sim = new Simulator();
  const { snapshots, timesUs } = buildLogs(seed);
  const installs: string[] = [];
  const abandoned: string[] = [];
  const uniform = (key: number, index: number): number => keyedUniform(seed, key, index);
  // Fault transitions: receivers and the cache going down and up, fixed in advance.
  const faultRng = seedrandom.alea(`faults/${seed}`);
  const transitions: { atUs: number; receiver: number; up: boolean }[] = [];
  for (let k = 0; k < 12; k++) {
    const atUs = Math.floor(faultRng() * RUN_US);
    const receiver = faultRng() < 0.3 ? -1 : Math.floor(faultRng() * RECEIVERS);
    transitions.push({ atUs, receiver, up: false }, { atUs: atUs + 1 + Math.floor(faultRng() * 120_000_000), receiver, up: true });
  }
  transitions.sort((a, b) => a.atUs - b.atUs);
  let cluster: ClusterPort;

  const answerOf = (sendUs: number, to: number, message: DeliveryMessage): { arrivalUs: number; message: DeliveryMessage; settled: boolean } | null => {
    const key = message.requestId * 64 + to;
    const fate = uniform(key, 0);
    const arrivalUs = sendUs + 1_000 + Math.floor(uniform(key, 1) * 3_000_000);
    if (fate < 0.05) return null; // lost: the cache times out
    if (fate < 0.1) return { arrivalUs, settled: false, message: { type: 'requestFailed', requestId: message.requestId, fileId: -1, versionKey: -1 } };
    const s = to === PARENT || to === SPS[0] ? 0 : 1;
    const view = viewAt(snapshots[s] as Snapshot, timesUs[s] as number[], sendUs);
    const settled = to === PARENT && fate < 0.7;
    if (message.type === 'indexGet') {
      const answer: DeliveryMessage = view.originSp === message.heldOriginSp && view.lastModifiedUs <= message.ifModifiedSinceUs
        ? { type: 'indexNotModified', requestId: message.requestId, lastModifiedUs: view.lastModifiedUs }
        : { type: 'indexResponse', requestId: message.requestId, view };
      return { arrivalUs, settled, message: answer };
    }
    if (message.type !== 'fileGet') throw new Error(`a cluster sent ${message.type} upstream`);
    const found = fate < 0.95;
    return { arrivalUs, settled, message: { type: 'fileResponse', requestId: message.requestId, fileId: message.fileId, versionKey: message.versionKey, found, sizeBytes: message.sizeBytes } };
  };

  const deliverer: EventTarget = {
    targetId: 1,
    onEvent(nowUs, kind, arg) {
      if (kind === 1) cluster.deliverToCache(nowUs, PARENT, arg as DeliveryMessage);
      else {
        const t = arg as { receiver: number; up: boolean };
        if (t.receiver < 0) cluster.setCacheUp(nowUs, t.up, true);
        else cluster.setReceiverUp(nowUs, t.receiver, t.up);
      }
    },
  };
  for (const t of transitions) sim.scheduleAt(t.atUs, deliverer, 2, t);

  const env: ClusterEnvironment = {
    sim,
    sendUpstream(sendUs, _from, to, message, _sizeBytes, settle): SettledAnswer | null {
      const answer = answerOf(sendUs, to, message);
      if (answer === null) return null;
      if (answer.settled && settle) return { arrivalUs: answer.arrivalUs, message: answer.message };
      sim.scheduleAt(answer.arrivalUs, deliverer, 1, answer.message);
      return null;
    },
    wouldSettle: (sendUs, _from, to, message) => answerOf(sendUs, to, message)?.settled === true,
    answerSure(sendUs, _from, to, message) {
      const answer = answerOf(sendUs, to, message)?.message;
      return answer?.type === 'fileResponse' && answer.found;
    },
    earliestAnswerUs(sendUs, _from, to, message) {
      // A true lower bound, sometimes tight and sometimes loose, as the World's is.
      const answer = answerOf(sendUs, to, message);
      if (answer === null) return Infinity;
      const slackUs = Math.floor(uniform(message.requestId * 64 + to, 2) * 2_000_000);
      return Math.max(sendUs, answer.arrivalUs - slackUs);
    },
    installs: new InstallBatch((installUs, edge, fileId, versionKey, previousKey) => {
      installs.push(`${installUs} ${edge} ${fileId} ${versionKey} ${previousKey}`);
    }),
    abandon(nowUs, _from, to, requestId, sizeBytes) {
      abandoned.push(`${nowUs} ${to} ${requestId} ${sizeBytes}`);
    },
    runAheadLimitUs(nowUs) {
      const next = transitions.find((t) => t.atUs >= nowUs);
      return Math.min(next === undefined ? Infinity : next.atUs, RUN_US + 1);
    },
    logIndexes: new LogIndexes(FILES),
    fleet: new FleetTables(),
  };
  const streams = new RandomStreams(seed);
  const spec: ClusterSpec = {
    clusterIndex: 0, cacheAddress: CACHE, firstReceiverAddress: FIRST_RECEIVER, firstEdgeServerIndex: 0,
    cache: { upstreams: [PARENT, ...SPS], indexTtlUs: 30_000_000, requestTimeoutUs: 2_000_000, upstreamBackoffUs: 60_000_000, minThroughputBytesPerS: 50_000 },
    receiver: { fileCount: FILES, pollIntervalUs: 30_000_000, pollJitter: 0.1 },
    receiverCount: RECEIVERS, receiverDrawSeed: streams.keyedSeed('receivers'),
    lanRttUs: Float64Array.from({ length: RECEIVERS }, (_, i) => 200 + i), lanBytesPerS: 125_000_000, targetId: 100,
  };
  cluster = organisation === 'engine' ? new ClusterEngine(spec, env) : new ReferenceCluster(spec, env);
  cluster.start(0);
  sim.run({ untilUs: RUN_US });
  env.installs.flush();
  return { installs: installs.sort(), abandoned, hits: cluster.cacheHits, misses: cluster.cacheMisses };
}

describe('one cluster, engine against reference, fed random upstream answers and failures', () => {
  for (let seed = 1; seed <= Number(process.env.DIFFERENTIAL_SEEDS ?? 20); seed++) {
    it(`installs the same versions at the same times, seed ${seed}`, () => {
      const engine = runCluster(seed, 'engine');
      const reference = runCluster(seed, 'reference');
      expect(engine.installs.length).toBeGreaterThan(100);
      expect(engine.installs).toEqual(reference.installs);
      // The file requests given up on (their answers' bytes are stopped by the World), in order.
      expect(engine.abandoned).toEqual(reference.abandoned);
      expect([engine.hits, engine.misses]).toEqual([reference.hits, reference.misses]);
    });
  }
});
