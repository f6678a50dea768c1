// A toy network for front-end tests behind the kernel's Link interface (plus an isUp function), so
// the integrator can swap in the real network model: fixed per-pair latency, size-based delay, faults.
import type { Address, Link } from '../../../src/kernel/index.js';

export class FakeLink implements Link {
  /** Nodes that are crashed: the host neither delivers to them nor fires their timers. */
  readonly down = new Set<Address>();
  /** The isolated side of a partition; messages crossing between it and the rest are dropped. */
  private isolated = new Set<Address>();
  /** MTU black holes: on any path touching the address, messages above mtuBytes vanish. */
  private readonly blackHoleMtuBytes = new Map<Address, number>();
  dropped = 0;

  constructor(
    /** Serialisation rate of every path (assumption: 10 MB/s, a well-provisioned data-centre link). */
    readonly bandwidthBytesPerS = 10_000_000,
  ) {}

  /** Deterministic one-way latency in [20, 150] ms for a pair, symmetric. */
  latencyUs(a: Address, b: Address): number {
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    const spreadMs = (low * 37 + high * 53) % 131;
    return (20 + spreadMs) * 1000;
  }

  readonly isUp = (address: Address): boolean => !this.down.has(address);

  partition(side: readonly Address[]): void {
    this.isolated = new Set(side);
  }

  heal(): void {
    this.isolated = new Set();
  }

  blackHole(address: Address, mtuBytes: number): void {
    this.blackHoleMtuBytes.set(address, mtuBytes);
  }

  clearBlackHole(address: Address): void {
    this.blackHoleMtuBytes.delete(address);
  }

  transmitDelayUs(_nowUs: number, from: Address, to: Address, sizeBytes: number): number {
    if (this.isolated.has(from) !== this.isolated.has(to)) {
      this.dropped++;
      return -1;
    }
    const mtuFrom = this.blackHoleMtuBytes.get(from);
    const mtuTo = this.blackHoleMtuBytes.get(to);
    if ((mtuFrom !== undefined && sizeBytes > mtuFrom) || (mtuTo !== undefined && sizeBytes > mtuTo)) {
      this.dropped++;
      return -1;
    }
    return this.latencyUs(from, to) + Math.round((sizeBytes / this.bandwidthBytesPerS) * 1e6);
  }
}
