import { describe, expect, it } from 'vitest';
import {
  BootDevice,
  CleanSteps,
  IloManagement,
  IloPower,
  Inspector,
  PowerState,
  type Task,
} from '../../../src/index.js';
import { MemoryPortRegistry } from '../../../src/testing/index.js';
import { taskFor, testOptions, useSimulator } from '../../helpers/oob.js';

const PASSWORD = 'CANARY-pw-4f1d9e';
const NEW_PASSWORD = 'CANARY-next-8c2a71';
const LICENSE = 'CANAR-YKEYA-BCDEF-GHIJK-LMNOP';

const sim = useSimulator({
  nodes: [{ model: 'ProLiant DL380 Gen8', inventory: { nics: [] } }, { model: 'ProLiant DL380 Gen9' }],
  password: PASSWORD,
});

/** Every text an error carries: message, JSON form, and its causes'. */
function texts(error: unknown): string[] {
  const out: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) {
    out.push(e.message, String(e.stack), JSON.stringify(e));
  }
  return out;
}

describe('secrets never reach a log line or an error', () => {
  it('not the iLO password, the new password, nor a licence key, whatever fails', async () => {
    const opts = testOptions();
    const options = { ...opts, resetIlo: { initialDelayMs: 10, pollIntervalMs: 20, timeoutMs: 5_000 } };
    const power = new IloPower(options);
    const cleanSteps = new CleanSteps(options);
    const management = new IloManagement({ ...options, cleanSteps });
    const inspector = new Inspector({ ...options, ports: new MemoryPortRegistry() });
    const errors: unknown[] = [];
    const attempt = async (fn: () => Promise<unknown>) => {
      await fn().catch((e: unknown) => errors.push(e));
    };
    const gen8 = (fields = {}): Task =>
      taskFor(sim().node(0), sim().caFile, { driverInfo: { ilo_change_password: NEW_PASSWORD }, ...fields });
    const gen9 = (): Task => taskFor(sim().node(1), sim().caFile);

    opts.clock.onSleep = () => {
      sim().node(0).server.power = 'ON';
    };
    await attempt(() => power.setPowerState(gen8(), PowerState.OFF)); // PowerStateFailure
    opts.clock.onSleep = undefined;
    sim()
      .node(0)
      .faults.failNext(1, { command: 'RESET_SERVER', message: `echo ${PASSWORD}` });
    await attempt(() => power.setPowerState(gen8(), PowerState.REBOOT));
    await attempt(() => management.setBootDevice(gen8(), BootDevice.PXE));
    await attempt(() => management.setSecureBootState(gen8(), true));
    await attempt(() => inspector.inspect(gen8())); // no MACs
    await attempt(() => cleanSteps.runCleanStep(gen8(), 'activate_license', { ilo_license_key: LICENSE }));
    await attempt(() => cleanSteps.runCleanStep(gen8(), 'activate_license', { ilo_license_key: 'X' }));
    const changed = gen8();
    await attempt(() => cleanSteps.runCleanStep(changed, 'reset_ilo_credential'));
    expect(sim().node(0).password).toBe(NEW_PASSWORD);
    await attempt(() => power.getPowerState(gen8())); // the old password: login fails
    await attempt(
      () => cleanSteps.runCleanStep(changed, 'reset_ilo_credential', {}), // nothing to do: already moved
    );
    await attempt(() =>
      management.getSensorsData(taskFor(sim().node(1), sim().caFile, { driverInfo: { ilo_password: 'x' } })),
    );
    await attempt(() => management.updateBootMode(gen9()));
    await attempt(() => cleanSteps.runCleanStep(gen9(), 'reset_ilo'));

    expect(errors.length).toBeGreaterThanOrEqual(6);
    const everything = [...opts.logger.lines, ...errors.flatMap(texts)].join('\n');
    expect(opts.logger.lines.length).toBeGreaterThan(10);
    for (const secret of [PASSWORD, NEW_PASSWORD, LICENSE]) expect(everything).not.toContain(secret);
    expect(everything).toContain('echo ***'); // the iLO echoed the password: redacted, not dropped
  });
});
