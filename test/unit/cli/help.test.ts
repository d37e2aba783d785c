import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/program.js';
import { runCaptured } from '../../helpers/cli.js';

/** Every command path of the program: `[]`, `['power']`, `['power', 'status']`, … */
function paths(cmd: Command, prefix: string[] = []): string[][] {
  return [prefix, ...cmd.commands.flatMap((c) => paths(c, [...prefix, c.name()]))];
}

const all = paths(buildProgram());

describe('ironic-ilo --help', () => {
  it('covers the documented commands', () => {
    const names = all.map((p) => p.join(' '));
    for (const expected of [
      'info',
      'power status',
      'power soft-off',
      'boot-device set',
      'vmedia insert',
      'fleet info',
      'fleet power status',
      'fleet vmedia status',
      'image boot-iso',
      'store sweep',
      'iscsi-write',
      'simulator',
      'demo',
    ])
      expect(names).toContain(expected);
  });

  it.each(all.map((p) => [p.join(' ') || '(root)', p]))('%s: exits 0 and shows examples', async (_, path) => {
    const { code, out, err } = await runCaptured([...path, '--help']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('Usage: ironic-ilo');
    expect(out).toMatch(/\nExamples:\n {2}\$ (ILO_PASSWORD=… |ISCSI_CHAP_SECRET=… )?(ironic-ilo|npm run)/);
  });

  it('documents the exit codes and the environment at the top level', async () => {
    const { out } = await runCaptured(['--help']);
    expect(out).toMatch(/Exit codes:\n {2}0 +success\n {2}1 .*\n {2}2 .*\n {2}3 .*\n {2}130 /);
    expect(out).toContain('ILO_PASSWORD');
  });

  it('lists the fleet flags in the help of every fleet command', async () => {
    const { out } = await runCaptured(['fleet', 'vmedia', 'status', '--help']);
    for (const flag of ['--device', '--file', '--concurrency', '--timeout', '--ca-file', '--json']) {
      expect(out).toContain(flag);
    }
  });
});

describe('ironic-ilo errors', () => {
  it.each([
    [['frobnicate'], 2, /^error: unknown command 'frobnicate' \(see --help\)$/],
    [
      ['power', 'status', '--address', 'ilo', '--bogus'],
      2,
      /^error: unknown option '--bogus' \(see --help\)$/,
    ],
    [['power', 'status'], 2, /^error: required option '--address <host>' not specified \(see --help\)$/],
    [['fleet', 'info'], 2, /^error: required option '--file <inventory>' not specified \(see --help\)$/],
    [
      ['power', 'status', '--address', 'ilo', '--port', '0', '--ca-file', '/nonexistent', '--insecure'],
      2,
      /^InvalidParameterValue \[INVALID_PARAMETER_VALUE\]: --port must be 1–65535; ILO_PASSWORD set ILO_PASSWORD or give --password-file; --ca-file \/nonexistent does not exist; --insecure cannot be combined with --ca-file$/,
    ],
    [
      ['fleet', '--file', 'x.csv', '--concurrency', '0', '--timeout', 'soon', 'info'],
      2,
      /^InvalidParameterValue \[INVALID_PARAMETER_VALUE\]: --concurrency must be an integer from 1 to 1000; --timeout must be from 1 to 86400$/,
    ],
    [['clean-steps', '--config-file', '/nonexistent/ironic.conf'], 2, /--config-file .* cannot be read$/],
    [['demo', '--bogus'], 2, /^error: unknown option '--bogus' \(see --help\)$/],
  ] as const)('%j exits %i with one line', async (args, code, line) => {
    const run = await runCaptured(args);
    expect(run.code).toBe(code);
    expect(run.err.endsWith('\n')).toBe(true);
    expect(run.err.trimEnd().split('\n')).toHaveLength(1);
    expect(run.err.trimEnd()).toMatch(line);
  });

  it('adds the stack trace with --debug', async () => {
    const { code, err } = await runCaptured(['--debug', 'clean-steps', '--config-file', '/nonexistent']);
    expect(code).toBe(2);
    expect(err.split('\n').length).toBeGreaterThan(2);
    expect(err).toMatch(/\n {4}at /);
  });
});
