import { describe, expect, it } from 'vitest';
import { firstPersistentDevice, uefiBootOrderFor } from '../../../src/client/ribcl/boot.js';
import { ribclStatusError } from '../../../src/client/ribcl/channel.js';
import { parseRibclResponse, type RibclReply } from '../../../src/client/ribcl/response.js';
import { attr, child, childrenNamed, fieldValue } from '../../../src/client/xml.js';
import { parseXmlData } from '../../../src/client/xmldata.js';
import { IloCommandNotSupported, IloLoginFailed, IloOperationError } from '../../../src/errors/index.js';
import { ribclSample, ribclSampleNames } from '../../helpers/client-fixtures.js';

function ok(name: string) {
  const reply = parseRibclResponse(ribclSample(name));
  if (!reply.ok) throw new Error(`${name} failed: ${reply.statusText} ${reply.message}`);
  return reply;
}

function failed(name: string): Extract<RibclReply, { ok: false }> {
  const reply = parseRibclResponse(ribclSample(name));
  if (reply.ok) throw new Error(`${name} did not fail`);
  return reply;
}

function payload(name: string, tag: string) {
  const found = ok(name).payloads.find((p) => p.tag === tag);
  if (found === undefined) throw new Error(`${name} has no ${tag}`);
  return found;
}

function persistent(name: string) {
  return childrenNamed(payload(name, 'PERSISTENT_BOOT'), 'DEVICE').map((d) => {
    const description = attr(d, 'DESCRIPTION');
    return description === undefined
      ? { value: attr(d, 'value')! }
      : { value: attr(d, 'value')!, description };
  });
}

