// Bulk file answers on their way, named by (requester, upstream, the requester's request id), and the requests given
// up on before their answer left: what World.abandon needs to stop an answer when its requester closes the
// connection. One answer in and out per bulk transfer (about 95,000 an hour in the paper replay): numeric keys in
// IntMaps, where a string per answer and a Map that reallocated as it emptied were a measurable share of the run.
import { IntMap } from '../kernel/int-map.js';
import type { Address } from '../kernel/machine.js';

const TWO_POW_32 = 4294967296;

interface AnswerOnItsWay {
  readonly upstream: Address;
  readonly transfer: number;
  /** Another upstream's answer to the same request (rare: a fail-over whose first answer was not stopped), or null. */
  next: AnswerOnItsWay | null;
}

/** (requester, request id) as one number: request ids are below 2^32, addresses below 2^21. */
function keyOf(requester: Address, requestId: number): number {
  if (!(requestId >= 0 && requestId < TWO_POW_32)) throw new RangeError(`a request id must be in [0, 2^32), got ${requestId}`);
  return requester * TWO_POW_32 + requestId;
}

export class FileAnswersInFlight {
  /** The network's transfer carrying each answer on its way, by (requester, request id), then upstream. */
  private readonly transfers = new IntMap<AnswerOnItsWay>();
  /** Requests given up on before their answer was sent, with the upstreams concerned: that answer is never sent. */
  private readonly abandoned = new IntMap<Address[]>();

  sent(requester: Address, upstream: Address, requestId: number, transfer: number): void {
    const key = keyOf(requester, requestId);
    this.take(key, upstream);
    this.transfers.set(key, { upstream, transfer, next: this.transfers.get(key) ?? null });
  }

  /** The answer arrived (or its arrival was taken into a cluster's timeline): no longer one to stop. */
  arrived(requester: Address, upstream: Address, requestId: number): void {
    this.take(keyOf(requester, requestId), upstream);
  }

  /** The requester gave up: the transfer to stop, or undefined when the answer has not left yet (it then never will). */
  abandon(requester: Address, upstream: Address, requestId: number): number | undefined {
    const key = keyOf(requester, requestId);
    const held = this.take(key, upstream);
    if (held !== null) return held.transfer;
    const upstreams = this.abandoned.get(key);
    if (upstreams === undefined) this.abandoned.set(key, [upstream]);
    else if (!upstreams.includes(upstream)) upstreams.push(upstream);
    return undefined;
  }

  /** Removes and returns upstream's answer to the request `key`, or null. */
  private take(key: number, upstream: Address): AnswerOnItsWay | null {
    let previous: AnswerOnItsWay | null = null;
    let at = this.transfers.get(key) ?? null;
    while (at !== null && at.upstream !== upstream) {
      previous = at;
      at = at.next;
    }
    if (at === null) return null;
    if (previous !== null) previous.next = at.next;
    else if (at.next !== null) this.transfers.set(key, at.next);
    else this.transfers.delete(key);
    return at;
  }

  /** Whether this answer's request was given up on before it could be sent (and forgets that it was). */
  takeAbandoned(requester: Address, upstream: Address, requestId: number): boolean {
    if (this.abandoned.size === 0) return false;
    const key = keyOf(requester, requestId);
    const upstreams = this.abandoned.get(key);
    const at = upstreams === undefined ? -1 : upstreams.indexOf(upstream);
    if (at < 0) return false;
    (upstreams as Address[]).splice(at, 1);
    if ((upstreams as Address[]).length === 0) this.abandoned.delete(key);
    return true;
  }
}
