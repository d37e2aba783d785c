import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IscsiTargetSimulator, TGT_NEGOTIATION } from '../../../src/testing/index.js';
import { parseKeys, RawInitiator } from '../../helpers/raw-iscsi.js';
import { cdb } from '../../helpers/scsi.js';

const IQN = 'iqn.2026-01.test.ironic-ilo:raw';
const OTHER = 'iqn.2026-01.test.ironic-ilo:raw-other';
const INITIATOR = 'iqn.2026-01.test.ironic-ilo:raw-initiator';

let sim: IscsiTargetSimulator;
const open: RawInitiator[] = [];

beforeAll(async () => {
  sim = await IscsiTargetSimulator.start({
    negotiation: TGT_NEGOTIATION,
    targets: [
      { iqn: IQN, luns: [{ sizeBytes: 1 << 20, storage: 'memory' }] },
      {
        iqn: OTHER,
        luns: [{ sizeBytes: 1 << 20, storage: 'memory' }],
        negotiation: { targetPortalGroupTag: 7 },
      },
    ],
  });
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
afterAll(() => sim?.close());

async function loggedIn(extra: Record<string, string> = {}, isid?: Buffer): Promise<RawInitiator> {
  const c = await RawInitiator.connect(sim.port);
  open.push(c);
  const answer = await c.login(
    { InitiatorName: INITIATOR, TargetName: IQN, SessionType: 'Normal', ImmediateData: 'No', ...extra },
    isid,
  );
  expect(answer.bhs.readUInt16BE(36)).toBe(0);
  return c;
}

describe('the target side of RFC 7143, driven by hand', () => {
  it('logs in from the operational stage (as libiscsi does without CHAP) and declares its portal group', async () => {
    const c = await RawInitiator.connect(sim.port);
    open.push(c);
    const answer = await c.login({
      InitiatorName: INITIATOR,
      TargetName: OTHER,
      MaxRecvDataSegmentLength: '4096',
    });
    expect(answer.bhs[1]! & 0x83).toBe(0x83); // T, NSG full feature
    expect(answer.bhs.readUInt16BE(14)).toBeGreaterThan(0); // TSIH
    expect(Object.fromEntries(parseKeys(answer.data))).toMatchObject({
      TargetPortalGroupTag: '7',
      MaxRecvDataSegmentLength: '8192',
    });
  });

  it('answers SendTargets in a discovery session with every target and the portal reached', async () => {
    const c = await RawInitiator.connect(sim.port);
    open.push(c);
    const answer = await c.login({
      InitiatorName: INITIATOR,
      SessionType: 'Discovery',
      MaxBurstLength: '1024',
    });
    expect(parseKeys(answer.data)).toContainEqual(['MaxBurstLength', 'Irrelevant']);
    c.text(1, Buffer.from('SendTargets=All\0'));
    const reply = await c.next();
    expect(reply?.bhs[0]).toBe(0x24);
    expect(parseKeys(reply!.data)).toEqual([
      ['TargetName', IQN],
      ['TargetAddress', `127.0.0.1:${sim.port},1`],
      ['TargetName', OTHER],
      ['TargetAddress', `127.0.0.1:${sim.port},7`],
    ]);
  });

  it('echoes a NOP-Out ping with its data', async () => {
    const c = await loggedIn();
    c.ping(5, Buffer.from('are you there?'));
    const pong = await c.next();
    expect(pong?.bhs[0]).toBe(0x20);
    expect(pong?.bhs.readUInt32BE(16)).toBe(5);
    expect(pong?.data.toString()).toBe('are you there?');
  });

  it('ignores a command outside the CmdSN window and answers the next one in order', async () => {
    const c = await loggedIn();
    c.command({ itt: 1, cdb: cdb.testUnitReady().bytes, cmdSN: c.cmdSN + 1000 });
    expect(await c.next(300)).toBeUndefined();
    c.command({ itt: 2, cdb: cdb.testUnitReady().bytes });
    const answer = await c.next();
    expect([answer?.bhs[0], answer?.bhs.readUInt32BE(16), answer?.bhs[3]]).toEqual([0x21, 2, 0]);
    expect(answer!.bhs.readUInt32BE(28)).toBe(c.cmdSN); // ExpCmdSN moved past the command
  });

  it('solicits data with an R2T and rejects a Data-Out with the wrong DataSN, dropping the connection', async () => {
    const c = await loggedIn();
    c.command({ itt: 9, cdb: cdb.write10(0, 2).bytes, write: 1024 });
    const r2t = await c.next();
    expect(r2t?.bhs[0]).toBe(0x31);
    expect([r2t!.bhs.readUInt32BE(40), r2t!.bhs.readUInt32BE(44)]).toEqual([0, 1024]);
    const ttt = r2t!.bhs.readUInt32BE(20);
    c.dataOut({ itt: 9, ttt, dataSN: 0, offset: 0, data: Buffer.alloc(512, 1), final: false });
    c.dataOut({ itt: 9, ttt, dataSN: 5, offset: 512, data: Buffer.alloc(512, 2), final: true });
    const reject = await c.next();
    expect([reject?.bhs[0], reject?.bhs[2]]).toEqual([0x3f, 0x04]); // Reject, protocol error
    expect(reject?.data.readUInt32BE(36)).toBe(5); // the offending header, echoed
    await c.closed;
  });

  it('reinstates a session when the same initiator logs in again with the same ISID', async () => {
    const isid = Buffer.from([0x80, 9, 9, 9, 0, 1]);
    const first = await loggedIn({}, isid);
    expect(sim.sessions).toHaveLength(1);
    await loggedIn({}, isid);
    await first.closed;
    expect(sim.sessions).toHaveLength(1);
  });

  it('refuses a second connection to an existing session: MaxConnections is 1', async () => {
    const c = await loggedIn();
    const tsih = sim.sessions[0]!.tsih;
    const second = await RawInitiator.connect(sim.port);
    open.push(second);
    const bhs = Buffer.alloc(48);
    bhs[0] = 0x43;
    bhs[1] = 0x87;
    Buffer.from([0x80, 1, 2, 3, 0, 0]).copy(bhs, 8);
    bhs.writeUInt16BE(tsih, 14);
    second.send(bhs, Buffer.from(`InitiatorName=${INITIATOR}\0TargetName=${IQN}\0`));
    const answer = await second.next();
    expect(answer?.bhs.readUInt16BE(36)).toBe(0x0206); // too many connections
    await second.closed;
    expect(c.socket.destroyed).toBe(false);
  });
});
