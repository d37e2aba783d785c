import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // examples/ import the package by name, as its users do (tsconfig.json has the same paths).
    alias: [
      { find: /^ironic-ilo\/testing$/, replacement: src('testing/index.ts') },
      { find: /^ironic-ilo$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Integration suites start real peers (Swift, nginx, tgt, QEMU); keep the
    // machine's two cores for them rather than for many parallel workers.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
