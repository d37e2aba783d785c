import type { Command } from 'commander';
import { NotSupported } from '../../index.js';
import { withExamples } from '../help.js';
import { withJsonOption } from '../node-task.js';

/** `ironic-ilo demo`: the end-to-end demo on embedded defaults. */
export function registerDemo(program: Command): void {
  const cmd = program
    .command('demo')
    .description(
      'run inspection, cleaning and a virtual-media deploy against an embedded simulated iLO ' +
        '(arrives with the deploy drivers; until then it exits 3)',
    );
  withExamples(withJsonOption(cmd), 'npm run demo', 'ironic-ilo demo --json').action(() => {
    throw new NotSupported({
      feature: 'The demo',
      reason: 'it arrives once the deploy drivers land (see the README); nothing was run',
    });
  });
}
