// The function profile's reading of callgrind's output (bench/instruction-profile.ts): addresses named from node's perf
// map (later code at an address taking it over), callgrind's compressed names and relative positions, and a call's
// inclusive cost left to its callee.
import { describe, expect, it } from 'vitest';
import { CodeNames, countByFunction } from '../../bench/instruction-profile.js';

const PERF_MAP = [
  '1000 100 JS:*applyIndex file:///x/dist/src/world/cluster/engine.js:475:15',
  '1100 80 JS:~poll file:///x/dist/src/world/cluster/engine.js:439:7',
  // Collected, and its space reused by newer code from 0x1100 on.
  '1100 40 JS:*flush file:///x/dist/src/metrics/install-batch.js:39:10',
  '2000 10 Builtin:RecordWrite',
].join('\n');

const CALLGRIND = [
  'events: Ir',
  'ob=(1) ???',
  'fn=(1) 0x0000000000001000',
  '0x1000 0 5',
  '+16 0 7',
  '* 0 1',
  'cfn=(2) v8::internal::compiler::GraphReducer::ReduceTop()',
  'calls=1 0x9000 0',
  '+4 0 1000',
  '+4 0 2',
  'fn=(3) 0x0000000000001100',
  '0x1110 0 11',
  '0x1150 0 13',
  'fn=(2)',
  '0x9000 0 40',
  'fn=(4) Builtins_LoadIC',
  '0x3000 0 3',
  'fn=(5) 0x0000000000005000',
  '0x5000 0 9',
].join('\n');

describe('the function profile', () => {
  it('names each address by the last code compiled there', () => {
    const names = new CodeNames(PERF_MAP);
    expect(names.nameAt(0x1000)).toBe('applyIndex src/world/cluster/engine.js:475');
    expect(names.nameAt(0x1110)).toBe('flush src/metrics/install-batch.js:39');
    expect(names.nameAt(0x1150)).toBe('poll src/world/cluster/engine.js:439');
    expect(names.nameAt(0x2005)).toBe('Builtin:RecordWrite');
    expect(names.nameAt(0x0fff)).toBeUndefined();
    expect(names.nameAt(0x1180)).toBeUndefined();
  });

  it('counts self instructions by function, leaving a call\'s inclusive cost to its callee', () => {
    const { byFunction, total } = countByFunction(CALLGRIND, new CodeNames(PERF_MAP));
    expect(Object.fromEntries(byFunction)).toEqual({
      'applyIndex src/world/cluster/engine.js:475': 5 + 7 + 1 + 2,
      'flush src/metrics/install-batch.js:39': 11,
      'poll src/world/cluster/engine.js:439': 13,
      'V8: optimising compiler': 40,
      Builtins_LoadIC: 3,
      'unnamed code': 9,
    });
    expect(total).toBe(5 + 7 + 1 + 2 + 11 + 13 + 40 + 3 + 9);
  });
});

describe('the function profile of cache misses', () => {
  // Trailing zero counts may be left out of a cost line.
  const WITH_CACHE = [
    'events: Ir Dr Dw D1mr D1mw DLmr DLmw',
    'fn=(1) 0x0000000000001000',
    '0x1000 0 5 2 1 1 0 1 1',
    '+16 0 7 1',
    'fn=(3) 0x0000000000001100',
    '0x1110 0 11 3 0 2 0 2',
  ].join('\n');

  it('sums the events named, by function', () => {
    const names = new CodeNames(PERF_MAP);
    const misses = countByFunction(WITH_CACHE, names, ['DLmr', 'DLmw']);
    expect(Object.fromEntries(misses.byFunction)).toEqual({ 'applyIndex src/world/cluster/engine.js:475': 2, 'flush src/metrics/install-batch.js:39': 2 });
    expect(misses.total).toBe(4);
    expect(countByFunction(WITH_CACHE, names).total).toBe(5 + 7 + 11);
  });

  it('refuses an event the file does not count', () => {
    expect(() => countByFunction(CALLGRIND, new CodeNames(PERF_MAP), ['DLmr'])).toThrow(/counts Ir, not DLmr/);
  });
});
