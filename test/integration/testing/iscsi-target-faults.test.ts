import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DiskTooSmall,
  IscsiConnectionError,
  IscsiDiskWriter,
  IscsiSession,
  IscsiTimeout,
  ScsiCommandFailed,
} from '../../../src/index.js';
import { IscsiTargetSimulator } from '../../../src/testing/index.js';
import { rawDiskImage } from '../../helpers/disk-tools.js';
import { cdb } from '../../helpers/scsi.js';

const IQN = 'iqn.2026-01.test.ironic-ilo:faults-sim';
const MIB = 1 << 20;

let sim: IscsiTargetSimulator;
let dir: string;
let image: { path: string; signature: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-simfaults-'));
  image = await rawDiskImage(dir, 32 * MIB);
  sim = await IscsiTargetSimulator.start({
    tempDirectory: dir,
    nopInIntervalMs: 40,
    targets: [{ iqn: IQN, luns: [{ sizeBytes: 64 * MIB }] }],
  });
});
afterEach(() => sim.faults.clear());
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (options: ConstructorParameters<typeof IscsiDiskWriter>[0] = {}, signal?: AbortSignal) =>
  new IscsiDiskWriter({ queueDepth: 4, ...options })
    .write(sim.iscsiTarget(IQN), { image: { path: image.path } }, { signal })
    .catch((e: unknown) => e);

describe('faults of the simulated target, as the initiator meets them', () => {
  it('drops the connection after some commands: IscsiConnectionError', async () => {
    sim.faults.dropConnection({ afterCommands: 10 });
    const before = sim.stats.commands['WRITE(16)'] ?? 0;
    const e = await write();
    expect(e).toBeInstanceOf(IscsiConnectionError);
    expect((sim.stats.commands['WRITE(16)'] ?? 0) - before).toBeLessThan(10);
    expect(sim.sessions).toEqual([]);
  });

  it('drops the connection after some bytes: IscsiConnectionError, the write cut short', async () => {
    const lun = sim.lun(IQN);
    const before = lun.bytesWritten;
    sim.faults.dropConnection({ afterBytesWritten: 8 * MIB });
    expect(await write()).toBeInstanceOf(IscsiConnectionError);
    const written = lun.bytesWritten - before;
    expect(written).toBeGreaterThanOrEqual(8 * MIB);
    expect(written).toBeLessThan(16 * MIB);
  });

  it('stops answering mid-write: IscsiTimeout (command), and answers again once released', async () => {
    const stall = sim.faults.stall({ afterCommands: 5 });
    const e = await write({ commandTimeoutMs: 800 });
    expect(e).toBeInstanceOf(IscsiTimeout);
    expect((e as IscsiTimeout).kind).toBe('command');
    expect(stall.fired).toBe(true);
    stall.release();
    expect(await write()).toMatchObject({ diskIdentifier: image.signature });
  });

  it('stops answering a login: IscsiTimeout (login)', async () => {
    const stall = sim.faults.stall({ at: 'login' });
    const e = await IscsiSession.open({
      host: sim.host,
      port: sim.port,
      targetName: IQN,
      loginTimeoutMs: 500,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IscsiTimeout);
    expect((e as IscsiTimeout).kind).toBe('login');
    stall.release();
  });

  it('fails a command with the sense asked for: ScsiCommandFailed with that sense', async () => {
    sim.faults.failCommands({ command: 'WRITE', senseKey: 0x3, asc: 0x0c, ascq: 0x00 });
    const e = await write();
    expect(e).toBeInstanceOf(ScsiCommandFailed);
    expect(e).toMatchObject({ command: 'WRITE(16)', status: 2, senseKey: 3, asc: 0x0c, ascq: 0 });
    expect((e as Error).message).toContain('MEDIUM ERROR: write error');
  });

  it('reports a smaller capacity: DiskTooSmall before anything is written; clear() restores it', async () => {
    const lun = sim.lun(IQN);
    sim.faults.reportCapacity({ targetName: IQN, sizeBytes: 16 * MIB });
    const before = lun.bytesWritten;
    const e = await write();
    expect(e).toBeInstanceOf(DiskTooSmall);
    expect(e).toMatchObject({ requiredBytes: 32 * MIB, availableBytes: 16 * MIB });
    expect(lun.bytesWritten).toBe(before);
    sim.faults.clear();
    expect(lun.reportedSizeBytes).toBe(64 * MIB);
  });

  it('a cancelled write logs out: no session is left on the target', async () => {
    const controller = new AbortController();
    const writer = new IscsiDiskWriter();
    const e = await writer
      .write(
        sim.iscsiTarget(IQN),
        { image: { path: image.path } },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.doneBytes >= 4 * MIB) controller.abort(new Error('operator cancelled'));
          },
        },
      )
      .catch((x: unknown) => x);
    expect((e as Error).message).toBe('operator cancelled');
    expect(sim.sessions).toEqual([]);
  });

  it('pings idle sessions with NOP-In; the initiator answers, so the session lives on', async () => {
    const session = await IscsiSession.open({ host: sim.host, port: sim.port, targetName: IQN });
    try {
      await sleep(300); // several ping intervals, each answered
      const r = await session.execute({ lun: 1, cdb: cdb.testUnitReady() });
      expect(r.status).toBe(0);
    } finally {
      await session.logout();
    }
  });
});
