// A tiny front-end world for tests: S Storage Points and a few publishers on the kernel's Simulator and
// MachineHost over a FakeLink, with the invariant checker fed every SP observation and fault verbs.
import { MachineHost, RandomStreams, Simulator, type Address, type EventTarget } from '../../../src/kernel/index.js';
import type {
  FrontendMessage,
  PublisherCommand,
  PublisherObservation,
  StoragePointCommand,
  StoragePointObservation,
} from '../../../src/acms/frontend-messages.js';
import { defaultPublisherParams, defaultStoragePointParams, type PublisherParams, type StoragePointParams } from '../../../src/acms/frontend-params.js';
import { FrontendInvariantChecker } from '../../../src/acms/invariants.js';
import { Publisher } from '../../../src/acms/publisher.js';
import { StoragePoint } from '../../../src/acms/storage-point.js';
import type { VersionId } from '../../../src/acms/version.js';
import { FakeLink } from './fake-link.js';

type Command = StoragePointCommand | PublisherCommand;
type Observation = StoragePointObservation | PublisherObservation;

export const PUBLISHER_BASE_ADDRESS = 100;
const S = 1_000_000;

export interface HarnessOptions {
  readonly seed: number;
  readonly spCount?: number;
  readonly publisherCount?: number;
  /** Overrides for every SP (test-scale timeouts by default, see below). */
  readonly sp?: Partial<StoragePointParams>;
  /** Per-SP overrides on top (e.g. the broken quorum-1 SP). */
  readonly spOverrides?: Readonly<Record<number, Partial<StoragePointParams>>>;
  readonly publisher?: Partial<PublisherParams>;
}

/** Test-scale front-end timing: short timeouts and merges so a run covers many rounds in little virtual time. */
export const TEST_SP_PARAMS: Partial<StoragePointParams> = {
  replicationTimeoutUs: 5 * S,
  agreementTimeoutUs: 3 * S,
  mergeIntervalUs: 2 * S,
  fetchTimeoutUs: 5 * S,
  maxClockSkewUs: 1 * S,
};

export const TEST_PUBLISHER_PARAMS: Partial<PublisherParams> = {
  submitTimeoutUs: 12 * S,
  backoffBaseUs: 1 * S,
  backoffMaxUs: 8 * S,
  maxAttempts: 6,
};

export interface PublisherAccept {
  readonly publisher: number;
  readonly submissionId: number;
  readonly version: VersionId;
  readonly submittedUs: number;
  readonly acceptedUs: number;
  readonly attempts: number;
}

class Scheduled implements EventTarget {
  readonly targetId = 9_999;
  onEvent(_nowUs: number, _kind: number, arg: unknown): void {
    (arg as () => void)();
  }
}

export class FrontendHarness {
  readonly sim = new Simulator();
  readonly link = new FakeLink();
  readonly host: MachineHost<FrontendMessage, Command, Observation>;
  readonly checker: FrontendInvariantChecker;
  readonly sps: StoragePoint[] = [];
  readonly publishers: Publisher[] = [];
  readonly clockOffsetUs: number[] = [];
  readonly accepts: PublisherAccept[] = [];
  readonly finalFailures: PublisherObservation[] = [];
  readonly attemptFailures: PublisherObservation[] = [];
  readonly spObservations: { timeUs: number; sp: number; observation: StoragePointObservation }[] = [];
  readonly spCount: number;
  private readonly scheduled = new Scheduled();
  private nextFileId = 0;

  constructor(options: HarnessOptions) {
    const spCount = options.spCount ?? 5;
    this.spCount = spCount;
    const streams = new RandomStreams(options.seed);
    this.checker = new FrontendInvariantChecker(spCount);
    this.host = new MachineHost<FrontendMessage, Command, Observation>(
      this.sim,
      this.link,
      (nowUs, address, observation) => this.onObservation(nowUs, address, observation),
      this.link.isUp,
    );
    for (let sp = 0; sp < spCount; sp++) {
      this.clockOffsetUs.push(0);
      const params = defaultStoragePointParams(spCount, { ...TEST_SP_PARAMS, ...options.sp, ...options.spOverrides?.[sp] });
      const machine = new StoragePoint({ index: sp, params, rng: streams.stream(`sp/${sp}`), localClockUs: (nowUs) => nowUs + (this.clockOffsetUs[sp] ?? 0) });
      this.sps.push(machine);
      this.host.add(sp, machine);
    }
    const publisherParams = defaultPublisherParams({ ...TEST_PUBLISHER_PARAMS, ...options.publisher });
    for (let p = 0; p < (options.publisherCount ?? 2); p++) {
      const address = PUBLISHER_BASE_ADDRESS + p;
      const spOrder = this.spOrderFor(address);
      const machine = new Publisher({ params: publisherParams, spOrder, rng: streams.stream(`publisher/${p}`) });
      this.publishers.push(machine);
      this.host.add(address, machine);
    }
    for (let sp = 0; sp < spCount; sp++) this.host.command(sp, { type: 'start' });
  }

