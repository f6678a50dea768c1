import { describe, expect, it } from 'vitest';
import { TypedArena } from '../../src/kernel/typed-arrays.js';

describe('TypedArena', () => {
  it('carves arrays out of one buffer, each at an 8-byte boundary, without overlap', () => {
    const arena = new TypedArena(TypedArena.bytesFor(3, 1) + TypedArena.bytesFor(3, 8) + TypedArena.bytesFor(5, 4));
    const flags = arena.uint8(3);
    const times = arena.float64(3);
    const ids = arena.int32(5);
    expect(flags.buffer).toBe(times.buffer);
    expect(times.buffer).toBe(ids.buffer);
    expect(times.byteOffset % 8).toBe(0);
    expect(ids.byteOffset).toBe(times.byteOffset + 24);
    flags.fill(255);
    times.fill(-1.5);
    ids.fill(7);
    expect([...flags]).toEqual([255, 255, 255]);
    expect([...times]).toEqual([-1.5, -1.5, -1.5]);
    expect([...ids]).toEqual([7, 7, 7, 7, 7]);
  });

  it('copies a table into a larger one, the rest zero', () => {
    const arena = new TypedArena(TypedArena.bytesFor(4, 8) + TypedArena.bytesFor(4, 4));
    expect([...arena.float64From(new Float64Array([1.25, 2]), 4)]).toEqual([1.25, 2, 0, 0]);
    expect([...arena.int32From(new Int32Array([-3]), 4)]).toEqual([-3, 0, 0, 0]);
  });

  it('refuses an array it has no room for', () => {
    const arena = new TypedArena(16);
    arena.float64(2);
    expect(() => arena.uint8(1)).toThrow(RangeError);
  });
});
