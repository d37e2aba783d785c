import { beforeEach, describe, expect, it } from 'vitest';
import {
  automatedCleanSteps,
  CleanSteps,
  ExclusiveLockRequired,
  IloClient,
  IloManagement,
  InvalidParameterValue,
  iloCleanSteps,
  NodeCleaningFailure,
  type PlannedCleanStep,
  parseConfig,
} from '../../../src/index.js';
import type { SimulatedIlo } from '../../../src/testing/index.js';
import {
  commandsSince,
  G7,
  GEN8,
  GEN9,
  MODELS,
  taskFor,
  testOptions,
  useSimulator,
} from '../../helpers/oob.js';

const RESET = { initialDelayMs: 20, pollIntervalMs: 50, timeoutMs: 10_000 };
const sim = useSimulator({
  nodes: MODELS.map((model) => ({ model })),
  password: 'first-password-1',
  resetDowntimeMs: 150,
});

const planned = (step: string, args = {}): PlannedCleanStep => ({
  step,
  priority: 0,
  abortable: false,
  argsinfo: null,
  interface: 'management',
  args,
});

describe('the iLO clean steps and their priorities', () => {
  it("lists every step with Ironic's default priorities, on the management interface", () => {
    const steps = iloCleanSteps(parseConfig());
    expect(steps.map((s) => [s.step, s.priority, s.interface, s.abortable])).toEqual([
      ['reset_ilo_credential', 30, 'management', false],
      ['reset_secure_boot_keys_to_default', 20, 'management', false],
      ['reset_bios_to_default', 10, 'management', false],
      ['clear_secure_boot_keys', 0, 'management', false],
      ['reset_ilo', 0, 'management', false],
      ['activate_license', 0, 'management', false],
    ]);
    expect(steps.find((s) => s.step === 'activate_license')?.argsinfo).toEqual({
      ilo_license_key: expect.objectContaining({ required: true }),
    });
  });

  it('takes priorities from [ilo] clean_priority_*; 0 disables a step for automated cleaning', () => {
    const config = parseConfig({
      ilo: {
        cleanPriorityResetIlo: 40,
        cleanPriorityResetBiosToDefault: 0,
        cleanPriorityClearSecureBootKeys: 5,
      },
    });
    expect(automatedCleanSteps(iloCleanSteps(config)).map((s) => [s.step, s.priority])).toEqual([
      ['reset_ilo', 40],
      ['reset_ilo_credential', 30],
      ['reset_secure_boot_keys_to_default', 20],
      ['clear_secure_boot_keys', 5],
    ]);
  });
});

