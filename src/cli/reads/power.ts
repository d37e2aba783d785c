import { IloPower, type PowerState } from '../../index.js';
import { defineRead } from './read.js';

/** `power status`: Ironic's power state (`power on`, `power off`, `error`). */
export const powerStatus = defineRead({
  words: ['power', 'status'],
  description: "print the power state, as Ironic's IloPower reads it",
  example: 'power status',
  async read(node): Promise<{ powerState: PowerState }> {
    return { powerState: await new IloPower(node.options).getPowerState(node.task) };
  },
  text: (r) => [r.powerState],
  columns: [{ header: 'POWER', cell: (r) => r.powerState }],
});
