"""Runs the platform on one machine: every service and the registry simulators as real
processes, a log file each under var/log/, restarts on crash, clean shutdown on Ctrl-C.

A service may run as several processes (``EKM_INSTANCES=cases=3,notifications=3``,
``ekm_platform.config.instances``): ``cases``, ``cases-2``, ``cases-3``, each supervised
and restarted on its own, each with its own log (``var/log/cases-2.log``). They listen on
the service's one gRPC port together (SO_REUSEPORT: the kernel hands each new connection
to one of them) and consume its queues together (competing consumers)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from ekm_platform import config

RESTART_LIMIT = 5  # per process, within a minute
STARTED = " started; gRPC on "  # what ekm_platform.runner logs once a service process serves
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
    env: dict = field(default_factory=dict)  # added to the supervisor's environment for this process
    log_offset: int = 0  # where this process's output starts in its log (set at each spawn)


def instance_names(service: str, count: int) -> list[str]:
    """``cases``, ``cases-2``, ``cases-3``: the first keeps the service's own name (and log)."""
    return [service] + [f"{service}-{i}" for i in range(2, count + 1)]


def programs(
    services=config.SERVICES, simulators: bool = True, env=None, web: bool = False, instances: dict | None = None
) -> list[Program]:
    """The processes of the platform. ``instances`` (service -> count) defaults to
    ``EKM_INSTANCES`` in ``env`` (``ekm_platform.config.instances``); companions run once."""
    python = sys.executable
    counts = config.instances(env) if instances is None else {**dict.fromkeys(services, 1), **instances}
    require_postgresql([s for s in services if counts.get(s, 1) > 1], env)
    result = []
    if web:  # the web workplace (BFF, uvicorn; web/): EKM_WEB_HOST / EKM_WEB_PORT
        result.append(Program(WEB, [python, "-m", "ekm_web"]))
    if simulators:
        port = (env or os.environ).get("EKM_SIMULATORS_PORT", "8081")
        result.append(Program("registry-simulators", [python, "-m", "registry_simulators", "--port", port]))
    for service in services:
        for name in instance_names(service, counts.get(service, 1)):
            result.append(
                Program(name, [python, "-m", "ekm_platform.runner", service], env={"EKM_INSTANCE_NAME": name})
            )
        result += [Program(name, [python, "-m", module]) for name, module in config.COMPANIONS.get(service, ())]
        if service == "registry-gateway" and (env or os.environ).get("EKM_PARTNER_TLS_CERT"):
            # partner inbound over HTTPS (mTLS): only where partner certificates are configured
            result.append(Program(PARTNER_INBOUND, [python, "-m", "registry_gateway.partner_inbound"]))
    return result


def require_postgresql(scaled, env=None) -> None:
    """Several processes of a service need its database on PostgreSQL: there they take
    disjoint work with ``FOR UPDATE SKIP LOCKED`` (outbox relays, the notification dispatcher,
    reminders) and the audit chainer holds an advisory lock. A SQLite file has one writer at a
    time and none of those locks (two outbox relays could publish the same row), so scale-out
    on SQLite is refused (``ValueError``) instead of run half-safe."""
    env = os.environ if env is None else env
    for service in scaled:
        key = config.env_key(service)
        names = (f"EKM_{key}_DATABASE_URL", "EKM_DATABASE_URL")
        url = next((env[n] for n in names if env.get(n)), "")
        if not url and any(env.get(f"{n}_FILE") for n in names):
            continue  # a mounted secret: read by the service itself (ekm_platform.config.secret)
        if not url.startswith(("postgresql", "postgres:")):
            raise ValueError(
                f"{service}: кілька екземплярів сервісу потребують PostgreSQL / several instances need "
                f"PostgreSQL (EKM_DATABASE_URL=postgresql+psycopg://…; SQLite: one process per service; "
                f"make run-scaled)"
            )


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
        program.log_offset = log.seek(0, os.SEEK_END)
        env = {**(self.env if self.env is not None else os.environ), **program.env, "EKM_PARENT_PID": str(os.getpid())}
        program.process = subprocess.Popen(
            program.argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
        )
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

    def started(self, program: Program) -> bool:
        """Whether this service process, since its last spawn, said it serves (``STARTED``)."""
        path = self.log_dir / f"{program.name}.log"
        try:
            with open(path, "rb") as log:
                log.seek(program.log_offset)
                return STARTED.encode() in log.read()
        except OSError:
            return False

    def wait_started(self, timeout: float = 60.0, names=None) -> None:
        """Wait until every service process (or those ``names``) serves: with several
        instances a health check through the shared port reaches only one of them."""
        waiting = [
            p
            for p in self.programs
            if (names is None and p.argv[-2:-1] == ["ekm_platform.runner"]) or (names is not None and p.name in names)
        ]
        deadline = time.monotonic() + timeout
        while waiting:
            waiting = [p for p in waiting if not self.started(p)]
            if not waiting:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"not serving after {timeout:.0f} s: {', '.join(p.name for p in waiting)}")
            time.sleep(0.2)

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
