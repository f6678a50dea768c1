// One sender's egress, shared by the bulk transfers it is sending: max-min fair shares with per-path caps
// (water-filling), kept in virtual time so that a transfer joining or leaving costs O(log n), not O(n).
//
// Water-filling gives the transfers whose cap is below the level their caps, and the rest one common rate, the
// level: what the capped ones leave of the sender's capacity, split equally. A capped transfer's rate is fixed
// while it stays capped, so it is kept by the real time its last byte leaves. The others all progress at the
// level, so they are kept by a virtual finish: the bytes each of them will have sent, counted since the queue was
// made, when it is done, as in the finish tags of generalised processor sharing and fair queueing. A change of the
// level then touches no one; only a transfer that crosses between the groups moves, each move O(log n). Each group
// is held twice: by finish (what completes next) and by cap (what crosses next).
import type { EgressSlots } from './egress-slots.js';
import { SlotHeap } from './slot-heap.js';

/** A transfer with less than this much sending time left is done (event times are rounded to 1 us). */
const DONE_WITHIN_US = 1;

export class EgressQueue {
  private readonly cappedByFinish: SlotHeap;
  private readonly cappedByCap: SlotHeap;
  private readonly levelledByFinish: SlotHeap;
  private readonly levelledByCap: SlotHeap;
  /** The caps of the capped transfers, summed. */
  private cappedBytesPerS = 0;
  /** The rate of every transfer that is not capped. */
  private levelBytesPerS = 0;
  /** Bytes each transfer at the level has sent since the queue was made (advanced lazily). */
  private virtualBytes = 0;
  private lastUpdateUs: number;
  private nextJoinSeq = 0;
  /** Kernel token of the next completion event, -1 when none (the Network schedules it). */
  token = -1;

  constructor(readonly address: number, readonly capacityBytesPerS: number, private readonly store: EgressSlots, nowUs: number) {
    this.lastUpdateUs = nowUs;
    this.cappedByFinish = new SlotHeap(store, 'finish');
    this.cappedByCap = new SlotHeap(store, 'capDown');
    this.levelledByFinish = new SlotHeap(store, 'finish');
    this.levelledByCap = new SlotHeap(store, 'capUp');
  }

  get length(): number {
    return this.cappedByFinish.length + this.levelledByFinish.length;
  }

  /** A transfer starts sending remainingBytes at nowUs. */
  add(nowUs: number, slot: number, remainingBytes: number): void {
    this.advance(nowUs);
    this.store.joinSeq[slot] = this.nextJoinSeq++;
    const levelled = this.levelledByFinish.length > 0 && (this.store.capBytesPerS[slot] as number) > this.levelBytesPerS;
    this.enter(nowUs, slot, !levelled, remainingBytes);
    this.rebalance(nowUs);
  }

  /** A transfer stops sending (cancelled); the rest share its part. */
  remove(nowUs: number, slot: number): void {
    this.advance(nowUs);
    this.leave(slot);
    this.rebalance(nowUs);
  }

  /**
   * Takes out every transfer whose last byte has left by nowUs into done, in order of cap (equal caps in order of
   * joining); the rest share again.
   */
  takeFinished(nowUs: number, done: number[]): void {
    this.advance(nowUs);
    const store = this.store;
    done.length = 0;
    while (this.cappedByFinish.length > 0 && (store.finish[this.cappedByFinish.top()] as number) - nowUs <= DONE_WITHIN_US) {
      const slot = this.cappedByFinish.top();
      this.leave(slot);
      done.push(slot);
    }
    const doneBytes = this.levelBytesPerS * DONE_WITHIN_US * 1e-6;
    while (this.levelledByFinish.length > 0 && (store.finish[this.levelledByFinish.top()] as number) - this.virtualBytes <= doneBytes) {
      const slot = this.levelledByFinish.top();
      this.leave(slot);
      done.push(slot);
    }
    if (done.length > 1) {
      done.sort((a, b) => (store.capBytesPerS[a] as number) - (store.capBytesPerS[b] as number) || (store.joinSeq[a] as number) - (store.joinSeq[b] as number));
    }
    this.rebalance(nowUs);
  }

