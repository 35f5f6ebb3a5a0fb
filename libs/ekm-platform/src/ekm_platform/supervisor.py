"""Runs the platform on one machine: every service and the registry simulators as real
processes, a log file each under var/log/, restarts on crash, clean shutdown on Ctrl-C."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from ekm_platform import config

RESTART_LIMIT = 5  # per process, within a minute
PARTNER_INBOUND = "registry-gateway-partners"
WEB = "web"


def die_with_parent() -> None:
    """Called first thing by every supervised process: when its supervisor dies, however
    it dies (SIGKILL included), the process gets SIGTERM and shuts down cleanly, so that
    nothing keeps running behind a dead ``ekm run`` or test. Linux only; a no-op elsewhere."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = int(os.environ.pop("EKM_PARENT_PID", "") or os.getppid())  # set by the supervisor, for us only
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the supervisor died before the call
        os.kill(os.getpid(), signal.SIGTERM)


@dataclass
class Program:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    restarts: list[float] = field(default_factory=list)


def programs(services=config.SERVICES, simulators: bool = True, env=None, web: bool = False) -> list[Program]:
    python = sys.executable
    result = []
    if web:  # the web workplace (BFF, uvicorn; web/): EKM_WEB_HOST / EKM_WEB_PORT
        result.append(Program(WEB, [python, "-m", "ekm_web"]))
    if simulators:
        port = (env or os.environ).get("EKM_SIMULATORS_PORT", "8081")
        result.append(Program("registry-simulators", [python, "-m", "registry_simulators", "--port", port]))
    for service in services:
        result.append(Program(service, [python, "-m", "ekm_platform.runner", service]))
        result += [Program(name, [python, "-m", module]) for name, module in config.COMPANIONS.get(service, ())]
        if service == "registry-gateway" and (env or os.environ).get("EKM_PARTNER_TLS_CERT"):
            # partner inbound over HTTPS (mTLS): only where partner certificates are configured
            result.append(Program(PARTNER_INBOUND, [python, "-m", "registry_gateway.partner_inbound"]))
    return result


class Supervisor:
    def __init__(self, progs: list[Program], log_dir=None, env: dict | None = None):
        self.programs = progs
        self.env = env
        self.log_dir = log_dir or (config.var_dir() / "log")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.stopping = False

    def start(self) -> None:
        for program in self.programs:
            self._spawn(program)

    def _spawn(self, program: Program) -> None:
        log = open(self.log_dir / f"{program.name}.log", "ab")
        env = {**(self.env if self.env is not None else os.environ), "EKM_PARENT_PID": str(os.getpid())}
        program.process = subprocess.Popen(
            program.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, env=env)
        log.close()

    def check(self) -> list[str]:
        """Restart what died; return what gave up."""
        failed = []
        for program in self.programs:
            if self.stopping or program.process is None or program.process.poll() is None:
                continue
            now = time.monotonic()
            program.restarts = [t for t in program.restarts if now - t < 60] + [now]
            if len(program.restarts) > RESTART_LIMIT:
                failed.append(program.name)
                continue
            print(f"!! {program.name} exited ({program.process.returncode}); restarting", flush=True)
            self._spawn(program)
        return failed

    def stop(self, timeout: float = 15.0) -> None:
        self.stopping = True
        alive = [p.process for p in self.programs if p.process and p.process.poll() is None]
        for process in alive:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in alive:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
