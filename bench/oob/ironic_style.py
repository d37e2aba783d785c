#!/usr/bin/python3
"""The baseline of `npm run bench -- oob`: what Ironic's iLO driver did over proliantutils.

Usage: ironic_style.py power|cycle|inspect COUNT HOST PORT USERNAME PASSWORD CAFILE

Ironic built a new proliantutils IloClient (whose constructor reads the product name) for every
operation, and for every poll of its power wait loop; this replays those sequences against one
simulated iLO with power_wait = 0, timing each operation. Prints one JSON line:
{"latencies": [seconds...], "maxRssKb": n}.
"""
import json
import resource
import sys
import time
import warnings

warnings.simplefilter('ignore')
from proliantutils.ilo import client as pu_client  # noqa: E402

kind, count, host, port, username, password, cafile = sys.argv[1:8]
count = int(count)
address = '%s:%d' % (host, int(port))
POWER_RETRY = 6


def new_client():
    # As Ironic's get_ilo_object: one client per operation.
    return pu_client.IloClient(address, username, password, port=None, cacert=cafile)


def power_state():
    return {'ON': 'power on', 'OFF': 'power off'}.get(new_client().get_host_power_status(), 'error')


def wait_for(target):
    # Ironic's loop: the first poll never counts; power_retry + 2 polls at most; power_wait = 0.
    retries = 0
    while True:
        state = power_state()
        if retries != 0 and state == target:
            return
        if retries > POWER_RETRY:
            raise RuntimeError('power state not reached')
        retries += 1


def cycle():
    new_client().hold_pwr_btn()
    wait_for('power off')
    new_client().set_host_power('ON')
    wait_for('power on')


def inspect():
    ilo = new_client()
    power_state()
    result = ilo.get_essential_properties()
    ilo.get_server_capabilities()
    assert result['macs'], 'no MACs'


operation = {'power': power_state, 'cycle': cycle, 'inspect': inspect}[kind]
for _ in range(10):
    operation()
latencies = []
for _ in range(count):
    started = time.perf_counter()
    operation()
    latencies.append(time.perf_counter() - started)
print(json.dumps({'latencies': latencies, 'maxRssKb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
