import { describe, expect, it } from 'vitest';
import { createTestTask, RecordingPxeConfigurator } from '../../../src/testing/index.js';

describe('RecordingPxeConfigurator', () => {
  it('records every call, knows what each node boots, and fails on request without changing anything', async () => {
    const pxe = new RecordingPxeConfigurator();
    const task = createTestTask(
      { driver: 'pxe_ilo' },
      { ports: [{ uuid: 'p', address: '52:54:00:00:00:01' }] },
    );
    const ramdisk = {
      deployKernel: 'http://i/k',
      deployRamdisk: 'http://i/r',
      params: { 'ipa-api-url': 'http://api' },
      bootMode: 'bios' as const,
    };
    await pxe.validate(task);
    await pxe.prepareRamdisk(task, ramdisk);
    expect(pxe.configOf(task.node.uuid)).toEqual({ kind: 'ramdisk', request: ramdisk });
    ramdisk.params['ipa-api-url'] = 'changed';
    expect(
      ((pxe.configOf(task.node.uuid) ?? { request: ramdisk }).request as typeof ramdisk).params[
        'ipa-api-url'
      ],
    ).toBe('http://api');

    pxe.failNext('prepareInstance', new Error('tftp full'));
    const instance = {
      bootOption: 'netboot' as const,
      bootMode: 'bios' as const,
      isWholeDiskImage: false,
      rootUuid: 'r',
    };
    await expect(pxe.prepareInstance(task, instance)).rejects.toThrow('tftp full');
    expect(pxe.configOf(task.node.uuid)?.kind).toBe('ramdisk');
    await pxe.cleanUpRamdisk(task);
    await pxe.prepareInstance(task, instance);
    expect(pxe.configOf(task.node.uuid)?.kind).toBe('instance');
    await pxe.cleanUpRamdisk(task);
    expect(pxe.configOf(task.node.uuid)?.kind).toBe('instance');
    await pxe.cleanUpInstance(task);
    expect(pxe.configOf(task.node.uuid)).toBeUndefined();
    expect(pxe.calls.map((c) => [c.method, c.error === undefined])).toEqual([
      ['validate', true],
      ['prepareRamdisk', true],
      ['prepareInstance', false],
      ['cleanUpRamdisk', true],
      ['prepareInstance', true],
      ['cleanUpRamdisk', true],
      ['cleanUpInstance', true],
    ]);
    expect(pxe.calls[1]?.macs).toEqual(['52:54:00:00:00:01']);
  });
});
