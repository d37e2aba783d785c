import type { Command } from 'commander';
import { humanSink, jsonSink } from '../demo/render.js';
import { runDemo } from '../demo/scenario.js';
import { withExamples } from '../help.js';
import { interrupted } from '../interrupt.js';
import { withJsonOption } from '../node-task.js';

/** `ironic-ilo demo`: the end-to-end demo on embedded defaults. */
export function registerDemo(program: Command): void {
  const cmd = program
    .command('demo')
    .description(
      'run inspection, cleaning, an agent_ilo and an iscsi_ilo deploy and their tear-downs against a ' +
        'simulated ProLiant DL380 Gen9, all in this process on 127.0.0.1, and print the timeline ' +
        '(a few seconds; nothing is left behind)',
    );
  withExamples(
    withJsonOption(cmd),
    'npm run demo',
    'ironic-ilo demo --json | jq -c \'select(.type == "summary")\'',
  ).action(async (options: { json?: boolean }) => {
    const sink = options.json
      ? jsonSink(process.stdout)
      : humanSink(process.stdout, process.stdout.isTTY === true);
    await runDemo({ sink, signal: interrupted });
  });
}
