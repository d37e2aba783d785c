/**
 * Our side of `npm run bench -- oob`, on the built package (`dist/`), as users run it: one
 * operation of the out-of-band interfaces in a loop against one simulated iLO, timing each.
 *
 *   node bench/oob/loop.mjs power|cycle|inspect pool|per-operation <count> <connection.json>
 *
 * `pool` lends one kept client (IloClientPool); `per-operation` makes a client per operation as
 * Ironic did (the library's default). power_wait = 0, so that only the iLO traffic is timed.
 * Prints one JSON line: {"latencies": [seconds...], "maxRssKb": n}.
 */
import { readFileSync } from 'node:fs';
import { IloClientPool, IloPower, Inspector, parseConfig, perOperationClients } from '../../dist/index.js';
import { createTestTask, MemoryPortRegistry } from '../../dist/testing/index.js';

const [kind, clientsKind, countText, file] = process.argv.slice(2);
const count = Number(countText);
const c = JSON.parse(readFileSync(file, 'utf8'));
const clients = clientsKind === 'pool' ? new IloClientPool() : perOperationClients();
const options = { config: parseConfig({ ilo: { powerWait: 0 } }), clients };
const power = new IloPower(options);
const inspector = new Inspector({ ...options, ports: new MemoryPortRegistry() });
const task = () =>
  createTestTask({
    uuid: 'bench',
    driverInfo: {
      ilo_address: c.address,
      client_port: c.port,
      ilo_username: c.username,
      ilo_password: c.password,
      ca_file: c.caFile,
    },
  });

const operations = {
  power: () => power.getPowerState(task()),
  cycle: async () => {
    await power.setPowerState(task(), 'power off');
    await power.setPowerState(task(), 'power on');
  },
  inspect: () => inspector.inspect(task()),
};
const operation = operations[kind];
for (let i = 0; i < 10; i++) await operation();
const latencies = [];
for (let i = 0; i < count; i++) {
  const started = performance.now();
  await operation();
  latencies.push((performance.now() - started) / 1000);
}
if (clientsKind === 'pool') await clients.close();
process.stdout.write(`${JSON.stringify({ latencies, maxRssKb: process.resourceUsage().maxRSS })}\n`);
