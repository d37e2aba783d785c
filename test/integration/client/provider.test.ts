import { describe, expect, it } from 'vitest';
import {
  IloClientPool,
  IloCommandNotSupported,
  IloConnectionError,
  IloOperationError,
  IloOperationNotSupported,
  type IloOperations,
  IloPower,
  IloTaskRunner,
  InvalidParameterValue,
  NotSupported,
  PowerState,
  parseDriverInfo,
  perOperationClients,
  toIloOperationError,
} from '../../../src/index.js';
import { commandsSince, driverInfoOf, taskFor, testOptions, useSimulator } from '../../helpers/oob.js';

const sim = useSimulator({
  nodes: [{ model: 'ProLiant DL380 Gen8' }, { model: 'ProLiant DL380 Gen8' }],
});

const infoOf = (i: number, extra = {}) =>
  parseDriverInfo({ driverInfo: { ...driverInfoOf(sim().node(i), sim().caFile), ...extra } });

describe('IloClientPool', () => {
  it('lends one client per iLO and credentials, and reads the product name once', async () => {
    await using pool = new IloClientPool();
    const a = pool.acquire(infoOf(0));
    expect(pool.acquire(infoOf(0))).toBe(a);
    expect(pool.acquire(infoOf(1))).not.toBe(a);
    expect(pool.acquire(infoOf(0, { ilo_password: 'other' }))).not.toBe(a);
    expect(pool.size).toBe(3);

    const power = new IloPower({ ...testOptions(), clients: pool });
    const from = sim().node(0).log.length;
    await power.getPowerState(taskFor(sim().node(0), sim().caFile));
    await power.getPowerState(taskFor(sim().node(0), sim().caFile));
    expect(commandsSince(sim().node(0), from)).toEqual([
      'GET_PRODUCT_NAME', // the first request also reads the power
      'GET_HOST_POWER_STATUS',
      'GET_HOST_POWER_STATUS',
    ]);
  });

  it('closes the least recently used idle clients beyond maxIdleClients, never a lent one', async () => {
    await using pool = new IloClientPool({ maxIdleClients: 1 });
    const first = pool.acquire(infoOf(0));
    const second = pool.acquire(infoOf(1));
    const third = pool.acquire(infoOf(0, { ilo_username: 'someone' }));
    await pool.release(first);
    await pool.release(second);
    expect(pool.size).toBe(2);
    await expect(first.getHostPowerStatus()).rejects.toThrow(IloConnectionError);
    expect(await second.getHostPowerStatus()).toBe('ON');
    await pool.release(third);
    expect(pool.size).toBe(1);
  });

  it('refuses to lend once closed, and checks its options', async () => {
    const pool = new IloClientPool();
    const client = pool.acquire(infoOf(0));
    await pool.close();
    await expect(client.getHostPowerStatus()).rejects.toThrow(IloConnectionError);
    expect(() => pool.acquire(infoOf(0))).toThrow(IloConnectionError);
    expect(() => new IloClientPool({ maxIdleClients: -1 })).toThrow(InvalidParameterValue);
  });
});

describe('perOperationClients', () => {
  it('makes a client per operation and closes it afterwards', async () => {
    const lent: IloOperations[] = [];
    const provider = perOperationClients();
    const spy = {
      acquire: async (info: Parameters<typeof provider.acquire>[0]) => {
        const c = await provider.acquire(info);
        lent.push(c);
        return c;
      },
      release: (c: IloOperations) => provider.release?.(c),
    };
    const power = new IloPower({ ...testOptions(), clients: spy });
    const from = sim().node(1).log.length;
    await power.getPowerState(taskFor(sim().node(1), sim().caFile));
    await power.setPowerState(taskFor(sim().node(1), sim().caFile), PowerState.ON);
    expect(lent).toHaveLength(2);
    expect(commandsSince(sim().node(1), from).filter((c) => c === 'GET_PRODUCT_NAME')).toHaveLength(2);
    await expect(lent[0]!.getHostPowerStatus()).rejects.toThrow(IloConnectionError);
  });
});

describe('IloTaskRunner', () => {
  it('releases the client when the operation fails', async () => {
    let released = 0;
    const runner = new IloTaskRunner({
      clients: { acquire: () => ({}) as IloOperations, release: () => void released++ },
    });
    await expect(
      runner.run(taskFor(sim().node(0), sim().caFile), {}, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(released).toBe(1);
  });
});

describe('toIloOperationError', () => {
  it("wraps client errors in Ironic's IloOperationError, keeping the cause and status", () => {
    const inner = new IloOperationError({
      operation: 'iLO X',
      error: 'bad',
      status: '0x0001',
      iloMessage: 'm',
    });
    const wrapped = toIloOperationError(inner, 'Get boot device') as IloOperationError;
    expect(wrapped.message).toBe('Get boot device failed, error: iLO X failed, error: bad');
    expect([wrapped.status, wrapped.iloMessage, wrapped.cause]).toEqual(['0x0001', 'm', inner]);
    const notSupported = toIloOperationError(new IloCommandNotSupported('no'), 'Op', { notSupported: true });
    expect(notSupported).toBeInstanceOf(IloOperationNotSupported);
    const other = new NotSupported({ feature: 'f', reason: 'r' });
    expect(toIloOperationError(other, 'Op')).toBe(other);
  });
});
