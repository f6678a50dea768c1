// What the egress queues (egress-queue.ts) keep per transfer slot, struct-of-arrays, grown with the Network's slots.
import { grownFloat64, grownInt32 } from '../kernel/typed-arrays.js';

export class EgressSlots {
  /** The path's cap on one connection's throughput. */
  capBytesPerS = new Float64Array(0);
  /** A capped transfer's finish time (us, not rounded); another's virtual finish (bytes). */
  finish = new Float64Array(0);
  /** The order transfers joined their queue in (ties of cap are taken in it). */
  joinSeq = new Float64Array(0);
  /** 1 while the transfer sends at its cap. */
  capped = new Uint8Array(0);
  /** Place in its group's heap by finish, and by cap; -1 when not sending. */
  finishHeapIndex = new Int32Array(0);
  capHeapIndex = new Int32Array(0);

  grow(capacity: number): void {
    this.capBytesPerS = grownFloat64(this.capBytesPerS, capacity);
    this.finish = grownFloat64(this.finish, capacity);
    this.joinSeq = grownFloat64(this.joinSeq, capacity);
    const capped = new Uint8Array(capacity);
    capped.set(this.capped);
    this.capped = capped;
    this.finishHeapIndex = grownInt32(this.finishHeapIndex, capacity);
    this.capHeapIndex = grownInt32(this.capHeapIndex, capacity);
  }
}
