/**
 * One process of the client benchmark: `getHostPowerStatus` in a loop against one iLO, or a
 * power-status sweep over a fleet, printing JSON on stdout. Start-up (imports, the product-name
 * read) is outside the measurement.
 *
 *   tsx bench/client/loop.ts calls <count> <connection.json>
 *   tsx bench/client/loop.ts sweep <concurrency> <connections.jsonl>
 *
 * The sweep runs twice over the same clients: the first pays each client's product-name read
 * (one more RIBCL request per iLO), the second is the steady state of a conductor polling power.
 */
import { readFileSync } from 'node:fs';
import { IloClient } from '../../src/index.js';
import type { SimulatedConnection } from '../../src/testing/index.js';

const [mode, countText, file] = process.argv.slice(2);
const count = Number(countText);
const connections = readFileSync(file!, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as SimulatedConnection);

function client(c: SimulatedConnection): IloClient {
  return new IloClient({
    address: c.address,
    port: c.port,
    username: c.username,
    password: c.password,
    caFile: c.caFile,
  });
}

if (mode === 'calls') {
  const ilo = client(connections[0]!);
  for (let i = 0; i < 20; i++) await ilo.getHostPowerStatus();
  const latencies: number[] = [];
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
        if ((await clients[i]!.getHostPowerStatus()) === 'ON') on++;
    };
    await Promise.all(Array.from({ length: count }, worker));
    return { seconds: (performance.now() - started) / 1000, on };
  };
  const cold = await sweep();
  const warm = await sweep();
  await Promise.all(clients.map((c) => c.close()));
  process.stdout.write(`${JSON.stringify({ cold, warm, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}
