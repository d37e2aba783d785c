/**
 * The README's embedding example, as a reader would copy it: extracted from README.md,
 * type-checked against the sources with the project's compiler options (`ironic-ilo` and
 * `ironic-ilo/testing` mapped as tsconfig.json maps them), then run with tsx.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'readme-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The one ```ts block between the embedding-example markers. */
function embeddingExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- embedding-example:start');
  const end = readme.indexOf('<!-- embedding-example:end -->');
  const blocks = [...readme.slice(start, end).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  expect(blocks).toHaveLength(1);
  return blocks[0] as string;
}

/** Type errors of `file` under the project's compiler options, one line each. */
function typeErrors(file: string): string[] {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, undefined, configPath);
  const program = ts.createProgram([file], { ...options, noEmit: true });
  const source = program.getSourceFile(file);
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  return diagnostics.map((d) => {
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `line ${at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('README.md: the embedding example', () => {
  const code = embeddingExample();
  // .mts: an ES module wherever it lies (top-level await, `await using`).
  const file = join(dir, 'embedding.mts');
  writeFileSync(file, code);

  it('is some forty lines of code on the public API', () => {
    const lines = code.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//'));
    expect(lines.length).toBeLessThanOrEqual(42);
    const imports = [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(['ironic-ilo', 'ironic-ilo/testing']));
    expect(code).toContain('createAgentIloDriver(');
  });

  it('type-checks', () => {
    expect(typeErrors(file)).toEqual([]);
  }, 120_000);

  it('runs: the node is inspected, cleaned and deployed, and boots its disk', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
      cwd: ROOT, // tsx maps ironic-ilo to the sources through tsconfig.json's paths
      timeout: 120_000,
    });
    expect(stdout.trim()).toBe('active 262144 HDD');
  }, 120_000);
});
