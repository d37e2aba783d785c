import type { Command } from 'commander';
import { IloPower, InvalidParameterValue, PowerState } from '../../index.js';
import { EXAMPLE_ILO, withExamples } from '../help.js';
import { addNodeCommand } from '../node-command.js';
import { addRead, powerStatus } from '../reads/index.js';

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
  withExamples(
    power,
    `ironic-ilo power status ${EXAMPLE_ILO}`,
    `ironic-ilo power soft-off ${EXAMPLE_ILO} --timeout 300`,
  );
  addRead(power, powerStatus);
  for (const [name, { state, description }] of Object.entries(ACTIONS)) {
    const wait = name.startsWith('soft')
      ? '[conductor] soft_power_off_timeout'
      : '[ilo] power_retry × power_wait';
    addNodeCommand(power, {
      name,
      description: `${description}; waits ${wait}, or --timeout`,
      configure: (cmd) =>
        cmd.option('--timeout <seconds>', `how long to wait for the state (default: ${wait})`),
      examples: [
        `ironic-ilo power ${name} ${EXAMPLE_ILO}`,
        `ironic-ilo power ${name} ${EXAMPLE_ILO} --config-file /etc/ironic/ironic.conf --json`,
      ],
      async run({ task, options }, _args, opts) {
        const timeoutMs = timeoutOf(opts.timeout);
        const o = timeoutMs === undefined ? {} : { timeoutMs };
        const iface = new IloPower(options);
        if (state === PowerState.REBOOT) await iface.reboot(task, o);
        else await iface.setPowerState(task, state, o);
        const off = state === PowerState.OFF || state === PowerState.SOFT_POWER_OFF;
        return { powerState: off ? PowerState.OFF : PowerState.ON };
      },
    });
  }
}
