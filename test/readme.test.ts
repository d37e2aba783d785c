import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configTable, TABLE_END, TABLE_START } from '../scripts/config-table.js';

const ROOT = resolve(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ file: join('docs', f), text: readFileSync(join(ROOT, 'docs', f), 'utf8') }));
const PAGES = [
  { file: 'README.md', text: README },
  { file: 'examples/README.md', text: readFileSync(join(ROOT, 'examples/README.md'), 'utf8') },
  ...DOCS,
];

describe('README.md', () => {
  it('keeps the two newcomer commands', () => {
    expect(README).toContain(
      'npm install && npm run demo   # the end-to-end demo on embedded defaults\nnpm test ',
    );
  });

  it('lists every configuration option with its default and camelCase name, as the schema has them', () => {
    const start = README.indexOf(TABLE_START);
    const end = README.indexOf(TABLE_END) + TABLE_END.length;
    expect(start).toBeGreaterThan(0);
    // Compared cell by cell: the formatter pads the columns. On failure,
    // `npx tsx scripts/config-table.ts --write && npm run format` regenerates the table.
    const cells = (table: string) =>
      table.split('\n').map((row) =>
        row
          .split(/\s*\|\s*/)
          .join('|')
          .replace(/-{3,}/g, '---'),
      );
    expect(cells(README.slice(start, end))).toEqual(cells(configTable()));
    for (const option of ['[ilo] power_retry', '[deploy] http_root', '[conductor] soft_power_off_timeout'])
      expect(configTable()).toContain(`\`${option}\``);
  });

  it('keeps one marked place for the embedding example', () => {
    expect(README.match(/<!-- embedding-example:start/g)).toHaveLength(1);
    expect(README.match(/<!-- embedding-example:end -->/g)).toHaveLength(1);
  });
});

describe('the guides', () => {
  it('each have a title and the Guides group for the docs site', () => {
    for (const { file, text } of DOCS) expect(text, file).toMatch(/^---\n\n?title: .+\ngroup: Guides\n---\n/);
  });

  it('write {@link} tags in tables without a `|` (it would split the cell): `{@link ironic-ilo!X X}`', () => {
    const rows = DOCS.flatMap(({ file, text }) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('|') && /\{@link [^}]*\|/.test(l))
        .map((l) => `${file}: ${l}`),
    );
    expect(rows).toEqual([]);
  });

  it('link only to files that exist', () => {
    const broken: string[] = [];
    for (const { file, text } of PAGES) {
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        if (!existsSync(join(ROOT, dirname(file), target))) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('draw sequence diagrams mermaid can parse', async () => {
    const { default: mermaid } = await import('mermaid');
    const diagrams = DOCS.flatMap(({ file, text }) =>
      [...text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => ({ file, source: m[1]! })),
    );
    expect(diagrams.map((d) => d.file).sort()).toEqual([
      'docs/deploy-agent-ilo.md',
      'docs/deploy-iscsi-ilo.md',
      'docs/deploy-pxe-ilo.md',
    ]);
    for (const { file, source } of diagrams) {
      await expect(mermaid.parse(source), file).resolves.toMatchObject({ diagramType: 'sequence' });
    }
  });
});
