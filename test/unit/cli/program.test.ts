import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { iloConnectionFrom } from '../../../src/cli/ilo-options.js';
import { describeFailure, runCli } from '../../../src/cli/program.js';
import { IloOperationError, InvalidParameterValue, NotSupported } from '../../../src/index.js';

const argv = (...args: string[]) => ['node', 'ironic-ilo', ...args];

describe('ironic-ilo', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints help with the exit codes and exits 0', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await runCli(argv('--help'))).toBe(0);
    expect(out.mock.calls.join('')).toContain('Exit codes');
  });

  it('exits 2 on an unknown command', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runCli(argv('frobnicate'))).toBe(2);
  });

  it('maps errors to exit codes and never prints the password', () => {
    process.env.ILO_PASSWORD = 'CANARY-cli-1';
    try {
      expect(describeFailure(new InvalidParameterValue('x'), false).code).toBe(2);
      expect(describeFailure(new NotSupported({ feature: 'f', reason: 'r' }), false).code).toBe(3);
      const failed = describeFailure(
        new IloOperationError({ operation: 'login CANARY-cli-1', error: 'e' }),
        true,
      );
      expect(failed.code).toBe(1);
      expect(failed.text).not.toContain('CANARY-cli-1');
    } finally {
      delete process.env.ILO_PASSWORD;
    }
  });
});

describe('iloConnectionFrom', () => {
  it('takes the password from ILO_PASSWORD or a file, never from a flag', () => {
    const base = { address: 'ilo', port: '443', username: 'admin', insecure: false };
    expect(iloConnectionFrom(base, { ILO_PASSWORD: 'pw' }).password).toBe('pw');
    const dir = mkdtempSync(join(tmpdir(), 'pw-'));
    writeFileSync(join(dir, 'pw'), 'from-file\n');
    expect(iloConnectionFrom({ ...base, passwordFile: join(dir, 'pw') }, {}).password).toBe('from-file');
  });

  it('reports every bad flag together', () => {
    try {
      iloConnectionFrom({ address: 'ilo', port: '0', username: 'admin' }, {});
      throw new Error('expected a rejection');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidParameterValue);
      expect((e as InvalidParameterValue).fields.map((f) => f.field)).toEqual(['--port', 'ILO_PASSWORD']);
    }
  });
});
