import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { IloClient } from '../../../src/index.js';
import { ribclSample } from '../../helpers/client-fixtures.js';

describe('an injected undici dispatcher', () => {
  it('carries every request, so that recorded replies can stand in for an iLO', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const ilo = agent.get('https://ilo.example:443');
    // Each interceptor answers only the script that asks for its command.
    const ribcl = (command: string) => ({
      path: '/ribcl',
      method: 'POST',
      body: (b: string) => b.includes(`<${command}/>`),
    });
    ilo.intercept(ribcl('GET_PRODUCT_NAME')).reply(200, ribclSample('GET_PRODUCT_NAME'));
    ilo.intercept(ribcl('GET_HOST_POWER_STATUS')).reply(200, ribclSample('GET_HOST_POWER_STATUS_XML'));
    ilo.intercept(ribcl('GET_PENDING_BOOT_MODE')).reply(200, ribclSample('BOOT_MODE_NOT_SUPPORTED'));
    await using client = new IloClient({
      address: 'ilo.example',
      username: 'Administrator',
      password: 'pw',
      dispatcher: agent,
    });
    expect(await client.getHostPowerStatus()).toBe('ON');
    await expect(client.getPendingBootMode()).rejects.toThrow('not supported on ProLiant DL380 G7');
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
});
