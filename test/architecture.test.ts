import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency direction of DESIGN.md § Shape: a module may import only modules of a lower
 * layer, always through their `index.ts`; `contracts` and `errors` import nothing; `testing` and
 * `cli` use the public API only. A new folder under src/ must be placed here first.
 */
const LAYER: Record<string, number> = {
  contracts: 0,
  errors: 0,
  util: 1,
  config: 2,
  client: 3,
  image: 3,
  store: 4,
  power: 5,
  management: 5,
  clean: 5,
  inspect: 6,
  boot: 6,
  deploy: 7,
  drivers: 8,
  testing: 9,
  cli: 10,
};
/** Modules that may use only the public API (`src/index.ts`), and for the CLI also `ironic-ilo/testing`. */
const PUBLIC_API_ONLY: Record<string, readonly string[]> = { testing: ['index'], cli: ['index', 'testing'] };
const NO_PACKAGES = new Set(['contracts', 'errors']);

const SRC = resolve(__dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = new Set<string>();
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g))
    specs.add(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) specs.add(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.add(m[1]!);
  return [...specs];
}

function moduleOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes('/') ? rel.split('/')[0]! : 'index';
}

function resolveRelative(from: string, spec: string): string {
  return resolve(dirname(from), spec.replace(/\.js$/, '.ts'));
}

const files = sourceFiles(SRC);

describe('architecture (DESIGN.md § Shape)', () => {
  it('places every folder under src/ in a layer', () => {
    const modules = new Set(files.map(moduleOf));
    modules.delete('index');
    expect([...modules].filter((m) => !(m in LAYER))).toEqual([]);
  });

  it('respects the dependency direction and module faces', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      for (const spec of importsOf(file)) {
        const where = `${relative(SRC, file)} imports '${spec}'`;
        if (!spec.startsWith('.')) {
          // tsconfig maps the package's own name to src/ for examples/: inside src/ it would be a cycle.
          if (/^ironic-ilo(\/|$)/.test(spec))
            violations.push(`${where}: src/ imports itself by path, not by name`);
          if (NO_PACKAGES.has(from)) violations.push(`${where}: ${from} imports nothing`);
          continue;
        }
        const target = resolveRelative(file, spec);
        const to = moduleOf(target);
        if (to === from) continue;
        if (from === 'index') continue;
        const allowed = PUBLIC_API_ONLY[from];
        if (allowed) {
          const face =
            to === 'index'
              ? relative(SRC, target) === 'index.ts'
              : relative(SRC, target) === `${to}/index.ts`;
          if (!allowed.includes(to) || !face)
            violations.push(`${where}: ${from} may use only the public API`);
          continue;
        }
        if (to === 'index') {
          violations.push(`${where}: import the module you need, not the package root`);
          continue;
        }
        if ((LAYER[to] ?? 99) >= (LAYER[from] ?? -1))
          violations.push(`${where}: ${from} must not depend on ${to}`);
        if (relative(SRC, target) !== `${to}/index.ts`)
          violations.push(`${where}: go through ${to}/index.ts`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles between files', () => {
    const graph = new Map(
      files.map((f) => [
        f,
        importsOf(f)
          .filter((s) => s.startsWith('.'))
          .map((s) => resolveRelative(f, s)),
      ]),
    );
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(SRC, p)).join(' -> '));
        return;
      }
      state.set(f, 'visiting');
      for (const next of graph.get(f) ?? []) visit(next, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
