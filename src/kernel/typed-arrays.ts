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
