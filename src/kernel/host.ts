// A generic host: owns machines by address, turns their outputs into kernel events and feeds
// their inputs back. It knows nothing about ACMS; the network model is behind the Link interface.
import type { Address, Machine, MachineInput, MachineOutput } from './machine.js';
import type { EventTarget, Simulator } from './simulator.js';

/** What the host needs from a network model. */
export interface Link {
  /** One-way delivery delay in microseconds for a message, or -1 when it is lost. */
  transmitDelayUs(nowUs: number, from: Address, to: Address, sizeBytes: number): number;
}

/** Is the node up? A machine on a crashed node receives nothing and its timers do not fire. */
export type Liveness = (address: Address) => boolean;

const KIND_DELIVER = 1;
const KIND_TIMER = 2;

interface Delivery<Message> {
  readonly to: Address;
  readonly from: Address;
  readonly message: Message;
}

interface TimerFiring {
  readonly address: Address;
  readonly timer: string;
}

export class MachineHost<Message, Command = never, Observation = never> implements EventTarget {
  readonly targetId: number;
  private readonly machines = new Map<Address, Machine<Message, Command, Observation>>();
  private readonly timerTokens = new Map<string, number>();

  constructor(
    private readonly sim: Simulator,
    private readonly link: Link,
    private readonly onObservation: (nowUs: number, address: Address, observation: Observation) => void,
    private readonly isUp: Liveness = () => true,
    targetId = 0,
  ) {
    this.targetId = targetId;
  }

  add(address: Address, machine: Machine<Message, Command, Observation>): void {
    if (this.machines.has(address)) throw new Error(`address ${address} already has a machine`);
    this.machines.set(address, machine);
  }

  machine(address: Address): Machine<Message, Command, Observation> {
    const machine = this.machines.get(address);
    if (machine === undefined) throw new Error(`no machine at address ${address}`);
    return machine;
  }

  /** Feeds a command to a machine now. */
  command(address: Address, command: Command): void {
    this.feed(address, { type: 'command', command });
  }

  /** Feeds any input to a machine now (used by drivers, e.g. a restart notice). */
  feed(address: Address, input: MachineInput<Message, Command>): void {
    const outputs = this.machine(address).handle(this.sim.nowUs, input);
    this.apply(address, outputs);
  }

  onEvent(_nowUs: number, kind: number, arg: unknown): void {
    if (kind === KIND_DELIVER) {
      const delivery = arg as Delivery<Message>;
      if (!this.isUp(delivery.to)) return;
      this.feed(delivery.to, { type: 'receive', from: delivery.from, message: delivery.message });
    } else {
      const firing = arg as TimerFiring;
      this.timerTokens.delete(`${firing.address}/${firing.timer}`);
      if (!this.isUp(firing.address)) return;
      this.feed(firing.address, { type: 'timer', timer: firing.timer });
    }
  }

  private apply(address: Address, outputs: readonly MachineOutput<Message, Observation>[]): void {
    for (const output of outputs) {
      switch (output.type) {
        case 'send': {
          const delayUs = this.link.transmitDelayUs(this.sim.nowUs, address, output.to, output.sizeBytes);
          if (delayUs < 0) break;
          const delivery: Delivery<Message> = { to: output.to, from: address, message: output.message };
          this.sim.scheduleAfter(delayUs, this, KIND_DELIVER, delivery);
          break;
        }
        case 'setTimer': {
          const key = `${address}/${output.timer}`;
          const previous = this.timerTokens.get(key);
          if (previous !== undefined) this.sim.cancel(previous);
          const firing: TimerFiring = { address, timer: output.timer };
          this.timerTokens.set(key, this.sim.scheduleAt(output.atUs, this, KIND_TIMER, firing));
          break;
        }
        case 'clearTimer': {
          const key = `${address}/${output.timer}`;
          const previous = this.timerTokens.get(key);
          if (previous !== undefined) this.sim.cancel(previous);
          this.timerTokens.delete(key);
          break;
        }
        case 'observe':
          this.onObservation(this.sim.nowUs, address, output.observation);
          break;
      }
    }
  }
}
