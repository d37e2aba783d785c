import { describe, expect, it } from 'vitest';
import { InvalidStateRequested } from '../../src/index.js';
import { createTestTask } from '../../src/testing/index.js';

describe('createTestTask', () => {
  it('records saves as snapshots and follows the deploy state transitions', async () => {
    const task = createTestTask({ provisionState: 'available', driver: 'agent_ilo' });
    await task.processEvent('deploy');
    task.node.instanceInfo.deploy_key = 'k';
    await task.save();
    task.node.instanceInfo.deploy_key = 'changed';
    await task.processEvent('wait');
    await task.processEvent('resume');
    await task.processEvent('done');
    expect(task.node.provisionState).toBe('active');
    expect(task.events).toEqual(['deploy', 'wait', 'resume', 'done']);
    expect(task.saves).toBe(1);
    expect(task.saved[0]?.instanceInfo.deploy_key).toBe('k');
  });

  it('rejects a transition Ironic would reject', async () => {
    const task = createTestTask({ provisionState: 'active' });
    await expect(task.processEvent('resume')).rejects.toBeInstanceOf(InvalidStateRequested);
    expect(task.node.provisionState).toBe('active');
  });

  it('gives neutral defaults', () => {
    const task = createTestTask();
    expect(task.shared).toBe(false);
    expect(task.ports).toEqual([]);
    expect(task.node.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });
});
