import type { Command } from 'commander';
import { Inspector } from '../../index.js';
import { MemoryPortRegistry } from '../../testing/index.js';
import { EXAMPLE_ILO } from '../help.js';
import { addNodeCommand } from '../node-command.js';

/** `ironic-ilo inspect`. */
export function registerInspect(program: Command): void {
  addNodeCommand(program, {
    name: 'inspect',
    description:
      "out-of-band inspection as Ironic's IloInspect: properties, capabilities and MACs " +
      '(a server that is off is powered on for it, and off again)',
    examples: [`ironic-ilo inspect ${EXAMPLE_ILO}`, `ironic-ilo inspect ${EXAMPLE_ILO} --json`],
    async run({ task, options }, _args, opts) {
      // The CLI keeps no port table: the registry only collects what inspection reports.
      const inspector = new Inspector({ ...options, ports: new MemoryPortRegistry() });
      const { properties, capabilities, macs } = await inspector.inspect(task);
      return opts.json === true
        ? { properties, capabilities, macs }
        : { ...properties, capabilities, macs: macs.join(' ') };
    },
  });
}
