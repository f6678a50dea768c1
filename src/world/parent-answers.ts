// What the host knows of each parent cache from that cache's own inputs and outputs, without asking it: whether a
// request arriving at a given time will be answered from the cache whatever happens before it arrives, and what
// that answer is. World uses it to hand such a request over early (one kernel event per exchange instead of two),
// and answers it here, as the parent's HttpCache would, instead of through the machine's handle(): a settled answer
// is a hit that changes nothing in the cache but its hit count. ParentSites' check mode (RunOptions.checkParentAnswers)
// holds every such answer to the machine's own, field by field.
import { HTTP_NOT_MODIFIED_BYTES, indexAnswerSizeBytes, type DeliveryMessage } from '../acms/delivery-messages.js';
import { indexUnchangedFor } from '../acms/frontend-messages.js';
import type { SnapshotView } from '../acms/snapshot.js';
import { IntMap } from '../kernel/int-map.js';

export class ParentAnswers {
  /** Per parent: its root index is fresh before this time (it was fetched at a matched upstream answer). */
  private readonly rootFreshUntilUs: Float64Array;
  /**
   * Per parent: the versions it holds (parents keep every version they fetched, until a wipe), each with the size it
   * stores and answers with. Asked at nearly every exchange of a cluster with its parent: an IntMap, where a Set hashed
   * each version key (beyond 2^31) as a boxed number.
   */
  private readonly present: IntMap<number>[] = [];
  /** Per parent: the root index it holds and its last-modified time, as HttpCache keeps them (null and -1 when none). */
  private readonly rootView: (SnapshotView | null)[] = [];
  private readonly rootLastModifiedUs: Float64Array;
  /** Per parent: requests answered here (hits the machine did not count). */
  private readonly hostHits: Float64Array;
  /** answer()'s answer and its size on the wire, until the next call. */
  answerMessage: DeliveryMessage | null = null;
  answerSizeBytes = 0;

  /**
   * rootSettles false (design.delivery: push): a notification can make a parent revalidate and change its root index
   * at any time, so no index request is settled ahead; files still are (their names are version-unique).
   */
  constructor(parentCount: number, private readonly indexTtlUs: number, private readonly rootSettles = true) {
    this.rootFreshUntilUs = new Float64Array(parentCount).fill(-Infinity);
    this.rootLastModifiedUs = new Float64Array(parentCount).fill(-1);
    this.hostHits = new Float64Array(parentCount);
    for (let p = 0; p < parentCount; p++) {
      this.present.push(new IntMap<number>());
      this.rootView.push(null);
    }
  }

  /**
   * Parent p handled input at nowUs and produced these sends. A version it answers with is present from now
   * on; index answers in the same call as an upstream index answer mean that answer was taken (a request is
   * made for a waiter, so a taken answer always answers someone), so the root is fresh for one TTL, and an index it
   * carries replaces the one held unless that is a longer view of the same log (HttpCache.indexAnswered's rule).
   */
  observe(p: number, nowUs: number, input: DeliveryMessage | null, sent: DeliveryMessage): void {
    if (sent.type === 'fileResponse') {
      // A streamed answer (cut-through) is sent before the parent holds the version: see forwarded.
      if (sent.found && sent.streamed !== true) (this.present[p] as IntMap<number>).set(sent.versionKey, sent.sizeBytes);
      return;
    }
    if ((sent.type === 'indexResponse' || sent.type === 'indexNotModified') && input !== null &&
      (input.type === 'indexResponse' || input.type === 'indexNotModified')) {
      this.rootFreshUntilUs[p] = nowUs + this.indexTtlUs;
      if (input.type === 'indexResponse') {
        const held = this.rootView[p] as SnapshotView | null;
        const view = input.view;
        if (held === null || view.log !== held.log || view.length >= held.length) {
          this.rootView[p] = view;
          this.rootLastModifiedUs[p] = view.lastModifiedUs;
        }
      }
    }
  }

  /** Parent p's fetch of a version it forwarded while it arrived (cut-through) ended with the whole file, stored at sizeBytes. */
  forwarded(p: number, versionKey: number, sizeBytes: number): void {
    (this.present[p] as IntMap<number>).set(versionKey, sizeBytes);
  }

  /** The parent lost its content (an outage). */
  wiped(p: number): void {
    this.rootFreshUntilUs[p] = -Infinity;
    (this.present[p] as IntMap<number>).clear();
    this.rootView[p] = null;
    this.rootLastModifiedUs[p] = -1;
  }

  /** Will parent p answer this request from its cache if it arrives at arrivalUs (barring a fault before then)? */
  settledAt(p: number, arrivalUs: number, message: DeliveryMessage): boolean {
    if (message.type === 'fileGet') return (this.present[p] as IntMap<number>).has(message.versionKey);
    return this.rootSettles && message.type === 'indexGet' && arrivalUs < (this.rootFreshUntilUs[p] as number);
  }

  /**
   * Parent p's answer to `from`'s request, settled at its arrival (settledAt), as HttpCache.handle gives it: the version
   * at its stored size, or the root index by If-Modified-Since. Sets answerMessage and answerSizeBytes; false when the
   * answer is not known here, and the machine must give it. The caller that sends it counts the hit (countHit).
   */
  answer(p: number, message: DeliveryMessage): boolean {
    if (message.type === 'fileGet') {
      const sizeBytes = (this.present[p] as IntMap<number>).get(message.versionKey);
      if (sizeBytes === undefined) return false;
      this.answerMessage = { type: 'fileResponse', requestId: message.requestId, fileId: message.fileId, versionKey: message.versionKey, found: true, sizeBytes };
      this.answerSizeBytes = sizeBytes + HTTP_NOT_MODIFIED_BYTES;
    } else if (message.type === 'indexGet') {
      const view = this.rootView[p] as SnapshotView | null;
      const lastModifiedUs = this.rootLastModifiedUs[p] as number;
      if (view === null || indexUnchangedFor(view.originSp, lastModifiedUs, message)) {
        this.answerMessage = { type: 'indexNotModified', requestId: message.requestId, lastModifiedUs };
        this.answerSizeBytes = HTTP_NOT_MODIFIED_BYTES;
      } else {
        this.answerMessage = { type: 'indexResponse', requestId: message.requestId, view };
        this.answerSizeBytes = indexAnswerSizeBytes(view);
      }
    } else {
      return false;
    }
    return true;
  }

  /** Parent p's answer was taken from here (answer), not from its machine: a hit its machine did not count. */
  countHit(p: number): void {
    this.hostHits[p] = (this.hostHits[p] as number) + 1;
  }

  /** Requests parent p's settled answers took from here instead of from its machine (hits its machine did not count). */
  hitsOf(p: number): number {
    return this.hostHits[p] as number;
  }
}
