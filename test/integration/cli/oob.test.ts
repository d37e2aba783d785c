import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedIlo } from '../../../src/testing/index.js';
import { runCaptured } from '../../helpers/cli.js';
import { useSimulator } from '../../helpers/oob.js';

const PASSWORD = 'cli-oob-secret-9';
const sim = useSimulator({
  nodes: [{ model: 'ProLiant DL380 Gen9' }, { model: 'ProLiant DL380 Gen8' }],
  password: PASSWORD,
});
let dir: string;
let conf: string;
let images: Server;
let isoUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-oob-'));
  conf = join(dir, 'ironic.conf');
  writeFileSync(conf, '[ilo]\npower_wait = 0\nclean_priority_reset_ilo = 5\n');
  const iso = Buffer.alloc(64 * 1024, 0x41);
  images = createServer((req, res) => {
    res.writeHead(200, { 'Content-Length': iso.length }).end(req.method === 'HEAD' ? undefined : iso);
  });
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
  isoUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/boot.iso?temp_url_sig=abc`;
});
afterAll(async () => {
  await new Promise((r) => images.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const flags = (node: SimulatedIlo) => [
  '--address',
  node.address,
  '--port',
  String(node.port),
  '--ca-file',
  sim().caFile,
];

const run = (...args: string[]) => runCaptured(args, { ILO_PASSWORD: PASSWORD });

const json = async (...args: string[]) => {
  const { code, out, err } = await run(...args, '--json');
  expect({ code, err }).toEqual({ code: 0, err: '' });
  expect(out.trim().split('\n')).toHaveLength(1);
  return JSON.parse(out) as Record<string, unknown>;
};

describe('ironic-ilo power, boot-device, boot-mode, secure-boot', () => {
  const gen9 = () => sim().node(0);

  it('reads and changes the power', async () => {
    expect(await json('power', 'status', ...flags(gen9()))).toEqual({ powerState: 'power on' });
    expect(await json('power', 'off', ...flags(gen9()), '--config-file', conf)).toEqual({
      powerState: 'power off',
    });
    expect(gen9().server.power).toBe('OFF');
    expect(await json('power', 'on', ...flags(gen9()), '--config-file', conf)).toEqual({
      powerState: 'power on',
    });
    await json('power', 'reboot', ...flags(gen9()), '--config-file', conf);
    expect(gen9().server.boots.at(-1)?.cause).toBe('reset');
    await json('power', 'soft-reboot', ...flags(gen9()), '--config-file', conf);
    await json('power', 'soft-off', ...flags(gen9()), '--config-file', conf);
    expect(gen9().server.power).toBe('OFF');
    const { code, out } = await run('power', 'status', ...flags(gen9()));
    expect([code, out]).toEqual([0, 'power off\n']);
    gen9().server.power = 'ON';
  });

  it('sets and reads the boot device', async () => {
    expect(await json('boot-device', 'set', 'cdrom', '--persistent', ...flags(gen9()))).toEqual({
      bootDevice: 'cdrom',
      persistent: true,
    });
    expect(await json('boot-device', 'get', ...flags(gen9()))).toEqual({
      bootDevice: 'cdrom',
      persistent: true,
    });
    const bad = await run('boot-device', 'set', 'floppy', ...flags(gen9()));
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'InvalidParameterValue [INVALID_PARAMETER_VALUE]: Invalid boot device floppy specified.\n',
    );
  });

  it('reads and requests the boot mode, and reads and sets secure boot', async () => {
    expect(await json('boot-mode', 'get', ...flags(gen9()))).toEqual({
      bootMode: 'uefi',
      supportedBootModes: ['bios', 'uefi'],
    });
    expect(await json('boot-mode', 'set', 'bios', ...flags(gen9()))).toEqual({ pendingBootMode: 'bios' });
    expect(gen9().server.pendingBootMode).toBe('LEGACY');
    gen9().server.pendingBios = null;
    expect(await json('secure-boot', 'set', 'on', ...flags(gen9()))).toEqual({ secureBoot: true });
    expect(gen9().server.secureBootEnable).toBe(true);
    expect(await json('secure-boot', 'get', ...flags(gen9()))).toEqual({ secureBoot: false }); // from the next boot
    const gen8 = await run('secure-boot', 'set', 'on', ...flags(sim().node(1)));
    expect(gen8.code).toBe(3);
    expect(gen8.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('ironic-ilo vmedia, inspect, sensors, clean-steps', () => {
  it('inserts, shows and ejects virtual media', async () => {
    const node = sim().node(1);
    const inserted = await json('vmedia', 'insert', isoUrl, '--device', 'cdrom', ...flags(node));
    expect(inserted).toMatchObject({
      device: 'CDROM',
      imageInserted: true,
      imageUrl: isoUrl.replace('abc', '***'),
    });
    expect(node.server.cdrom.imageUrl).toContain('temp_url_sig=abc');
    const status = await json('vmedia', 'status', ...flags(node));
    expect(Object.keys(status)).toEqual(['floppy', 'cdrom']);
    expect(status.cdrom).toMatchObject({ device: 'CDROM', imageUrl: isoUrl.replace('abc', '***') });
    expect(await json('vmedia', 'eject', '--device', 'cdrom', ...flags(node))).toEqual({
      ejected: ['cdrom'],
    });
    expect(node.server.cdrom.inserted).toBe(false);
  });

  it('inspects: properties, capabilities and MACs', async () => {
    const node = sim().node(1);
    const result = await json('inspect', ...flags(node));
    expect(Object.keys(result)).toEqual(['properties', 'capabilities', 'macs']);
    expect(result.properties).toEqual({ memory_mb: 131072, local_gb: 557, cpus: 24, cpu_arch: 'x86_64' });
    expect(result.macs).toEqual(node.server.inventory.nics.map((n) => n.mac));
    expect(result.capabilities).toContain('server_model:ProLiant DL380 Gen8');
  });

  it("prints the sensors in Ironic's shape", async () => {
    const data = await json('sensors', ...flags(sim().node(0)));
    expect(Object.keys(data)).toEqual(expect.arrayContaining(['Temperature', 'Fan', 'Power Supply']));
  });

  it('lists the clean steps in automated order with the configured priorities', async () => {
    const steps = (await run('clean-steps', '--config-file', conf, '--json')).out;
    expect(
      (JSON.parse(steps) as Array<{ step: string; priority: number }>).map((s) => [s.step, s.priority]),
    ).toEqual([
      ['reset_ilo_credential', 30],
      ['reset_secure_boot_keys_to_default', 20],
      ['reset_bios_to_default', 10],
      ['reset_ilo', 5],
      ['clear_secure_boot_keys', 0],
      ['activate_license', 0],
    ]);
    const text = await run('clean-steps');
    expect(text.out.split('\n').slice(0, 2)).toEqual([
      'PRIORITY  INTERFACE   STEP',
      '30        management  reset_ilo_credential',
    ]);
  });
});

describe('the ironic-ilo process', () => {
  it('exits non-zero with one line, without the password, when the iLO refuses the login', async () => {
    const node = sim().node(1);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'power', 'status', ...flags(node)],
      { env: { ...process.env, ILO_PASSWORD: 'wrong-CANARY-77' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^IloOperationError \[ILO_OPERATION_ERROR\]: iLO get_power_status failed, error: iLO login failed/,
    );
    expect(stderr).not.toContain('wrong-CANARY-77');
  });
});
