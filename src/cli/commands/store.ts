import type { Command } from 'commander';
import { InvalidParameterValue, WebServerStore } from '../../index.js';
import { withExamples } from '../help.js';
import { interrupted } from '../interrupt.js';
import { cliLogger } from '../log.js';
import { configFrom, withConfigOption, withJsonOption } from '../node-task.js';
import { printResult } from '../output.js';

interface WebStoreFlags {
  configFile?: string;
  httpRoot?: string;
  httpUrl?: string;
  stateDir?: string;
  json: boolean;
}

/** The web-server store of the flags, or of `[deploy] http_root` / `http_url` in `--config-file`. */
function webStore(opts: WebStoreFlags): WebServerStore {
  const conf = opts.configFile === undefined ? undefined : configFrom({ ...opts });
  const httpRoot = opts.httpRoot ?? conf?.deploy.httpRoot;
  const httpUrl = opts.httpUrl ?? conf?.deploy.httpUrl;
  const missing = [
    ...(httpRoot === undefined ? ['--http-root'] : []),
    ...(httpUrl === undefined ? ['--http-url'] : []),
  ];
  if (missing.length > 0 || httpRoot === undefined || httpUrl === undefined) {
    throw new InvalidParameterValue(
      `Give ${missing.join(' and ')}, or --config-file with [deploy] http_root and http_url.`,
      {
        fields: missing.map((field) => ({ field, problem: 'required' })),
      },
    );
  }
  return new WebServerStore({
    httpRoot,
    httpUrl,
    ...(conf === undefined ? {} : { fileMode: conf.ilo.filePermission }),
    ...(opts.stateDir === undefined ? {} : { stateDir: opts.stateDir }),
    logger: cliLogger(),
  });
}

function withWebStoreOptions(cmd: Command): Command {
  cmd
    .option('--http-root <dir>', 'the directory the web server serves (default: [deploy] http_root)')
    .option('--http-url <url>', 'the URL it is served under (default: [deploy] http_url)')
    .option('--state-dir <dir>', 'where expiries and holders are kept (default <http-root>/.ironic-ilo)');
  return withJsonOption(withConfigOption(cmd));
}

/** `ironic-ilo store …`: the web-server image store, for operators and cron. */
export function registerStore(program: Command): void {
  const store = program.command('store').description("inspect and tidy a web server's image directory");
  withExamples(
    store,
    'ironic-ilo store list --config-file /etc/ironic/ironic.conf',
    'ironic-ilo store sweep --config-file /etc/ironic/ironic.conf   # from cron, every few minutes',
  );

  withExamples(
    withWebStoreOptions(
      store
        .command('sweep')
        .description(
          'remove expired images (a web server has no X-Delete-After) and leftovers of interrupted publishes',
        ),
    ),
    'ironic-ilo store sweep --http-root /httpboot --http-url http://10.0.0.1:8080/ --json',
  ).action(async (opts: WebStoreFlags) => {
    const result = await webStore(opts).sweep({ signal: interrupted });
    printResult(
      opts.json ? result : { expired: result.expired.length, temporary: result.temporary.length },
      opts.json,
    );
  });

  withExamples(
    withWebStoreOptions(
      store
        .command('list')
        .description('list the published images')
        .option('--prefix <prefix>', 'only names starting with this', ''),
    ),
    'ironic-ilo store list --config-file /etc/ironic/ironic.conf --prefix boot-',
  ).action(async (opts: WebStoreFlags & { prefix: string }) => {
    const images = await webStore(opts).list(opts.prefix, { signal: interrupted });
    if (opts.json) {
      printResult(images, true);
      return;
    }
    for (const i of images) {
      const expiry = i.expiresAt === undefined ? '' : `  expires ${i.expiresAt.toISOString()}`;
      process.stdout.write(`${i.name}  ${i.size}${expiry}\n`);
    }
  });
}
