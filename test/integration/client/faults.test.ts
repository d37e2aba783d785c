import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IloClient,
  type IloClientOptions,
  IloCommandNotSupported,
  IloConnectionError,
  IloLoginFailed,
  IloOperationError,
  IloTimeout,
  type Logger,
} from '../../../src/index.js';
import { IloSimulator, type SimulatedIlo } from '../../../src/testing/index.js';

let sim: IloSimulator;

beforeAll(async () => {
  sim = await IloSimulator.start({
    nodes: [{ model: 'ProLiant DL380 Gen8' }, { model: 'ProLiant DL380 Gen9' }],
    resetDowntimeMs: 300,
  });
});
afterAll(() => sim.close());

const quick = { retry: { attempts: 3, minDelayMs: 10, maxDelayMs: 20 } };

function client(node: SimulatedIlo, extra: Partial<IloClientOptions> = {}): IloClient {
  return new IloClient(node.clientOptions({ ...quick, ...extra }));
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: object) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A port that accepts TCP connections and never speaks TLS. */
async function silentPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('retries', () => {
  it('retries a read the iLO answered busy, then succeeds', async () => {
    const node = sim.node(0);
    await using ilo = client(node);
    await ilo.getProductName();
    node.faults.busyNext(2);
    expect(await ilo.getHostPowerStatus()).toBe('ON');
    expect(node.log.slice(-3).map((e) => e.outcome)).toEqual(['busy', 'busy', 'ok']);
  });

  it('gives up after the bounded attempts with IloConnectionError', async () => {
    const node = sim.node(0);
    await using ilo = client(node);
    await ilo.getProductName();
    node.faults.busyNext(3);
    await expect(ilo.getHostPowerStatus()).rejects.toThrow(IloConnectionError);
    node.faults.clear();
  });

  it('repeats a read whose connection was cut, but never a write', async () => {
    const node = sim.node(0);
    await using ilo = client(node);
    await ilo.getProductName();
    node.faults.dropNext(1);
    expect(await ilo.getHostPowerStatus()).toBe('ON');
    node.faults.dropNext(1);
    await expect(ilo.setHostPower('OFF')).rejects.toThrow(IloConnectionError);
    expect(node.server.power).toBe('ON');
    expect(node.log.at(-1)?.outcome).toBe('dropped');
  });

  it('retries a write whose connection was refused (nothing was sent)', async () => {
    const logger = recordingLogger();
    const gone = await silentPort();
    await gone.close();
    await using ilo = new IloClient({ ...sim.node(0).clientOptions(quick), port: gone.port, logger });
    await expect(ilo.setHostPower('ON')).rejects.toThrow(IloConnectionError);
    expect(logger.lines.filter((l) => l.startsWith('warn') && l.includes('retrying'))).toHaveLength(2);
  });
});

describe('iLO status codes', () => {
  it('maps login failures, missing commands and other statuses', async () => {
    const node = sim.node(0);
    await using ilo = client(node);
    await ilo.getProductName();
    node.faults.failNext(1, { status: '0x005F', message: 'Login failed.' });
    await expect(ilo.getHostPowerStatus()).rejects.toThrow(IloLoginFailed);
    node.faults.failNext(1, { status: '0x0001', message: 'Error: Line #1: syntax error near "X".' });
    await expect(ilo.getHostPowerStatus()).rejects.toThrow(IloCommandNotSupported);
    node.faults.failNext(1, {
      status: '0x0023',
      message: 'Insufficient privilege',
      command: 'SET_HOST_POWER',
    });
    await ilo.getHostPowerStatus();
    const error = await ilo.setHostPower('ON').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IloOperationError);
    expect(error).toMatchObject({ status: '0x0023', iloMessage: 'Insufficient privilege' });
  });

  it('does not retry a wrong password', async () => {
    const node = sim.node(0);
    await using ilo = client(node, { password: 'wrong' });
    const before = node.log.length;
    await expect(ilo.getHostPowerStatus()).rejects.toThrow(IloLoginFailed);
    expect(node.log.slice(before).filter((e) => e.command === 'GET_PRODUCT_NAME')).toHaveLength(1);
  });

  it('maps a RIS 401 and a RIS failure', async () => {
    const node = sim.node(1);
    await using ilo = client(node);
    await ilo.getProductName();
    node.faults.failNext(1, {
      httpStatus: 500,
      message: 'Base.0.0.InternalError',
      command: '/rest/v1/Systems/1',
    });
    await expect(ilo.getHostPowerStatus()).rejects.toMatchObject({ status: '500' });
    node.server.users[0]!.password = 'changed-behind-our-back';
    await expect(ilo.getHostPowerStatus()).rejects.toThrow(IloLoginFailed);
    node.server.users[0]!.password = node.clientOptions().password;
  });
});

