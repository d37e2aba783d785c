import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ChapCredentials,
  InvalidParameterValue,
  IscsiConnectionError,
  IscsiLoginFailed,
  IscsiLun,
  IscsiSession,
  type Logger,
  ScsiCommandFailed,
} from '../../../src/index.js';
import { describeWithPeers } from '../../helpers/peers.js';
import { startTgt, type Tgt } from '../../helpers/tgt.js';

const withTgt = describeWithPeers('tgt', { commands: ['tgtd', 'tgtadm'] });

const IQN = 'iqn.2026-01.test.ironic-ilo:initiator';
const CHAP_IQN = 'iqn.2026-01.test.ironic-ilo:chap';
const MUTUAL_IQN = 'iqn.2026-01.test.ironic-ilo:mutual';
const BIG_IQN = 'iqn.2026-01.test.ironic-ilo:big';
const CANARY = 'CANARY-chap-secret-5d1e9a';
const chap: ChapCredentials = { username: 'ironic', secret: CANARY };
const mutual: ChapCredentials = {
  username: 'ironic2',
  secret: 'CANARY-initiator-2-b7c1',
  mutual: { username: 'target2', secret: 'CANARY-target-2-e4f0' },
};
const TIB = 2 ** 40;

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

withTgt('iSCSI initiator against a real tgt', () => {
  let tgt: Tgt;
  const open = (targetName: string, extra: Partial<Parameters<typeof IscsiLun.open>[0]> = {}) =>
    IscsiLun.open({ host: tgt.host, port: tgt.port, targetName, ...extra });

  beforeAll(async () => {
    tgt = await startTgt([
      {
        iqn: IQN,
        luns: [
          { lun: 1, sizeBytes: 64 << 20 },
          { lun: 2, sizeBytes: 16 << 20, blockSize: 4096 },
        ],
      },
      { iqn: CHAP_IQN, luns: [{ lun: 1, sizeBytes: 8 << 20 }], chap: { username: 'ironic', secret: CANARY } },
      {
        iqn: MUTUAL_IQN,
        luns: [{ lun: 1, sizeBytes: 8 << 20 }],
        chap: { username: 'ironic2', secret: 'CANARY-initiator-2-b7c1' },
        mutualChap: { username: 'target2', secret: 'CANARY-target-2-e4f0' },
      },
      { iqn: BIG_IQN, luns: [{ lun: 1, sizeBytes: 3 * TIB }] },
    ]);
  });
  afterAll(async () => {
    await tgt?.stop();
  });

  it('logs in with tgt’s negotiation defaults and reads what the LUN is', async () => {
    const lun = await open(IQN);
    try {
      expect(lun.inquiry).toMatchObject({ deviceType: 0, vendor: 'IET', product: 'VIRTUAL-DISK' });
      expect(lun.sizeBytes).toBe(64 << 20);
      expect(lun.blockSize).toBe(512);
      // tgt's defaults: 8 KiB segments towards the target, InitialR2T=Yes, 256 KiB bursts.
      expect(lun.session.parameters).toMatchObject({
        maxXmitDataSegmentLength: 8192,
        initialR2T: true,
        immediateData: true,
        maxBurstLength: 262144,
        firstBurstLength: 65536,
        errorRecoveryLevel: 0,
      });
      expect(await tgt.sessions()).toBe(1);
    } finally {
      await lun.close();
    }
    expect(await tgt.sessions()).toBe(0);
  });

  it('writes with immediate data and R2T sequences, many commands in flight, and reads back', async () => {
    const lun = await open(IQN, { maxTransferBytes: 1 << 20 });
    try {
      const data = Buffer.alloc(8 << 20);
      for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
      // Unaligned chunk sizes make R2T offsets and the last Data-Out of each burst short.
      const writes = [];
      for (let at = 0; at < data.length; at += 3 * 4096 * 17)
        writes.push(lun.write(at, data.subarray(at, Math.min(data.length, at + 3 * 4096 * 17))));
      await Promise.all(writes);
      expect(lun.session.outstanding).toBe(0);
      expect((await lun.read(0, data.length)).equals(data)).toBe(true);
      await lun.writeZeroes(512, 4096 * 100);
      const back = await lun.read(0, 4096 * 101);
      expect(back.subarray(512, 512 + 4096 * 100).every((b) => b === 0)).toBe(true);
      expect(back.subarray(0, 512).equals(data.subarray(0, 512))).toBe(true);
      await lun.flush();
    } finally {
      await lun.close();
    }
  });

  it('negotiates what it is asked to propose (no immediate data, small segments both ways)', async () => {
    const lun = await open(IQN, {
      lun: 1,
      proposal: { immediateData: false, maxRecvDataSegmentLength: 4096, maxBurstLength: 65536 },
      maxTransferBytes: 256 << 10,
    });
    try {
      expect(lun.session.parameters).toMatchObject({
        immediateData: false,
        maxRecvDataSegmentLength: 4096,
        maxBurstLength: 65536,
      });
      const data = Buffer.alloc(256 << 10, 0x5a);
      await lun.write(1 << 20, data);
      expect((await lun.read(1 << 20, data.length)).equals(data)).toBe(true);
    } finally {
      await lun.close();
    }
  });

  it('drives a 4096-byte-block LUN', async () => {
    const lun = await open(IQN, { lun: 2 });
    try {
      expect(lun.blockSize).toBe(4096);
      await expect(lun.write(512, Buffer.alloc(512))).rejects.toThrow(InvalidParameterValue);
      await lun.write(4096, Buffer.alloc(8192, 7));
      expect((await lun.read(4096, 8192)).every((b) => b === 7)).toBe(true);
    } finally {
      await lun.close();
    }
  });

  it('addresses a LUN larger than 2 TiB with 64-bit block numbers', async () => {
    const lun = await open(BIG_IQN);
    try {
      expect(lun.sizeBytes).toBe(3 * TIB);
      const last = lun.sizeBytes - 4096;
      await lun.write(last, Buffer.alloc(4096, 0xee));
      expect((await lun.read(last, 4096)).every((b) => b === 0xee)).toBe(true);
      expect(last / 512).toBeGreaterThan(2 ** 32);
    } finally {
      await lun.close();
    }
  });

  it('logs in with CHAP and never logs the secret', async () => {
    const logger = recordingLogger();
    const lun = await open(CHAP_IQN, { chap, logger });
    await lun.close();
    expect(logger.lines.some((l) => l.includes('iSCSI session open'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(CANARY);
  });

  it('logs in with mutual CHAP, and refuses a target that cannot prove itself', async () => {
    const lun = await open(MUTUAL_IQN, { chap: mutual });
    await lun.close();
    const wrongTarget = { ...mutual, mutual: { username: 'target2', secret: 'not-the-target-secret' } };
    const e = await open(MUTUAL_IQN, { chap: wrongTarget }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IscsiLoginFailed);
    expect((e as IscsiLoginFailed).reason).toBe('authentication-failed');
    expect(await tgt.sessions()).toBe(0);
  });

  it('fails a CHAP login with a wrong secret as authentication-failed, without the secret anywhere', async () => {
    const logger = recordingLogger();
    const wrong = 'CANARY-wrong-secret-0b8c';
    const e = await open(CHAP_IQN, { chap: { username: 'ironic', secret: wrong }, logger }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(IscsiLoginFailed);
    const err = e as IscsiLoginFailed;
    expect(err.reason).toBe('authentication-failed');
    expect([err.statusClass, err.statusDetail]).toEqual([2, 1]);
    for (const text of [err.message, JSON.stringify(err), String(err.stack), logger.lines.join('\n')]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(CANARY);
    }
  });

  it('fails a login without credentials on a CHAP target', async () => {
    const e = await open(CHAP_IQN).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IscsiLoginFailed);
    expect((e as IscsiLoginFailed).reason).toBe('authentication-failed');
  });

  it('fails a login to an IQN the target does not have as target-not-found', async () => {
    const e = await open('iqn.2026-01.test.ironic-ilo:nonexistent').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IscsiLoginFailed);
    expect((e as IscsiLoginFailed).reason).toBe('target-not-found');
    expect((e as IscsiLoginFailed).message).toContain('nonexistent');
  });

  it('reports a LUN that does not exist as a SCSI error, and logs out', async () => {
    const e = await open(IQN, { lun: 7 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ScsiCommandFailed);
    expect((e as ScsiCommandFailed).message).toMatch(/logical unit not supported|ILLEGAL REQUEST/);
    expect(await tgt.sessions()).toBe(0);
  });

  it('names every bad target field at once', async () => {
    const e = await IscsiSession.open({ host: '', port: 0, targetName: 'not-an-iqn' }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InvalidParameterValue);
    expect((e as InvalidParameterValue).fields.map((f) => f.field)).toEqual(['address', 'iqn', 'port']);
    const l = await IscsiLun.open({ host: 'h', port: 0, targetName: IQN, lun: 20000 }).catch(
      (x: unknown) => x,
    );
    expect((l as InvalidParameterValue).fields.map((f) => f.field)).toEqual(['port', 'lun']);
  });

  it('reports a refused connection as a connection error', async () => {
    const e = await IscsiSession.open({ host: '127.0.0.1', port: 1, targetName: IQN }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(IscsiConnectionError);
    expect((e as Error).message).toContain('refused');
  });

  it('cancels a login with an AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by test'));
    await expect(open(IQN, { signal: controller.signal })).rejects.toThrow('cancelled by test');
  });
});
