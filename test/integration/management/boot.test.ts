import { beforeEach, describe, expect, it } from 'vitest';
import {
  BootDevice,
  ExclusiveLockRequired,
  IloManagement,
  IloOperationError,
  InvalidParameterValue,
} from '../../../src/index.js';
import type { SimulatedIlo } from '../../../src/testing/index.js';
import { commandsSince, MODELS, taskFor, testOptions, useSimulator } from '../../helpers/oob.js';

const sim = useSimulator();

describe.each(MODELS.map((model, i) => [model, i] as const))(
  'boot devices of a simulated %s',
  (_m, index) => {
    let node: SimulatedIlo;
    let management: IloManagement;
    const task = (fields = {}, options = {}) => taskFor(node, sim().caFile, fields, options);

    beforeEach(() => {
      node = sim().node(index);
      node.faults.clear();
      node.server.oneTimeBoot = 'Normal';
      management = new IloManagement(testOptions());
    });

    it('sets a one-time boot device, which the next boot consumes', async () => {
      await management.setBootDevice(task(), BootDevice.PXE);
      expect(await management.getBootDevice(task())).toEqual({ bootDevice: 'pxe', persistent: false });
      node.server.reset();
      expect(node.server.boots.at(-1)?.source).toBe('NETWORK');
      expect((await management.getBootDevice(task())).persistent).toBe(true);
    });

    it('sets a persistent boot device, first in the boot order', async () => {
      await management.setBootDevice(task(), BootDevice.CDROM, { persistent: true });
      expect(await management.getBootDevice(task())).toEqual({ bootDevice: 'cdrom', persistent: true });
      await management.setBootDevice(task(), BootDevice.DISK, { persistent: true });
      expect(await management.getBootDevice(task())).toEqual({ bootDevice: 'disk', persistent: true });
    });

    it('reports a device outside pxe, disk and cdrom as unknown', async () => {
      node.server.oneTimeBoot = 'USB';
      expect(await management.getBootDevice(task())).toEqual({ bootDevice: null, persistent: null });
    });

    it('rejects a device the iLO drivers do not set, before sending anything', async () => {
      const from = node.log.length;
      for (const device of [BootDevice.FLOPPY, BootDevice.BIOS, 'nonsense' as BootDevice]) {
        const error = await management.setBootDevice(task(), device).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidParameterValue);
        expect((error as Error).message).toBe(`Invalid boot device ${device} specified.`);
      }
      expect(node.log.length).toBe(from);
    });

    it('turns iLO failures into IloOperationError', async () => {
      const gen9 = index === 2;
      node.faults.failNext(1, { command: gen9 ? 'GET /rest/v1/Systems/1' : 'GET_ONE_TIME_BOOT' });
      await expect(management.getBootDevice(task())).rejects.toThrow(/^Get boot device failed, error: /);
      node.faults.failNext(1, { command: gen9 ? 'PATCH /rest/v1/Systems/1' : 'SET_ONE_TIME_BOOT' });
      const error = await management.setBootDevice(task(), BootDevice.PXE).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IloOperationError);
      expect((error as Error).message).toMatch(/^Setting pxe as boot device failed, error: /);
    });
  },
);

describe('IloManagement basics', () => {
  const node = () => sim().node(1);
  const task = (fields = {}, options = {}) => taskFor(node(), sim().caFile, fields, options);

  it('needs an exclusive lock to set the boot device, boot mode or secure boot', async () => {
    const management = new IloManagement(testOptions());
    const shared = task({}, { shared: true });
    const from = node().log.length;
    await expect(management.setBootDevice(shared, BootDevice.PXE)).rejects.toThrow(ExclusiveLockRequired);
    await expect(management.setBootMode(shared, 'bios')).rejects.toThrow(ExclusiveLockRequired);
    await expect(management.setSecureBootState(shared, false)).rejects.toThrow(ExclusiveLockRequired);
    await expect(management.updateBootMode(shared)).rejects.toThrow(ExclusiveLockRequired);
    expect(node().log.length).toBe(from);
    expect(await management.getBootDevice(shared)).toHaveProperty('bootDevice');
  });

  it('supports pxe, disk and cdrom, and describes the credentials and ilo_change_password', async () => {
    const management = new IloManagement();
    expect(await management.getSupportedBootDevices(task())).toEqual(['pxe', 'disk', 'cdrom']);
    expect(Object.keys(management.getProperties())).toEqual([
      'ilo_address',
      'ilo_username',
      'ilo_password',
      'ilo_change_password',
    ]);
    const from = node().log.length;
    await expect(management.validate(task({ driverInfo: { client_port: 'qwe' } }))).rejects.toThrow(
      InvalidParameterValue,
    );
    expect(node().log.length).toBe(from);
    expect(commandsSince(node(), from)).toEqual([]);
  });

  it('offers no clean steps unless given some', async () => {
    const management = new IloManagement();
    expect(await management.getCleanSteps(task())).toEqual([]);
    await expect(
      management.executeCleanStep(task(), {
        step: 'reset_ilo',
        priority: 0,
        abortable: false,
        argsinfo: null,
        interface: 'management',
        args: {},
      }),
    ).rejects.toThrow(InvalidParameterValue);
  });
});
