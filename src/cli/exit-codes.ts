/**
 * Exit codes of the `ironic-ilo` command, documented in `ironic-ilo --help`.
 */
export const EXIT = {
  /** The command did what was asked. */
  OK: 0,
  /** The operation failed (the iLO, a store or an image refused or broke). */
  FAILED: 1,
  /** The command line or an input was invalid. */
  USAGE: 2,
  /** The feature is not supported here. */
  NOT_SUPPORTED: 3,
  /** Interrupted by SIGINT. */
  INTERRUPTED: 130,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    the operation failed (iLO, store or image error)
  2    invalid command line or input
  3    not supported by this hardware or installation
  130  interrupted`;