describe('timeouts and cancellation', () => {
  it('times out a request the iLO answers too late', async () => {
    const node = sim.node(0);
    // Short budgets stay clear of a first request that a busy machine makes slow: the delay hits the
    // product-name read, the client's first request, whose failure is the call's.
    await using ilo = client(node, { requestTimeoutMs: 100, retry: { attempts: 1 } });
    node.faults.delayNext(1, 400);
    await expect(ilo.getHostPowerStatus()).rejects.toMatchObject({ name: 'IloTimeout', kind: 'request' });
  });

  it('bounds the whole operation, retries included', async () => {
    const node = sim.node(0);
    await using ilo = client(node, { timeoutMs: 150, requestTimeoutMs: 100 });
    node.faults.delayNext(3, 400);
    const error = await ilo.getHostPowerStatus().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IloTimeout);
    expect((error as IloTimeout).kind).toBe('total');
    node.faults.clear();
  });

  it('times out a connection whose TLS handshake never completes', async () => {
    const silent = await silentPort();
    try {
      await using ilo = new IloClient({
        ...sim.node(0).clientOptions(),
        port: silent.port,
        connectTimeoutMs: 100,
        retry: { attempts: 1 },
      });
      await expect(ilo.getHostPowerStatus()).rejects.toMatchObject({ name: 'IloTimeout', kind: 'connect' });
    } finally {
      await silent.close();
    }
  });

  it('rejects with the signal reason when the caller aborts', async () => {
    const node = sim.node(0);
    await using ilo = client(node);
    await ilo.getProductName();
    node.faults.delayNext(1, 2_000);
    const controller = new AbortController();
    const reason = new Error('operator cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await expect(ilo.getHostPowerStatus({ signal: controller.signal })).rejects.toBe(reason);
    node.faults.clear();
  });
});

describe('TLS', () => {
  it('verifies the certificate by default', async () => {
    const { ca: _ca, ...withoutCa } = sim.node(0).clientOptions({ retry: { attempts: 1 } });
    await using ilo = new IloClient(withoutCa);
    await expect(ilo.getHostPowerStatus()).rejects.toThrow(IloConnectionError);
  });

  it('skips verification only when asked, and says so once', async () => {
    const logger = recordingLogger();
    const { ca: _ca, ...withoutCa } = sim.node(0).clientOptions();
    await using ilo = new IloClient({ ...withoutCa, insecure: true, logger });
    expect(await ilo.getHostPowerStatus()).toBe('ON');
    await ilo.getHostPowerStatus();
    expect(
      logger.lines.filter((l) => l.startsWith('warn') && l.includes('verification is disabled')),
    ).toHaveLength(1);
  });

  it('verifies against a CA file', async () => {
    const { ca: _ca, ...withoutCa } = sim.node(0).clientOptions();
    await using ilo = new IloClient({ ...withoutCa, caFile: sim.caFile });
    expect(await ilo.getHostPowerStatus()).toBe('ON');
  });
});

describe('limits and lifecycle', () => {
  it('caps the size of a response', async () => {
    await using ilo = client(sim.node(0), { maxResponseBytes: 2048 });
    await ilo.getProductName();
    await expect(ilo.getHostHealthData()).rejects.toThrow(/larger than 2048 bytes/);
  });

  it('rejects calls after close', async () => {
    const ilo = client(sim.node(0));
    await ilo.getHostPowerStatus();
    await ilo.close();
    await ilo.close();
    await expect(ilo.getHostPowerStatus()).rejects.toThrow(/closed/);
  });
});

describe('resetIlo', () => {
  it('waits until the iLO answers again', async () => {
    const node = sim.node(0);
    await using ilo = client(node);
    await ilo.resetIlo({ initialDelayMs: 20, pollIntervalMs: 50, timeoutMs: 10_000 });
    const outcomes = node.log.slice(-6).map((e) => `${e.command}:${e.outcome}`);
    expect(outcomes).toContain('RESET_RIB:ok');
    expect(outcomes.at(-1)).toBe('GET_PRODUCT_NAME:ok');
    expect(node.isDown()).toBe(false);
  });

  it('gives up, bounded, when the iLO stays down', async () => {
    const node = sim.node(0);
    await using ilo = client(node);
    await ilo.getProductName();
    node.faults.stayDownAfterReset = true;
    try {
      await expect(ilo.resetIlo({ initialDelayMs: 20, pollIntervalMs: 50, timeoutMs: 400 })).rejects.toThrow(
        /is not up 400 ms after its reset/,
      );
    } finally {
      node.faults.clear();
      node.bringUp();
    }
  });
});
