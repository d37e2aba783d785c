import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const TSX = resolve(__dirname, '../../../node_modules/tsx/dist/cli.mjs');
const IMAGE = resolve(__dirname, '../../../src/image/index.ts');

it('removes the partial file when the process exits in the middle of writeToFile (as on Ctrl-C)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exit-'));
  const script = join(dir, 'writer.mts');
  writeFileSync(
    script,
    `import { buildIsoImage } from ${JSON.stringify(IMAGE)};
const endless = (async function* () {
  for (let i = 0; ; i++) {
    yield new Uint8Array(1 << 16);
    if (i === 20) setTimeout(() => process.exit(130), 0);
    await new Promise((r) => setTimeout(r, 5));
  }
})();
const iso = await buildIsoImage({ files: [{ path: 'ramdisk', input: { size: 1 << 30, stream: endless } }] });
await iso.writeToFile(${JSON.stringify(join(dir, 'out', 'boot.iso'))});
`,
  );
  const out = join(dir, 'out');
  mkdirSync(out);
  const child = spawnSync(process.execPath, [TSX, script], { encoding: 'utf8', timeout: 60_000 });
  expect(child.status, child.stderr).toBe(130);
  expect(readdirSync(out)).toEqual([]);
});
