import type { Command } from 'commander';
import { automatedCleanSteps, iloCleanSteps } from '../../index.js';
import { withExamples } from '../help.js';
import { configFrom, withConfigOption, withJsonOption } from '../node-task.js';
import { printResult, printTable } from '../output.js';

/** `ironic-ilo clean-steps`. */
export function registerCleanSteps(program: Command): void {
  const cmd = program
    .command('clean-steps')
    .description(
      'the iLO clean steps in the order automated cleaning runs them, with their priorities from ' +
        '[ilo] clean_priority_* (priority 0: manual cleaning only); reads no iLO',
    );
  withExamples(
    withJsonOption(withConfigOption(cmd)),
    'ironic-ilo clean-steps',
    'ironic-ilo clean-steps --config-file /etc/ironic/ironic.conf --json',
  ).action((opts: Record<string, unknown>) => {
    const steps = iloCleanSteps(configFrom(opts));
    const ordered = [...automatedCleanSteps(steps), ...steps.filter((s) => s.priority === 0)].map(
      ({ step, priority, interface: iface, abortable, argsinfo }) => ({
        step,
        priority,
        interface: iface,
        abortable,
        argsinfo,
      }),
    );
    if (opts.json === true) return printResult(ordered, true);
    printTable(
      ['PRIORITY', 'INTERFACE', 'STEP'],
      ordered.map((s) => [
        String(s.priority),
        s.interface,
        s.priority === 0 ? `${s.step} (manual only)` : s.step,
      ]),
    );
  });
}
