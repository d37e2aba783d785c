#!/usr/bin/python3
"""Drives proliantutils or python-hpilo against one simulated iLO, for the tests and the benchmark.

Usage: drive.py proliantutils|hpilo HOST PORT USERNAME PASSWORD CAFILE
Reads one JSON request per line on stdin, {"op": "get_host_power_status", "args": []}, and writes
one JSON line per request: {"ok": result} or {"error": "ExceptionClass", "message": "..."}.
The op "bench" with args [count] calls get_host_power_status count times and answers the
per-call latencies in seconds, start-up excluded.
"""
import json
import os
import sys
import time
import warnings

warnings.simplefilter('ignore')
kind, host, port, username, password, cafile = sys.argv[1:7]
port = int(port)

if kind == 'proliantutils':
    from proliantutils.ilo import client as pu_client
    # proliantutils' port reaches only RIBCL; with "host:port" every channel reaches the simulator.
    ilo = pu_client.IloClient('%s:%d' % (host, port), username, password, port=None, cacert=cafile)
    power = ilo.get_host_power_status
else:
    import hpilo
    ilo = hpilo.Ilo(host, username, password, port=port, timeout=30)
    power = ilo.get_host_power_status


def answer(request):
    op, args = request['op'], request.get('args', [])
    if op == 'bench':
        latencies = []
        for _ in range(args[0]):
            started = time.perf_counter()
            power()
            latencies.append(time.perf_counter() - started)
        return latencies
    return getattr(ilo, op)(*args)


for line in sys.stdin:
    try:
        out = {'ok': answer(json.loads(line))}
    except Exception as e:  # every failure is reported to the caller, typed by class name
        out = {'error': type(e).__name__, 'message': str(e)}
    sys.stdout.write(json.dumps(out, default=list) + '\n')
    sys.stdout.flush()
