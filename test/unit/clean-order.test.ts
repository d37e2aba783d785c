import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CleaningInterface, CleanStep } from '../../src/index.js';
import {
  automatedCleanSteps,
  CLEANING_INTERFACE_PRIORITY,
  InvalidParameterValue,
  manualCleanSteps,
} from '../../src/index.js';

const step = (
  name: string,
  priority: number,
  iface: CleaningInterface,
  argsinfo: CleanStep['argsinfo'] = null,
): CleanStep => ({
  step: name,
  priority,
  abortable: false,
  argsinfo,
  interface: iface,
});

describe('automatedCleanSteps', () => {
  it('keeps priority > 0, highest first, ties by interface power > management > deploy > raid', () => {
    const plan = automatedCleanSteps([
      step('create_configuration', 10, 'raid'),
      step('erase_devices', 10, 'deploy'),
      step('reset_ilo', 0, 'management'),
      step('reset_bios_to_default', 10, 'management'),
      step('reset_ilo_credential', 30, 'management'),
      step('power_thing', 10, 'power'),
      step('reset_secure_boot_keys_to_default', 20, 'management'),
    ]);
    expect(plan.map((s) => s.step)).toEqual([
      'reset_ilo_credential',
      'reset_secure_boot_keys_to_default',
      'power_thing',
      'reset_bios_to_default',
      'erase_devices',
      'create_configuration',
    ]);
    expect(plan.every((s) => Object.keys(s.args).length === 0)).toBe(true);
  });

  it('holds for any input: sorted, only enabled steps, input untouched', () => {
    const iface = fc.constantFrom<CleaningInterface>('power', 'management', 'deploy', 'raid');
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fc.string(), p: fc.integer({ min: 0, max: 100 }), i: iface })),
        (raw) => {
          const steps = raw.map((r) => step(r.name, r.p, r.i));
          const copy = structuredClone(steps);
          const plan = automatedCleanSteps(steps);
          expect(steps).toEqual(copy);
          expect(plan).toHaveLength(steps.filter((s) => s.priority > 0).length);
          for (let k = 1; k < plan.length; k++) {
            const a = plan[k - 1]!;
            const b = plan[k]!;
            const order =
              a.priority - b.priority ||
              CLEANING_INTERFACE_PRIORITY[a.interface] - CLEANING_INTERFACE_PRIORITY[b.interface];
            expect(order).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});

describe('manualCleanSteps', () => {
  const available = [
    step('reset_ilo', 0, 'management'),
    step('activate_license', 0, 'management', {
      ilo_license_key: { description: 'The HPE iLO Advanced license key.', required: true },
    }),
    step('update_firmware', 0, 'management', {
      firmware_update_mode: { description: 'mode', required: true },
      firmware_images: { description: 'images', required: true },
      note: { description: 'optional note' },
    }),
  ];

  it('runs the user’s steps in the user’s order, priority ignored, with their args', () => {
    const plan = manualCleanSteps(available, [
      { interface: 'management', step: 'activate_license', args: { ilo_license_key: 'K' } },
      { interface: 'management', step: 'reset_ilo' },
    ]);
    expect(plan.map((s) => [s.step, s.args])).toEqual([
      ['activate_license', { ilo_license_key: 'K' }],
      ['reset_ilo', {}],
    ]);
  });

  it('rejects unknown steps, unknown args and missing required args, all at once', () => {
    let error: InvalidParameterValue | undefined;
    try {
      manualCleanSteps(available, [
        { interface: 'management', step: 'activate_license', args: { key: 'K' } },
        { interface: 'deploy', step: 'reset_ilo' },
        {
          interface: 'management',
          step: 'update_firmware',
          args: { firmware_update_mode: 'ilo', note: 'n' },
        },
      ]);
    } catch (e) {
      error = e as InvalidParameterValue;
    }
    expect(error).toBeInstanceOf(InvalidParameterValue);
    expect(error?.fields.map((f) => f.problem)).toEqual([
      'argument(s) not expected: key',
      'required argument(s) missing: ilo_license_key',
      'is not a clean step of this driver',
      'required argument(s) missing: firmware_images',
    ]);
    expect(error?.fields[2]?.field).toBe('clean_steps[1] (deploy.reset_ilo)');
  });
});
