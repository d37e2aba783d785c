import { describe, expect, it } from 'vitest';
import { IloClient } from '../../../src/index.js';
import type { SimulatedIlo } from '../../../src/testing/index.js';
import { runCaptured } from '../../helpers/cli.js';
import { G7, GEN8, GEN9, MODELS, useSimulator } from '../../helpers/oob.js';

const PASSWORD = 'info-CANARY-pw-3';
const sim = useSimulator({ nodes: MODELS.map((model) => ({ model })), password: PASSWORD });

const info = (node: SimulatedIlo, ...extra: string[]) =>
  runCaptured(
    ['info', '--address', node.address, '--port', String(node.port), '--ca-file', sim().caFile, ...extra],
    {
      ILO_PASSWORD: PASSWORD,
    },
  );

async function infoJson(node: SimulatedIlo): Promise<Record<string, unknown>> {
  const { code, out, err } = await info(node, '--json');
  expect({ code, err }).toEqual({ code: 0, err: '' });
  expect(out.trim().split('\n')).toHaveLength(1);
  return JSON.parse(out) as Record<string, unknown>;
}

describe('ironic-ilo info', () => {
  it.each([
    [G7, 'ProLiant DL380 G7', '1.82 Jan 15 2015', ['currentBootMode', 'pendingBootMode', 'secureBootMode']],
    [GEN8, 'ProLiant DL380 Gen8', '2.10 Jan 15 2015', ['secureBootMode']],
    [GEN9, 'ProLiant DL380 Gen9', '2.30 Mar 04 2015', []],
  ] as const)(
    'reads a %#: %s, iLO firmware %s, what it lacks named',
    async (i, product, firmware, lacking) => {
      const node = sim().node(i);
      const result = await infoJson(node);
      expect(result).toMatchObject({
        productName: product,
        powerStatus: node.server.power,
        licenses: [node.server.personality.license],
        oneTimeBoot: 'Normal',
        notSupported: lacking,
        virtualMedia: { floppy: { imageInserted: false }, cdrom: { imageInserted: false } },
      });
      expect(result.firmware).toContainEqual({ name: 'iLO', version: firmware });
      if (lacking.length === 0) {
        expect(result).toMatchObject({
          currentBootMode: 'UEFI',
          pendingBootMode: 'UEFI',
          secureBootMode: false,
        });
      }
      for (const field of lacking) expect(result[field]).toBeNull();
      expect(JSON.stringify(result)).not.toContain(PASSWORD);
    },
  );

  it('prints one table a person reads, with what the hardware lacks said plainly', async () => {
    const g7 = await info(sim().node(G7));
    expect(g7.code).toBe(0);
    const rows = Object.fromEntries(
      g7.out
        .trimEnd()
        .split('\n')
        .map((l) => [l.slice(0, 15).trim(), l.slice(17)]),
    );
    expect(rows).toMatchObject({
      product: 'ProLiant DL380 G7',
      licence: 'iLO 3 Advanced',
      power: 'ON',
      'boot mode': 'not supported',
      'secure boot': 'not supported',
      'one-time boot': 'none',
      floppy: 'empty',
      health: 'OK',
    });
    expect(rows.firmware).toContain('iLO 1.82 Jan 15 2015');
  });

  it('shows the pending boot mode, the one-time boot and inserted media without temp-URL signatures', async () => {
    const node = sim().node(GEN9);
    await using ilo = new IloClient(node.clientOptions());
    await ilo.setPendingBootMode('LEGACY');
    await ilo.setOneTimeBoot('CDROM');
    const url = 'http://127.0.0.1:9/boot.iso?temp_url_sig=0123abcd&temp_url_expires=99';
    await ilo.insertVirtualMedia(url, 'CDROM', { validateUrl: false });
    await ilo.setVmStatus('CDROM', 'BOOT_ONCE', true);
    try {
      const result = await infoJson(node);
      expect(result).toMatchObject({
        currentBootMode: 'UEFI',
        pendingBootMode: 'LEGACY',
        oneTimeBoot: 'CDROM',
      });
      expect(result.virtualMedia).toMatchObject({
        cdrom: { imageInserted: true, bootOption: 'BOOT_ONCE', writeProtect: true },
      });
      const text = await info(node);
      expect(text.out).toMatch(/\nboot mode +UEFI \(pending LEGACY\)\n/);
      expect(text.out).toMatch(
        /\ncdrom +http:\/\/127\.0\.0\.1:9\/boot\.iso\?temp_url_sig=\*\*\*.* \(boot once, write-protected\)\n/,
      );
      expect(text.out + JSON.stringify(result)).not.toContain('0123abcd');
    } finally {
      await ilo.ejectVirtualMedia('CDROM');
      await ilo.setPendingBootMode('UEFI');
      node.server.pendingBios = null;
    }
  });

  it('fails on one line, exit 1, when one of its reads fails, and leaves no secret behind', async () => {
    const node = sim().node(GEN8);
    node.faults.failNext(1, { command: 'GET_EMBEDDED_HEALTH', status: '0x0001', message: 'Internal error' });
    const { code, out, err } = await info(node);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^IloOperationError \[ILO_OPERATION_ERROR\]: .*Internal error/);
    expect(err).not.toContain(PASSWORD);
  });
});
