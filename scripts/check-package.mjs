#!/usr/bin/env node
// Checks the packed package as consumers meet it: publint and arethetypeswrong on the tarball,
// then an empty project that installs it and uses it through `import`, `require`, the
// `ironic-ilo/testing` subpath, the `ironic-ilo` binary, and a strict TypeScript consumer.
// Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'ironic-ilo-pack-'));
const run = (cmd, args, cwd = work) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
const step = (name) => process.stdout.write(`check-package: ${name}\n`);

try {
  step('npm pack');
  run('npm', ['pack', '--silent', '--pack-destination', work], root);
  const tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz')),
  );

  step('publint');
  run('npx', ['--no-install', 'publint', '--strict', tarball], root);
  step('arethetypeswrong');
  run('npx', ['--no-install', 'attw', tarball, '--profile', 'node16'], root);

  const app = join(work, 'consumer');
  run('mkdir', ['-p', app]);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  step('install into an empty project');
  run(
    'npm',
    [
      'install',
      '--silent',
      '--no-audit',
      '--no-fund',
      tarball,
      `typescript@${requireVersion('typescript')}`,
      `@types/node@${requireVersion('@types/node')}`,
    ],
    app,
  );

  writeFileSync(
    join(app, 'esm.mjs'),
    `import { parseConfig, PowerState, InvalidParameterValue, isIronicIloError } from 'ironic-ilo';
import { createTestTask } from 'ironic-ilo/testing';
import { createRequire } from 'node:module';
const cjs = createRequire(import.meta.url)('ironic-ilo');
if (parseConfig().ilo.clientPort !== 443) throw new Error('defaults');
if (PowerState.ON !== 'power on') throw new Error('states');
if (typeof createTestTask !== 'function') throw new Error('testing subpath');
// The ESM and the CJS build are two copies in one process: errors must still match.
const e = new cjs.MissingParameterValue('x');
if (!(e instanceof InvalidParameterValue) || !isIronicIloError(e, 'INVALID_PARAMETER_VALUE')) throw new Error('cross-copy');
console.log('esm ok');
`,
  );
  writeFileSync(
    join(app, 'cjs.cjs'),
    `const lib = require('ironic-ilo');
const testing = require('ironic-ilo/testing');
if (lib.parseConfig().ilo.powerRetry !== 6) throw new Error('defaults');
if (typeof testing.createTestTask !== 'function') throw new Error('testing subpath');
console.log('cjs ok');
`,
  );
  writeFileSync(
    join(app, 'consumer.ts'),
    `import type { Node, Task, PowerInterface, CleanStep, ProvisionState } from 'ironic-ilo';
import { BootDevice, PowerState, automatedCleanSteps, parseDriverInfo } from 'ironic-ilo';
const node: Node = {
  uuid: 'u', driver: 'agent_ilo', driverInfo: { ilo_address: 'a', ilo_username: 'u', ilo_password: 'p' },
  instanceInfo: {}, driverInternalInfo: {}, properties: {}, provisionState: 'manageable', powerState: null, maintenance: false,
};
const task: Task = { node, ports: [], shared: false, save: async () => {}, processEvent: async () => {} };
const steps: CleanStep[] = [{ step: 'reset_ilo', priority: 1, abortable: false, argsinfo: null, interface: 'management' }];
const first: string | undefined = automatedCleanSteps(steps)[0]?.step;
const port: number = parseDriverInfo(task.node).clientPort;
const state: ProvisionState = 'wait call-back';
declare const power: PowerInterface;
async function f(): Promise<void> { await power.setPowerState(task, PowerState.ON); }
export { first, port, state, f, BootDevice };
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        types: ['node'],
      },
      files: ['consumer.ts'],
    }),
  );
  step('import (ESM)');
  run('node', ['esm.mjs'], app);
  step('require (CJS)');
  run('node', ['cjs.cjs'], app);
  step('tsc --strict on a consumer');
  run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], app);
  step('the ironic-ilo binary');
  const help = run('npx', ['--no-install', 'ironic-ilo', '--help'], app);
  if (!help.includes('Exit codes')) throw new Error('ironic-ilo --help did not print the exit codes');
  step('ok');
} finally {
  rmSync(work, { recursive: true, force: true });
}

function requireVersion(name) {
  const pkg = JSON.parse(
    execFileSync('node', ['-p', `JSON.stringify(require('./package.json'))`], { cwd: root }).toString(),
  );
  return (pkg.devDependencies?.[name] ?? pkg.dependencies?.[name] ?? 'latest').replace(/^[~^]/, '');
}
