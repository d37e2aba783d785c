import type { Command } from 'commander';
import { Inspector } from '../../index.js';
import { MemoryPortRegistry } from '../../testing/index.js';
import { EXAMPLE_ILO, withExamples } from '../help.js';
import { withCliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';

/** `ironic-ilo inspect`. */
export function registerInspect(program: Command): void {
  const cmd = program
    .command('inspect')
    .description(
      "out-of-band inspection as Ironic's IloInspect: properties, capabilities and MACs " +
        '(a server that is off is powered on for it, and off again)',
    );
  withExamples(
    withNodeOptions(cmd),
    `ironic-ilo inspect ${EXAMPLE_ILO}`,
    `ironic-ilo inspect ${EXAMPLE_ILO} --json`,
  ).action(async (opts: Record<string, unknown>) => {
    const { properties, capabilities, macs } = await withCliNode(opts, ({ task, options }) =>
      // The CLI keeps no port table: the registry only collects what inspection reports.
      new Inspector({ ...options, ports: new MemoryPortRegistry() }).inspect(task),
    );
    if (opts.json === true) printResult({ properties, capabilities, macs }, true);
    else printResult({ ...properties, capabilities, macs: macs.join(' ') }, false);
  });
}
