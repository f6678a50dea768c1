// An indexed binary heap of transfer slots (egress-queue.ts): ordered by one of EgressSlots' keys, each slot's place
// kept in one of its index arrays, so that any slot can be taken out in O(log n). Ties go to the earlier joiner.
import type { EgressSlots } from './egress-slots.js';

/** By finish ascending, by cap ascending, or by cap descending. */
export type SlotOrder = 'finish' | 'capUp' | 'capDown';

export class SlotHeap {
  private readonly slots: number[] = [];

  constructor(private readonly store: EgressSlots, private readonly order: SlotOrder) {}

  get length(): number {
    return this.slots.length;
  }

  /** The first slot in order; the heap must not be empty. */
  top(): number {
    return this.slots[0] as number;
  }

  push(slot: number): void {
    this.slots.push(slot);
    this.siftUp(this.slots.length - 1, slot);
  }

  remove(slot: number): void {
    const index = this.indexes();
    const at = index[slot] as number;
    const last = this.slots.pop() as number;
    index[slot] = -1;
    if (at === this.slots.length) return;
    this.siftUp(at, last);
    this.siftDown(index[last] as number, last);
  }

  private indexes(): Int32Array {
    return this.order === 'finish' ? this.store.finishHeapIndex : this.store.capHeapIndex;
  }

  private before(a: number, b: number): boolean {
    const store = this.store;
    const keys = this.order === 'finish' ? store.finish : store.capBytesPerS;
    const aKey = keys[a] as number;
    const bKey = keys[b] as number;
    if (aKey !== bKey) return this.order === 'capDown' ? aKey > bKey : aKey < bKey;
    const aSeq = store.joinSeq[a] as number;
    const bSeq = store.joinSeq[b] as number;
    return this.order === 'capDown' ? aSeq > bSeq : aSeq < bSeq;
  }

  private siftUp(position: number, slot: number): void {
    const slots = this.slots;
    const index = this.indexes();
    let at = position;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = slots[parent] as number;
      if (!this.before(slot, above)) break;
      slots[at] = above;
      index[above] = at;
      at = parent;
    }
    slots[at] = slot;
    index[slot] = at;
  }

  private siftDown(position: number, slot: number): void {
    const slots = this.slots;
    const index = this.indexes();
    const count = slots.length;
    let at = position;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= count) break;
      const right = left + 1;
      let child = left;
      if (right < count && this.before(slots[right] as number, slots[left] as number)) child = right;
      const below = slots[child] as number;
      if (!this.before(below, slot)) break;
      slots[at] = below;
      index[below] = at;
      at = child;
    }
    slots[at] = slot;
    index[slot] = at;
  }
}
