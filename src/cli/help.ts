import type { Command } from 'commander';

/** Connection flags as the examples show them (the password comes from `ILO_PASSWORD`). */
export const EXAMPLE_ILO = '--address 10.0.0.5 --ca-file /etc/ironic/ilo-ca.pem';

/** Adds an `Examples:` section to a command's `--help`. */
export function withExamples(cmd: Command, ...lines: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}
