import type { Command } from 'commander';
import { IloPower, InvalidParameterValue, PowerState } from '../../index.js';
import { cliNode, withNodeOptions } from '../node-task.js';
import { printResult } from '../output.js';

const ACTIONS: Record<string, { state: PowerState; description: string }> = {
  on: { state: PowerState.ON, description: 'power on and wait until the server is on' },
  off: { state: PowerState.OFF, description: 'hard power off (hold the power button) and wait' },
  'soft-off': {
    state: PowerState.SOFT_POWER_OFF,
    description: 'press the power button (ACPI shutdown) and wait',
  },
  reboot: {
    state: PowerState.REBOOT,
    description: 'hard reboot (reset; a server that is off is powered on)',
  },
  'soft-reboot': { state: PowerState.SOFT_REBOOT, description: 'soft power off, then power on' },
};

function timeoutOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidParameterValue('--timeout must be a positive number of seconds', {
      fields: [{ field: '--timeout', problem: 'must be a positive number of seconds' }],
    });
  }
  return seconds * 1000;
}

/** `ironic-ilo power status|on|off|soft-off|reboot|soft-reboot`. */
export function registerPower(program: Command): void {
  const power = program.command('power').description("read or change a server's power (Ironic's IloPower)");
  withNodeOptions(power.command('status').description('print the power state')).action(async (opts) => {
    const { task, options } = cliNode(opts);
    const powerState = await new IloPower(options).getPowerState(task);
    printResult(opts.json ? { powerState } : powerState, opts.json === true);
  });
  for (const [name, { state, description }] of Object.entries(ACTIONS)) {
    const cmd = power
      .command(name)
      .description(
        `${description}; waits ${name.startsWith('soft') ? '[conductor] soft_power_off_timeout' : '[ilo] power_retry × power_wait'}, or --timeout`,
      )
      .option('--timeout <seconds>', 'how long to wait for the state');
    withNodeOptions(cmd).action(async (opts) => {
      const timeoutMs = timeoutOf(opts.timeout);
      const { task, options } = cliNode(opts);
      const iface = new IloPower(options);
      const o = timeoutMs === undefined ? {} : { timeoutMs };
      if (state === PowerState.REBOOT) await iface.reboot(task, o);
      else await iface.setPowerState(task, state, o);
      const powerState =
        state === PowerState.OFF || state === PowerState.SOFT_POWER_OFF ? PowerState.OFF : PowerState.ON;
      printResult(opts.json ? { powerState } : powerState, opts.json === true);
    });
  }
}
