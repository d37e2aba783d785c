"""Child process of bench/agent.bench.ts: `count` standby.sync commands sent by Ironic's own
AgentClient (Debian's python3-ironic) to the agent at `url`. Prints the same JSON as
bench/agent-client.mjs, for the loop alone.

    python3 bench/agent_client_ironic.py <url> <count>
"""
import json
import resource
import sys
import time
import types

from ironic.conf import CONF

CONF([], project='ironic', default_config_files=[])
from ironic.drivers.modules import agent_client  # noqa: E402

url, count = sys.argv[1], int(sys.argv[2])
node = types.SimpleNamespace(uuid='bench-node', driver_info={}, instance_info={},
                             driver_internal_info={'agent_url': url})
client = agent_client.AgentClient()
client.sync(node)
cpu_before = time.process_time()
started = time.monotonic()
for _ in range(count):
    client.sync(node)
seconds = time.monotonic() - started
cpu = time.process_time() - cpu_before
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({'seconds': seconds, 'count': count, 'cpuSeconds': cpu, 'peakRssMiB': peak}))
