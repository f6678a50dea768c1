// design.delivery: push (issue 17), the Storage Point's side: when the index an SP serves changes (a version
// becomes visible there), it tells its subscribers, the parent sites. A pure machine (src/kernel/machine.ts) beside
// the SP's own, so that every front-end design notifies alike and none of them changes.
import type { Address, Machine, MachineInput, MachineOutput } from '../kernel/machine.js';
import { HTTP_REQUEST_BYTES, type DeliveryMessage } from './delivery-messages.js';

export type PushNotifierCommand = { readonly type: 'indexChanged' };
type Input = MachineInput<DeliveryMessage, PushNotifierCommand>;
type Output = MachineOutput<DeliveryMessage, never>;

export class PushNotifier implements Machine<DeliveryMessage, PushNotifierCommand, never> {
  private nextSeq = 0;

  constructor(private readonly subscribers: readonly Address[]) {}

  handle(_nowUs: number, input: Input): readonly Output[] {
    if (input.type !== 'command' || input.command.type !== 'indexChanged') throw new Error(`PushNotifier cannot handle ${input.type}`);
    const seq = this.nextSeq++;
    const outputs: Output[] = [];
    for (const to of this.subscribers) outputs.push({ type: 'send', to, message: { type: 'notify', seq }, sizeBytes: HTTP_REQUEST_BYTES });
    return outputs;
  }
}
