import type { Command } from 'commander';
import { IloManagement, InvalidParameterValue } from '../../index.js';
import { cliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';

/** `ironic-ilo secure-boot get|set on|off`. */
export function registerSecureBoot(program: Command): void {
  const group = program.command('secure-boot').description('read or change UEFI secure boot');
  withNodeOptions(group.command('get').description('print whether secure boot is on')).action(
    async (opts) => {
      const { task, options } = cliNode(opts);
      printResult(
        { secureBoot: await new IloManagement(options).getSecureBootState(task) },
        opts.json === true,
      );
    },
  );
  withNodeOptions(
    group
      .command('set')
      .description('turn secure boot on or off (UEFI only); it applies at the next boot')
      .argument('<state>', 'on or off'),
  ).action(async (state: string, opts) => {
    if (state !== 'on' && state !== 'off') {
      throw new InvalidParameterValue(`secure-boot set takes on or off, not '${state}'`, {
        fields: [{ field: 'state', problem: 'must be on or off' }],
      });
    }
    const { task, options } = cliNode(opts);
    await new IloManagement(options).setSecureBootState(task, state === 'on');
    printResult({ secureBoot: state === 'on' }, opts.json === true);
  });
}
