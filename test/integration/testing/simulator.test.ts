import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IloClient, InvalidParameterValue } from '../../../src/index.js';
import { IloSimulator } from '../../../src/testing/index.js';

let sim: IloSimulator;

beforeAll(async () => {
  sim = await IloSimulator.start({
    nodes: [{ model: 'ProLiant DL380 Gen8' }, { model: 'ProLiant DL380 Gen9', power: 'OFF' }],
    password: 'sim-password',
  });
});
afterAll(() => sim.close());

/** Speaks to /ribcl the way python-hpilo does: hand-written HTTP, declaration in its own write, read to EOF. */
function rawRibcl(port: number, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: sim.caPem }, () => {
      const declaration = '<?xml version="1.0"?>\r\n';
      const length = Buffer.byteLength(declaration + script);
      socket.write(
        `POST /ribcl HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${length}\r\nConnection: Close\r\n\r\n`,
      );
      socket.write(declaration);
      socket.write(script);
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (data += d));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

function dechunk(raw: string): { head: string; body: string } {
  const [head, rest] = [raw.slice(0, raw.indexOf('\r\n\r\n')), raw.slice(raw.indexOf('\r\n\r\n') + 4)];
  let body = '';
  let data = rest;
  for (;;) {
    const eol = data.indexOf('\r\n');
    const size = Number.parseInt(data.slice(0, eol), 16);
    if (size === 0) break;
    body += data.slice(eol + 2, eol + 2 + size);
    data = data.slice(eol + 4 + size);
  }
  return { head, body };
}

const login = (inner: string, password = 'sim-password') =>
  `<RIBCL VERSION="2.0"><LOGIN USER_LOGIN="Administrator" PASSWORD="${password}">${inner}</LOGIN></RIBCL>`;

describe('the simulated RIBCL endpoint', () => {
  it('answers HTTP/1.1 200, chunked, and closes the connection, as python-hpilo needs', async () => {
    const raw = await rawRibcl(
      sim.node(0).port,
      login('<SERVER_INFO MODE="READ"><GET_HOST_POWER_STATUS/></SERVER_INFO>'),
    );
    const { head, body } = dechunk(raw);
    expect(head.startsWith('HTTP/1.1 200')).toBe(true);
    expect(head).toMatch(/\r\nTransfer-Encoding: chunked/i);
    expect(head).toMatch(/\r\nConnection: close/i);
    expect(head).toMatch(/\r\nServer: HP-iLO-Server\/1\.30/i);
    const documents = body.split('<?xml').filter((d) => d.trim() !== '');
    expect(documents).toHaveLength(6);
    expect(documents[3]).toContain('HOST_POWER="ON"');
  });

  it('matches attribute names case-insensitively, with or without a declaration', async () => {
    const node = sim.node(0);
    await rawRibcl(
      node.port,
      login('<SERVER_INFO MODE="write"><SET_ONE_TIME_BOOT VALUE="cdrom"/></SERVER_INFO>'),
    );
    expect(node.server.oneTimeBoot).toBe('CDROM');
    await rawRibcl(
      node.port,
      login('<SERVER_INFO mode="write"><SET_ONE_TIME_BOOT value="Normal"/></SERVER_INFO>'),
    );
    expect(node.server.oneTimeBoot).toBe('Normal');
  });

  it('stops the script at the first failing command', async () => {
    const node = sim.node(0);
    const { body } = dechunk(
      await rawRibcl(
        node.port,
        login('<SERVER_INFO MODE="write"><GET_FROBNICATOR/><SET_HOST_POWER HOST_POWER="No"/></SERVER_INFO>'),
      ),
    );
    expect(body).toContain('syntax error near "GET_FROBNICATOR"');
    expect(body.split('<?xml').at(-1)).toContain('STATUS="0x0001"');
    expect(node.server.power).toBe('ON');
  });

  it('answers a failed login with 0x005F and nothing else', async () => {
    const { body } = dechunk(
      await rawRibcl(
        sim.node(0).port,
        login('<SERVER_INFO MODE="read"><GET_PRODUCT_NAME/></SERVER_INFO>', 'nope'),
      ),
    );
    expect(body.split('<?xml').filter((d) => d.trim() !== '')).toHaveLength(2);
    expect(body).toContain(`STATUS="0x005F"`);
    expect(sim.node(0).log.at(-1)).toMatchObject({ command: 'GET_PRODUCT_NAME', outcome: '0x005F' });
  });

  it("answers python-hpilo's empty protocol probe", async () => {
    const { head, body } = dechunk(await rawRibcl(sim.node(0).port, '<RIBCL VERSION="2.0"></RIBCL>'));
    expect(head.startsWith('HTTP/1.1 200')).toBe(true);
    expect(body).toContain('<INFORM>');
  });
});

