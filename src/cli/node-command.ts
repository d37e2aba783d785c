import type { Command } from 'commander';
import { withExamples } from './help.js';
import { type CliNode, withCliNode, withNodeOptions } from './node-task.js';
import { printResult } from './output.js';

/** A command that acts on one iLO: its words, flags and what it does. */
export interface NodeCommandSpec {
  /** The sub-command's name (`set`, `insert`, …), with its arguments (`set <mode>`). */
  name: string;
  /** One line for `--help`. */
  description: string;
  /** Adds the command's own flags and arguments. */
  configure?(cmd: Command): Command;
  /** Examples for `--help`. */
  examples: readonly string[];
  /** Acts on the node; what it resolves to is printed (a table, or a JSON line with `--json`). */
  run(node: CliNode, args: readonly string[], opts: Record<string, unknown>): Promise<unknown>;
}

/** Adds a command acting on one iLO under `parent`, with the connection flags and the node's life cycle. */
export function addNodeCommand(parent: Command, spec: NodeCommandSpec): Command {
  const cmd = parent.command(spec.name).description(spec.description);
  spec.configure?.(cmd);
  withExamples(withNodeOptions(cmd), ...spec.examples);
  return cmd.action(async (...received: unknown[]) => {
    // commander passes the arguments, then the options, then the command itself.
    const opts = received.at(-2) as Record<string, unknown>;
    const args = received.slice(0, -2) as string[];
    const result = await withCliNode(opts, (node) => spec.run(node, args, opts));
    printResult(result, opts.json === true);
  });
}
