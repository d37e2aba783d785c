import { readFileSync } from 'node:fs';
import type { ChapCredentials } from '../index.js';

/**
 * The CHAP account that `--chap-username` names. Its secret comes from `--chap-secret-file` or
 * `ISCSI_CHAP_SECRET`, never from the command line (where `ps` would show it); problems are
 * handed to `bad`. Undefined without `--chap-username`.
 */
export function chapFromFlags(
  opts: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  bad: (field: string, problem: string) => void,
): ChapCredentials | undefined {
  if (typeof opts.chapUsername !== 'string') return undefined;
  let secret: string | undefined;
  if (typeof opts.chapSecretFile === 'string') {
    try {
      secret = readFileSync(opts.chapSecretFile, 'utf8').replace(/\r?\n$/, '');
    } catch {
      bad('--chap-secret-file', 'cannot be read');
    }
  } else secret = env.ISCSI_CHAP_SECRET;
  if (secret === undefined || secret === '') {
    bad('ISCSI_CHAP_SECRET', 'set it or give --chap-secret-file');
    return undefined;
  }
  return { username: opts.chapUsername, secret };
}
