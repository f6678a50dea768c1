// The contract every protocol role in acmsim follows: a pure, sans-I/O state machine.
//
//   handle(nowUs, input) -> outputs
//
// - Time comes in with every input; a machine never reads a clock.
// - A machine never draws from a global random source: randomness it needs comes from an Rng
//   handed to its constructor (a named stream, see random.ts).
// - A machine never touches the event queue, a socket or a timer. It returns what it wants done:
//   a message to send, a named timer to set or clear, an observation for metrics.
// - The host (host.ts, or a specialised driver) delivers inputs and applies outputs.
// - Misuse by the caller (an input that cannot happen) is a bug and throws; a misbehaving peer or
//   a fault (a late reply, a lost message) is ordinary input, handled and counted.
//
// Because of this shape a machine is unit-tested by feeding it inputs, with no kernel at all,
// and the same machine runs unchanged under every event organisation the host chooses.
// See example-ping.ts for the smallest machine that follows the contract.

/** A node address as the host and network know it. */
export type Address = number;

export type MachineInput<Message, Command = never> =
  | { readonly type: 'receive'; readonly from: Address; readonly message: Message }
  | { readonly type: 'timer'; readonly timer: string }
  | { readonly type: 'command'; readonly command: Command };

export type MachineOutput<Message, Observation = never> =
  | { readonly type: 'send'; readonly to: Address; readonly message: Message; readonly sizeBytes: number }
  | { readonly type: 'setTimer'; readonly timer: string; readonly atUs: number }
  | { readonly type: 'clearTimer'; readonly timer: string }
  | { readonly type: 'observe'; readonly observation: Observation };

export interface Machine<Message, Command = never, Observation = never> {
  handle(nowUs: number, input: MachineInput<Message, Command>): readonly MachineOutput<Message, Observation>[];
}
