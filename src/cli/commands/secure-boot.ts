import type { Command } from 'commander';
import { IloManagement, InvalidParameterValue } from '../../index.js';
import { EXAMPLE_ILO, withExamples } from '../help.js';
import { addNodeCommand } from '../node-command.js';
import { addRead, secureBootGet } from '../reads/index.js';

/** `ironic-ilo secure-boot get|set on|off`. */
export function registerSecureBoot(program: Command): void {
  const group = program.command('secure-boot').description('read or change UEFI secure boot');
  withExamples(
    group,
    `ironic-ilo secure-boot get ${EXAMPLE_ILO}`,
    `ironic-ilo secure-boot set on ${EXAMPLE_ILO}`,
  );
  addRead(group, secureBootGet);
  addNodeCommand(group, {
    name: 'set <state>',
    description: 'turn secure boot on or off (UEFI only); it applies at the next boot',
    examples: [`ironic-ilo secure-boot set off ${EXAMPLE_ILO}`],
    async run({ task, options }, [state]) {
      if (state !== 'on' && state !== 'off') {
        throw new InvalidParameterValue(`secure-boot set takes on or off, not '${state}'`, {
          fields: [{ field: 'state', problem: 'must be on or off' }],
        });
      }
      await new IloManagement(options).setSecureBootState(task, state === 'on');
      return { secureBoot: state === 'on' };
    },
  });
}
