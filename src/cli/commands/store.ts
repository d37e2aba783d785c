import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidParameterValue, loadIronicConf, WebServerStore } from '../../index.js';
import { printResult } from '../output.js';

interface WebStoreFlags {
  config?: string;
  httpRoot?: string;
  httpUrl?: string;
  stateDir?: string;
  json: boolean;
}

/** The web-server store of the flags, or of `[deploy] http_root` / `http_url` in `--config`. */
function webStore(opts: WebStoreFlags): WebServerStore {
  const conf = opts.config === undefined ? undefined : loadIronicConf(readFileSync(opts.config, 'utf8'));
  const httpRoot = opts.httpRoot ?? conf?.deploy.httpRoot;
  const httpUrl = opts.httpUrl ?? conf?.deploy.httpUrl;
  const missing = [
    ...(httpRoot === undefined ? ['--http-root'] : []),
    ...(httpUrl === undefined ? ['--http-url'] : []),
  ];
  if (missing.length > 0 || httpRoot === undefined || httpUrl === undefined) {
    throw new InvalidParameterValue(
      `Give ${missing.join(' and ')}, or --config with [deploy] http_root and http_url.`,
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
  });
}

function withWebStoreOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'read [deploy] http_root and http_url from this ironic.conf')
    .option('--http-root <dir>', 'the directory the web server serves ([deploy] http_root)')
    .option('--http-url <url>', 'the URL it is served under ([deploy] http_url)')
    .option('--state-dir <dir>', 'where expiries and holders are kept (default <http-root>/.ironic-ilo)')
    .option('--json', 'print JSON', false);
}

/** `ironic-ilo store …`: the web-server image store, for operators and cron. */
export function registerStore(program: Command): void {
  const store = program.command('store').description("inspect and tidy a web server's image directory");

  withWebStoreOptions(
    store
      .command('sweep')
      .description(
        'remove expired images (a web server has no X-Delete-After) and leftovers of interrupted publishes',
      ),
  ).action(async (opts: WebStoreFlags) => {
    const result = await webStore(opts).sweep();
    printResult(
      opts.json ? result : { expired: result.expired.length, temporary: result.temporary.length },
      opts.json,
    );
  });

  withWebStoreOptions(
    store
      .command('list')
      .description('list the published images')
      .option('--prefix <prefix>', 'only names starting with this', ''),
  ).action(async (opts: WebStoreFlags & { prefix: string }) => {
    const images = await webStore(opts).list(opts.prefix);
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
