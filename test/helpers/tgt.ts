import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findCommand } from './peers.js';

const run = promisify(execFile);

/** A LUN of a test target: a sparse backing file of `sizeBytes`. */
export interface TgtLunSpec {
  lun: number;
  sizeBytes: number;
  blockSize?: 512 | 4096;
  /** Thin provisioning: READ CAPACITY(16) reports LBPME and LBPRZ; WRITE SAME with UNMAP punches holes. */
  thin?: boolean;
}

/** A target to create. */
export interface TgtTargetSpec {
  iqn: string;
  luns: TgtLunSpec[];
  /** Incoming CHAP account the initiator must log in with. */
  chap?: { username: string; secret: string };
  /** Outgoing account the target proves itself with (mutual CHAP). */
  mutualChap?: { username: string; secret: string };
}

/** A running tgtd on 127.0.0.1. */
export interface Tgt {
  host: string;
  port: number;
  /** tgtd's process id (to pause it with SIGSTOP). */
  pid: number;
  /** Backing file of a LUN. */
  backing(iqn: string, lun: number): string;
  /** Sessions (I_T nexuses) the target currently holds. */
  sessions(): Promise<number>;
  /** Changes a target's iSCSI parameters (applied to sessions logged in afterwards). */
  setParams(iqn: string, params: Record<string, string>): Promise<void>;
  /** SIGKILL: the target disappears without a word. */
  kill(): void;
  /** Deletes the targets, stops tgtd and removes the backing files. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

/**
 * Starts tgtd in the foreground on 127.0.0.1 with its own random control port (so that a tgtd
 * left over from a crashed run, or another suite's, never answers our tgtadm), creates the
 * targets with sparse backing files in a temp dir, and hands back a handle that stops it.
 */
export async function startTgt(targets: readonly TgtTargetSpec[]): Promise<Tgt> {
  const tgtd = findCommand('tgtd');
  const tgtadm = findCommand('tgtadm');
  if (!tgtd || !tgtadm) throw new Error('tgtd/tgtadm not installed');
  const dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-tgt-'));
  let child: ChildProcess | undefined;
  let control = 0;
  let port = 0;
  let log = '';
  for (let attempt = 0; attempt < 5 && child === undefined; attempt++) {
    // tgtd accepts control ports up to 32767.
    control = 10000 + Math.floor(Math.random() * 22000);
    port = await freePort();
    const c = spawn(tgtd, ['-f', '-C', String(control), '--iscsi', `portal=127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    c.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    alive.add(c);
    c.once('exit', () => alive.delete(c));
    if (await ready(tgtadm, control, port, c)) child = c;
    else c.kill('SIGKILL');
  }
  if (!child) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`tgtd did not start: ${log}`);
  }
  const adm = (...args: string[]) => run(tgtadm, ['-C', String(control), '--lld', 'iscsi', ...args]);
  const files = new Map<string, string>();
  let tid = 0;
  try {
    await setUp();
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  async function setUp(): Promise<void> {
    for (const t of targets) {
      tid++;
      await adm('--mode', 'target', '--op', 'new', '--tid', String(tid), '--targetname', t.iqn);
      for (const l of t.luns) {
        const file = join(dir, `t${tid}-lun${l.lun}.img`);
        writeFileSync(file, '');
        truncateSync(file, l.sizeBytes);
        files.set(`${t.iqn}/${l.lun}`, file);
        const bs = l.blockSize ? ['--blocksize', String(l.blockSize)] : [];
        await adm(
          '--mode',
          'logicalunit',
          '--op',
          'new',
          '--tid',
          String(tid),
          '--lun',
          String(l.lun),
          '--backing-store',
          file,
          ...bs,
        );
        if (l.thin) {
          const lu = ['--tid', String(tid), '--lun', String(l.lun)];
          await adm('--mode', 'logicalunit', '--op', 'update', ...lu, '--params', 'thin_provisioning=1');
        }
      }
      await adm('--mode', 'target', '--op', 'bind', '--tid', String(tid), '--initiator-address', 'ALL');
      if (t.chap) {
        await adm('--mode', 'account', '--op', 'new', '--user', t.chap.username, '--password', t.chap.secret);
        await adm('--mode', 'account', '--op', 'bind', '--tid', String(tid), '--user', t.chap.username);
      }
      if (t.mutualChap) {
        const m = t.mutualChap;
        await adm('--mode', 'account', '--op', 'new', '--user', m.username, '--password', m.secret);
        await adm(
          '--mode',
          'account',
          '--op',
          'bind',
          '--tid',
          String(tid),
          '--user',
          m.username,
          '--outgoing',
        );
      }
    }
  }
  const proc = child;
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  return {
    host: '127.0.0.1',
    port,
    pid: proc.pid ?? -1,
    backing(iqn, lun) {
      const f = files.get(`${iqn}/${lun}`);
      if (!f) throw new Error(`no LUN ${iqn}/${lun}`);
      return f;
    },
    async sessions() {
      const { stdout } = await adm('--mode', 'target', '--op', 'show');
      return (stdout.match(/^\s+I_T nexus: \d+/gm) ?? []).length;
    },
    async setParams(iqn, params) {
      const t = targets.findIndex((x) => x.iqn === iqn) + 1;
      for (const [name, value] of Object.entries(params))
        await adm('--mode', 'target', '--op', 'update', '--tid', String(t), '--name', name, '--value', value);
    },
    kill() {
      proc.kill('SIGKILL');
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        // tgtd ignores SIGTERM while targets exist: delete them, then the system.
        for (let t = 1; t <= tid; t++)
          await adm('--mode', 'target', '--op', 'delete', '--force', '--tid', String(t)).catch(() => {});
        await adm('--mode', 'system', '--op', 'delete').catch(() => {});
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function ready(tgtadm: string, control: number, port: number, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) return false;
    try {
      await run(tgtadm, ['-C', String(control), '--mode', 'sys', '--op', 'show']);
      // Our portal must answer too: a stray tgtd owning the same control port would not.
      await new Promise<void>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port }, () => {
          s.destroy();
          resolve();
        });
        s.once('error', reject);
      });
      return child.exitCode === null;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return false;
}
