// Instructions per function of one replay slice, counted by valgrind's callgrind: a profile that does not drift with
// this machine's load, where a sampling profile's shares move with whatever else runs. Node is run with
// --predictable (no concurrent compiling or collecting, so its counts repeat) and --perf-basic-prof, which writes
// the address range of every piece of code it compiles to /tmp/perf-<pid>.map; callgrind counts instructions by
// address, and each address is named by the code that was last compiled there. A JavaScript function's count is
// its own code's, with whatever the optimising compiler inlined into it: a small function inlined everywhere shows
// under its callers, not under its own name.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Instructions by function (self, not inclusive), the slice's total, and its JSON line (deliveries, events). */
export interface FunctionProfile {
  readonly byFunction: Map<string, number>;
  readonly total: number;
  readonly deliveries: number;
  readonly events: number;
}

/**
 * What a profile counts: instructions, or with cache the data reads and writes that miss a simulated last-level
 * cache of 1 MiB (CACHE_SIM), about the size of a core's own cache on this kind of machine, so a miss there is a
 * trip to the shared cache or to memory.
 */
export type ProfileEvents = 'instructions' | 'cache';

/** callgrind's cache simulation for ProfileEvents 'cache': 32 KiB first-level caches and a 1 MiB last level. */
const CACHE_SIM = ['--cache-sim=yes', '--I1=32768,8,64', '--D1=32768,8,64', '--LL=1048576,8,64'];

/** The callgrind events each ProfileEvents sums. */
const EVENTS: Record<ProfileEvents, readonly string[]> = { instructions: ['Ir'], cache: ['DLmr', 'DLmw'] };

/** Runs `node replayScript hours engine` under callgrind and names what it counted. */
export function profileFunctions(replayScript: string, hours: number, counted: ProfileEvents = 'instructions'): FunctionProfile {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acmsim-callgrind-'));
  const outFile = path.join(dir, 'callgrind.out');
  let perfMap: string | null = null;
  try {
    // Run in the temporary directory: with --perf-basic-prof node also writes its log (isolate-*-v8.log) where it runs.
    const result = spawnSync('valgrind', [
      '--tool=callgrind', '--dump-instr=yes', `--callgrind-out-file=${outFile}`, ...(counted === 'cache' ? CACHE_SIM : []),
      process.execPath, '--predictable', '--perf-basic-prof', replayScript, String(hours), 'engine',
    ], { encoding: 'utf8', maxBuffer: 1 << 24, cwd: dir });
    if (result.error !== undefined) throw new Error(`could not run valgrind (${result.error.message}); it is a Debian package: apt-get install valgrind`);
    if (result.status !== 0) throw new Error(`valgrind ${replayScript} ${hours} ended with status ${result.status}: ${result.stderr.split('\n').slice(-5).join(' ')}`);
    const text = readFileSync(outFile, 'utf8');
    const pid = /^pid:\s*(\d+)/m.exec(text);
    if (pid === null) throw new Error('callgrind wrote no pid');
    perfMap = `/tmp/perf-${pid[1] as string}.map`;
    const names = new CodeNames(readFileSync(perfMap, 'utf8'));
    const { byFunction, total } = countByFunction(text, names, EVENTS[counted]);
    const trial = JSON.parse(result.stdout.trim().split('\n').pop() as string) as { deliveries: number; events: number };
    return { byFunction, total, deliveries: trial.deliveries, events: trial.events };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // Node wrote it for this run (--perf-basic-prof), at a path named by its pid.
    if (perfMap !== null) rmSync(perfMap, { force: true });
  }
}

/**
 * The names of the code node compiled, by address: a later piece of code at an address (code is collected and its
 * space reused) takes the address over from an earlier one.
 */
export class CodeNames {
  /** Sorted bounds of elementary ranges, and the name over [bounds[k], bounds[k + 1]) ('' for none). */
  private readonly bounds: number[];
  private readonly names: string[];

  constructor(perfMap: string) {
    const entries: [number, number, string][] = [];
    for (const line of perfMap.split('\n')) {
      const match = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
      if (match === null) continue;
      const start = parseInt(match[1] as string, 16);
      entries.push([start, start + parseInt(match[2] as string, 16), functionName(match[3] as string)]);
    }
    const points = new Set<number>();
    for (const [start, end] of entries) {
      points.add(start);
      points.add(end);
    }
    this.bounds = [...points].sort((a, b) => a - b);
    this.names = new Array<string>(this.bounds.length).fill('');
    // In the order node wrote them, so that the last code at an address names it.
    for (const [start, end, name] of entries) {
      for (let k = this.indexOf(start); k < this.bounds.length && (this.bounds[k] as number) < end; k++) this.names[k] = name;
    }
  }

