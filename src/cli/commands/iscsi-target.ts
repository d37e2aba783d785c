import type { Command } from 'commander';
import { consoleLogger, type FieldIssue, InvalidParameterValue, noopLogger } from '../../index.js';
import { IscsiTargetSimulator, type SimulatedTargetOptions, TGT_NEGOTIATION } from '../../testing/index.js';
import { chapFromFlags } from '../chap-flags.js';
import { withExamples } from '../help.js';
import { untilInterrupted } from '../interrupt.js';
import { printResult } from '../output.js';

const UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** `4096`, `512M`, `8G`, `3T` (binary units) to bytes; undefined when malformed. */
export function parseSize(value: string): number | undefined {
  const m = /^(\d+)([KMGT]?)(?:i?B)?$/i.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * UNITS[m[2]!.toUpperCase()]!;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * The target `ironic-ilo iscsi-target` was asked to serve, from its flags; every bad flag named
 * at once. The CHAP secret comes from `ISCSI_CHAP_SECRET` or `--chap-secret-file`, never from
 * the command line.
 */
export function iscsiTargetInput(
  opts: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): { target: SimulatedTargetOptions; host: string; port: number } {
  const issues: FieldIssue[] = [];
  const bad = (field: string, problem: string) => issues.push({ field, problem });
  const size = opts.size === undefined ? undefined : parseSize(String(opts.size));
  if (opts.size !== undefined && size === undefined) bad('--size', 'must be a size such as 8G, 512M or 4096');
  const port = Number(opts.port ?? '0');
  if (!/^\d+$/.test(String(opts.port ?? '0')) || port > 65535) bad('--port', 'must be 0–65535');
  const lun = Number(opts.lun ?? '1');
  if (!/^\d+$/.test(String(opts.lun ?? '1')) || lun > 16383) bad('--lun', 'must be 0–16383');
  const blockSize = Number(opts.blockSize ?? '512');
  if (blockSize !== 512 && blockSize !== 4096) bad('--block-size', 'must be 512 or 4096');
  if (opts.memory === true && opts.file !== undefined) bad('--memory', 'cannot be given with --file');
  const chap = chapFromFlags(opts, env, bad);
  if (issues.length > 0)
    throw new InvalidParameterValue(issues.map((i) => `${i.field} ${i.problem}`).join('; '), {
      fields: issues,
    });
  return {
    host: typeof opts.host === 'string' ? opts.host : '127.0.0.1',
    port,
    target: {
      iqn: String(opts.iqn),
      chap,
      negotiation: opts.tgtDefaults === true ? TGT_NEGOTIATION : undefined,
      luns: [
        {
          lun,
          blockSize: blockSize as 512 | 4096,
          sizeBytes: size ?? (opts.file === undefined ? 8 * 2 ** 30 : undefined),
          storage: opts.memory === true ? 'memory' : 'file',
          path: typeof opts.file === 'string' ? opts.file : undefined,
          thin: opts.thin === true,
        },
      ],
    },
  };
}

/** `ironic-ilo iscsi-target`: an iSCSI target in this process, until SIGINT or SIGTERM. */
export function registerIscsiTarget(program: Command): void {
  const cmd = program
    .command('iscsi-target')
    .description(
      'serve a disk over iSCSI (the deploy ramdisk’s side, without tgt or root) until SIGINT or SIGTERM; ' +
        'prints one JSON line: {"address","port","iqn","lun","url","sizeBytes","path"}',
    )
    .requiredOption('--iqn <iqn>', 'target name')
    .option('--lun <n>', 'logical unit number', '1')
    .option('--size <size>', 'LUN size: 8G, 512M, 3T… (default 8G, or the size of --file)')
    .option('--file <path>', 'backing file: used as is if it exists, else created sparse; kept')
    .option('--memory', 'keep the LUN in memory (sparse) instead of a temp file', false)
    .option('--block-size <bytes>', '512 or 4096', '512')
    .option('--thin', 'thin provisioning: UNMAP and WRITE SAME with UNMAP deallocate', false)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port (0: an ephemeral one, printed)', '0')
    .option(
      '--chap-username <user>',
      'require CHAP; the secret comes from ISCSI_CHAP_SECRET or --chap-secret-file',
    )
    .option('--chap-secret-file <file>', 'read the CHAP secret from this file')
    .option('--tgt-defaults', 'negotiate as tgt does (8 KiB segments, InitialR2T=Yes)', false)
    .option('--verbose', 'log sessions and refused logins to stderr', false);
  withExamples(
    cmd,
    'ironic-ilo iscsi-target --iqn iqn.2008-10.org.openstack:node-1 --size 8G --thin',
    'ISCSI_CHAP_SECRET=… ironic-ilo iscsi-target --iqn iqn.2008-10.org.openstack:node-1 --memory --chap-username ironic',
  ).action(async (opts: Record<string, unknown>) => {
    const input = iscsiTargetInput(opts);
    const stopped = untilInterrupted();
    const sim = await IscsiTargetSimulator.start({
      host: input.host,
      port: input.port,
      targets: [input.target],
      logger: opts.verbose === true ? consoleLogger('info') : noopLogger,
    });
    try {
      const lun = sim.targets[0]!.luns[0]!;
      printResult(
        {
          address: sim.iscsiTarget(input.target.iqn, lun.lun).address,
          port: sim.port,
          iqn: input.target.iqn,
          lun: lun.lun,
          url: sim.url(input.target.iqn, lun.lun),
          sizeBytes: lun.sizeBytes,
          path: lun.path ?? null,
        },
        true,
      );
      await stopped;
    } finally {
      await sim.close();
    }
  });
}
