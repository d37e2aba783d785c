"""Drives Ironic's own AgentClient (Debian's python3-ironic) against the FakeAgent.

Reads one JSON object on stdin: {"url", "node_uuid", "token", "image": {"url", "sha256", "size"}}.
Prints one JSON object: what each call returned (or the exception class and message it raised).
"""
import json
import sys
import types

from ironic.conf import CONF

# The retry decorators read these when agent_client is imported: poll fast, fail fast.
CONF([], project='ironic', default_config_files=[])
CONF.set_override('command_wait_interval', 0, group='agent')
CONF.set_override('command_wait_attempts', 200, group='agent')
CONF.set_override('max_command_attempts', 1, group='agent')
CONF.set_override('command_timeout', 30, group='agent')

from ironic.drivers.modules import agent_client  # noqa: E402


class Node(types.SimpleNamespace):
    def as_dict(self, secure=False):
        return {'uuid': self.uuid, 'driver_info': {}, 'driver_internal_info': {},
                'instance_info': {}, 'properties': {}}


class Port(types.SimpleNamespace):
    def as_dict(self):
        return {'uuid': self.uuid, 'address': self.address, 'extra': {}}


def main():
    spec = json.load(sys.stdin)
    node = Node(uuid=spec['node_uuid'], driver_info={}, instance_info={},
                driver_internal_info={'agent_url': spec['url'],
                                      'agent_secret_token': spec['token']})
    ports = [Port(uuid='p1', address='52:54:00:12:34:56')]
    client = agent_client.AgentClient()
    out = {}

    def call(name, fn):
        try:
            out[name] = fn()
        except Exception as e:  # recorded for the test to assert on
            out[name] = {'exception': type(e).__name__, 'message': str(e)}

    call('sync', lambda: client.sync(node))
    call('get_clean_steps', lambda: client.get_clean_steps(node, ports))
    call('execute_clean_step', lambda: client.execute_clean_step(
        {'step': 'erase_devices_metadata', 'priority': 99, 'interface': 'deploy'}, node, ports))
    call('wait_clean_step', lambda: client._wait_for_command(node, 'clean.execute_clean_step'))
    image = spec['image']
    image_info = {'id': 'test-image', 'urls': [image['url']], 'os_hash_algo': 'sha256',
                  'os_hash_value': image['sha256'], 'disk_format': 'raw',
                  'stream_raw_images': True, 'image_type': 'whole-disk'}
    call('prepare_image', lambda: client._command(
        node, 'standby.prepare_image', {'image_info': image_info}, poll=True))
    call('get_partition_uuids', lambda: client.get_partition_uuids(node))
    # Zed's client no longer has start_iscsi_target (the iscsi deploy left Ironic): same request by hand.
    call('start_iscsi_target', lambda: client._command(
        node, 'iscsi.start_iscsi_target',
        {'iqn': 'iqn.2008-10.org.openstack:' + spec['node_uuid'], 'portal_port': 3260,
         'wipe_disk_metadata': False}, wait=True))
    call('collect_system_logs', lambda: client.collect_system_logs(node))
    call('commands_status', lambda: client.get_commands_status(node))
    bad = Node(uuid=node.uuid, driver_info={}, instance_info={},
               driver_internal_info={'agent_url': spec['url'], 'agent_secret_token': 'wrong'})
    call('wrong_token', lambda: client.sync(bad))
    call('power_off', lambda: client.power_off(node))
    json.dump(out, sys.stdout)


main()
