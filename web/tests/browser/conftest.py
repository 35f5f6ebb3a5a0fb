"""Browser tests: Debian's chromium driven by Playwright against the real processes — the five
services (running_platform), the registry simulators, the demo data and the BFF process.

One platform and one browser for the whole test session (every browser test module shares
them: starting them is most of the time). Screenshots go to var/test-artifacts/ (git-ignored):
``shot(page, "name")``."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import time
import urllib.request

import pytest

from ekm_platform import config
from ekm_platform.testing.platform import free_port, running_platform
from web.tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS


def pytest_collection_modifyitems(items):
    here = pathlib.Path(__file__).parent
    for item in items:
        if here in pathlib.Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    """All five services and the simulators, with the demo case managers and appeals loaded."""
    if not pathlib.Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make setup-browser)")
    from ekm_platform.testing import broker

    with (
        broker.private_vhost("ekm-web") as amqp_uri,  # session-scoped: not the session's vhost
        running_platform(
            tmp_path_factory.mktemp("ekm-web"), amqp_uri, services=config.SERVICES, simulators=True, timeout=90
        ) as running,
    ):
        yield running


@pytest.fixture(scope="session")
def demo_case(platform):
    """The demo roster, and the demo person's appeal (deploy/demo/appeals.json, the first one)
    opened as a case and assigned to cm-1: ``{"case_number", "case_id", "person_id", "tracking"}``."""
    import json

    from google.protobuf import json_format
    from nameko.standalone.rpc import ServiceRpcClient

    from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
    from ekm.intake.v1 import intake_pb2, intake_pb2_grpc

    demo = config.home() / "deploy" / "demo"
    with ServiceRpcClient("cases", uri=platform.env["EKM_AMQP_URI"], timeout=30) as cases:
        for manager in json.loads((demo / "case_managers.json").read_text(encoding="utf-8")):
            cases.register_case_manager(**manager)
    appeal = json.loads((demo / "appeals.json").read_text(encoding="utf-8"))[0]
    request = json_format.ParseDict(appeal, intake_pb2.SubmitAppealRequest())
    staff, supervisor = platform.bearer("case_manager", "cm-1"), platform.bearer("supervisor", "sv-1")
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        tracking = intake.SubmitAppeal(request, metadata=staff, timeout=10).tracking_number
        number = ""
        for _ in range(200):
            number = intake.GetAppealStatus(
                intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=staff, timeout=5
            ).case_number
            if number:
                break
            time.sleep(0.1)
    assert number, "the demo appeal should open a case"
    with platform.channel("cases") as ch:
        stub = cases_pb2_grpc.CaseServiceStub(ch)
        case = stub.GetCase(cases_pb2.GetCaseRequest(case_number=number), metadata=supervisor, timeout=10)
        if case.assigned_to != "cm-1":
            stub.AssignCase(
                cases_pb2.AssignCaseRequest(case_id=case.case_id, manager_id="cm-1", reason="browser tests"),
                metadata=supervisor,
                timeout=10,
            )
    return {"case_number": number, "case_id": case.case_id, "person_id": case.person_id, "tracking": tracking}


@pytest.fixture(scope="session")
def web_url(platform):
    """The BFF as its own process (python -m ekm_web), on a free port, over the platform."""
    port = free_port()
    env = {
        **platform.env,
        "EKM_WEB_PORT": str(port),
        "EKM_WEB_SESSION_SECRET": "browser-tests",
        "EKM_WEB_DEMO_USERS": str(config.home() / "deploy" / "demo" / "web_users.json"),
    }
    log = open(platform.home / "var" / "log" / "web.log", "ab")
    process = subprocess.Popen([sys.executable, "-m", "ekm_web"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/signin", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the web workplace did not start:\n" + platform.log("web")[-3000:]) from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser(platform):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser, web_url):
    """A fresh browser context (no cookies) per test; ``page.goto("/worklist")`` is relative."""
    context = browser.new_context(base_url=web_url, locale="uk-UA", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()
