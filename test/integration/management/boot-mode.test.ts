import { beforeEach, describe, expect, it } from 'vitest';
import {
  getBootModeForDeploy,
  IloManagement,
  IloOperationError,
  IloOperationNotSupported,
  InvalidParameterValue,
} from '../../../src/index.js';
import type { SimulatedIlo } from '../../../src/testing/index.js';
import {
  commandsSince,
  G7,
  GEN8,
  GEN9,
  scriptedClients,
  taskFor,
  testOptions,
  useSimulator,
} from '../../helpers/oob.js';

const sim = useSimulator();

function reset(node: SimulatedIlo): void {
  node.faults.clear();
  node.server.pendingBios = null;
  node.server.bios = { ...node.server.defaultBios };
  node.server.pendingBootModeUnknown = false;
  node.server.secureBootCurrent = false;
  node.server.secureBootEnable = false;
}

const writesBootMode = (c: string) =>
  c === 'SET_PENDING_BOOT_MODE' || c.startsWith('PATCH /rest/v1/systems/1/bios');

describe('boot modes per generation', () => {
  beforeEach(() => {
    for (const n of sim().nodes) reset(n);
  });

  it.each([
    [G7, ['bios'], 'bios'],
    [GEN8, ['bios'], 'bios'],
    [GEN9, ['bios', 'uefi'], 'uefi'],
  ])('node %i supports %j and boots %s', async (i, supported, current) => {
    const management = new IloManagement(testOptions());
    const task = taskFor(sim().node(i), sim().caFile);
    expect(await management.getSupportedBootModes(task)).toEqual(supported);
    expect(await management.getBootMode(task)).toBe(current);
  });

  it('requests a boot mode for the next reset, and writes nothing when it is already pending', async () => {
    const node = sim().node(GEN9);
    const management = new IloManagement(testOptions());
    let from = node.log.length;
    await management.setBootMode(taskFor(node, sim().caFile), 'uefi');
    expect(commandsSince(node, from).some(writesBootMode)).toBe(false);
    from = node.log.length;
    await management.setBootMode(taskFor(node, sim().caFile), 'bios');
    expect(commandsSince(node, from).some(writesBootMode)).toBe(true);
    expect(node.server.pendingBootMode).toBe('LEGACY');
    node.server.reset();
    expect(await management.getBootMode(taskFor(node, sim().caFile))).toBe('bios');
  });

  it('on an iLO without boot-mode commands, bios is already pending and uefi cannot be set', async () => {
    const management = new IloManagement(testOptions());
    const task = taskFor(sim().node(G7), sim().caFile);
    const from = sim().node(G7).log.length;
    await management.setBootMode(task, 'bios');
    expect(commandsSince(sim().node(G7), from)).not.toContain('SET_PENDING_BOOT_MODE');
    const error = await management.setBootMode(task, 'uefi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IloOperationError);
    expect((error as Error).message).toMatch(/^Setting uefi as boot mode failed, error: /);
    await expect(management.setBootMode(task, 'legacy' as 'bios')).rejects.toThrow(InvalidParameterValue);
  });
});

describe('getBootModeForDeploy', () => {
  const node = (instanceInfo = {}, capabilities?: string) => ({
    instanceInfo,
    properties: capabilities === undefined ? {} : { capabilities },
  });

  it('follows Ironic: secure boot, trusted boot, the boot_mode capability, then deploy_boot_mode', () => {
    expect(getBootModeForDeploy(node({ capabilities: { secure_boot: 'True' } }, 'boot_mode:bios'))).toBe(
      'uefi',
    );
    expect(getBootModeForDeploy(node({ capabilities: '{"trusted_boot": "true"}' }, 'boot_mode:uefi'))).toBe(
      'bios',
    );
    expect(getBootModeForDeploy(node({ deploy_boot_mode: 'bios' }, 'foo:bar,boot_mode:UEFI'))).toBe('uefi');
    expect(getBootModeForDeploy(node({ deploy_boot_mode: 'bios' }))).toBe('bios');
    expect(getBootModeForDeploy(node({}, 'foo:bar'))).toBeNull();
  });

  it('names the bad field', () => {
    expect(() => getBootModeForDeploy(node({}, 'boot_mode:legacy'))).toThrow(
      expect.objectContaining({
        fields: [expect.objectContaining({ field: 'properties.capabilities.boot_mode' })],
      }),
    );
    expect(() => getBootModeForDeploy(node({ capabilities: '{not json' }))).toThrow(InvalidParameterValue);
    expect(() => getBootModeForDeploy(node({}, 'no-colon'))).toThrow(InvalidParameterValue);
  });
});

describe('updateBootMode (before a deploy)', () => {
  beforeEach(() => {
    for (const n of sim().nodes) reset(n);
  });

  it('requests the mode instance_info or the capability decide, without recording anything', async () => {
    const node = sim().node(GEN9);
    const management = new IloManagement(testOptions());
    const task = taskFor(node, sim().caFile, { instanceInfo: { deploy_boot_mode: 'bios' } });
    expect(await management.updateBootMode(task)).toBe('bios');
    expect(node.server.pendingBootMode).toBe('LEGACY');
    expect(task.saves).toBe(0);
    const byCapability = taskFor(node, sim().caFile, { properties: { capabilities: 'boot_mode:uefi' } });
    expect(await management.updateBootMode(byCapability)).toBe('uefi');
    expect(node.server.pendingBootMode).toBe('UEFI');
  });

  it.each([
    [GEN9, 'uefi'],
    [GEN8, 'bios'],
    [G7, 'bios'],
  ])('otherwise keeps and records the pending mode of node %i (%s)', async (i, mode) => {
    const management = new IloManagement(testOptions());
    const task = taskFor(sim().node(i), sim().caFile);
    const from = sim().node(i).log.length;
    expect(await management.updateBootMode(task)).toBe(mode);
    expect(task.node.instanceInfo.deploy_boot_mode).toBe(mode);
    expect(task.saved.at(-1)?.instanceInfo.deploy_boot_mode).toBe(mode);
    expect(commandsSince(sim().node(i), from).some(writesBootMode)).toBe(false);
  });

  it('uses [ilo] default_boot_mode before looking at the pending mode', async () => {
    const node = sim().node(GEN9);
    const management = new IloManagement(testOptions({ ilo: { defaultBootMode: 'bios' } }));
    const task = taskFor(node, sim().caFile);
    expect(await management.updateBootMode(task)).toBe('bios');
    expect(node.server.pendingBootMode).toBe('LEGACY');
    expect(task.node.instanceInfo.deploy_boot_mode).toBe('bios');
  });

  it('requests UEFI when the pending mode is UNKNOWN, and fails when the iLO refuses it', async () => {
    const node = sim().node(GEN8);
    node.server.pendingBootModeUnknown = true;
    const management = new IloManagement(testOptions());
    const task = taskFor(node, sim().caFile);
    const error = await management.updateBootMode(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IloOperationError);
    expect((error as Error).message).toMatch(/^Setting uefi as boot mode failed, error: /);
    expect(task.saves).toBe(0);
  });

  it('requests UEFI when a UEFI-capable iLO answers UNKNOWN, and records uefi', async () => {
    const node = sim().node(GEN9);
    node.server.setPendingBootMode('LEGACY');
    const clients = scriptedClients(node, () => ({ getPendingBootMode: async () => 'UNKNOWN' as const }));
    try {
      const management = new IloManagement({ ...testOptions(), clients });
      const task = taskFor(node, sim().caFile);
      expect(await management.updateBootMode(task)).toBe('uefi');
      expect(node.server.pendingBootMode).toBe('UEFI');
      expect(task.node.instanceInfo.deploy_boot_mode).toBe('uefi');
    } finally {
      await clients.closeAll();
    }
  });
});

describe('secure boot', () => {
  beforeEach(() => {
    for (const n of sim().nodes) reset(n);
  });

  it('is off without asking the secure-boot command when the server boots legacy BIOS', async () => {
    const node = sim().node(GEN8);
    const management = new IloManagement(testOptions());
    const from = node.log.length;
    expect(await management.getSecureBootState(taskFor(node, sim().caFile))).toBe(false);
    expect(commandsSince(node, from).filter((c) => c !== 'GET_PRODUCT_NAME')).toEqual([
      'GET_CURRENT_BOOT_MODE',
    ]);
  });

  it('is not supported by an iLO without boot-mode commands', async () => {
    const management = new IloManagement(testOptions());
    const error = await management
      .getSecureBootState(taskFor(sim().node(G7), sim().caFile))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IloOperationNotSupported);
    expect((error as Error).message).toMatch(/^Get secure boot mode for node [-0-9a-f]+\. not supported/);
  });

  it('is read and set on a UEFI Gen9, taking effect at the next boot', async () => {
    const node = sim().node(GEN9);
    const management = new IloManagement(testOptions());
    const task = taskFor(node, sim().caFile);
    expect(await management.getSecureBootState(task)).toBe(false);
    await management.setSecureBootState(task, true);
    expect(node.server.secureBootEnable).toBe(true);
    node.server.reset();
    expect(await management.getSecureBootState(task)).toBe(true);
    expect(node.server.boots.at(-1)?.secureBoot).toBe(true);
  });

  it('cannot be set on a Gen8: IloOperationNotSupported', async () => {
    const management = new IloManagement(testOptions());
    await expect(
      management.setSecureBootState(taskFor(sim().node(GEN8), sim().caFile), true),
    ).rejects.toThrow(IloOperationNotSupported);
  });

  it('is changed around a deploy only when the instance asks for it', async () => {
    const node = sim().node(GEN9);
    const management = new IloManagement(testOptions());
    expect(await management.updateSecureBootMode(taskFor(node, sim().caFile), true)).toBe(false);
    expect(node.server.secureBootEnable).toBe(false);
    const wanted = taskFor(node, sim().caFile, { instanceInfo: { capabilities: { secure_boot: 'true' } } });
    expect(await management.updateSecureBootMode(wanted, true)).toBe(true);
    expect(node.server.secureBootEnable).toBe(true);
    await management.disableSecureBootIfSupported(wanted);
    expect(node.server.secureBootEnable).toBe(false);
  });

  it('at tear-down, hardware without secure boot is a warning, not a failure', async () => {
    const opts = testOptions();
    const management = new IloManagement(opts);
    const wanted = taskFor(sim().node(GEN8), sim().caFile, {
      instanceInfo: { capabilities: '{"secure_boot": "true"}' },
    });
    await expect(management.disableSecureBootIfSupported(wanted)).resolves.toBeUndefined();
    expect(opts.logger.of('warn').join('\n')).toContain('Secure boot cannot be disabled on node');
  });
});

