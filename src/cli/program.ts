import { Command, CommanderError } from 'commander';
import { isIronicIloError, redact } from '../index.js';
import { COMMANDS } from './commands/index.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { Interrupted, interrupted } from './interrupt.js';

/** Builds the `ironic-ilo` program with every sub-command. */
export function buildProgram(): Command {
  const program = new Command('ironic-ilo')
    .description(
      'Manage HPE ProLiant servers through iLO: power, boot, virtual media, images, cleaning, inspection.',
    )
    .option('--debug', 'print stack traces on errors', false)
    .showHelpAfterError()
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Maps an error to an exit code and one line of text (stack only with `--debug`). */
export function describeFailure(error: unknown, debug: boolean): { code: number; text: string } {
  const secrets = [process.env.ILO_PASSWORD];
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? EXIT.OK : EXIT.USAGE, text: '' };
  if (interrupted.aborted && interrupted.reason instanceof Interrupted) {
    return { code: EXIT.INTERRUPTED, text: String(interrupted.reason.message) };
  }
  if (isIronicIloError(error)) {
    const code = isIronicIloError(error, 'INVALID_PARAMETER_VALUE')
      ? EXIT.USAGE
      : isIronicIloError(error, 'NOT_SUPPORTED') ||
          isIronicIloError(error, 'ILO_COMMAND_NOT_SUPPORTED') ||
          isIronicIloError(error, 'ILO_OPERATION_NOT_SUPPORTED')
        ? EXIT.NOT_SUPPORTED
        : EXIT.FAILED;
    const text = debug && error.stack ? error.stack : `${error.name} [${error.code}]: ${error.message}`;
    return { code, text: redact(text, secrets) };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    code: EXIT.FAILED,
    text: redact(debug && err.stack ? err.stack : `Error: ${err.message}`, secrets),
  };
}

/** Runs the CLI with `argv` (as `process.argv`); resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return EXIT.OK;
  } catch (error) {
    const { code, text } = describeFailure(error, argv.includes('--debug'));
    if (text !== '')
      process.stderr.write(`${text.split('\n').join(argv.includes('--debug') ? '\n' : ' ')}\n`);
    return code;
  }
}
