// Child process of bench/agent.bench.ts: `count` standby.sync commands (?wait=true) sent by
// AgentClient from the built package (dist/), as a user would run it, to the agent at `url`.
// Prints {"seconds", "count", "cpuSeconds", "peakRssMiB"} for the loop alone.
//
//   node bench/agent-client.mjs <url> <count>
import { AgentClient } from '../dist/index.js';

const [url, count] = process.argv.slice(2);
const node = { uuid: 'bench-node', driverInternalInfo: { agent_url: url } };
const client = new AgentClient();
await client.sync(node); // connection set up outside the measured loop, as for the Python client
const cpuBefore = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < Number(count); i++) await client.sync(node);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
await client.close();
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ seconds, count: Number(count), cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB })}\n`,
);
