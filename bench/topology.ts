// Benchmark of topology build time and memory at 15,000 and 1,000,000 edge servers, plus the cost
// of one message-delay query. Run: npx tsc -p . && node --expose-gc dist/bench/topology.js
import { RandomStreams } from '../src/kernel/random.js';
import { Simulator } from '../src/kernel/simulator.js';
import { buildTopology } from '../src/network/topology-builder.js';
import { Network } from '../src/network/transfers.js';
import type { Topology } from '../src/network/topology.js';

const MIB = 1024 * 1024;
const RUNS = 3;

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

/** Bytes held in the topology's typed arrays (the bulk of its memory). */
function typedArrayBytes(topology: Topology): number {
  let bytes = 0;
  for (const value of Object.values(topology)) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  return bytes;
}

function benchBuild(edgeServers: number): Topology {
  const timesMs: number[] = [];
  let topology: Topology | undefined;
  collect();
  const before = process.memoryUsage();
  for (let run = 0; run < RUNS; run++) {
    topology = undefined;
    collect();
    const startNs = process.hrtime.bigint();
    topology = buildTopology(new RandomStreams(run + 1), { edgeServers });
    timesMs.push(Number(process.hrtime.bigint() - startNs) / 1e6);
  }
  collect();
  const after = process.memoryUsage();
  const t = topology as Topology;
  console.log(
    `${edgeServers.toLocaleString('en-US')} edge servers: ${t.clusterCount} clusters, ${t.nodeCount} nodes; ` +
      `build median ${median(timesMs).toFixed(0)} ms (runs ${timesMs.map((ms) => ms.toFixed(0)).join(', ')}); ` +
      `typed arrays ${(typedArrayBytes(t) / MIB).toFixed(1)} MiB; retained heap +${((after.heapUsed - before.heapUsed) / MIB).toFixed(1)} MiB; ` +
      `RSS ${(after.rss / MIB).toFixed(0)} MiB (peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB)`,
  );
  return t;
}

function benchMessages(topology: Topology): void {
  const network = new Network(new Simulator(), topology, new RandomStreams(1));
  const count = 2_000_000;
  const nodes = topology.nodeCount;
  let checksum = 0;
  const startNs = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const from = (i * 7919) % nodes;
    const to = (i * 104729 + 13) % nodes;
    checksum += network.messageDelayUs(0, from, to, 1000);
  }
  const elapsedS = Number(process.hrtime.bigint() - startNs) / 1e9;
  console.log(`messageDelayUs: ${(count / elapsedS / 1e6).toFixed(2)} M queries/s (checksum ${checksum % 1000})`);
}

const small = benchBuild(15_000);
benchMessages(small);
benchBuild(1_000_000);
