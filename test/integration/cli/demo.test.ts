/**
 * `ironic-ilo demo`: run in this process and as a child process, with nothing installed beyond
 * `npm install`. The events follow the seeds' sequence diagrams phase by phase, the summary says
 * what was deployed, no secret is printed, and nothing is left behind (temporary directory,
 * listening sockets), also when a phase fails or the demo is interrupted.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoEvent, DemoPhase, DemoSummaryEvent } from '../../../src/cli/demo/events.js';
import { jsonSink } from '../../../src/cli/demo/render.js';
import { runDemo } from '../../../src/cli/demo/scenario.js';
import type { DemoWorld } from '../../../src/cli/demo/world.js';
import { describeFailure } from '../../../src/cli/program.js';
import { isIronicIloError } from '../../../src/index.js';
import { jsonLines, runCaptured } from '../../helpers/cli.js';

const ROOT = resolve(__dirname, '../../..');
const PHASES: DemoPhase[] = [
  'setup',
  'inspection',
  'cleaning',
  'agent_ilo deploy',
  'agent_ilo tear-down',
  'iscsi_ilo deploy',
  'iscsi_ilo tear-down',
];

/** The seeds' sequence, per phase: these steps appear in this order (others may come between). */
const SEQUENCES: Partial<Record<DemoPhase, RegExp[]>> = {
  inspection: [
    /manageable → inspecting/,
    /iLO: Powers the server on/,
    /iLO: Powers the server off/,
    /inspecting → manageable/,
  ],
  cleaning: [
    /reset_ilo_credential \(priority 30/,
    /iLO: Changes the password/,
    /reset_secure_boot_keys_to_default \(priority 20/,
    /iLO: Resets the secure boot keys/,
    /reset_bios_to_default \(priority 10/,
    /iLO: Writes \d+ BIOS settings/,
    /cleaning → available/,
  ],
  'agent_ilo deploy': [
    /available → deploying/,
    /ImageStore: Publishes image-[0-9a-f-]+-\*\*\* \(.*unguessable name/,
    /iLO: Attaches the FAT floppy image URL as virtual media floppy/,
    /iLO: Attaches the deploy ISO URL as virtual media CD/,
    /iLO: Sets a one-time boot from CD/,
    /iLO: Powers the server on/,
    /Server: Boots from the virtual CD in UEFI mode: the deploy ISO/,
    /Ramdisk → Conductor: Looks its node up by MAC/,
    /Ramdisk: Runs standby.prepare_image/,
    /Heartbeat: deploy-started/,
    /Ramdisk: Runs image.install_bootloader/,
    /ImageStore: Removes image-/,
    /iLO: Ejects the virtual floppy/,
    /iLO: Ejects the virtual CD/,
    /iLO: Sets the boot device to disk, persistent/,
    /Ramdisk: Runs standby.power_off/,
    /iLO: Powers the server on/,
    /Server: Boots from its disk in UEFI mode/,
    /deploying → active/,
  ],
  'agent_ilo tear-down': [/active → deleting/, /iLO: Powers the server off/, /cleaning → available/],
  'iscsi_ilo deploy': [
    /available → deploying/,
    /ImageStore: Publishes image-/,
    /iLO: Attaches the FAT floppy image URL as virtual media floppy/,
    /iLO: Attaches the deploy ISO URL as virtual media CD/,
    /iLO: Sets a one-time boot from CD/,
    /iLO: Powers the server on/,
    /Ramdisk: Exposes its disk over iSCSI/,
    /Ramdisk → Conductor: Calls pass_deploy_info/,
    /Ramdisk: Logs in to iqn\.2008-10\.org\.openstack:.* writes the partition image over iSCSI/,
    /reads back the root file system's UUID/,
    /ImageStore: Removes image-/,
    /ImageStore: Publishes boot-[0-9a-f]{64}/,
    /iLO: Attaches the instance boot ISO URL as virtual media CD/,
    /iLO: Sets the boot device to CD, persistent/,
    /iLO: Powers the server off/,
    /iLO: Powers the server on/,
    /Server: Boots from the virtual CD in UEFI mode: the instance boot ISO/,
    /deploying → active/,
  ],
  'iscsi_ilo tear-down': [
    /active → deleting/,
    /iLO: Powers the server off/,
    /iLO: Ejects the virtual CD/,
    /ImageStore: Releases the shared boot-/,
    /ImageStore: Removes boot-.*last holder/,
    /cleaning → available/,
  ],
};

/** One line per event, as the sequence diagrams read. */
function lineOf(e: Record<string, unknown>): string {
  if (e.type === 'step') return e.from === e.to ? `${e.from}: ${e.text}` : `${e.from} → ${e.to}: ${e.text}`;
  if (e.type === 'state') return `${e.from} → ${e.to}`;
  return String(e.type);
}

function checkEvents(events: Array<Record<string, unknown>>): DemoSummaryEvent {
  expect(events.filter((e) => e.type === 'phase').map((e) => e.phase)).toEqual(PHASES);
  for (const [phase, sequence] of Object.entries(SEQUENCES)) {
    const lines = events.filter((e) => e.phase === phase).map(lineOf);
    let at = 0;
    for (const step of sequence) {
      const found = lines.findIndex((l, i) => i >= at && step.test(l));
      expect(found, `${phase}: ${step} after line ${at} of\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  }
  const times = events.map((e) => e.atMs as number);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  const summary = events.at(-1) as unknown as DemoSummaryEvent;
  expect(summary.type).toBe('summary');
  expect(summary).toMatchObject({
    ok: true,
    model: 'ProLiant DL380 Gen9',
    cleanSteps: ['reset_ilo_credential', 'reset_secure_boot_keys_to_default', 'reset_bios_to_default'],
    leftInStore: [],
    temporaryDirectoryRemoved: true,
  });
  const [agent, iscsi] = summary.deployments;
  expect(agent).toMatchObject({ driver: 'agent_ilo', bootOption: 'local', bootMode: 'UEFI' });
  expect(iscsi).toMatchObject({ driver: 'iscsi_ilo', bootOption: 'netboot', bootMode: 'UEFI' });
  expect(agent?.rootUuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(iscsi?.rootUuid).toBe(agent?.rootUuid);
  expect(iscsi?.bootIso).toMatch(/\/httpboot\/boot-[0-9a-f]{64}$/);
  expect(summary.published).toHaveLength(3);
  expect([...summary.removed].sort()).toEqual([...summary.published].sort());
  expect(summary.properties).toMatchObject({ memory_mb: '262144', cpu_arch: 'x86_64' });
  return summary;
}

/** What is left in the temporary directory, but the compile cache tsx keeps there (`tsx-<uid>`). */
const leftIn = (dir: string) => readdirSync(dir).filter((name) => !/^tsx-\d+$/.test(name));

/** Whether something still accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** The ports the demo's servers listened on, read from its events (web server, iLO). */
function portsIn(text: string): number[] {
  return [...new Set([...text.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])))].filter(
    (p) => p !== 3260 && p !== 6385,
  );
}

describe('ironic-ilo demo', () => {
  let temp: string;
  const savedTmp = process.env.TMPDIR;
  beforeAll(() => {
    // Every temporary file of the demo goes here: what is left after a run is the demo's.
    temp = mkdtempSync(join(tmpdir(), 'demo-test-'));
    process.env.TMPDIR = temp;
  });
  afterAll(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    rmSync(temp, { recursive: true, force: true });
  });

  it('runs every phase in the order of the seeds’ diagrams, prints no secret and leaves nothing behind', async () => {
    const secrets = new Set<string>();
    const events: DemoEvent[] = [];
    const summary = await runDemo({
      sink: { event: (e) => events.push(e), progress: () => {} },
      beforePhase: (_phase, w: DemoWorld) => {
        secrets.add(w.ilo.password); // the original one, then the one reset_ilo_credential set
        for (const task of w.conductor.tasks()) {
          secrets.add(String(task.node.driverInfo.ilo_password));
          secrets.add(String(task.node.driverInfo.ilo_change_password ?? ''));
        }
        for (const key of ['ipa-agent-token', 'deployment_key']) secrets.add(w.agent.parameters?.[key] ?? '');
      },
    });
    secrets.delete('');
    secrets.delete('undefined');
    expect(secrets.size).toBeGreaterThanOrEqual(4); // two passwords, an agent token, a deploy key
    checkEvents(events as unknown as Array<Record<string, unknown>>);
    expect(summary.type).toBe('summary');
    const text = JSON.stringify(events);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/image-[0-9a-f-]{36}-[A-Za-z0-9_-]{22}/); // the floppy's unguessable suffix
    expect(leftIn(temp)).toEqual([]);
    for (const port of portsIn(text)) expect(await listening(port), `port ${port}`).toBe(false);
  });

  it('runs as `ironic-ilo demo --json` in a child process: JSON lines, exit 0, nothing left', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'demo', '--json'],
      { cwd: ROOT, timeout: 120_000, env: { ...process.env, TMPDIR: temp } },
    );
    expect(stderr).toBe('');
    checkEvents(jsonLines(stdout));
    expect(leftIn(temp)).toEqual([]);
    for (const port of portsIn(stdout)) expect(await listening(port), `port ${port}`).toBe(false);
  });

  it('prints a readable timeline without --json (no progress line when stdout is not a TTY)', async () => {
    const run = await runCaptured(['demo']);
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    expect(run.out).toMatch(
      /^ +\d+\.\d{3}s {2}Conductor → iLO: Attaches the FAT floppy image URL as virtual media floppy$/m,
    );
    expect(run.out).toMatch(/^Done in \d+\.\d s\.$/m);
    expect(run.out).toMatch(/Left behind +nothing: the store is empty/);
    expect(run.out).not.toContain('\r');
    expect(leftIn(temp)).toEqual([]);
  });

  it('fails with a typed error, exit code 1 and one line when a phase fails, and still cleans up', async () => {
    const failed = await runDemo({
      sink: jsonSink({ write: () => true } as unknown as NodeJS.WritableStream),
      beforePhase: (phase, w) => {
        if (phase === 'iscsi_ilo deploy')
          w.ilo.faults.failNext(1, { command: 'VirtualMedia/2', message: 'Media busy' });
      },
    }).catch((e: unknown) => e);
    expect(isIronicIloError(failed)).toBe(true);
    const { code, text } = describeFailure(failed, false);
    expect(code).toBe(1);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toContain('Media busy');
    expect(leftIn(temp)).toEqual([]);
  });

  it('stops when interrupted, tearing everything down', async () => {
    const controller = new AbortController();
    const stopped = await runDemo({
      sink: { event: () => {}, progress: () => {} },
      signal: controller.signal,
      beforePhase: (phase) => {
        if (phase === 'agent_ilo deploy') controller.abort(new Error('interrupted by SIGINT'));
      },
    }).catch((e: unknown) => e);
    expect((stopped as Error).message).toBe('interrupted by SIGINT');
    expect(leftIn(temp)).toEqual([]);
  });

  it('exits 130 on SIGINT in a child process, with everything torn down', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'demo', '--json'],
      {
        cwd: ROOT,
        env: { ...process.env, TMPDIR: temp },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    for await (const line of createInterface({ input: child.stdout })) {
      out += `${line}\n`;
      // Interrupt in the middle of the first deploy, with media attached and images published.
      if (/Attaches the deploy ISO URL/.test(line)) {
        child.kill('SIGINT');
        break;
      }
    }
    child.stdout.resume();
    expect(await exited).toBe(130);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(leftIn(temp)).toEqual([]);
    for (const port of portsIn(out)) expect(await listening(port), `port ${port}`).toBe(false);
  });
});
