import { Command, CommanderError } from 'commander';
import { isIronicIloError, redact } from '../index.js';
import { COMMANDS } from './commands/index.js';
import { CliExit, EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { withExamples } from './help.js';
import { Interrupted, interrupted } from './interrupt.js';
import { setCliLogLevel } from './log.js';

/** Codes of the errors that mean "this hardware or installation cannot do that". */
const NOT_SUPPORTED_CODES = ['NOT_SUPPORTED', 'ILO_COMMAND_NOT_SUPPORTED', 'ILO_OPERATION_NOT_SUPPORTED'];

/** Codes of the errors that mean "the command line or an input is wrong". */
const USAGE_CODES = ['INVALID_PARAMETER_VALUE', 'MISSING_PARAMETER_VALUE'];

/** Builds the `ironic-ilo` program with every sub-command. */
export function buildProgram(): Command {
  const program = new Command('ironic-ilo')
    .description(
      'Manage HPE ProLiant servers through iLO: power, boot, virtual media, images, cleaning, inspection.',
    )
    .option('--debug', 'print stack traces and debug logs on errors', false)
    .addHelpText('after', EXIT_CODES_HELP)
    // Sub-commands list the flags of their parents (fleet's, --debug) in their own --help.
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      // Commander's own errors (unknown option, missing argument) on one line, with the way out.
      outputError: (text, write) => write(`${text.trimEnd()} (see --help)\n`),
    })
    .exitOverride();
  withExamples(
    program,
    'ILO_PASSWORD=… ironic-ilo info --address 10.0.0.5 --ca-file /etc/ironic/ilo-ca.pem',
    'ILO_PASSWORD=… ironic-ilo fleet power status --file ilos.txt --insecure',
    'ironic-ilo simulator --nodes 3     # simulated iLOs to try the other commands on',
    'ironic-ilo power --help',
  );
  for (const register of COMMANDS) register(program);
  return program;
}

/** The message of an error, on one line (stack only with `--debug`), with the secrets removed. */
function textOf(error: Error, debug: boolean, label: string): string {
  const secrets = [process.env.ILO_PASSWORD, process.env.ISCSI_CHAP_SECRET];
  return redact(debug && error.stack ? error.stack : `${label}: ${error.message}`, secrets);
}

/** Maps an error to an exit code and one line of text (stack only with `--debug`). */
export function describeFailure(error: unknown, debug: boolean): { code: number; text: string } {
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? EXIT.OK : EXIT.USAGE, text: '' };
  if (error instanceof CliExit) return { code: error.exitCode, text: `ironic-ilo: ${error.message}` };
  if (interrupted.aborted && interrupted.reason instanceof Interrupted) {
    return { code: EXIT.INTERRUPTED, text: String(interrupted.reason.message) };
  }
  if (isIronicIloError(error)) {
    const code = USAGE_CODES.some((c) => isIronicIloError(error, c))
      ? EXIT.USAGE
      : NOT_SUPPORTED_CODES.some((c) => isIronicIloError(error, c))
        ? EXIT.NOT_SUPPORTED
        : EXIT.FAILED;
    return { code, text: textOf(error, debug, `${error.name} [${error.code}]`) };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return { code: EXIT.FAILED, text: textOf(err, debug, 'Error') };
}

/** Runs the CLI with `argv` (as `process.argv`); resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  setCliLogLevel(debug ? 'debug' : 'warn');
  try {
    await program.parseAsync([...argv]);
    return EXIT.OK;
  } catch (error) {
    const { code, text } = describeFailure(error, debug);
    if (text !== '') process.stderr.write(`${debug ? text : text.replace(/\s*\n\s*/g, ' ')}\n`);
    return code;
  }
}