  /** The code at address, or undefined when node compiled nothing there. */
  nameAt(address: number): string | undefined {
    const k = this.indexOf(address);
    if (k < 0) return undefined;
    const name = this.names[k] as string;
    return name === '' ? undefined : name;
  }

  /** The elementary range that holds address, -1 before the first. */
  private indexOf(address: number): number {
    let low = 0;
    let high = this.bounds.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.bounds[middle] as number) <= address) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }
}

/** "JS:*applyIndex file:///.../dist/src/world/cluster/engine.js:475:15" -> "applyIndex src/world/cluster/engine.js:475". */
function functionName(perfName: string): string {
  const js = /^JS:[*^~+]?(\S*) (?:file:\/\/)?(\S+?)(?::\d+)?$/.exec(perfName);
  if (js === null) return perfName;
  const where = (js[2] as string).replace(/^.*\/dist\//, '').replace(/^.*\/node_modules\//, '');
  return `${js[1] === '' ? '(anonymous)' : js[1] as string} ${where}`;
}

/**
 * Self counts by function from a callgrind file written with --dump-instr=yes (positions: instr line), of the events
 * named (summed; instructions, Ir, by default). Code callgrind has no symbol for (node's compiled JavaScript, its
 * builtins and bytecode handlers) is named from the perf map; V8's own C++ is grouped by what it does, other native
 * code by its symbol.
 */
export function countByFunction(text: string, names: CodeNames, events: readonly string[] = ['Ir']): { byFunction: Map<string, number>; total: number } {
  const header = /^events:\s*(.*)$/m.exec(text);
  const columns = header === null ? [] : (header[1] as string).trim().split(/\s+/);
  // A cost line's fields: the position, the source line, then one count per event (trailing zeros may be left out).
  const fieldsOf = events.map((event) => {
    const column = columns.indexOf(event);
    if (column < 0) throw new Error(`the callgrind file counts ${columns.join(', ') || 'nothing'}, not ${event}`);
    return column + 2;
  });
  const byFunction = new Map<string, number>();
  const fnNames = new Map<string, string>();
  let fn = '';
  let address = 0;
  let total = 0;
  let afterCall = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=') || line.startsWith('cfn=')) {
      const match = /^c?fn=\((\d+)\)(?: (.*))?$/.exec(line);
      if (match === null) continue;
      if (match[2] !== undefined) fnNames.set(match[1] as string, match[2]);
      if (line.startsWith('fn=')) fn = fnNames.get(match[1] as string) ?? '';
      continue;
    }
    if (line.startsWith('calls=')) {
      afterCall = true;
      continue;
    }
    const first = line.charCodeAt(0);
    // A cost line: an address (absolute, +/- relative, or * for the same), a source line, the count.
    if (!(first === 0x30 || first === 0x2b || first === 0x2d || first === 0x2a || (first >= 0x31 && first <= 0x39))) continue;
    const fields = line.split(' ');
    if (fields.length < 3) continue;
    const position = fields[0] as string;
    if (position.startsWith('0x')) address = parseInt(position, 16);
    else if (position !== '*') address += Number(position);
    // The line after calls= is the call's inclusive cost, counted again in the callee.
    if (afterCall) {
      afterCall = false;
      continue;
    }
    let count = 0;
    for (const field of fieldsOf) count += Number(fields[field] ?? 0);
    total += count;
    const name = fn === '' || fn.startsWith('0x') ? names.nameAt(address) ?? 'unnamed code' : nativeGroup(fn);
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
  }
  return { byFunction, total };
}

/** V8's C++ by what it does (under --predictable it compiles and collects on the main thread); the rest as named. */
function nativeGroup(fn: string): string {
  if (fn.startsWith('v8::internal::compiler::') || fn.includes('Turbofan') || fn.includes('Maglev')) return 'V8: optimising compiler';
  if (/Scavenge|MarkCompact|Marking|Sweeper|Evacuat|IteratePointers|Heap::|MemoryAllocator|RememberedSet|SlotSet/.test(fn)) return 'V8: garbage collector';
  if (fn.startsWith('v8::internal::')) return 'V8: runtime (parser, interpreter support, ...)';
  return fn.length > 100 ? `${fn.slice(0, 100)}...` : fn;
}
