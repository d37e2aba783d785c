import { beforeEach, describe, expect, it } from 'vitest';
import {
  type BootIsoReattacher,
  ExclusiveLockRequired,
  IloOperationError,
  IloPower,
  InvalidParameterValue,
  MissingParameterValue,
  NotSupported,
  PowerState,
  PowerStateFailure,
} from '../../../src/index.js';
import type { SimulatedIlo } from '../../../src/testing/index.js';
import {
  commandsSince,
  MODELS,
  scriptedClients,
  taskFor,
  testOptions,
  useSimulator,
} from '../../helpers/oob.js';

const sim = useSimulator();

/** A recording double of the virtual-media boot's hook. */
function recordingBootIso(): BootIsoReattacher & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async reattachBootIso(_task, iso) {
      calls.push(iso);
    },
  };
}

describe.each(MODELS.map((model, i) => [model, i] as const))(
  'IloPower on a simulated %s',
  (_model, index) => {
    let node: SimulatedIlo;
    let opts: ReturnType<typeof testOptions>;
    let power: IloPower;
    const task = (fields = {}, options = {}) => taskFor(node, sim().caFile, fields, options);

    beforeEach(() => {
      node = sim().node(index);
      node.faults.clear();
      node.server.power = 'ON';
      opts = testOptions();
      power = new IloPower(opts);
    });

    it('reads the power state', async () => {
      expect(await power.getPowerState(task())).toBe(PowerState.ON);
      node.server.power = 'OFF';
      expect(await power.getPowerState(task())).toBe(PowerState.OFF);
    });

    it('powers off by holding the power button; the first poll never counts', async () => {
      const from = node.log.length;
      await power.setPowerState(task(), PowerState.OFF);
      expect(node.server.power).toBe('OFF');
      expect(opts.clock.sleeps).toEqual([2000]);
      const sent = commandsSince(node, from);
      expect(sent.some((c) => c === 'HOLD_PWR_BTN' || c === 'POST /rest/v1/Systems/1')).toBe(true);
    });

    it('powers on, and the server boots', async () => {
      node.server.power = 'OFF';
      const boots = node.server.boots.length;
      await power.setPowerState(task(), PowerState.ON);
      expect(node.server.power).toBe('ON');
      expect(node.server.boots.length).toBe(boots + 1);
      expect(opts.clock.sleeps).toEqual([2000]);
    });

    it('reboots through the sequence ON, OFF, ON (the first ON ignored)', async () => {
      const boots = node.server.boots.length;
      opts.clock.onSleep = (_ms, n) => {
        if (n === 1) node.server.power = 'OFF';
        if (n === 2) node.server.power = 'ON';
      };
      await power.setPowerState(task(), PowerState.REBOOT);
      expect(opts.clock.sleeps).toEqual([2000, 2000]);
      expect(node.server.boots.length).toBe(boots + 1);
    });

    it('fails with PowerStateFailure when the power stays on, after power_retry + 2 polls', async () => {
      opts.clock.onSleep = () => {
        node.server.power = 'ON';
      };
      const error = await power.setPowerState(task(), PowerState.OFF).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PowerStateFailure);
      expect((error as PowerStateFailure).message).toBe('Failed to set node power state to power off.');
      expect(opts.clock.sleeps).toHaveLength(3); // 4 polls, power_retry = 2
      expect(opts.logger.of('error').join('\n')).toContain("to 'power off' within 6 s");
    });

    it('turns a failed reset into IloOperationError without waiting', async () => {
      node.faults.failNext(1, { command: index === 2 ? 'POST /rest/v1/Systems/1' : 'RESET_SERVER' });
      const error = await power.setPowerState(task(), PowerState.REBOOT).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IloOperationError);
      expect((error as IloOperationError).message).toMatch(/^iLO set_power_state failed, error: /);
      expect(opts.clock.sleeps).toEqual([]);
    });

    it('soft power off presses the button and waits for off', async () => {
      const from = node.log.length;
      await power.setPowerState(task(), PowerState.SOFT_POWER_OFF);
      expect(node.server.power).toBe('OFF');
      if (index !== 2) expect(commandsSince(node, from)).toContain('PRESS_PWR_BTN');
    });

    it('soft power off of a node that is off does not press the button (which would power it on)', async () => {
      node.server.power = 'OFF';
      await power.setPowerState(task(), PowerState.SOFT_POWER_OFF);
      expect(node.server.power).toBe('OFF');
      expect(opts.clock.sleeps).toEqual([]);
    });

    it('a soft power off the OS ignores fails after [conductor] soft_power_off_timeout', async () => {
      opts = testOptions({ conductor: { softPowerOffTimeout: 10 } });
      power = new IloPower(opts);
      opts.clock.onSleep = () => {
        node.server.power = 'ON';
      };
      await expect(power.setPowerState(task(), PowerState.SOFT_POWER_OFF)).rejects.toThrow(
        'Failed to set node power state to soft power off.',
      );
      expect(opts.clock.sleeps).toEqual([2000, 2000, 2000, 2000, 2000]); // 10 s, never more
    });

    it('soft reboot: off by the button, then on, within one budget', async () => {
      const boots = node.server.boots.length;
      await power.setPowerState(task(), PowerState.SOFT_REBOOT, { timeoutMs: 8000 });
      expect(node.server.power).toBe('ON');
      expect(node.server.boots.length).toBe(boots + 1);
      expect(opts.clock.sleeps).toEqual([2000, 2000]);
    });

    it('soft reboot of a node that is off powers it on', async () => {
      node.server.power = 'OFF';
      const from = node.log.length;
      await power.setPowerState(task(), PowerState.SOFT_REBOOT);
      expect(node.server.power).toBe('ON');
      expect(commandsSince(node, from)).not.toContain('PRESS_PWR_BTN');
    });

    it("honours the caller's timeout: waits never add up beyond it", async () => {
      opts.clock.onSleep = () => {
        node.server.power = 'ON';
      };
      await expect(power.setPowerState(task(), PowerState.OFF, { timeoutMs: 7000 })).rejects.toThrow(
        PowerStateFailure,
      );
      expect(opts.clock.sleeps).toEqual([2000, 2000, 2000]);
    });

    it('reboot() resets a node that is on and powers on a node that is off', async () => {
      const boots = node.server.boots.length;
      await power.reboot(task());
      expect(node.server.boots.at(-1)?.cause).toBe('reset');
      node.server.power = 'OFF';
      await power.reboot(task());
      expect(node.server.power).toBe('ON');
      expect(node.server.boots.at(-1)?.cause).toBe('power-on');
      expect(node.server.boots.length).toBe(boots + 2);
    });
  },
);

