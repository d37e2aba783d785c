import type { Command } from 'commander';
import { NotSupported } from '../../index.js';

/** `ironic-ilo demo`: the end-to-end demo on embedded defaults. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run inspection, cleaning and a virtual-media deploy against an embedded simulated iLO')
    .option('--json', 'print the timeline as JSON lines', false)
    .action(() => {
      throw new NotSupported({
        feature: 'The demo',
        reason: 'it arrives once the deploy drivers land (see the README); nothing was run',
      });
    });
}
