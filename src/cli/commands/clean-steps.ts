import type { Command } from 'commander';
import { automatedCleanSteps, iloCleanSteps } from '../../index.js';
import { configFrom, withConfigOption } from '../node-task.js';
import { printResult } from '../output.js';

/** `ironic-ilo clean-steps`. */
export function registerCleanSteps(program: Command): void {
  withConfigOption(
    program
      .command('clean-steps')
      .description(
        'the iLO clean steps in the order automated cleaning runs them, with their priorities from ' +
          '[ilo] clean_priority_* (priority 0: manual cleaning only)',
      )
      .option('--json', 'print one JSON line', false),
  ).action((opts) => {
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
    for (const s of ordered) {
      const note = s.priority === 0 ? '  (manual only)' : '';
      process.stdout.write(`${String(s.priority).padStart(3)}  ${s.interface}  ${s.step}${note}\n`);
    }
  });
}
