import { describe, expect, it } from 'vitest';
import { type CleanStep, parseConfig, withEraseDevicesPriority } from '../../../src/index.js';

const agentSteps: CleanStep[] = [
  { step: 'erase_devices', priority: 10, abortable: true, argsinfo: null, interface: 'deploy' },
  { step: 'update_firmware', priority: 0, abortable: false, argsinfo: null, interface: 'deploy' },
  { step: 'erase_devices', priority: 7, abortable: false, argsinfo: null, interface: 'raid' },
];
const priorities = (steps: CleanStep[]) => steps.map((s) => s.priority);

describe('withEraseDevicesPriority', () => {
  it("keeps the agent's priority when neither option is set", () => {
    expect(priorities(withEraseDevicesPriority(agentSteps, parseConfig()))).toEqual([10, 0, 7]);
  });

  it('[ilo] clean_priority_erase_devices = 0 disables the deploy step', () => {
    const config = parseConfig({
      ilo: { cleanPriorityEraseDevices: 0 },
      deploy: { eraseDevicesPriority: 50 },
    });
    expect(priorities(withEraseDevicesPriority(agentSteps, config))).toEqual([0, 0, 7]);
  });

  it('falls back to [deploy] erase_devices_priority', () => {
    const config = parseConfig({ deploy: { eraseDevicesPriority: 50 } });
    expect(priorities(withEraseDevicesPriority(agentSteps, config))).toEqual([50, 0, 7]);
  });

  it('leaves its input alone', () => {
    const copy = structuredClone(agentSteps);
    withEraseDevicesPriority(agentSteps, parseConfig({ ilo: { cleanPriorityEraseDevices: 99 } }));
    expect(agentSteps).toEqual(copy);
  });
});
