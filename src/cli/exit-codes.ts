/**
 * Exit codes of the `ironic-ilo` command, documented in `ironic-ilo --help`.
 */
export const EXIT = {
  /** The command did what was asked. */
  OK: 0,
  /** The operation failed (the iLO, a store or an image refused or broke; in fleet mode: any iLO). */
  FAILED: 1,
  /** The command line or an input was invalid. */
  USAGE: 2,
  /** The feature is not supported here. */
  NOT_SUPPORTED: 3,
  /** Interrupted by SIGINT or SIGTERM. */
  INTERRUPTED: 130,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    the operation failed (iLO, store or image error); fleet: at least one iLO failed
  2    invalid command line or input (every bad flag or field is named)
  3    not supported by this hardware or installation
  130  interrupted (SIGINT or SIGTERM); a second signal exits at once

Environment:
  ILO_PASSWORD   the iLO password (or --password-file; never a flag)
  ILO_ADDRESS    default of --address
  ILO_USERNAME   default of --username (Administrator)
  ISCSI_CHAP_SECRET  the CHAP secret of iscsi-write (or --chap-secret-file)

Errors are printed on one line; --debug adds the stack trace and debug logs.`;

/** Ends a command with an exit code and one line for stderr, after its output was printed. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}
