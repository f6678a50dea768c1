// Bulk file answers on their way, named by (requester, upstream, the requester's request id), and the requests given
// up on before their answer left: what World.abandon needs to stop an answer when its requester closes the
// connection. One answer in and out per bulk transfer (about 95,000 an hour in the paper replay): numeric keys in
// IntMaps, where a string per answer and a Map that reallocated as it emptied were a measurable share of the run.
import { IntMap } from '../kernel/int-map.js';
import type { Address } from '../kernel/machine.js';

const TWO_POW_32 = 4294967296;

/** (requester, upstream, request id) as a table per requester keyed by upstream and request id. */
class AnswerTable<T> {
  private readonly byRequester = new IntMap<IntMap<T>>();

  set(requester: Address, upstream: Address, requestId: number, value: T): void {
    let table = this.byRequester.get(requester);
    if (table === undefined) {
      table = new IntMap<T>();
      this.byRequester.set(requester, table);
    }
    table.set(keyOf(upstream, requestId), value);
  }

  get(requester: Address, upstream: Address, requestId: number): T | undefined {
    return this.byRequester.get(requester)?.get(keyOf(upstream, requestId));
  }

  delete(requester: Address, upstream: Address, requestId: number): boolean {
    return this.byRequester.get(requester)?.delete(keyOf(upstream, requestId)) ?? false;
  }
}

function keyOf(upstream: Address, requestId: number): number {
  if (!(requestId >= 0 && requestId < TWO_POW_32)) throw new RangeError(`a request id must be in [0, 2^32), got ${requestId}`);
  return upstream * TWO_POW_32 + requestId;
}

export class FileAnswersInFlight {
  /** The network's transfer carrying each answer on its way. */
  private readonly transfers = new AnswerTable<number>();
  /** Requests given up on before their answer was sent: the answer, when it comes, is not sent. */
  private readonly abandoned = new AnswerTable<true>();

  sent(requester: Address, upstream: Address, requestId: number, transfer: number): void {
    this.transfers.set(requester, upstream, requestId, transfer);
  }

  /** The answer arrived (or its arrival was taken into a cluster's timeline): no longer one to stop. */
  arrived(requester: Address, upstream: Address, requestId: number): void {
    this.transfers.delete(requester, upstream, requestId);
  }

  /** The requester gave up: the transfer to stop, or undefined when the answer has not left yet (it then never will). */
  abandon(requester: Address, upstream: Address, requestId: number): number | undefined {
    const transfer = this.transfers.get(requester, upstream, requestId);
    if (transfer === undefined) {
      this.abandoned.set(requester, upstream, requestId, true);
      return undefined;
    }
    this.transfers.delete(requester, upstream, requestId);
    return transfer;
  }

  /** Whether this answer's request was given up on before it could be sent (and forgets that it was). */
  takeAbandoned(requester: Address, upstream: Address, requestId: number): boolean {
    return this.abandoned.delete(requester, upstream, requestId);
  }
}
