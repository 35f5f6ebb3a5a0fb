"""Supervised processes never outlive their supervisor, however it dies."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.timeout(30)

CHILD = "from ekm_platform.supervisor import die_with_parent; die_with_parent(); import time; time.sleep(60)"
PARENT = textwrap.dedent(f"""
    import os, subprocess, sys, time
    child = subprocess.Popen([sys.executable, "-c", {CHILD!r}], env={{**os.environ, "EKM_PARENT_PID": str(os.getpid())}})
    print(child.pid, flush=True)
    time.sleep(60)
""")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is gone for our purposes
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_a_supervised_process_stops_when_its_supervisor_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    child_pid = int(parent.stdout.readline())
    try:
        assert alive(child_pid)  # killed before or after it calls die_with_parent: it stops either way
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while alive(child_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(child_pid)
    finally:
        parent.kill()
        try:
            os.kill(child_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
