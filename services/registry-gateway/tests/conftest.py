"""A real simulator process on a free loopback port, for the gateway's tests."""

import json
import subprocess
import sys
import urllib.request

import pytest


@pytest.fixture(scope="module")
def simulator():
    process = subprocess.Popen(
        [sys.executable, "-m", "registry_simulators", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("LISTENING"), line
        base = f"http://127.0.0.1:{line.split()[1]}"

        def set_fault(mode, delay=2.0):
            request = urllib.request.Request(
                f"{base}/_control/faults",
                method="POST",
                data=json.dumps({"registry": "border-guard", "mode": mode, "delay": delay}).encode(),
            )
            urllib.request.urlopen(request, timeout=5).read()

        yield base, set_fault
    finally:
        process.terminate()
        process.wait(10)
