import type { Command } from 'commander';
import { Inspector } from '../../index.js';
import { MemoryPortRegistry } from '../../testing/index.js';
import { cliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';

/** `ironic-ilo inspect`. */
export function registerInspect(program: Command): void {
  withNodeOptions(
    program
      .command('inspect')
      .description(
        "out-of-band inspection as Ironic's IloInspect: properties, capabilities and MACs " +
          '(a server that is off is powered on for it, and off again)',
      ),
  ).action(async (opts) => {
    const { task, options } = cliNode(opts);
    // The CLI keeps no port table: the registry only collects what inspection reports.
    const inspector = new Inspector({ ...options, ports: new MemoryPortRegistry() });
    const { properties, capabilities, macs } = await inspector.inspect(task);
    if (opts.json === true) printResult({ properties, capabilities, macs }, true);
    else printResult({ ...properties, capabilities, macs: macs.join(' ') }, false);
  });
}
