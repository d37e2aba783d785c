/**
 * How to test your own conductor code with ironic-ilo/testing: a simulated iLO (real HTTPS,
 * real RIBCL and RIS, live server state, fault injection) and an in-memory image store whose
 * URLs the simulated iLO really fetches. Nothing is mocked below the library's public API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { IloOperationError, parseConfig } from 'ironic-ilo';
import {
  createTestTask,
  IloSimulator,
  MemoryStore,
  type SimulatedIlo,
  VirtualClock,
} from 'ironic-ilo/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootFromIso, isoName } from './boot-from-iso.js';

let sim: IloSimulator;
let store: MemoryStore;

beforeAll(async () => {
  sim = await IloSimulator.start({
    nodes: [{ model: 'ProLiant DL380 Gen9' }, { model: 'ProLiant DL360 Gen8' }],
  });
  store = new MemoryStore();
  await store.listen(); // serves the URLs it hands out on 127.0.0.1, with ranges, as a web server would
});
afterAll(async () => {
  await store.close();
  await sim.close();
});

/** A node whose driver_info reaches a simulated iLO, trusting the simulator's CA. */
const taskFor = (ilo: SimulatedIlo) =>
  createTestTask({
    driver: 'ilo',
    driverInfo: {
      ilo_address: ilo.address,
      client_port: ilo.port,
      ilo_username: ilo.username,
      ilo_password: ilo.password,
      ca_file: sim.caFile,
    },
  });

// Power waits run on a virtual clock: the test never sleeps through Ironic's polling interval.
const deps = () => ({ store, config: parseConfig(), clock: new VirtualClock() });

describe('bootFromIso', () => {
  it.each([0, 1])('boots simulated iLO #%i once from the ISO, with the very bytes published', async (i) => {
    const ilo = sim.node(i);
    const task = taskFor(ilo);
    const iso = randomBytes(512 * 1024);

    const url = await bootFromIso(task, iso, deps());

    expect(ilo.server.boots.at(-1)).toMatchObject({ cause: 'reset', source: 'CDROM', mediaUrl: url });
    const fetched = await ilo.server.cdrom.fetched();
    expect(fetched?.sha256).toBe(createHash('sha256').update(iso).digest('hex'));
    expect(store.objects().map((o) => o.name)).toContain(isoName(task));
  });

  it('takes the ISO down again when the iLO refuses it', async () => {
    const ilo = sim.node(1);
    const task = taskFor(ilo);
    ilo.faults.failNext(1, { command: 'INSERT_VIRTUAL_MEDIA', status: '0x0001', message: 'Invalid URL' });
    const bootsBefore = ilo.server.boots.length;

    await expect(bootFromIso(task, randomBytes(1024), deps())).rejects.toThrow(IloOperationError);

    expect(ilo.server.boots).toHaveLength(bootsBefore); // never rebooted
    expect(await store.head(isoName(task))).toBeUndefined(); // nothing left published
  });
});
