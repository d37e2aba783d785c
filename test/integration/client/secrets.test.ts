import { inspect } from 'node:util';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeXmlAttribute } from '../../../src/client/ribcl/request.js';
import { IloClient, type IloClientOptions, type Logger } from '../../../src/index.js';
import { IloSimulator } from '../../../src/testing/index.js';

/** A password with every character that has another form in XML, Basic auth or URLs. */
const CANARY = `c4n4ry<&>'"%2F-7f3Q`;
const WRONG = `${CANARY}-wrong`;
const NEW_PASSWORD = `n3w-${CANARY}`;
const LICENSE = 'c4nary-l1cense-k3y'; // not a valid key format: the iLO refuses it
const forms = (s: string) => [
  s,
  escapeXmlAttribute(s),
  encodeURIComponent(s),
  Buffer.from(`Administrator:${s}`).toString('base64'),
];
const SECRET_FORMS = [CANARY, WRONG, NEW_PASSWORD, LICENSE].flatMap(forms);

let sim: IloSimulator;
const lines: string[] = [];
const logger: Logger = Object.fromEntries(
  ['debug', 'info', 'warn', 'error'].map((level) => [
    level,
    (message: string, fields?: object) => lines.push(`${level} ${message} ${inspect(fields, { depth: 8 })}`),
  ]),
) as unknown as Logger;

beforeAll(async () => {
  sim = await IloSimulator.start({
    nodes: [{ model: 'ProLiant DL380 Gen8' }, { model: 'ProLiant DL380 Gen9' }],
    password: CANARY,
  });
});
afterAll(() => sim.close());

function client(i: number, extra: Partial<IloClientOptions> = {}): IloClient {
  return new IloClient(
    sim.node(i).clientOptions({ logger, retry: { attempts: 2, minDelayMs: 5 }, ...extra }),
  );
}

/** Every textual form an error can reach a user or a log in, its cause chain included. */
function everyForm(error: unknown): string {
  const e = error as Error;
  return [String(e), e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })].join(
    '\n',
  );
}

async function failure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return everyForm(error);
  }
  throw new Error('expected a failure');
}

function expectClean(text: string): void {
  for (const secret of SECRET_FORMS) expect(text).not.toContain(secret);
}

describe('secrets never reach errors or logs', () => {
  const paths: Record<string, () => Promise<string>> = {
    'RIBCL login failure': () => failure(() => client(0, { password: WRONG }).getHostPowerStatus()),
    'RIS login failure': async () => {
      const ilo = client(1);
      await ilo.getProductName();
      sim.node(1).server.users[0]!.password = 'rotated-elsewhere';
      try {
        return await failure(() => ilo.getHostPowerStatus());
      } finally {
        sim.node(1).server.users[0]!.password = CANARY;
      }
    },
    'an iLO message echoing the script': async () => {
      const ilo = client(0);
      await ilo.getProductName();
      sim.node(0).faults.failNext(1, { message: `Error: syntax error near "PASSWORD=${CANARY}"` });
      return failure(() => ilo.getHostPowerStatus());
    },
    'connection refused': () => failure(() => client(0, { port: 1 }).setHostPower('ON')),
    'TLS verification': () => {
      const { ca: _ca, ...withoutCa } = sim.node(0).clientOptions({ logger });
      return failure(() => new IloClient(withoutCa).getHostPowerStatus());
    },
    'request timeout': async () => {
      const ilo = client(0, { requestTimeoutMs: 100 });
      sim.node(0).faults.delayNext(2, 300);
      return failure(() => ilo.getHostPowerStatus());
    },
    'total timeout': async () => {
      const ilo = client(0, { timeoutMs: 120, requestTimeoutMs: 1000 });
      sim.node(0).faults.delayNext(1, 400);
      return failure(() => ilo.getHostPowerStatus());
    },
    'dropped connection': async () => {
      const ilo = client(0);
      await ilo.getProductName();
      sim.node(0).faults.dropNext(1);
      return failure(() => ilo.setHostPower('ON'));
    },
    'busy iLO': async () => {
      const ilo = client(0);
      await ilo.getProductName();
      sim.node(0).faults.busyNext(2);
      return failure(() => ilo.getHostPowerStatus());
    },
    'oversized reply': () => failure(() => client(0, { maxResponseBytes: 300 }).getHostHealthData()),
    'rejected new password': () => failure(() => client(0).resetIloCredential(`${NEW_PASSWORD}`.slice(0, 5))),
    'bad licence key': () => failure(() => client(0).activateLicense(LICENSE)),
    'unreadable reply': async () => {
      const agent = new MockAgent();
      agent.disableNetConnect();
      agent
        .get('https://127.0.0.1:9')
        .intercept({ path: '/ribcl', method: 'POST' })
        .reply(200, `<?xml version="1.0"?><RIBCL><LOGIN PASSWORD="${CANARY}"`);
      const ilo = new IloClient({
        address: '127.0.0.1',
        port: 9,
        username: 'Administrator',
        password: CANARY,
        dispatcher: agent,
        logger,
      });
      return failure(() => ilo.getHostPowerStatus());
    },
    'aborted call': async () => {
      const ilo = client(0);
      sim.node(0).faults.delayNext(1, 500);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      return failure(() => ilo.getHostPowerStatus({ signal: controller.signal }));
    },
  };

  for (const [name, run] of Object.entries(paths)) {
    it(`keeps the password out of: ${name}`, async () => {
      expectClean(await run());
      sim.node(0).faults.clear();
    });
  }

  it('keeps them out of every log line, debug included', async () => {
    await using ilo = client(1, { logger });
    await ilo.getServerCapabilities();
    await ilo.resetIloCredential(NEW_PASSWORD);
    await ilo.resetIloCredential(CANARY);
    expect(lines.length).toBeGreaterThan(10);
    expectClean(lines.join('\n'));
  });

  it('keeps them out of the simulator command log', () => {
    expectClean(
      inspect(
        sim.nodes.map((n) => n.log),
        { depth: 8, maxArrayLength: null },
      ),
    );
  });
});
