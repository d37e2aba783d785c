/**
 * One process of the client benchmark: `getHostPowerStatus` in a loop against one iLO, or a
 * power-status sweep over a fleet, printing JSON on stdout. Start-up (imports, the product-name
 * read) is outside the measurement.
 *
 *   tsx bench/client/loop.ts calls <count> <connection.json>
 *   tsx bench/client/loop.ts sweep <concurrency> <connections.jsonl>
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
  const started = performance.now();
  let next = 0;
  let on = 0;
  const worker = async () => {
    for (let i = next++; i < clients.length; i = next++) {
      if ((await clients[i]!.getHostPowerStatus()) === 'ON') on++;
      await clients[i]!.close();
    }
  };
  await Promise.all(Array.from({ length: count }, worker));
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ seconds, on, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}
