import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DriverInfo } from '../../src/index.js';
import {
  InvalidParameterValue,
  MissingParameterValue,
  parseConfig,
  parseDriverInfo,
} from '../../src/index.js';

const CANARY = 'CANARY-pw-5b0e0c7e';
const good: DriverInfo = { ilo_address: '10.0.0.5', ilo_username: 'admin', ilo_password: CANARY };

function failure(driverInfo: DriverInfo): InvalidParameterValue {
  try {
    parseDriverInfo({ driverInfo }, parseConfig());
  } catch (e) {
    if (e instanceof InvalidParameterValue) return e;
    throw e;
  }
  throw new Error('expected parseDriverInfo to fail');
}

function allText(e: Error): string {
  return `${e.message}\n${String(e)}\n${JSON.stringify(e)}\n${e.stack ?? ''}`;
}

describe('parseDriverInfo', () => {
  it('returns typed, camel-cased values with the configured defaults', () => {
    const info = parseDriverInfo({ driverInfo: good }, parseConfig({ ilo: { clientTimeout: 30 } }));
    expect(info).toEqual({
      iloAddress: '10.0.0.5',
      iloUsername: 'admin',
      iloPassword: CANARY,
      clientPort: 443,
      clientTimeout: 30,
      verifyCa: true,
    });
  });

  it('converts string port and timeout to integers and validates console_port', () => {
    const info = parseDriverInfo({
      driverInfo: { ...good, client_port: '8443', client_timeout: '5', console_port: '9000' },
    });
    expect(info.clientPort).toBe(8443);
    expect(info.clientTimeout).toBe(5);
    expect(info.consolePort).toBe(9000);
  });

  it.each(['ilo_address', 'ilo_username', 'ilo_password'] as const)('reports a missing %s', (key) => {
    const { [key]: _omitted, ...rest } = good;
    const e = failure(rest);
    expect(e).toBeInstanceOf(MissingParameterValue);
    expect(e.message).toBe(
      `The following required iLO parameters are missing from the node's driver_info: ['${key}']`,
    );
  });

  it('reports several missing keys together, with the other bad fields', () => {
    const e = failure({ ilo_username: 'admin', client_port: 'qwe' });
    expect(e).toBeInstanceOf(MissingParameterValue);
    expect(e.message).toContain("missing from the node's driver_info: ['ilo_address', 'ilo_password']");
    expect(e.fields.map((f) => f.field)).toEqual(['ilo_address', 'ilo_password', 'client_port']);
  });

  it.each(['65536', 'qwe', 0, -1, '1.5'])('rejects client_port %j', (port) => {
    const e = failure({ ...good, client_port: port });
    expect(e).not.toBeInstanceOf(MissingParameterValue);
    expect(e.fields.map((f) => f.field)).toEqual(['client_port']);
  });

  it('rejects a non-integer client_timeout with Ironic’s message', () => {
    const e = failure({ ...good, client_timeout: 'qwe' });
    expect(e.message).toBe(
      "The following iLO parameters from the node's driver_info should be integers: ['client_timeout']",
    );
  });

  it.each(['-1', 'invalid'])('rejects console_port %j', (port) => {
    expect(failure({ ...good, console_port: port }).fields.map((f) => f.field)).toEqual(['console_port']);
  });

  it('reports invalid port and timeout together', () => {
    expect(
      failure({ ...good, client_port: '65536', client_timeout: 'x' }).fields.map((f) => f.field),
    ).toEqual(['client_port', 'client_timeout']);
  });

  it('resolves TLS verification: ca_file, then ilo_verify_ca, then [ilo]', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, 'x');
    expect(parseDriverInfo({ driverInfo: { ...good, ca_file: ca, ilo_verify_ca: 'False' } }).verifyCa).toBe(
      ca,
    );
    expect(parseDriverInfo({ driverInfo: { ...good, ilo_verify_ca: 'False' } }).verifyCa).toBe(false);
    expect(parseDriverInfo({ driverInfo: good }, parseConfig({ ilo: { caFile: ca } })).verifyCa).toBe(ca);
    expect(parseDriverInfo({ driverInfo: good }, parseConfig({ ilo: { verifyCa: 'false' } })).verifyCa).toBe(
      false,
    );
    expect(failure({ ...good, ca_file: join(dir, 'missing.pem') }).fields.map((f) => f.field)).toEqual([
      'ca_file',
    ]);
    expect(failure({ ...good, ilo_verify_ca: 'perhaps' }).fields.map((f) => f.field)).toEqual([
      'ilo_verify_ca',
    ]);
  });

  it('never puts the password in any error, whatever else is wrong', () => {
    const cases: DriverInfo[] = [
      { ilo_password: CANARY },
      { ...good, client_port: '99999' },
      { ...good, client_timeout: 'qwe', console_port: 'x' },
      { ...good, ilo_verify_ca: 'nope' },
      { ilo_address: CANARY.slice(0, 3), ilo_password: CANARY, client_port: '0' },
    ];
    for (const driverInfo of cases) {
      const e = failure(driverInfo);
      expect(allText(e)).not.toContain(CANARY);
    }
  });
});
