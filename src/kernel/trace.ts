// An optional record of the event trajectory: the running fingerprint and the time after every event.
// Comparing two records finds the first event at which two runs diverged (acmsim check --debug-trace).

export class EventTrace {
  private hashes = new Uint32Array(1 << 16);
  private timesUs = new Float64Array(1 << 16);
  private count = 0;

  get length(): number {
    return this.count;
  }

  record(hash: number, timeUs: number): void {
    if (this.count === this.hashes.length) this.grow();
    this.hashes[this.count] = hash;
    this.timesUs[this.count] = timeUs;
    this.count++;
  }

  /** The recorded prefix, copied (safe to send to another thread or write to a file). */
  snapshot(): { readonly hashes: Uint32Array; readonly timesUs: Float64Array } {
    return { hashes: this.hashes.slice(0, this.count), timesUs: this.timesUs.slice(0, this.count) };
  }

  private grow(): void {
    const hashes = new Uint32Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    const times = new Float64Array(this.timesUs.length * 2);
    times.set(this.timesUs);
    this.hashes = hashes;
    this.timesUs = times;
  }
}

/** Where two traces first differ: the event index (0-based) and its time in each, or null when they match. */
export function firstDivergence(
  a: { readonly hashes: Uint32Array; readonly timesUs: Float64Array },
  b: { readonly hashes: Uint32Array; readonly timesUs: Float64Array },
): { readonly event: number; readonly timeUsA: number; readonly timeUsB: number } | null {
  const common = Math.min(a.hashes.length, b.hashes.length);
  for (let i = 0; i < common; i++) {
    if (a.hashes[i] !== b.hashes[i]) return { event: i, timeUsA: a.timesUs[i] as number, timeUsB: b.timesUs[i] as number };
  }
  if (a.hashes.length === b.hashes.length) return null;
  return { event: common, timeUsA: a.timesUs[common] ?? NaN, timeUsB: b.timesUs[common] ?? NaN };
}
