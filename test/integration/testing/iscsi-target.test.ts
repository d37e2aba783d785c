import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidParameterValue,
  IscsiConnectionError,
  IscsiDiskWriter,
  IscsiLun,
  IscsiSession,
} from '../../../src/index.js';
import { IscsiTargetSimulator, TGT_NEGOTIATION } from '../../../src/testing/index.js';
import { rawDiskImage, sha256 } from '../../helpers/disk-tools.js';
import { cdb, senseOf } from '../../helpers/scsi.js';

const IQN = 'iqn.2026-01.test.ironic-ilo:sim';
const TGT_IQN = 'iqn.2026-01.test.ironic-ilo:sim-tgt-defaults';
const BIG_IQN = 'iqn.2026-01.test.ironic-ilo:sim-big';
const MIB = 1 << 20;
const TIB = 2 ** 40;

let sim: IscsiTargetSimulator;
let dir: string;
let image: { path: string; signature: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ironic-ilo-simtest-'));
  image = await rawDiskImage(dir, 24 * MIB + 4096);
  sim = await IscsiTargetSimulator.start({
    tempDirectory: dir,
    targets: [
      {
        iqn: IQN,
        luns: [
          { lun: 1, sizeBytes: 64 * MIB },
          { lun: 2, sizeBytes: 64 * MIB, storage: 'memory' },
          { lun: 3, sizeBytes: 16 * MIB, blockSize: 4096 },
          { lun: 4, sizeBytes: 8 * MIB, readOnly: true, storage: 'memory' },
        ],
      },
      { iqn: TGT_IQN, luns: [{ sizeBytes: 64 * MIB }], negotiation: TGT_NEGOTIATION },
      {
        iqn: BIG_IQN,
        luns: [
          { lun: 1, sizeBytes: 3 * TIB, thin: true },
          { lun: 2, sizeBytes: 4 * TIB, storage: 'memory', thin: true },
        ],
      },
    ],
  });
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const open = (iqn: string, lun = 1) =>
  IscsiLun.open({ host: sim.host, port: sim.port, targetName: iqn, lun });

describe('IscsiDiskWriter against the simulated target', () => {
  it('writes a raw whole-disk image into a file LUN byte for byte, and logs out', async () => {
    const result = await new IscsiDiskWriter().write(sim.iscsiTarget(IQN, 1), {
      image: { path: image.path },
    });
    const lun = sim.lun(IQN, 1);
    expect(await sha256(lun.path!, 0, 24 * MIB + 4096)).toBe(await sha256(image.path));
    expect(result).toMatchObject({ diskIdentifier: image.signature, imageFormat: 'raw' });
    expect(lun.bytesWritten).toBe(result.bytesWritten);
    expect(sim.stats.commands['WRITE(16)']).toBeGreaterThan(0);
    expect(sim.stats.commands['SYNCHRONIZE CACHE(16)']).toBe(1);
    expect(sim.sessions).toEqual([]);
  });

  it('writes the same image into a memory LUN, with tgt’s negotiation (R2T-solicited data, 8 KiB segments)', async () => {
    for (const target of [sim.iscsiTarget(IQN, 2), sim.iscsiTarget(TGT_IQN, 1)]) {
      await new IscsiDiskWriter().write(target, { image: { path: image.path } });
      const written = await sim.lun(target.iqn, target.lun).read(0, 24 * MIB + 4096);
      const { createHash } = await import('node:crypto');
      expect(createHash('sha256').update(written).digest('hex')).toBe(await sha256(image.path));
    }
    expect(sim.stats.commands['WRITE SAME(16)']).toBeGreaterThan(0); // the zero runs
  });

  it('keeps several commands in flight, within the CmdSN window', async () => {
    expect(sim.stats.maxCommandsInFlight).toBeGreaterThan(1);
    expect(sim.stats.maxCommandsInFlight).toBeLessThanOrEqual(32);
  });
});

describe('negotiation', () => {
  it('answers each key by its rule and both sides agree on the result', async () => {
    const session = await IscsiSession.open({
      host: sim.host,
      port: sim.port,
      targetName: TGT_IQN,
      proposal: { maxRecvDataSegmentLength: 65536, maxBurstLength: 1 << 20, maxOutstandingR2T: 8 },
    });
    try {
      const [seen] = sim.sessions;
      // tgt's limits win where they are lower; InitialR2T is OR-ed to Yes.
      expect(session.parameters).toMatchObject({
        maxXmitDataSegmentLength: 8192,
        maxRecvDataSegmentLength: 65536,
        maxBurstLength: 262144,
        firstBurstLength: 65536,
        initialR2T: true,
        immediateData: true,
        maxOutstandingR2T: 1,
        errorRecoveryLevel: 0,
      });
      expect(seen?.parameters).toMatchObject({
        maxRecvDataSegmentLength: 8192,
        maxXmitDataSegmentLength: 65536,
        maxBurstLength: 262144,
        firstBurstLength: 65536,
        initialR2T: true,
        maxOutstandingR2T: 1,
        maxConnections: 1,
      });
      expect(seen).toMatchObject({ type: 'normal', targetName: TGT_IQN, authMethod: 'None' });
    } finally {
      await session.logout();
    }
  });

  it('bounds the initiator by MaxCmdSN: never more commands outstanding than the window', async () => {
    const small = await IscsiTargetSimulator.start({
      targets: [
        { iqn: IQN, luns: [{ sizeBytes: 8 * MIB, storage: 'memory' }], negotiation: { commandWindow: 3 } },
      ],
    });
    const session = await IscsiSession.open({ host: small.host, port: small.port, targetName: IQN });
    try {
      const reads = Array.from({ length: 24 }, (_, i) =>
        session.execute({ lun: 1, cdb: cdb.read16(i * 128, 128), dataInLength: 128 * 512 }),
      );
      const results = await Promise.all(reads);
      expect(results.every((r) => r.status === 0 && r.data.length === 65536)).toBe(true);
      expect(small.stats.maxCommandsInFlight).toBe(3);
    } finally {
      await session.logout();
      await small.close();
    }
  });
});

describe('SCSI commands', () => {
  let session: IscsiSession;
  beforeAll(async () => {
    session = await IscsiSession.open({ host: sim.host, port: sim.port, targetName: IQN });
  });
  afterAll(() => session.logout());
  const run = (lun: number, c: ReturnType<typeof cdb.read16>, dataInLength?: number, dataOut?: Buffer) =>
    session.execute({ lun, cdb: c, dataInLength, dataOut });

  it('reports its LUNs and their capacity, 512- and 4096-byte blocks', async () => {
    const luns = await run(1, cdb.reportLuns(), 256);
    expect(luns.data.readUInt32BE(0)).toBe(32);
    expect([0, 1, 2, 3].map((i) => luns.data[8 + 8 * i + 1])).toEqual([1, 2, 3, 4]);
    const cap10 = await run(3, cdb.readCapacity10(), 8);
    expect([cap10.data.readUInt32BE(0), cap10.data.readUInt32BE(4)]).toEqual([(16 * MIB) / 4096 - 1, 4096]);
    const cap16 = await run(1, cdb.readCapacity16(), 32);
    expect(Number(cap16.data.readBigUInt64BE(0))).toBe((64 * MIB) / 512 - 1);
    expect(cap16.data[14]).toBe(0); // not thin
  });

  it('answers INQUIRY, its VPD pages, and peripheral qualifier 3 for a LUN that does not exist', async () => {
    const standard = await run(1, cdb.inquiry(96), 96);
    expect(standard.data.subarray(8, 32).toString('latin1')).toBe('IRONIC  SIMULATED DISK  ');
    expect(standard.data.length).toBe(74); // shorter than asked: underflow, not an error
    const pages = await run(1, cdb.inquiry(64, 0x00), 64);
    expect([...pages.data.subarray(4)]).toEqual([0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2]);
    const serial = await run(1, cdb.inquiry(64, 0x80), 64);
    expect(serial.data.subarray(4).toString('latin1')).toBe(sim.lun(IQN, 1).serial);
    const limits = await run(1, cdb.inquiry(64, 0xb0), 64);
    expect(limits.data.readUInt32BE(8)).toBe((32 * MIB) / 512); // MAXIMUM TRANSFER LENGTH
    const missing = await run(9, cdb.inquiry(36), 36);
    expect(missing.data[0]).toBe(0x7f);
    expect(senseOf(await run(9, cdb.testUnitReady()))).toEqual({ status: 2, key: 5, asc: 0x25, ascq: 0 });
  });

  it('refuses unknown opcodes, LBAs past the end and writes to a read-only LUN with the right sense', async () => {
    expect(senseOf(await run(1, { bytes: Buffer.from([0xc7, 0, 0, 0, 0, 0]), name: 'VENDOR' }))).toEqual({
      status: 2,
      key: 5,
      asc: 0x20,
      ascq: 0,
    });
    const past = await run(1, cdb.read16((64 * MIB) / 512 - 1, 2), 1024);
    expect(senseOf(past)).toEqual({ status: 2, key: 5, asc: 0x21, ascq: 0 });
    const readOnly = await run(4, cdb.write10(0, 1), undefined, Buffer.alloc(512, 1));
    expect(senseOf(readOnly)).toEqual({ status: 2, key: 7, asc: 0x27, ascq: 0 });
    const mode = await run(4, cdb.modeSense6(0x3f), 255);
    expect(mode.data[2]! & 0x80).toBe(0x80); // WP in the device-specific parameter
  });

  it('writes and reads with READ/WRITE(10) and (16), across many R2Ts', async () => {
    const data = Buffer.alloc(3 * MIB + 512);
    for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(i, i);
    expect((await run(1, cdb.write10(2048, data.length / 512), undefined, data)).status).toBe(0);
    const back = await run(1, cdb.read16(2048, data.length / 512), data.length);
    expect(back.data.equals(data)).toBe(true);
  });
});

describe('large sparse LUNs', () => {
  it('serves a 3 TiB file LUN sparsely: READ CAPACITY(10) says "use 16", writes past 2 TiB land', async () => {
    const lun = await open(BIG_IQN, 1);
    try {
      expect(lun.sizeBytes).toBe(3 * TIB);
      expect(lun.capacity).toMatchObject({ thinProvisioned: true, unmappedReadsZero: true });
      const cap10 = await lun.session.execute({ lun: 1, cdb: cdb.readCapacity10(), dataInLength: 8 });
      expect(cap10.data.readUInt32BE(0)).toBe(0xffffffff);
      const at = 2.5 * TIB;
      await lun.write(at, Buffer.alloc(MIB, 0x5a));
      expect((await lun.read(at, 4096)).every((b) => b === 0x5a)).toBe(true);
    } finally {
      await lun.close();
    }
    const file = sim.lun(BIG_IQN, 1).path!;
    expect(statSync(file).size).toBe(3 * TIB);
    expect(statSync(file).blocks * 512).toBeLessThan(64 * MIB);
  });

  it('deallocates on a thin memory LUN: WRITE SAME with UNMAP and UNMAP free what zeroes', async () => {
    const memory = sim.lun(BIG_IQN, 2);
    const lun = await open(BIG_IQN, 2);
    try {
      await lun.write(3.5 * TIB, Buffer.alloc(8 * MIB, 0x11));
      expect(memory.allocatedBytes).toBe(8 * MIB);
      await lun.writeZeroes(3.5 * TIB, 4 * MIB); // WRITE SAME(16) with UNMAP: the LUN says LBPRZ
      expect(memory.allocatedBytes).toBe(4 * MIB);
      const list = Buffer.alloc(24);
      list.writeUInt16BE(22, 0);
      list.writeUInt16BE(16, 2);
      list.writeBigUInt64BE(BigInt((3.5 * TIB + 4 * MIB) / 512), 8);
      list.writeUInt32BE((4 * MIB) / 512, 16);
      const unmap = await lun.session.execute({ lun: 2, cdb: cdb.unmap(list.length), dataOut: list });
      expect(unmap.status).toBe(0);
      expect(memory.allocatedBytes).toBe(0);
      expect((await lun.read(3.5 * TIB, MIB)).every((b) => b === 0)).toBe(true);
    } finally {
      await lun.close();
    }
  });
});

describe('lifecycle', () => {
  it('names every bad option at once, secrets never shown', async () => {
    const secret = 'CANARY-options-8c1f';
    const e = await IscsiTargetSimulator.start({
      port: 70000,
      negotiation: { maxBurstLength: 100 },
      targets: [
        {
          iqn: 'not-an-iqn',
          chap: { username: 'u', secret },
          mutualChap: { username: 't', secret },
          luns: [
            { lun: 1, sizeBytes: 1000 },
            { lun: 1, storage: 'memory', path: '/tmp/x' },
          ],
        },
      ],
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidParameterValue);
    expect((e as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
      'port',
      'negotiation.maxBurstLength',
      'targets[0].iqn',
      'targets[0].mutualChap.secret',
      'targets[0].luns[0].sizeBytes',
      'targets[0].luns[1].path',
      'targets[0].luns[1].lun',
    ]);
    expect(JSON.stringify(e) + String(e)).not.toContain(secret);
  });

  it('names a backing file it cannot create, and leaves nothing behind', async () => {
    const e = await sim
      .addTarget({
        iqn: 'iqn.2026-01.test.ironic-ilo:nowhere',
        luns: [{ path: join(dir, 'no/such/dir/disk.img'), sizeBytes: MIB }],
      })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidParameterValue);
    expect((e as InvalidParameterValue).fields).toEqual([
      { field: 'target.luns[0].path', problem: 'cannot be created or opened (ENOENT)' },
    ]);
    expect(sim.targets.map((t) => t.iqn)).not.toContain('iqn.2026-01.test.ironic-ilo:nowhere');
  });

  it('uses an existing backing file as it is, adds and removes targets, and leaves the file', async () => {
    const file = join(dir, 'agent-disk.img');
    writeFileSync(file, Buffer.alloc(MIB, 0x77));
    const iqn = 'iqn.2008-10.org.openstack:agent-node';
    const target = await sim.addTarget({ iqn, luns: [{ lun: 1, path: file }] });
    expect(target.lun(1).sizeBytes).toBe(MIB);
    const lun = await open(iqn);
    expect((await lun.read(0, 512)).every((b) => b === 0x77)).toBe(true);
    await sim.removeTarget(iqn);
    await expect(lun.read(0, 512)).rejects.toBeInstanceOf(IscsiConnectionError);
    await lun.close();
    expect(existsSync(file)).toBe(true);
    expect(() => sim.target(iqn)).toThrow(RangeError);
  });

  it('close() ends live sessions and removes its temp files; nothing is left', async () => {
    const own = mkdtempSync(join(tmpdir(), 'ironic-ilo-simclose-'));
    const s = await IscsiTargetSimulator.start({ tempDirectory: own, targets: [{ iqn: IQN }] });
    expect(s.lun(IQN).sizeBytes).toBe(8 * 2 ** 30); // the default LUN 1, sparse
    const live = await IscsiLun.open({ host: s.host, port: s.port, targetName: IQN });
    await s.close();
    await expect(live.read(0, 512)).rejects.toBeInstanceOf(IscsiConnectionError);
    await live.close();
    expect(readdirSync(own)).toEqual([]);
    rmSync(own, { recursive: true, force: true });
    await s.close(); // idempotent
  });

  it('start() honours an aborted signal and leaves nothing behind', async () => {
    const own = mkdtempSync(join(tmpdir(), 'ironic-ilo-simabort-'));
    const reason = new Error('stop');
    const e = await IscsiTargetSimulator.start({
      tempDirectory: own,
      targets: [{ iqn: IQN }],
      signal: AbortSignal.abort(reason),
    }).catch((x: unknown) => x);
    expect(e).toBe(reason);
    expect(readdirSync(own)).toEqual([]);
    rmSync(own, { recursive: true, force: true });
  });
});