describe('prepareBootModeForDeploy', () => {
  beforeEach(() => {
    for (const n of sim().nodes) reset(n);
  });

  it('turns secure boot off and leaves the boot mode alone, recording uefi', async () => {
    const node = sim().node(GEN9);
    node.server.secureBootEnable = true;
    node.server.reset();
    const management = new IloManagement(testOptions());
    const task = taskFor(node, sim().caFile);
    const from = node.log.length;
    expect(await management.prepareBootModeForDeploy(task)).toBe('uefi');
    expect(node.server.secureBootEnable).toBe(false);
    expect(task.node.instanceInfo.deploy_boot_mode).toBe('uefi');
    expect(commandsSince(node, from).some((c) => c === 'GET /rest/v1/systems/1/bios/Settings')).toBe(false);
  });

  it('keeps a mode instance_info already implies when secure boot was on', async () => {
    const node = sim().node(GEN9);
    node.server.secureBootEnable = true;
    node.server.reset();
    const management = new IloManagement(testOptions());
    const task = taskFor(node, sim().caFile, { instanceInfo: { deploy_boot_mode: 'bios' } });
    expect(await management.prepareBootModeForDeploy(task)).toBe('bios');
    expect(task.node.instanceInfo.deploy_boot_mode).toBe('bios');
    expect(task.saves).toBe(0);
    expect(node.server.pendingBootMode).toBe('UEFI');
  });

  it('updates the boot mode when secure boot was off or is not supported', async () => {
    const management = new IloManagement(testOptions());
    const gen9 = taskFor(sim().node(GEN9), sim().caFile, { instanceInfo: { deploy_boot_mode: 'bios' } });
    expect(await management.prepareBootModeForDeploy(gen9)).toBe('bios');
    expect(sim().node(GEN9).server.pendingBootMode).toBe('LEGACY');
    const g7 = taskFor(sim().node(G7), sim().caFile);
    expect(await management.prepareBootModeForDeploy(g7)).toBe('bios');
    expect(g7.node.instanceInfo.deploy_boot_mode).toBe('bios');
  });
});