describe('the simulated /xmldata and /rest/v1', () => {
  it('serves /xmldata?item=all without authentication', async () => {
    const node = sim.node(1);
    const res = await request(`https://127.0.0.1:${node.port}/xmldata?item=all`, {
      dispatcher: new (await import('undici')).Agent({ connect: { ca: sim.caPem } }),
    });
    const text = await res.body.text();
    expect(text).toContain('<SPN>ProLiant DL380 Gen9</SPN>');
    expect(text).toContain(`<cUUID>${node.server.uuid}</cUUID>`);
  });

  it('wants HTTP Basic authentication on every RIS request, and only on Gen9', async () => {
    const agent = new (await import('undici')).Agent({ connect: { ca: sim.caPem } });
    const unauth = await request(`https://127.0.0.1:${sim.node(1).port}/rest/v1/Systems/1`, {
      dispatcher: agent,
    });
    expect(unauth.statusCode).toBe(401);
    await unauth.body.dump();
    const gen8 = await request(`https://127.0.0.1:${sim.node(0).port}/rest/v1/Systems/1`, {
      dispatcher: agent,
    });
    expect(gen8.statusCode).toBe(404);
    await gen8.body.dump();
    await agent.close();
  });
});

describe('the simulated virtual media', () => {
  it('records a fetch that failed', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gone.iso`;
      await using ilo = new IloClient(sim.node(0).clientOptions());
      await ilo.insertVirtualMedia(url, 'CDROM', { validateUrl: false });
      expect(await sim.node(0).server.cdrom.fetched()).toMatchObject({
        url,
        headStatus: 404,
        status: null,
        sha256: null,
        error: 'HEAD answered 404',
      });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('IloSimulator', () => {
  it('starts powered off when asked, with MACs unique across iLOs', () => {
    expect(sim.node(1).server.power).toBe('OFF');
    const macs = sim.nodes.flatMap((n) => n.server.inventory.nics.map((nic) => nic.mac));
    expect(new Set(macs).size).toBe(macs.length);
  });

  it('names every bad option', async () => {
    const error = await IloSimulator.start({ nodes: 0, port: -1, chunkSize: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterValue);
    expect((error as InvalidParameterValue).fields.map((f) => f.field)).toEqual([
      'nodes',
      'port',
      'chunkSize',
    ]);
    await expect(IloSimulator.start({ model: 'ProLiant DL360 Gen10' })).rejects.toMatchObject({
      fields: [{ field: 'model' }],
    });
  });

  it('removes its CA file when closed', async () => {
    const other = await IloSimulator.start();
    expect(existsSync(other.caFile)).toBe(true);
    await other.close();
    expect(existsSync(other.caFile)).toBe(false);
    expect(() => other.node(3)).toThrow(RangeError);
  });

  it('runs a fleet in one process, one port each', async () => {
    await using fleet = await IloSimulator.start({ nodes: 100, model: 'ProLiant DL380 Gen8' });
    expect(new Set(fleet.nodes.map((n) => n.port)).size).toBe(100);
    const clients = fleet.nodes.map((n) => new IloClient(n.clientOptions()));
    const states = await Promise.all(clients.map((c) => c.getHostPowerStatus()));
    expect(states.every((s) => s === 'ON')).toBe(true);
    await Promise.all(clients.map((c) => c.close()));
  });
});
