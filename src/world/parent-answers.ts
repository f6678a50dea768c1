// What the host knows of each parent cache from that cache's own inputs and outputs, without asking it:
// whether a request arriving at a given time will be answered from the cache whatever happens before then.
// World uses it to hand such a request over early (one kernel event per exchange instead of two).
import type { DeliveryMessage } from '../acms/delivery-messages.js';
import { IntMap } from '../kernel/int-map.js';

export class ParentAnswers {
  /** Per parent: its root index is fresh before this time (it was fetched at a matched upstream answer). */
  private readonly rootFreshUntilUs: Float64Array;
  /**
   * Per parent: versions it holds (parents keep every version they fetched, until a wipe). Asked at nearly every
   * exchange of a cluster with its parent: an IntMap, where a Set hashed each version key (beyond 2^31) as a boxed number.
   */
  private readonly present: IntMap<true>[] = [];

  /**
   * rootSettles false (design.delivery: push): a notification can make a parent revalidate and change its root index
   * at any time, so no index request is settled ahead; files still are (their names are version-unique).
   */
  constructor(parentCount: number, private readonly indexTtlUs: number, private readonly rootSettles = true) {
    this.rootFreshUntilUs = new Float64Array(parentCount).fill(-Infinity);
    for (let p = 0; p < parentCount; p++) this.present.push(new IntMap<true>());
  }

  /**
   * Parent p handled input at nowUs and produced these sends. A version it answers with is present from now
   * on; index answers in the same call as an upstream index answer mean that answer was taken (a request is
   * made for a waiter, so a taken answer always answers someone), so the root is fresh for one TTL.
   */
  observe(p: number, nowUs: number, input: DeliveryMessage | null, sent: DeliveryMessage): void {
    if (sent.type === 'fileResponse') {
      // A streamed answer (cut-through) is sent before the parent holds the version: see forwarded.
      if (sent.found && sent.streamed !== true) (this.present[p] as IntMap<true>).set(sent.versionKey, true);
      return;
    }
    if ((sent.type === 'indexResponse' || sent.type === 'indexNotModified') && input !== null &&
      (input.type === 'indexResponse' || input.type === 'indexNotModified')) {
      this.rootFreshUntilUs[p] = nowUs + this.indexTtlUs;
    }
  }

  /** Parent p's fetch of a version it forwarded while it arrived (cut-through) ended with the whole file. */
  forwarded(p: number, versionKey: number): void {
    (this.present[p] as IntMap<true>).set(versionKey, true);
  }

  /** The parent lost its content (an outage). */
  wiped(p: number): void {
    this.rootFreshUntilUs[p] = -Infinity;
    (this.present[p] as IntMap<true>).clear();
  }

  /** Will parent p answer this request from its cache if it arrives at arrivalUs (barring a fault before then)? */
  settledAt(p: number, arrivalUs: number, message: DeliveryMessage): boolean {
    if (message.type === 'fileGet') return (this.present[p] as IntMap<true>).has(message.versionKey);
    return this.rootSettles && message.type === 'indexGet' && arrivalUs < (this.rootFreshUntilUs[p] as number);
  }
}
