import type { Command } from 'commander';
import { EXAMPLE_ILO, withExamples } from '../help.js';
import { withCliNode, withNodeOptions } from '../node-task.js';
import { printResult, printRows } from '../output.js';
import type { ReadCommand } from './read.js';

/** Prints one iLO's result: one JSON line with `--json`, otherwise the read's own text. */
export function printRead<T>(read: ReadCommand<T>, result: T, json: boolean): void {
  const text = read.text?.(result);
  if (json) printResult(read.json?.(result) ?? result, true);
  else if (text === undefined) printResult(result, false);
  else printRows(text);
}

/** Adds the single-iLO form of a read under `parent` (`ironic-ilo power status …`). */
export function addRead<T>(parent: Command, read: ReadCommand<T>): Command {
  const name = read.words.at(-1)!;
  const cmd = parent.command(name).description(read.description);
  read.configure?.(cmd);
  withNodeOptions(cmd);
  withExamples(
    cmd,
    `ILO_PASSWORD=… ironic-ilo ${read.example ?? read.words.join(' ')} ${EXAMPLE_ILO}`,
    `ironic-ilo ${read.words.join(' ')} --address 10.0.0.5 --password-file ~/.ilo-pw --insecure --json`,
    `ironic-ilo fleet --file ilos.csv ${read.words.join(' ')}    # every iLO of an inventory`,
  );
  return cmd.action(async (opts: Record<string, unknown>) => {
    const result = await withCliNode(opts, (node) => read.read(node, opts));
    printRead(read, result, opts.json === true);
  });
}
