// Growing typed arrays: a copy into a larger array, for the struct-of-arrays tables of the host layer.

/** A copy of array in a new array of capacity elements (the rest zero). */
export function grownFloat64(array: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(capacity);
  grown.set(array);
  return grown;
}

/** A copy of array in a new array of capacity elements (the rest zero). */
export function grownInt32(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array);
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
