// The smallest machine that follows the contract in machine.ts, used by the kernel's tests:
// it pings a peer every intervalUs and reports each round-trip time it measures.
import type { Address, Machine, MachineInput, MachineOutput } from './machine.js';

export type PingMessage = { readonly type: 'ping'; readonly sentUs: number } | { readonly type: 'pong'; readonly sentUs: number };
export type PingObservation = { readonly type: 'rtt'; readonly rttUs: number };
type Input = MachineInput<PingMessage, 'start'>;
type Output = MachineOutput<PingMessage, PingObservation>;

export class PingMachine implements Machine<PingMessage, 'start', PingObservation> {
  constructor(
    private readonly peer: Address,
    private readonly intervalUs: number,
  ) {}

  handle(nowUs: number, input: Input): readonly Output[] {
    switch (input.type) {
      case 'command':
      case 'timer':
        return [
          { type: 'send', to: this.peer, message: { type: 'ping', sentUs: nowUs }, sizeBytes: 64 },
          { type: 'setTimer', timer: 'ping', atUs: nowUs + this.intervalUs },
        ];
      case 'receive':
        if (input.message.type === 'ping') {
          return [{ type: 'send', to: input.from, message: { type: 'pong', sentUs: input.message.sentUs }, sizeBytes: 64 }];
        }
        return [{ type: 'observe', observation: { type: 'rtt', rttUs: nowUs - input.message.sentUs } }];
    }
  }
}
