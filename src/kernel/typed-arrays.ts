// Growing typed arrays: a copy into a larger array, for the struct-of-arrays tables of the host layer.

/** A copy of array in a new array of capacity elements (the rest zero). */
export function grownFloat64(array: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(capacity);
  grown.set(array);
  return grown;
}

/** A copy of array in a new array of capacity elements (the rest `rest`, zero unless given). */
export function grownInt32(array: Int32Array, capacity: number, rest = 0): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array);
  if (rest !== 0) grown.fill(rest, array.length);
  return grown;
}

/**
 * Pooled tables of the host layer keep their free entries as a list through a `next` array: puts the new entries
 * [from, to) on it, lowest first, ahead of freeHead, and returns the list's new head.
 */
export function freeListWith(next: Int32Array, from: number, to: number, freeHead: number): number {
  let head = freeHead;
  for (let entry = to - 1; entry >= from; entry--) {
    next[entry] = head;
    head = entry;
  }
  return head;
}

/**
 * Typed arrays carved out of one buffer, each at an 8-byte boundary: the small per-entity tables of one owner (a
 * cluster's Receivers) then sit side by side in memory, in one allocation, instead of one backing store each
 * wherever the allocator put it. Sized up front with bytesFor.
 */
export class TypedArena {
  private readonly buffer: ArrayBuffer;
  private offsetBytes = 0;

  constructor(byteLength: number) {
    this.buffer = new ArrayBuffer(byteLength);
  }

  /** The bytes an array of count elements of elementBytes takes in an arena, its padding included. */
  static bytesFor(count: number, elementBytes: number): number {
    return Math.ceil((count * elementBytes) / 8) * 8;
  }

  float64(count: number): Float64Array<ArrayBuffer> {
    return new Float64Array(this.buffer, this.take(count, 8), count);
  }

  int32(count: number): Int32Array<ArrayBuffer> {
    return new Int32Array(this.buffer, this.take(count, 4), count);
  }

  uint8(count: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.buffer, this.take(count, 1), count);
  }

  /** array copied into count elements of the arena (the rest zero): a pool's tables grown into one buffer. */
  float64From(array: Float64Array, count: number): Float64Array<ArrayBuffer> {
    const grown = this.float64(count);
    grown.set(array);
    return grown;
  }

  int32From(array: Int32Array, count: number): Int32Array<ArrayBuffer> {
    const grown = this.int32(count);
    grown.set(array);
    return grown;
  }

  private take(count: number, elementBytes: number): number {
    const at = this.offsetBytes;
    const bytes = TypedArena.bytesFor(count, elementBytes);
    if (at + bytes > this.buffer.byteLength) throw new RangeError(`a typed arena of ${this.buffer.byteLength} bytes has no room for ${count} more elements of ${elementBytes} bytes`);
    this.offsetBytes = at + bytes;
    return at;
  }
}
