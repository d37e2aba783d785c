import { describe, expect, it } from 'vitest';
import { IloClient, iloClientOptionsFrom } from '../../../src/client/index.js';
import { resolveClientOptions } from '../../../src/client/options.js';
import { InvalidParameterValue, MissingParameterValue } from '../../../src/errors/index.js';

const base = { address: '10.0.0.5', username: 'Administrator', password: 'pw' };

describe('IloClient options', () => {
  it('applies defaults', () => {
    const o = resolveClientOptions(base);
    expect(o).toMatchObject({
      origin: 'https://10.0.0.5:443',
      timeoutMs: 60_000,
      connectTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      maxConcurrentRequests: 2,
      insecure: false,
      retry: { attempts: 3, minDelayMs: 250, maxDelayMs: 2000 },
    });
    expect(resolveClientOptions({ ...base, address: 'fe80::1', port: 8443 }).origin).toBe(
      'https://[fe80::1]:8443',
    );
  });

  it('names every bad field at once', () => {
    let error: unknown;
    try {
      new IloClient({
        address: 'https://x/',
        port: 70000,
        username: '',
        password: 'pw',
        timeoutMs: -1,
        caFile: '/nonexistent/ca.pem',
        retry: { attempts: 0 },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingParameterValue);
    expect((error as InvalidParameterValue).fields.map((f) => f.field).sort()).toEqual(
      ['address', 'caFile', 'port', 'retry.attempts', 'timeoutMs', 'username'].sort(),
    );
    expect((error as Error).message).not.toContain('pw');
  });

  it('refuses insecure together with a CA', () => {
    expect(() => resolveClientOptions({ ...base, insecure: true, ca: 'PEM' })).toThrow(InvalidParameterValue);
  });

  it('maps driver_info to client options', () => {
    const info = {
      iloAddress: 'ilo1',
      iloUsername: 'u',
      iloPassword: 'p',
      clientPort: 8443,
      clientTimeout: 30,
    };
    expect(iloClientOptionsFrom({ ...info, verifyCa: true })).toEqual({
      address: 'ilo1',
      port: 8443,
      username: 'u',
      password: 'p',
      timeoutMs: 30_000,
    });
    expect(iloClientOptionsFrom({ ...info, verifyCa: false }).insecure).toBe(true);
    expect(iloClientOptionsFrom({ ...info, verifyCa: '/etc/ca.pem' }).caFile).toBe('/etc/ca.pem');
  });
});
