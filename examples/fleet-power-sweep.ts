/**
 * A power sweep across many iLOs, at most a few at a time: what a conductor's periodic power
 * sync does, with the library's typed client and errors.
 *
 *   ILO_PASSWORD=… ILO_CA_FILE=/etc/ironic/ilo-ca.pem npx tsx examples/fleet-power-sweep.ts 10.0.0.5 10.0.0.6:8443
 *
 * Without addresses it starts 40 simulated iLOs (`ironic-ilo/testing`), turns a few off, and
 * sweeps those: try it anywhere.
 */
import { IloClient, type IloClientOptions, type IloPowerStatus, isIronicIloError } from 'ironic-ilo';
import { IloSimulator } from 'ironic-ilo/testing';

/** iLOs read at once: enough to hide each one's latency without flooding the management network. */
const CONCURRENCY = 8;

/** Runs `task` for every item, never more than `limit` at once. */
async function eachBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

type Outcome = { ilo: string; power: IloPowerStatus } | { ilo: string; error: string };

/** Reads one iLO's power, giving up after 30 s; a failure becomes a result, not an exception. */
async function powerOf(options: IloClientOptions): Promise<Outcome> {
  const ilo = `${options.address}:${options.port ?? 443}`;
  // `await using` closes the client (its keep-alive connections) however the block ends.
  await using client = new IloClient(options);
  try {
    return { ilo, power: await client.getHostPowerStatus({ signal: AbortSignal.timeout(30_000) }) };
  } catch (error) {
    // Every error of the library has a stable code: ILO_LOGIN_FAILED, ILO_CONNECTION_ERROR, ILO_TIMEOUT, …
    return { ilo, error: isIronicIloError(error) ? error.code : String(error) };
  }
}

/** The iLOs named on the command line, or simulated ones (closed by the returned function). */
async function targets(): Promise<{ ilos: IloClientOptions[]; done: () => Promise<void> }> {
  const named = process.argv.slice(2);
  if (named.length > 0) {
    const password = process.env.ILO_PASSWORD;
    if (!password) throw new Error('set ILO_PASSWORD');
    const ilos = named.map((arg) => {
      const [address, port] = arg.split(':');
      return {
        address: address!,
        ...(port === undefined ? {} : { port: Number(port) }),
        username: process.env.ILO_USERNAME ?? 'Administrator',
        password,
        ...(process.env.ILO_CA_FILE ? { caFile: process.env.ILO_CA_FILE } : {}),
      };
    });
    return { ilos, done: async () => {} };
  }
  const sim = await IloSimulator.start({ nodes: 40, model: 'ProLiant DL360 Gen9' });
  for (const node of sim.nodes.filter((_, i) => i % 5 === 0)) node.server.power = 'OFF';
  // clientOptions() carries the simulator's CA: TLS stays verified, as it should with real iLOs.
  return { ilos: sim.nodes.map((n) => n.clientOptions()), done: () => sim.close() };
}

const { ilos, done } = await targets();
try {
  const outcomes = await eachBounded(ilos, CONCURRENCY, powerOf);
  for (const o of outcomes)
    console.log(`${o.ilo.padEnd(22)} ${'power' in o ? o.power : `FAILED ${o.error}`}`);
  const count = (f: (o: Outcome) => boolean) => outcomes.filter(f).length;
  console.log(
    `${outcomes.length} iLOs: ${count((o) => 'power' in o && o.power === 'ON')} on, ` +
      `${count((o) => 'power' in o && o.power === 'OFF')} off, ${count((o) => 'error' in o)} failed`,
  );
  process.exitCode = count((o) => 'error' in o) > 0 ? 1 : 0;
} finally {
  await done();
}
