import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IloClient } from '../../../src/index.js';
import { IloSimulator, type SimulatedBoot } from '../../../src/testing/index.js';

describe('simulated server events', () => {
  let sim: IloSimulator;
  beforeAll(async () => {
    sim = await IloSimulator.start({ nodes: [{ model: 'ProLiant DL360 Gen8', power: 'OFF' }] });
  });
  afterAll(() => sim.close());

  it('calls onBoot after each boot with the boot recorded, and onPowerOff on every loss of power', async () => {
    const server = sim.node(0).server;
    const boots: SimulatedBoot[] = [];
    let offs = 0;
    const offBoot = server.onBoot((b) => boots.push(b));
    const offPower = server.onPowerOff(() => offs++);
    server.onBoot(() => {
      throw new Error('a broken listener does not break the iLO');
    });
    await using ilo = new IloClient(sim.node(0).clientOptions());
    await ilo.setOneTimeBoot('CDROM');
    await ilo.setHostPower('ON');
    await ilo.resetServer();
    await ilo.setHostPower('OFF');
    await ilo.setHostPower('OFF');
    expect(boots.map((b) => [b.cause, b.source])).toEqual([
      ['power-on', 'CDROM'],
      ['reset', server.boots.at(-1)?.source],
    ]);
    expect(boots).toEqual(server.boots.slice(-2));
    expect(offs).toBe(1);
    offBoot();
    offPower();
    await ilo.setHostPower('ON');
    expect(boots).toHaveLength(2);
  });
});
