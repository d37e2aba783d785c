import { describe, expect, it } from 'vitest';
import type { InstanceInfo } from '../../src/index.js';
import {
  formatCapabilities,
  InvalidParameterValue,
  instanceCapabilities,
  isGlanceImage,
  MissingParameterValue,
  mergeCapabilities,
  parseCapabilities,
  parseInstanceInfo,
} from '../../src/index.js';

const parse = (instanceInfo: InstanceInfo, isWhole?: boolean) =>
  parseInstanceInfo({
    instanceInfo,
    driverInternalInfo: isWhole === undefined ? {} : { is_whole_disk_image: isWhole },
  });

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidParameterValue) return e.fields.map((f) => f.field);
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('parseInstanceInfo', () => {
  it('accepts a whole-disk HTTP image (no kernel, no ramdisk)', () => {
    const info = parse({ image_source: 'http://img/disk.qcow2', image_checksum: 'abc' });
    expect(info.isWholeDiskImage).toBe(true);
    expect(info.bootOption).toBe('netboot');
    expect(info.swapMb).toBe(0);
    expect(info.rootGb).toBeUndefined();
  });

  it('requires root_gb, and for non-Glance partition images kernel and ramdisk', () => {
    expect(() => parse({ image_source: 'http://img/p.img', kernel: 'http://k' })).toThrow(
      MissingParameterValue,
    );
    expect(fieldsOf(() => parse({ image_source: 'http://img/p.img', kernel: 'http://k' }))).toEqual([
      'ramdisk',
      'root_gb',
    ]);
  });

  it('does not require kernel/ramdisk for a Glance partition image', () => {
    const info = parse({ image_source: '0e8a5b8c-5a4f-4f2f-9d54-3e3a1b7c9d10', root_gb: '10' }, false);
    expect(info.rootGb).toBe(10);
    expect(info.isWholeDiskImage).toBe(false);
  });

  it('reports every bad field together', () => {
    expect(
      fieldsOf(() =>
        parse(
          {
            root_gb: 'x',
            swap_mb: -1,
            ephemeral_gb: 'y',
            capabilities: { boot_mode: 'legacy', boot_option: 'local' },
            deploy_boot_mode: 'x',
          },
          false,
        ),
      ),
    ).toEqual([
      'image_source',
      'root_gb',
      'swap_mb',
      'ephemeral_gb',
      'capabilities.boot_mode',
      'deploy_boot_mode',
    ]);
  });

  it('reads capabilities from a dict or a JSON string', () => {
    expect(parse({ image_source: 'http://x', capabilities: '{"boot_option": "local"}' }).bootOption).toBe(
      'local',
    );
    expect(instanceCapabilities({ capabilities: { secure_boot: 'true', n: 1 } })).toEqual({
      secure_boot: 'true',
      n: '1',
    });
    expect(() => instanceCapabilities({ capabilities: '{oops' })).toThrow(InvalidParameterValue);
  });
});

describe('capabilities strings', () => {
  it('parses, formats and merges keeping the operator’s keys', () => {
    expect(parseCapabilities('boot_mode:uefi,secure_boot:true')).toEqual({
      boot_mode: 'uefi',
      secure_boot: 'true',
    });
    expect(parseCapabilities('')).toEqual({});
    expect(parseCapabilities('url:http://x')).toEqual({ url: 'http://x' });
    expect(formatCapabilities({ a: '1', b: '2' })).toBe('a:1,b:2');
    expect(
      new Set(mergeCapabilities('foo:bar,boot_mode:bios', { boot_mode: 'uefi', x: 'y' }).split(',')),
    ).toEqual(new Set(['foo:bar', 'boot_mode:uefi', 'x:y']));
  });

  it('rejects a malformed string', () => {
    expect(() => parseCapabilities('foo')).toThrow("Invalid capabilities string 'foo'.");
    expect(() => mergeCapabilities('a:1,,b', {})).toThrow(InvalidParameterValue);
  });

  it('recognises Glance references', () => {
    expect(isGlanceImage('glance://abc')).toBe(true);
    expect(isGlanceImage('0e8a5b8c-5a4f-4f2f-9d54-3e3a1b7c9d10')).toBe(true);
    expect(isGlanceImage('http://x/y')).toBe(false);
    expect(isGlanceImage(undefined)).toBe(false);
  });
});
