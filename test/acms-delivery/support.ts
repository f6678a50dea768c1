// Small builders for delivery-path unit tests: snapshot views made by hand, and output filters.
import { Snapshot, type SnapshotView } from '../../src/acms/snapshot.js';
import type { MachineOutput } from '../../src/kernel/machine.js';
import type { DeliveryMessage } from '../../src/acms/delivery-messages.js';

/** A snapshot of SP 0 with the given (fileId, versionKey, sizeBytes) installs, at local times 1000, 2000, ... */
export function snapshotWith(installs: readonly [number, number, number][]): Snapshot {
  const snapshot = new Snapshot(0, 64, 0);
  installs.forEach(([fileId, key, size], i) => snapshot.install(fileId, key, size, (i + 1) * 1000));
  return snapshot;
}

export function viewOf(installs: readonly [number, number, number][]): SnapshotView {
  return snapshotWith(installs).view();
}

type AnyOutput = MachineOutput<DeliveryMessage, unknown>;

export function sends(outputs: readonly AnyOutput[]): { to: number; message: DeliveryMessage; sizeBytes: number }[] {
  return outputs.filter((o) => o.type === 'send').map((o) => {
    const send = o as Extract<AnyOutput, { type: 'send' }>;
    return { to: send.to, message: { ...send.message }, sizeBytes: send.sizeBytes };
  });
}

export function timers(outputs: readonly AnyOutput[]): { timer: string; atUs: number }[] {
  return outputs.filter((o) => o.type === 'setTimer').map((o) => {
    const set = o as Extract<AnyOutput, { type: 'setTimer' }>;
    return { timer: set.timer, atUs: set.atUs };
  });
}

export function observations(outputs: readonly AnyOutput[]): unknown[] {
  return outputs.filter((o) => o.type === 'observe').map((o) => ({ ...(o as Extract<AnyOutput, { type: 'observe' }>).observation as object }));
}
