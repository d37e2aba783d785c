import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IscsiLoginFailed, IscsiLun, type IscsiLunOptions } from '../../../src/index.js';
import { IscsiTargetSimulator } from '../../../src/testing/index.js';
import { captureLogger } from '../../helpers/capture-logger.js';

const OPEN = 'iqn.2026-01.test.ironic-ilo:open';
const CHAP = 'iqn.2026-01.test.ironic-ilo:chap';
const MUTUAL = 'iqn.2026-01.test.ironic-ilo:mutual';
const CANARY = 'CANARY-sim-chap-3f9a1c';
const TARGET_CANARY = 'CANARY-sim-target-77b2e0';
const account = { username: 'ironic', secret: CANARY };
const targetAccount = { username: 'ramdisk', secret: TARGET_CANARY };

const logger = captureLogger();
let sim: IscsiTargetSimulator;

beforeAll(async () => {
  sim = await IscsiTargetSimulator.start({
    logger,
    targets: [
      { iqn: OPEN, luns: [{ sizeBytes: 1 << 20, storage: 'memory' }] },
      { iqn: CHAP, luns: [{ sizeBytes: 1 << 20, storage: 'memory' }], chap: account },
      {
        iqn: MUTUAL,
        alias: 'node-1 disk',
        luns: [{ sizeBytes: 1 << 20, storage: 'memory' }],
        chap: account,
        mutualChap: targetAccount,
      },
    ],
  });
});
afterAll(async () => {
  await sim?.close();
  // Whatever happened above, no secret reached a log line.
  expect(logger.lines.join('\n')).not.toContain(CANARY);
  expect(logger.lines.join('\n')).not.toContain(TARGET_CANARY);
});

const open = (targetName: string, extra: Partial<IscsiLunOptions> = {}) =>
  IscsiLun.open({ host: sim.host, port: sim.port, targetName, loginTimeoutMs: 5000, ...extra });

async function refusal(targetName: string, extra: Partial<IscsiLunOptions> = {}): Promise<IscsiLoginFailed> {
  const e = await open(targetName, extra).then(
    async (lun) => {
      await lun.close();
      return undefined;
    },
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(IscsiLoginFailed);
  expect(String((e as Error).message) + JSON.stringify(e)).not.toContain(CANARY);
  return e as IscsiLoginFailed;
}

describe('login', () => {
  it('admits an initiator without authentication where none is asked', async () => {
    const lun = await open(OPEN);
    expect(sim.sessions).toMatchObject([
      { targetName: OPEN, authMethod: 'None', mutualChap: false, type: 'normal' },
    ]);
    await lun.close();
    expect(sim.sessions).toEqual([]);
  });

  it('authenticates with CHAP, and with mutual CHAP when the initiator asks the target to prove itself', async () => {
    const one = await open(CHAP, { chap: account });
    expect(sim.sessions).toMatchObject([{ targetName: CHAP, authMethod: 'CHAP', mutualChap: false }]);
    await one.close();
    const both = await open(MUTUAL, { chap: { ...account, mutual: targetAccount } });
    expect(sim.sessions).toMatchObject([{ targetName: MUTUAL, authMethod: 'CHAP', mutualChap: true }]);
    await both.close();
  });

  it('refuses a wrong CHAP secret, a missing one and an unknown user: authentication-failed', async () => {
    const before = sim.stats.failedLogins;
    for (const chap of [
      { ...account, secret: 'wrong-secret' },
      undefined,
      { username: 'nobody', secret: CANARY },
    ]) {
      const e = await refusal(CHAP, { chap });
      expect(e).toMatchObject({ reason: 'authentication-failed', statusClass: 2, statusDetail: 1 });
    }
    expect(sim.stats.failedLogins).toBe(before + 3);
    expect(
      logger.lines.some((l) => l.includes('iSCSI login refused') && l.includes('"status":"0x0201"')),
    ).toBe(true);
  });

  it('refuses mutual CHAP the target has no account for; the initiator refuses a target with the wrong secret', async () => {
    const noAccount = await refusal(CHAP, { chap: { ...account, mutual: targetAccount } });
    expect(noAccount.reason).toBe('authentication-failed');
    const wrong = await refusal(MUTUAL, {
      chap: { ...account, mutual: { ...targetAccount, secret: 'other' } },
    });
    expect(wrong).toMatchObject({ reason: 'authentication-failed', statusClass: undefined });
    expect(wrong.message).toContain('the target failed mutual CHAP');
  });

  it('refuses a target name it does not serve: target-not-found', async () => {
    const e = await refusal('iqn.2026-01.test.ironic-ilo:nowhere');
    expect(e).toMatchObject({ reason: 'target-not-found', statusClass: 2, statusDetail: 3 });
  });

  it('refuses logins on demand with the status asked for, then admits again', async () => {
    sim.faults.refuseLogin({ reason: 'authorization-failed' }).refuseLogin({ reason: 'service-unavailable' });
    expect(await refusal(OPEN)).toMatchObject({ reason: 'authorization-failed', statusDetail: 2 });
    expect(await refusal(OPEN)).toMatchObject({ reason: 'target-error', statusClass: 3, statusDetail: 1 });
    const lun = await open(OPEN);
    await lun.close();
  });

  it('holds one session per login (each with its own ISID)', async () => {
    const first = await open(OPEN);
    const second = await open(OPEN);
    expect(sim.sessions).toHaveLength(2);
    await Promise.all([first.close(), second.close()]);
    expect(sim.sessions).toEqual([]);
  });
});