  /** Nearest SP first by the link's latency (ties by index). */
  spOrderFor(address: Address): number[] {
    const order: number[] = [];
    for (let sp = 0; sp < this.spCount; sp++) order.push(sp);
    order.sort((a, b) => this.link.latencyUs(address, a) - this.link.latencyUs(address, b) || a - b);
    return order;
  }

  // ---- workload ------------------------------------------------------------------------------------

  /** Submits a new file (a fresh fileId unless given) through publisher p; returns the fileId. */
  submit(publisher: number, sizeBytes: number, fileId = this.nextFileId++): number {
    this.host.command(PUBLISHER_BASE_ADDRESS + publisher, { type: 'submit', fileId, fileName: `file-${fileId}`, sizeBytes });
    return fileId;
  }

  setSpOrder(publisher: number, spOrder: readonly number[]): void {
    this.host.command(PUBLISHER_BASE_ADDRESS + publisher, { type: 'setSpOrder', spOrder });
  }

  // ---- faults ----------------------------------------------------------------------------------------

  crash(sp: number): void {
    this.host.command(sp, { type: 'crash' });
    this.link.down.add(sp);
  }

  restart(sp: number, diskLost: boolean): void {
    this.link.down.delete(sp);
    this.host.command(sp, { type: 'restart', diskLost });
  }

  partition(side: readonly number[]): void {
    this.link.partition(side);
  }

  heal(): void {
    this.link.heal();
  }

  blackHole(sp: number, mtuBytes: number): void {
    this.link.blackHole(sp, mtuBytes);
  }

  clearBlackHole(sp: number): void {
    this.link.clearBlackHole(sp);
  }

  setClockOffset(sp: number, offsetUs: number): void {
    this.clockOffsetUs[sp] = offsetUs;
  }

  /** Runs fn at an absolute virtual time (fault schedules). */
  at(timeUs: number, fn: () => void): void {
    this.sim.scheduleAt(timeUs, this.scheduled, 0, fn);
  }

  // ---- running and inspecting ---------------------------------------------------------------------------

  runUntil(timeUs: number): void {
    this.sim.run({ untilUs: timeUs, maxEvents: 5_000_000 });
  }

  runFor(durationUs: number): void {
    this.runUntil(this.sim.nowUs + durationUs);
  }

  visibleKey(sp: number, fileId: number): number | undefined {
    return this.sps[sp]?.snapshot.versionOf(fileId)?.versionKey;
  }

  /** Newest accepted version of each file, as publishers were told. */
  newestAccepted(): Map<number, VersionId> {
    const newest = new Map<number, VersionId>();
    for (const accept of this.accepts) {
      const known = newest.get(accept.version.fileId);
      if (known === undefined || known.versionKey < accept.version.versionKey) newest.set(accept.version.fileId, accept.version);
    }
    return newest;
  }

  /** SPs whose snapshot shows at least the newest accepted version of every file. */
  upToDateSps(): number[] {
    const newest = this.newestAccepted();
    const result: number[] = [];
    for (let sp = 0; sp < this.spCount; sp++) {
      let ok = true;
      for (const version of newest.values()) {
        const shown = this.visibleKey(sp, version.fileId);
        if (shown === undefined || shown < version.versionKey) ok = false;
      }
      if (ok) result.push(sp);
    }
    return result;
  }

  private onObservation(nowUs: number, address: Address, observation: Observation): void {
    if (address < this.spCount) {
      const spObservation = observation as StoragePointObservation;
      this.checker.observe(nowUs, address, spObservation);
      this.spObservations.push({ timeUs: nowUs, sp: address, observation: spObservation });
      return;
    }
    const publisherObservation = observation as PublisherObservation;
    const publisher = address - PUBLISHER_BASE_ADDRESS;
    if (publisherObservation.type === 'accepted') {
      this.accepts.push({
        publisher,
        submissionId: publisherObservation.submissionId,
        version: publisherObservation.version,
        submittedUs: publisherObservation.submittedUs,
        acceptedUs: publisherObservation.acceptedUs,
        attempts: publisherObservation.attempts,
      });
    } else if (publisherObservation.type === 'failed') {
      this.finalFailures.push(publisherObservation);
    } else if (publisherObservation.type === 'attemptFailed') {
      this.attemptFailures.push(publisherObservation);
    }
  }
}