  /** When the next transfer's last byte leaves (not rounded), or Infinity when none is sending. */
  nextFinishUs(nowUs: number): number {
    let soonestUs = Infinity;
    if (this.cappedByFinish.length > 0) soonestUs = this.store.finish[this.cappedByFinish.top()] as number;
    if (this.levelledByFinish.length > 0) {
      const leftBytes = (this.store.finish[this.levelledByFinish.top()] as number) - this.virtualBytes;
      soonestUs = Math.min(soonestUs, nowUs + (leftBytes * 1e6) / this.levelBytesPerS);
    }
    return soonestUs;
  }

  private advance(nowUs: number): void {
    const elapsedUs = nowUs - this.lastUpdateUs;
    this.lastUpdateUs = nowUs;
    if (elapsedUs > 0 && this.levelledByFinish.length > 0) this.virtualBytes += (this.levelBytesPerS * elapsedUs) / 1e6;
  }

  private enter(nowUs: number, slot: number, capped: boolean, remainingBytes: number): void {
    const store = this.store;
    store.capped[slot] = capped ? 1 : 0;
    if (capped) {
      store.finish[slot] = nowUs + (remainingBytes * 1e6) / (store.capBytesPerS[slot] as number);
      this.cappedByFinish.push(slot);
      this.cappedByCap.push(slot);
      this.cappedBytesPerS += store.capBytesPerS[slot] as number;
    } else {
      store.finish[slot] = this.virtualBytes + remainingBytes;
      this.levelledByFinish.push(slot);
      this.levelledByCap.push(slot);
    }
  }

  private leave(slot: number): void {
    if (this.store.capped[slot] === 1) {
      this.cappedByFinish.remove(slot);
      this.cappedByCap.remove(slot);
      this.cappedBytesPerS = this.cappedByFinish.length === 0 ? 0 : this.cappedBytesPerS - (this.store.capBytesPerS[slot] as number);
    } else {
      this.levelledByFinish.remove(slot);
      this.levelledByCap.remove(slot);
    }
  }

  private remainingBytes(nowUs: number, slot: number): number {
    const store = this.store;
    if (store.capped[slot] === 1) return Math.max(0, (((store.finish[slot] as number) - nowUs) * (store.capBytesPerS[slot] as number)) / 1e6);
    return Math.max(0, (store.finish[slot] as number) - this.virtualBytes);
  }

  private move(nowUs: number, slot: number, toCapped: boolean): void {
    const remainingBytes = this.remainingBytes(nowUs, slot);
    this.leave(slot);
    this.enter(nowUs, slot, toCapped, remainingBytes);
  }

  /**
   * Moves transfers across the boundary until water-filling holds: the smallest cap at the level is above the equal
   * share of what the capped ones leave, and the largest capped one is at most its share if it joined the level.
   * A join or a finish moves one or two; the bound on turns only guards against rounding at exact ties.
   */
  private rebalance(nowUs: number): void {
    const store = this.store;
    const capacity = this.capacityBytesPerS;
    for (let turns = this.length + 2; turns > 0; turns--) {
      const levelled = this.levelledByFinish.length;
      if (levelled > 0) {
        const smallest = this.levelledByCap.top();
        if ((store.capBytesPerS[smallest] as number) <= (capacity - this.cappedBytesPerS) / levelled) {
          this.move(nowUs, smallest, true);
          continue;
        }
      }
      if (this.cappedByCap.length > 0) {
        const largest = this.cappedByCap.top();
        const cap = store.capBytesPerS[largest] as number;
        if (cap > (capacity - (this.cappedBytesPerS - cap)) / (levelled + 1)) {
          this.move(nowUs, largest, false);
          continue;
        }
      }
      break;
    }
    const levelled = this.levelledByFinish.length;
    this.levelBytesPerS = levelled > 0 ? (capacity - this.cappedBytesPerS) / levelled : 0;
    if (this.length === 0) this.virtualBytes = 0;
  }
}
