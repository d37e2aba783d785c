import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { WebServerStore } from '../../../src/index.js';
import { fakeClock } from '../../helpers/fake-clock.js';

const argv = (...args: string[]) => ['node', 'ironic-ilo', ...args];

function output(spy: { mock: { calls: unknown[][] } }): string {
  return spy.mock.calls.map((c) => String(c[0])).join('');
}

describe('ironic-ilo store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('sweeps expired images and lists the rest, from flags or from ironic.conf', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cli-store-'));
    dirs.push(root);
    const past = fakeClock(Date.now() - 3_600_000);
    const store = new WebServerStore({ httpRoot: root, httpUrl: 'http://h/', clock: past });
    await store.publish('image-old', randomBytes(3), { ttlSeconds: 60 });
    await store.publish('boot.iso', randomBytes(5));

    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(
      await runCli(argv('store', 'sweep', '--http-root', root, '--http-url', 'http://h/', '--json')),
    ).toBe(0);
    expect(JSON.parse(output(out))).toEqual({ expired: ['image-old'], temporary: [] });

    out.mockClear();
    const conf = join(root, '..', `${root.split('/').pop()}.conf`);
    writeFileSync(conf, `[deploy]\nhttp_root = ${root}\nhttp_url = http://h/\n`);
    dirs.push(conf);
    expect(await runCli(argv('store', 'list', '--config-file', conf))).toBe(0);
    expect(output(out)).toBe('boot.iso  5\n');
  });

  it('exits 2 naming every missing flag', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runCli(argv('store', 'sweep'))).toBe(2);
    expect(output(err)).toMatch(/^InvalidParameterValue .*--http-root and --http-url.*\n$/);
  });
});