describe('running the steps on simulated hardware', () => {
  let steps: CleanSteps;
  let opts: ReturnType<typeof testOptions>;
  const task = (i: number, fields = {}, options = {}) =>
    taskFor(sim().node(i), sim().caFile, fields, options);

  beforeEach(() => {
    for (const n of sim().nodes) n.faults.clear();
    opts = testOptions();
    steps = new CleanSteps({ ...opts, resetIlo: RESET });
  });

  it('resets the BIOS and the secure boot keys of a Gen9', async () => {
    const server = sim().node(GEN9).server;
    server.bios = { ...server.bios, ProcVirtualization: 'Disabled' };
    expect(await steps.runCleanStep(task(GEN9), 'reset_bios_to_default')).toBe('done');
    expect(server.pendingBios).toMatchObject({ ProcVirtualization: 'Enabled' });
    server.secureBootKeys = 'cleared';
    expect(await steps.runCleanStep(task(GEN9), 'reset_secure_boot_keys_to_default')).toBe('done');
    expect(await steps.runCleanStep(task(GEN9), 'clear_secure_boot_keys')).toBe('done');
    server.reset();
    expect(server.secureBootKeys).toBe('cleared');
  });

  it.each([G7, GEN8])('skips the steps node %i does not support, with a warning', async (i) => {
    for (const name of [
      'reset_bios_to_default',
      'reset_secure_boot_keys_to_default',
      'clear_secure_boot_keys',
    ]) {
      expect(await steps.runCleanStep(task(i), name)).toBe('skipped');
    }
    expect(opts.logger.of('warn')).toHaveLength(3);
    expect(opts.logger.of('warn')[0]).toMatch(
      /^'reset_bios_to_default' clean step is not supported on node [-0-9a-f]+\. Skipping the clean step\./,
    );
  });

  it('resets the iLO and waits until it answers again', async () => {
    const from = sim().node(GEN8).log.length;
    expect(await steps.runCleanStep(task(GEN8), 'reset_ilo')).toBe('done');
    expect(commandsSince(sim().node(GEN8), from)).toContain('RESET_RIB');
    expect(sim().node(GEN8).isDown()).toBe(false);
  });

  it('fails with NodeCleaningFailure naming the step on any other iLO error', async () => {
    sim()
      .node(GEN8)
      .faults.failNext(1, { command: 'RESET_RIB', status: '0x0001', message: 'Internal error' });
    const error = await steps.runCleanStep(task(GEN8), 'reset_ilo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeCleaningFailure);
    expect((error as Error).message).toMatch(/^Clean step reset_ilo failed on node [-0-9a-f]+ with error: /);
  });

  it('activates a licence, rejecting a missing or non-string key before the iLO sees it', async () => {
    const key = 'AAAAA-BBBBB-CCCCC-DDDDD-EEEEE';
    expect(await steps.runCleanStep(task(GEN8), 'activate_license', { ilo_license_key: key })).toBe('done');
    expect(sim().node(GEN8).server.licenses[0]?.key).toBe(key);
    await expect(steps.runCleanStep(task(GEN8), 'activate_license')).rejects.toThrow(InvalidParameterValue);
    await expect(steps.runCleanStep(task(GEN8), 'activate_license', { ilo_license_key: 42 })).rejects.toThrow(
      InvalidParameterValue,
    );
    await expect(
      steps.runCleanStep(task(GEN8), 'activate_license', { ilo_license_key: 'not-a-key' }),
    ).rejects.toThrow(NodeCleaningFailure);
  });

  it('rejects unknown steps and arguments, and a step of another interface', async () => {
    await expect(steps.runCleanStep(task(GEN8), 'erase_devices')).rejects.toThrow(
      "Clean step 'erase_devices' not found.",
    );
    await expect(steps.runCleanStep(task(GEN8), 'reset_ilo', { force: true })).rejects.toThrow(
      InvalidParameterValue,
    );
    await expect(
      steps.executeCleanStep(task(GEN8), { ...planned('reset_ilo'), interface: 'deploy' }),
    ).rejects.toThrow(InvalidParameterValue);
  });

  it('needs an exclusive lock', async () => {
    const from = sim().node(GEN9).log.length;
    await expect(
      steps.runCleanStep(task(GEN9, {}, { shared: true }), 'reset_bios_to_default'),
    ).rejects.toThrow(ExclusiveLockRequired);
    expect(sim().node(GEN9).log.length).toBe(from);
  });

  it('runs through IloManagement, which lists and executes them', async () => {
    const management = new IloManagement({ ...opts, cleanSteps: steps });
    expect((await management.getCleanSteps(task(GEN9))).map((s) => s.step)).toContain('reset_ilo');
    await expect(
      management.executeCleanStep(task(GEN9), planned('reset_bios_to_default')),
    ).resolves.toBeUndefined();
  });
});

describe('reset_ilo_credential', () => {
  const node = (): SimulatedIlo => sim().node(GEN9);

  it('changes the password, moves ilo_change_password into ilo_password and saves', async () => {
    const opts = testOptions();
    const steps = new CleanSteps(opts);
    const task = taskFor(node(), sim().caFile, { driverInfo: { ilo_change_password: 'CANARY-new-pass-7' } });
    expect(await steps.executeCleanStep(task, planned('reset_ilo_credential'))).toBeUndefined();
    expect(node().password).toBe('CANARY-new-pass-7');
    expect(task.node.driverInfo.ilo_password).toBe('CANARY-new-pass-7');
    expect(task.node.driverInfo).not.toHaveProperty('ilo_change_password');
    expect(task.saved.at(-1)?.driverInfo.ilo_password).toBe('CANARY-new-pass-7');
    await using ilo = new IloClient(node().clientOptions({ password: 'CANARY-new-pass-7' }));
    expect(await ilo.getProductName()).toBe('ProLiant DL380 Gen9');
    expect(opts.logger.lines.join('\n')).not.toContain('CANARY-new-pass-7');
    // Back to the first password, through the step again.
    const back = taskFor(node(), sim().caFile, { driverInfo: { ilo_change_password: 'first-password-1' } });
    await steps.runCleanStep(back, 'reset_ilo_credential');
    expect(node().password).toBe('first-password-1');
  });

  it('does nothing without ilo_change_password', async () => {
    const opts = testOptions();
    const task = taskFor(node(), sim().caFile);
    const from = node().log.length;
    expect(await new CleanSteps(opts).runCleanStep(task, 'reset_ilo_credential')).toBe('nothing to do');
    expect(task.saves).toBe(0);
    expect(commandsSince(node(), from).filter((c) => c.startsWith('PATCH'))).toEqual([]);
    expect(opts.logger.of('info').join('\n')).toContain(
      "Missing 'ilo_change_password' parameter in driver_info.",
    );
  });

  it('leaves driver_info alone when the iLO refuses the new password', async () => {
    const task = taskFor(sim().node(GEN8), sim().caFile, { driverInfo: { ilo_change_password: 'short' } });
    await expect(new CleanSteps(testOptions()).runCleanStep(task, 'reset_ilo_credential')).rejects.toThrow(
      NodeCleaningFailure,
    );
    expect(task.node.driverInfo.ilo_change_password).toBe('short');
    expect(task.saves).toBe(0);
  });
});
