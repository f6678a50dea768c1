// `npm run bench`: runs each benchmark in its own process (so peak memory is its own), interleaving
// the candidate with a reference measured in the same run, and reports medians and ratios.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { profileFunctions, type ProfileEvents } from './instruction-profile.js';

interface Trial { implementation: string; eventsPerS: number; wallS: number; peakRssMiB: number }

const here = path.dirname(fileURLToPath(import.meta.url));
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

function runTrial(script: string, args: string[], nodeOptions: string[] = []): Trial {
  const output = execFileSync(process.execPath, [...nodeOptions, path.join(here, script), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(output.trim().split('\n').pop() as string) as Trial;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A PHOLD variant on the kernel and its reference, run in turn `repeats` times: their median trials. */
function pholdPair(kernelVariant: string, referenceVariant: string): { kernel: Trial[]; reference: Trial[]; ratio: number } {
  const kernel: Trial[] = [];
  const reference: Trial[] = [];
  for (let i = 0; i < repeats; i++) {
    kernel.push(runTrial('phold.js', [kernelVariant]));
    reference.push(runTrial('phold.js', [referenceVariant]));
  }
  const ratio = median(kernel.map((t) => t.eventsPerS)) / median(reference.map((t) => t.eventsPerS));
  return { kernel, reference, ratio };
}

function benchPhold(): void {
  const plain = pholdPair('kernel', 'reference');
  const rate = (trials: Trial[]): string => (median(trials.map((t) => t.eventsPerS)) / 1e6).toFixed(2);
  const rss = (trials: Trial[]): string => median(trials.map((t) => t.peakRssMiB)).toFixed(0);
  console.log('PHOLD, 10,000 processes, 10 M events, median of %d interleaved runs', repeats);
  console.log('  acmsim kernel:                 %s M events/s, peak RSS %s MiB', rate(plain.kernel), rss(plain.kernel));
  console.log('  reference (heap-js, new object per event): %s M events/s, peak RSS %s MiB', rate(plain.reference), rss(plain.reference));
  console.log('  ratio kernel / reference:      %s', plain.ratio.toFixed(2));
  const cancel = pholdPair('kernel-cancel', 'reference-cancel');
  console.log('PHOLD with cancellations (each event moves another pending event with probability 0.42, as the replay moves its wakes)');
  console.log('  acmsim kernel: %s M events/s; reference (heap-js, a Set of cancelled ids): %s M events/s; ratio %s',
    rate(cancel.kernel), rate(cancel.reference), cancel.ratio.toFixed(2));
}

/**
 * A slice of the paper replay at the paper's submission rate (2 h by default, BENCH_REPLAY_HOURS to change;
 * 48 for the whole replay), the engine against the reference host (pure machines, one event per poll).
 */
function benchReplay(): void {
  const hours = process.env.BENCH_REPLAY_HOURS ?? '2';
  const replayRepeats = Number(process.env.BENCH_REPEATS ?? 1);
  const engine: Trial[] = [];
  const reference: Trial[] = [];
  const heapCap = ['--max-old-space-size=1536'];
  for (let i = 0; i < replayRepeats; i++) {
    engine.push(runTrial('replay.js', [hours, 'engine'], heapCap));
    reference.push(runTrial('replay.js', [hours, 'reference'], heapCap));
  }
  const engineWallS = median(engine.map((t) => t.wallS));
  const referenceWallS = median(reference.map((t) => t.wallS));
  console.log('Paper replay, %s simulated hours on 15,000 edge servers, median of %d run(s)', hours, replayRepeats);
  console.log('  cluster engine (default):      %s s wall, %s M events/s, peak RSS %s MiB',
    engineWallS.toFixed(1), (median(engine.map((t) => t.eventsPerS)) / 1e6).toFixed(2), median(engine.map((t) => t.peakRssMiB)).toFixed(0));
  console.log('  reference host (pure machines): %s s wall, peak RSS %s MiB',
    referenceWallS.toFixed(1), median(reference.map((t) => t.peakRssMiB)).toFixed(0));
  console.log('  ratio reference / engine wall: %s; 48 h extrapolated at this rate: %s s',
    (referenceWallS / engineWallS).toFixed(2), ((engineWallS * 48) / Number(hours)).toFixed(0));
}

/**
 * The replay's cost as the fleet grows: BENCH_SCALE_HOURS (default 1) simulated hours at the paper's submission
 * rate on 15,000, 150,000 and 1,000,000 edge servers, each as wall time, peak memory and wall microseconds per
 * simulated server-hour (flat when the cost is linear in servers), beside PHOLD on the kernel in the same run
 * as a yardstick of the machine's speed at the time. A size that fails (out of memory, say) is reported as such.
 *
 * The first minutes of a run are its start-up: every Receiver takes its first index and every cluster fetches every
 * file, which costs far more per server-hour than what follows and dominates a short slice at 1,000,000 servers.
 * So each size also runs its first BENCH_SCALE_STARTUP_HOURS (default 0.1) alone, and the cost of the rest,
 * (wall of the whole - wall of the start) per server-hour after it, is reported beside the whole's.
 */
function benchScale(): void {
  const hours = Number(process.env.BENCH_SCALE_HOURS ?? 1);
  const startupHours = Number(process.env.BENCH_SCALE_STARTUP_HOURS ?? 0.1);
  const sizes = (process.env.BENCH_SCALE_SERVERS ?? '15000,150000,1000000').split(',').map(Number);
  const phold = runTrial('phold.js', ['kernel']);
  console.log('Replay cost by fleet size (parent sites and the SPs\' egress grow with it: bench/replay.ts), %d simulated hour(s) each, the first %d h also alone; PHOLD on the kernel in the same run: %s M events/s',
    hours, startupHours, (phold.eventsPerS / 1e6).toFixed(2));
  // The young generation npm start runs the replay with (package.json): at 150,000 servers x 0.3 h, node's default
  // spent 10% of the run in the garbage collector, and a 64 MB semi-space ran in 0.87 of the time (2026-12-02; at
  // 15,000 servers x 6 h, 64 MB against npm start's 32 MB made no difference, so the bench keeps npm start's).
  const options = ['--max-old-space-size=8192', '--max-semi-space-size=32'];
  for (const servers of sizes) {
    let whole: Trial;
    let startup: Trial | null = null;
    try {
      if (startupHours > 0 && startupHours < hours) startup = runTrial('replay.js', [String(startupHours), 'engine', String(servers)], options);
      whole = runTrial('replay.js', [String(hours), 'engine', String(servers)], options);
    } catch (error) {
      console.log('  %s servers: failed: %s', servers.toLocaleString('en-US'), String((error as Error).message).split('\n')[0]);
      continue;
    }
    const perServerHourUs = (wallS: number, serverHours: number): string => ((wallS * 1e6) / serverHours).toFixed(0);
    const afterStartup = startup === null
      ? ''
      : `; after the first ${startupHours} h: ${perServerHourUs(whole.wallS - startup.wallS, servers * (hours - startupHours))} us (the first ${startupHours} h alone: ${startup.wallS.toFixed(1)} s)`;
    console.log('  %s servers: %s s wall, peak RSS %s MiB, %s us wall per server-hour%s',
      servers.toLocaleString('en-US'), whole.wallS.toFixed(1), whole.peakRssMiB.toFixed(0), perServerHourUs(whole.wallS, servers * hours), afterStartup);
  }
}

/**
 * The cluster engine alone (bench/cluster-engine.ts): 1,700 clusters of 9 Receivers for BENCH_ENGINE_HOURS (default
 * 1) simulated hours, with an upstream that settles every answer, run whole (each cluster's timeline in one
 * activation) and stopped every 300 s and every 30 s (the replay stops a cluster about every 30 s), the last also with
 * every cluster stopped at the same boundaries and resumed in index order, as an engine visiting its clusters in turn
 * would. The whole run is the engine's own work; what the stops add is the price of interleaving clusters.
 */
function benchClusterEngine(): void {
  const hours = process.env.BENCH_ENGINE_HOURS ?? '1';
  const limits = ['whole', '300', '30', 'epoch30'];
  const trials = new Map<string, Trial[]>(limits.map((limit) => [limit, []]));
  // The floor runs in the organisations it shares with the engine (cluster-floor.ts), named as the engine's.
  const floorModes = ['whole', 'epoch30'];
  const floors = new Map<string, Trial[]>(floorModes.map((mode) => [mode, []]));
  const labelOf = (limit: string): string => limit === 'whole'
    ? 'whole (one activation per cluster)'
    : limit.startsWith('epoch') ? `every ${limit.slice('epoch'.length)} s, all in index order` : `stopped every ${limit} s`;
  // The large ground (engine-bench-shape.ts): an eighth of the files answered in 32 s, so Receivers take indexes while
  // they wait (the engine's exceptions and pending fetches, the floor's out-of-step files), engine and floor alike.
  const largeEngine = new Map<string, Trial[]>(floorModes.map((mode) => [mode, []]));
  const largeFloor = new Map<string, Trial[]>(floorModes.map((mode) => [mode, []]));
  for (let i = 0; i < repeats; i++) {
    for (const limit of limits) (trials.get(limit) as Trial[]).push(runTrial('cluster-engine.js', [limit, '1700', '9', hours]));
    for (const mode of floorModes) (floors.get(mode) as Trial[]).push(runTrial('cluster-floor.js', [mode, '1700', '9', hours]));
    for (const mode of floorModes) {
      (largeEngine.get(mode) as Trial[]).push(runTrial('cluster-engine.js', [mode, '1700', '9', hours, 'large']));
      (largeFloor.get(mode) as Trial[]).push(runTrial('cluster-floor.js', [mode, '1700', '9', hours, 'large']));
    }
  }
  const wholeS = median((trials.get('whole') as Trial[]).map((t) => t.wallS));
  console.log('Cluster engine alone, 1,700 clusters x 9 Receivers, %s simulated hour(s), every answer settled, median of %d interleaved runs', hours, repeats);
  for (const limit of limits) {
    const wallS = median((trials.get(limit) as Trial[]).map((t) => t.wallS));
    console.log('  %s %s s wall, ratio to whole %s', `${labelOf(limit)}:`.padEnd(50), wallS.toFixed(2), (wallS / wholeS).toFixed(2));
  }
  // The same work written lean (cluster-floor.ts, held to the same installs by test/bench/cluster-floor.test.ts), each
  // against the engine organised the same way, by the runs' own ratios.
  for (const mode of floorModes) {
    const floor = floors.get(mode) as Trial[];
    const ratios = floor.map((t, i) => ((trials.get(mode) as Trial[])[i] as Trial).wallS / t.wallS);
    console.log('  %s %s s wall; engine / floor %s', `floor, ${labelOf(mode)}:`.padEnd(50), median(floor.map((t) => t.wallS)).toFixed(2), median(ratios).toFixed(2));
  }
  console.log('  with large files, answered in 32 s (Receivers take indexes while they wait):');
  for (const mode of floorModes) {
    const engine = largeEngine.get(mode) as Trial[];
    const floor = largeFloor.get(mode) as Trial[];
    const ratios = floor.map((t, i) => (engine[i] as Trial).wallS / t.wallS);
    console.log('    %s engine %s s, floor %s s wall; engine / floor %s', `${labelOf(mode)}:`.padEnd(48),
      median(engine.map((t) => t.wallS)).toFixed(2), median(floor.map((t) => t.wallS)).toFixed(2), median(ratios).toFixed(2));
  }
}

interface InstructionTrial { instructions: number; deliveries: number; events: number }

/** The replay slice of `hours` run once under valgrind's cachegrind, counting the instructions node executes. */
function countInstructions(replayScript: string, hours: number): InstructionTrial {
  const result = spawnSync('valgrind', [
    '--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null',
    process.execPath, '--predictable', replayScript, String(hours), 'engine',
  ], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.error !== undefined) throw new Error(`could not run valgrind (${result.error.message}); it is a Debian package: apt-get install valgrind`);
  if (result.status !== 0) throw new Error(`valgrind ${replayScript} ${hours} ended with status ${result.status}: ${result.stderr.split('\n').slice(-5).join(' ')}`);
  const refs = /I\s+refs:\s+([\d,]+)/.exec(result.stderr);
  if (refs === null) throw new Error('valgrind printed no instruction count');
  const trial = JSON.parse(result.stdout.trim().split('\n').pop() as string) as { deliveries: number; events: number };
  return { instructions: Number((refs[1] as string).replaceAll(',', '')), deliveries: trial.deliveries, events: trial.events };
}

/**
 * The replay's instructions per simulated hour, a yardstick that does not drift with the machine's load: node under
 * valgrind with --predictable (no concurrent compiling or collecting) gives the same count to about 0.4% run after
 * run, where wall times here move by a third. Two slices (BENCH_INSTR_HOURS, default 0.25 and 0.5) are counted and
 * their difference taken, so that the start-up (building the fleet, compiling) drops out. BENCH_VS names another
 * checkout, built, whose replay is counted in turn for a ratio. It counts work, not time: a change that only moves
 * memory about (fewer cache misses) does not show here, and one instruction is not one cycle. Node compiles for
 * valgrind's simulated processor, which lacks some of the host's instructions, so arithmetic weighs more here than on
 * the host: a ratio near 1 is a guide, not a measurement of the host.
 */
function benchInstructions(): void {
  const [fromHours, toHours] = (process.env.BENCH_INSTR_HOURS ?? '0.25,0.5').split(',').map(Number) as [number, number];
  if (!(toHours > fromHours && fromHours > 0)) throw new Error(`BENCH_INSTR_HOURS must be two increasing positive hours, got ${process.env.BENCH_INSTR_HOURS}`);
  const trees: [string, string][] = [['this tree', path.join(here, 'replay.js')]];
  const vs = process.env.BENCH_VS;
  if (vs !== undefined) trees.push([vs, path.join(path.resolve(vs), 'dist', 'bench', 'replay.js')]);
  const perHour: number[] = [];
  const slices: [number, number][] = [];
  console.log('Paper replay on 15,000 servers, instructions per simulated hour after the first %s h (cachegrind, node --predictable)', fromHours);
  for (const [label, script] of trees) {
    const from = countInstructions(script, fromHours);
    const to = countInstructions(script, toHours);
    const instructions = to.instructions - from.instructions;
    const deliveries = to.deliveries - from.deliveries;
    perHour.push(instructions / (toHours - fromHours));
    slices.push([from.instructions, to.instructions]);
    console.log('  %s %s G instructions per simulated hour, %s per delivery, %s per kernel event (slices: %s and %s G)',
      `${label}:`.padEnd(12), (instructions / (toHours - fromHours) / 1e9).toFixed(3), (instructions / deliveries).toFixed(0),
      (instructions / (to.events - from.events)).toFixed(0), (from.instructions / 1e9).toFixed(2), (to.instructions / 1e9).toFixed(2));
  }
  if (perHour.length === 2) {
    // The figure per hour is the difference of two counts, each steady to about 1% (the same tree counted 10.15 and
    // 10.24 G for the 0.25-hour slice in two runs), so it is steady only to a few percent: the slices' own ratios are
    // the steadier figure (the start-up they share is the same code in both trees).
    const [mine, theirs] = slices as [[number, number], [number, number]];
    console.log('  ratio this tree / %s: %s per simulated hour (steady to a few percent), %s and %s for the slices (steady to about 1%)',
      vs, ((perHour[0] as number) / (perHour[1] as number)).toFixed(3), (mine[0] / theirs[0]).toFixed(3), (mine[1] / theirs[1]).toFixed(3));
  }
}

/** How each profile is printed: instructions in billions, misses in millions (and per delivery to two decimals). */
const FUNCTION_PROFILE_UNITS: Record<ProfileEvents, { what: string; scale: number; unit: string; decimals: number }> = {
  instructions: { what: 'instructions', scale: 1e9, unit: 'G', decimals: 0 },
  cache: { what: 'data misses of a simulated 1 MiB last-level cache', scale: 1e6, unit: 'M', decimals: 2 },
};

/**
 * Where the replay's instructions go, function by function (bench/instruction-profile.ts): two slices
 * (BENCH_INSTR_HOURS) under callgrind, and each function's difference per simulated hour, so that what only the
 * start-up runs drops out. BENCH_FUNCTIONS_TOP (30) lines. Slow: about 10 minutes for the default slices. With
 * 'cache' (npm run bench -- misses), the data reads and writes that miss a simulated 1 MiB last-level cache instead
 * (about 20 minutes): what instructions cannot show, the cost of touching data that is not near at hand.
 */
function benchFunctions(counted: ProfileEvents): void {
  const [fromHours, toHours] = (process.env.BENCH_INSTR_HOURS ?? '0.25,0.75').split(',').map(Number) as [number, number];
  if (!(toHours > fromHours && fromHours > 0)) throw new Error(`BENCH_INSTR_HOURS must be two increasing positive hours, got ${process.env.BENCH_INSTR_HOURS}`);
  const top = Number(process.env.BENCH_FUNCTIONS_TOP ?? 30);
  const script = path.join(here, 'replay.js');
  const from = profileFunctions(script, fromHours, counted);
  const to = profileFunctions(script, toHours, counted);
  const hours = toHours - fromHours;
  const perHour = (to.total - from.total) / hours;
  const deliveries = (to.deliveries - from.deliveries) / hours;
  const { what, scale, unit, decimals } = FUNCTION_PROFILE_UNITS[counted];
  console.log('Paper replay on 15,000 servers, %s per simulated hour after the first %s h, by function (callgrind, node --predictable)', what, fromHours);
  console.log('  in all: %s %s, %s per delivery; a function counts what the optimising compiler inlined into it', (perHour / scale).toFixed(2), unit, (perHour / deliveries).toFixed(decimals));
  const rows: [string, number][] = [];
  for (const [name, count] of to.byFunction) rows.push([name, (count - (from.byFunction.get(name) ?? 0)) / hours]);
  rows.sort((a, b) => b[1] - a[1]);
  for (const [name, count] of rows.slice(0, top)) {
    console.log('  %s%  %s %s  %s per delivery  %s', ((100 * count) / perHour).toFixed(1).padStart(5), (count / scale).toFixed(3), unit, (count / deliveries).toFixed(decimals).padStart(5), name);
  }
}

const only = process.argv[2];
if (only === undefined || only === 'phold') benchPhold();
if (only === undefined || only === 'scale') benchScale();
if (only === undefined || only === 'engine') benchClusterEngine();
if (only === 'replay') benchReplay();
if (only === 'functions') benchFunctions('instructions');
if (only === 'misses') benchFunctions('cache');
if (only === 'instructions') benchInstructions();
