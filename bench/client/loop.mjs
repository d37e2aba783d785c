/**
 * One process of the client benchmark, run on the built package (`dist/`), as users run it:
 * `getHostPowerStatus` in a loop against one iLO, or power-status sweeps over a fleet, printing
 * JSON on stdout. Start-up (imports, the product-name read of the loop) is outside the measurement.
 *
 *   node bench/client/loop.mjs calls <count> <connections.jsonl>
 *   node bench/client/loop.mjs sweep <concurrency> <connections.jsonl>
 *
 * The sweep runs twice over the same clients: first new clients (their first call also reads the
 * product name, in the same RIBCL script), then the steady state of a conductor polling power.
 */
import { readFileSync } from 'node:fs';
import { IloClient } from '../../dist/index.js';

const [mode, countText, file] = process.argv.slice(2);
const count = Number(countText);
const connections = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));

const client = (c) =>
  new IloClient({
    address: c.address,
    port: c.port,
    username: c.username,
    password: c.password,
    caFile: c.caFile,
  });

if (mode === 'calls') {
  const ilo = client(connections[0]);
  for (let i = 0; i < 20; i++) await ilo.getHostPowerStatus();
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await ilo.getHostPowerStatus();
    latencies.push((performance.now() - started) / 1000);
  }
  await ilo.close();
  process.stdout.write(`${JSON.stringify({ latencies })}\n`);
} else {
  const clients = connections.map(client);
  const sweep = async () => {
    const started = performance.now();
    let next = 0;
    let on = 0;
    const worker = async () => {
      for (let i = next++; i < clients.length; i = next++)
        if ((await clients[i].getHostPowerStatus()) === 'ON') on++;
    };
    await Promise.all(Array.from({ length: count }, worker));
    return { seconds: (performance.now() - started) / 1000, on };
  };
  const cold = await sweep();
  const warm = await sweep();
  await Promise.all(clients.map((c) => c.close()));
  process.stdout.write(`${JSON.stringify({ cold, warm, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}