/** What each recorded reply holds; every sample file must appear here. */
const EXPECTATIONS: Record<string, () => void> = {
  GET_VM_STATUS_XML: () =>
    expect(payload('GET_VM_STATUS_XML', 'GET_VM_STATUS').attrs).toEqual({
      VM_APPLET: 'DISCONNECTED',
      DEVICE: 'FLOPPY',
      BOOT_OPTION: 'BOOT_ALWAYS',
      WRITE_PROTECT: 'NO',
      IMAGE_INSERTED: 'YES',
      IMAGE_URL: 'http://1.2.3.4/floppy.img',
    }),
  GET_VM_STATUS_CDROM_XML: () =>
    expect(payload('GET_VM_STATUS_CDROM_XML', 'GET_VM_STATUS').attrs).toMatchObject({
      DEVICE: 'CDROM',
      BOOT_OPTION: 'BOOT_ONCE',
      WRITE_PROTECT: 'YES',
      IMAGE_INSERTED: 'NO',
      IMAGE_URL: '',
    }),
  GET_VM_STATUS_ERROR_XML: () => {
    const f = failed('GET_VM_STATUS_ERROR_XML');
    expect([f.statusText, f.message]).toEqual(['0x0035', 'An invalid Virtual Media option has been given']);
    const error = ribclStatusError('GET_VM_STATUS', f, 'ProLiant DL380 Gen8', []);
    expect(error).toBeInstanceOf(IloOperationError);
    expect((error as IloOperationError).status).toBe('0x0035');
  },
  GET_ALL_LICENSES_XML: () => {
    const licence = child(payload('GET_ALL_LICENSES_XML', 'GET_ALL_LICENSES'), 'LICENSE');
    expect(
      ['LICENSE_TYPE', 'LICENSE_KEY', 'LICENSE_INSTALL_DATE', 'LICENSE_CLASS'].map((t) =>
        fieldValue(licence, t),
      ),
    ).toEqual(['iLO 3 Advanced', 'XXXXX-XXXXX-XXXXX-XXXXX', 'Mon Dec  2 15:25:28 2013', 'FQL']);
  },
  GET_ONE_TIME_BOOT_XML: () =>
    expect(fieldValue(payload('GET_ONE_TIME_BOOT_XML', 'ONE_TIME_BOOT'), 'BOOT_TYPE')).toBe('Normal'),
  GET_HOST_POWER_STATUS_XML: () =>
    expect(attr(payload('GET_HOST_POWER_STATUS_XML', 'GET_HOST_POWER'), 'HOST_POWER')).toBe('ON'),
  RESET_SERVER_XML: () => expect(ok('RESET_SERVER_XML').messages).toEqual(['Server being reset.']),
  PRESS_POWER_BTN_XML: () => expect(ok('PRESS_POWER_BTN_XML')).toMatchObject({ payloads: [], messages: [] }),
  SET_ONE_TIME_BOOT_XML: () => expect(ok('SET_ONE_TIME_BOOT_XML').payloads).toEqual([]),
  SET_VM_STATUS_XML: () => expect(ok('SET_VM_STATUS_XML').payloads).toEqual([]),
  INSERT_VIRTUAL_MEDIA_XML: () => expect(ok('INSERT_VIRTUAL_MEDIA_XML').payloads).toEqual([]),
  EJECT_VIRTUAL_MEDIA_XML: () => expect(ok('EJECT_VIRTUAL_MEDIA_XML').messages).toEqual([]),
  SET_HOST_POWER_XML: () => expect(ok('SET_HOST_POWER_XML').messages).toEqual(['Host power is already ON.']),
  HOLD_PWR_BTN_XML: () => expect(ok('HOLD_PWR_BTN_XML').messages).toEqual(['Host power is already OFF.']),
  LOGIN_FAIL_XML: () => {
    const f = failed('LOGIN_FAIL_XML');
    expect([f.status, f.message]).toEqual([0x5f, 'Login failed.']);
    expect(ribclStatusError('GET_PRODUCT_NAME', f, undefined, [])).toBeInstanceOf(IloLoginFailed);
  },
  BOOT_MODE_NOT_SUPPORTED: () => {
    const f = failed('BOOT_MODE_NOT_SUPPORTED');
    expect(f.message).toBe('Feature not supported - GET_PENDING_BOOT_MODE');
    const error = ribclStatusError('GET_PENDING_BOOT_MODE', f, 'ProLiant DL380 G7', []);
    expect(error).toBeInstanceOf(IloCommandNotSupported);
    expect(error.message).toContain('GET_PENDING_BOOT_MODE is not supported on ProLiant DL380 G7');
  },
  GET_PRODUCT_NAME: () =>
    expect(fieldValue(payload('GET_PRODUCT_NAME', 'GET_PRODUCT_NAME'), 'PRODUCT_NAME')).toBe(
      'ProLiant DL380 G7',
    ),
  RESET_ILO_XML: () =>
    expect(ok('RESET_ILO_XML').informs).toEqual([
      'Integrated Lights-Out will reset at the end of the script.',
    ]),
  RESET_ILO_CREDENTIAL_XML: () => expect(ok('RESET_ILO_CREDENTIAL_XML').payloads).toEqual([]),
  RESET_ILO_CREDENTIAL_FAIL_XML: () => {
    const f = failed('RESET_ILO_CREDENTIAL_FAIL_XML');
    expect([f.statusText, f.message]).toEqual(['0x0004', 'Password is too short.']);
    expect(ribclStatusError('MOD_USER', f, undefined, [])).toBeInstanceOf(IloOperationError);
  },
  GET_PERSISTENT_BOOT_DEVICE_HDD_UEFI_XML: () => {
    const entries = persistent('GET_PERSISTENT_BOOT_DEVICE_HDD_UEFI_XML');
    expect(firstPersistentDevice(entries)).toBe('HDD');
    expect(uefiBootOrderFor(entries, ['NETWORK'])).toEqual(['Boot0009', 'Boot0008']);
    expect(uefiBootOrderFor(entries, ['CDROM', 'HDD'])).toEqual(['Boot000B', 'Boot0007']);
  },
  GET_PERSISTENT_BOOT_DEVICE_NIC_UEFI_XML: () =>
    expect(firstPersistentDevice(persistent('GET_PERSISTENT_BOOT_DEVICE_NIC_UEFI_XML'))).toBe('NETWORK'),
  GET_PERSISTENT_BOOT_DEVICE_BIOS_XML: () => {
    const entries = persistent('GET_PERSISTENT_BOOT_DEVICE_BIOS_XML');
    expect(entries.map((e) => e.value)).toEqual(['CDROM', 'NETWORK', 'USB', 'FLOPPY', 'HDD']);
    expect(firstPersistentDevice(entries)).toBe('CDROM');
  },
  GET_PERSISTENT_BOOT_DEVICE_CDROM_UEFI_XML: () =>
    expect(firstPersistentDevice(persistent('GET_PERSISTENT_BOOT_DEVICE_CDROM_UEFI_XML'))).toBe('CDROM'),
  GET_PERSISTENT_BOOT_DEVICE_CDROM_MISSING_UEFI_XML: () => {
    const entries = persistent('GET_PERSISTENT_BOOT_DEVICE_CDROM_MISSING_UEFI_XML');
    expect(firstPersistentDevice(entries)).toBe('HDD');
    expect(uefiBootOrderFor(entries, ['CDROM'])).toEqual([]);
  },
  GET_HOST_UUID: () =>
    expect(parseXmlData(ribclSample('GET_HOST_UUID'))).toEqual({
      productName: 'ProLiant ML110 G7',
      uuid: '37363536-3636-4D32-3232-303130324A41',
    }),
  GET_HOST_HEALTH_DATA: () =>
    // Typed in ribcl-health.test.ts; here: the payload is found in the fourth document.
    expect(payload('GET_HOST_HEALTH_DATA', 'GET_EMBEDDED_HEALTH_DATA').children.map((c) => c.tag)).toContain(
      'NIC_INFOMATION',
    ),
  GET_HOST_POWER_READINGS: () => {
    const readings = payload('GET_HOST_POWER_READINGS', 'GET_POWER_READINGS');
    expect(child(readings, 'PRESENT_POWER_READING')?.attrs).toEqual({ VALUE: '37', UNIT: 'Watts' });
    expect(fieldValue(readings, 'MAXIMUM_POWER_READING')).toBe('82');
  },
  ACTIVATE_LICENSE_XML: () => expect(ok('ACTIVATE_LICENSE_XML').payloads).toEqual([]),
  ACTIVATE_LICENSE_FAIL_XML: () => {
    const f = failed('ACTIVATE_LICENSE_FAIL_XML');
    expect([f.statusText, f.message]).toEqual(['0x002E', 'License key error']);
  },
};

/** Request templates, not replies: proliantutils formats them with `%s` before sending. */
const REQUEST_TEMPLATES = new Set(['UPDATE_ILO_FIRMWARE_INPUT_XML', 'UPDATE_NONILO_FIRMWARE_INPUT_XML']);

describe('RIBCL replies recorded by proliantutils', () => {
  it('has an expectation for every reply sample', () => {
    const replies = ribclSampleNames().filter((n) => !REQUEST_TEMPLATES.has(n));
    expect(replies.filter((n) => !(n in EXPECTATIONS))).toEqual([]);
  });

  for (const [name, check] of Object.entries(EXPECTATIONS)) {
    it(`reads ${name}`, check);
  }

  it('stops at the first non-zero status, ignoring documents after it', () => {
    const text = `${ribclSample('LOGIN_FAIL_XML')}${ribclSample('GET_HOST_POWER_STATUS_XML')}`;
    const reply = parseRibclResponse(text);
    expect(reply.ok).toBe(false);
  });
});