describe('IloPower rules', () => {
  const node = () => sim().node(1);
  const task = (fields = {}, options = {}) => taskFor(node(), sim().caFile, fields, options);
  beforeEach(() => {
    node().faults.clear();
    node().server.power = 'ON';
  });

  it('rejects an unknown target and a bad timeout before sending anything', async () => {
    const power = new IloPower(testOptions());
    const from = node().log.length;
    await expect(power.setPowerState(task(), 'error' as PowerState)).rejects.toThrow(InvalidParameterValue);
    await expect(power.setPowerState(task(), PowerState.ON, { timeoutMs: -1 })).rejects.toThrow(
      InvalidParameterValue,
    );
    expect(node().log.length).toBe(from);
  });

  it('needs an exclusive lock to change the power, not to read it', async () => {
    const power = new IloPower(testOptions());
    const shared = task({}, { shared: true });
    await expect(power.setPowerState(shared, PowerState.OFF)).rejects.toThrow(ExclusiveLockRequired);
    await expect(power.reboot(shared)).rejects.toThrow(ExclusiveLockRequired);
    expect(await power.getPowerState(shared)).toBe(PowerState.ON);
    expect(node().server.power).toBe('ON');
  });

  it('validates driver_info without network I/O, naming every missing key', async () => {
    const power = new IloPower(testOptions());
    const from = node().log.length;
    const bad = task({ driverInfo: { ilo_address: undefined, ilo_password: undefined } });
    const error = await power.validate(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingParameterValue);
    expect((error as MissingParameterValue).fields.map((f) => f.field)).toEqual([
      'ilo_address',
      'ilo_password',
    ]);
    expect(node().log.length).toBe(from);
    await expect(power.validate(task())).resolves.toBeUndefined();
  });

  it('maps any status but ON and OFF to the error state, and reboot() then does nothing', async () => {
    const clients = scriptedClients(node(), () => ({ getHostPowerStatus: async () => 'RESETTING' as 'ON' }));
    const opts = testOptions();
    const power = new IloPower({ ...opts, clients });
    try {
      expect(await power.getPowerState(task())).toBe(PowerState.ERROR);
      const from = node().log.length;
      await power.reboot(task());
      expect(commandsSince(node(), from)).not.toContain('RESET_SERVER');
      expect(opts.logger.of('warn')).toHaveLength(1);
    } finally {
      await clients.closeAll();
    }
  });

  it('powers on through the sequence OFF, ON', async () => {
    const answers = ['OFF', 'ON'];
    const clients = scriptedClients(node(), (client) => ({
      getHostPowerStatus: async () => (answers.shift() ?? (await client.getHostPowerStatus())) as 'ON',
    }));
    const opts = testOptions();
    try {
      await new IloPower({ ...opts, clients }).setPowerState(task(), PowerState.ON);
      expect(answers).toEqual([]);
      expect(opts.clock.sleeps).toEqual([2000]);
    } finally {
      await clients.closeAll();
    }
  });

  it('attaches the boot ISO again before an active node powers on or reboots, never during a rebuild', async () => {
    const bootIso = recordingBootIso();
    const power = new IloPower({ ...testOptions(), bootIso });
    const active = task({ provisionState: 'active', instanceInfo: { ilo_boot_iso: 'swift:boot-1' } });
    await power.setPowerState(active, PowerState.REBOOT);
    node().server.power = 'OFF';
    await power.setPowerState(active, PowerState.ON);
    await power.setPowerState(active, PowerState.SOFT_REBOOT);
    await power.setPowerState(active, PowerState.OFF);
    await power.setPowerState(active, PowerState.SOFT_POWER_OFF);
    expect(bootIso.calls).toEqual(['swift:boot-1', 'swift:boot-1', 'swift:boot-1']);
    const rebuilding = task({ provisionState: 'deploying', instanceInfo: { ilo_boot_iso: 'swift:boot-1' } });
    await power.setPowerState(rebuilding, PowerState.ON);
    await power.setPowerState(rebuilding, PowerState.REBOOT);
    expect(bootIso.calls).toHaveLength(3);
  });

  it('refuses to power on an active netboot node without the hook, before touching it', async () => {
    const power = new IloPower(testOptions());
    node().server.power = 'OFF';
    const from = node().log.length;
    const active = task({ provisionState: 'active', instanceInfo: { ilo_boot_iso: 'http://x/boot.iso' } });
    await expect(power.setPowerState(active, PowerState.ON)).rejects.toThrow(NotSupported);
    expect(commandsSince(node(), from)).not.toContain('SET_HOST_POWER');
    expect(node().server.power).toBe('OFF');
    await power.setPowerState(active, PowerState.OFF); // powering off needs no ISO
  });

  it('stops waiting when cancelled', async () => {
    const opts = testOptions();
    const controller = new AbortController();
    opts.clock.onSleep = () => {
      node().server.power = 'ON';
      controller.abort(new Error('operator gave up'));
    };
    const power = new IloPower(opts);
    await expect(power.setPowerState(task(), PowerState.OFF, { signal: controller.signal })).rejects.toThrow(
      'operator gave up',
    );
    expect(opts.clock.sleeps).toHaveLength(1);
    const aborted = task({}, { signal: AbortSignal.abort(new Error('task cancelled')) });
    const from = node().log.length;
    await expect(power.getPowerState(aborted)).rejects.toThrow('task cancelled');
    expect(node().log.length).toBe(from);
  });

  it('lists the five power states it sets', async () => {
    const power = new IloPower();
    expect(await power.getSupportedPowerStates(task())).toEqual([
      'power off',
      'power on',
      'rebooting',
      'soft power off',
      'soft rebooting',
    ]);
    expect(Object.keys(power.getProperties())).toEqual([
      'ilo_address',
      'ilo_username',
      'ilo_password',
      'client_port',
      'client_timeout',
      'ca_file',
      'ilo_verify_ca',
    ]);
  });
});
