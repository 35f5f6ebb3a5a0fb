"""The web workplace's two busiest pages through the BFF — the worklist and the case page — beside
the same gRPC calls made directly, in the same run, with 1,000 cases.

    .venv/bin/python -m bench.web_pages [--cases 1000] [--requests 400] [--concurrency 1,4]

What is measured (real processes: intake and cases from ``running_platform``, on SQLite, and the
BFF as its own process, ``python -m ekm_web``, signed in through the development IdP):

- BFF worklist: ``GET /worklist`` (ListCases, 25 rows, rendered); direct: the same ListCases.
- BFF case page: ``GET /cases/<n>`` (GetCase, then GetPerson + GetHousehold + GetCaseAppeal at
  once, then the case's worklist row, ListCases by РНОКПП; rendered); direct: the same calls in
  the same order with the same parallelism, over one plain grpcio channel with the same token.

Each figure is p50 / p95 / p99 in ms over ``--requests`` requests per caller count; the four
kinds of request are interleaved (each caller makes one of each per round, in a shuffled order),
so a busy shared machine weighs on the direct calls and the pages alike. The target:
a page's p50 ≤ 1.5 × the direct calls' p50, and a full page under 200 ms p95.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent import futures
from datetime import date, timedelta

from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm_platform.identifiers import make_rnokpp
from ekm_platform.testing.broker import create_vhost, delete_vhost
from ekm_platform.testing.platform import free_port, running_platform

COMMUNITY = "UA80000000000093317"
MANAGER = "cm-bench"
LAST = ["Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник", "Лисенко"]
FIRST = ["Андрій", "Олена", "Сергій", "Марія", "Іван", "Наталія", "Дмитро", "Оксана"]


def pcts(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    if not ordered:
        return 0.0, 0.0, 0.0

    def at(q):
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000

    return at(0.5), at(0.95), at(0.99)


def timed_interleaved(calls: dict, n: int, concurrency: int) -> dict:
    """Each of ``concurrency`` threads makes every call in turn (in a shuffled order each
    round), n rounds in all, so the direct calls and the pages see the same machine load:
    {name: latencies}."""
    latencies = {name: [] for name in calls}
    lock = threading.Lock()
    per = [n // concurrency + (1 if i < n % concurrency else 0) for i in range(concurrency)]

    def worker(count):
        mine = {name: [] for name in calls}
        names = list(calls)
        for _ in range(count):
            random.shuffle(names)
            for name in names:
                start = time.perf_counter()
                calls[name]()
                mine[name].append(time.perf_counter() - start)
        with lock:
            for name, values in mine.items():
                latencies[name].extend(values)

    threads = [threading.Thread(target=worker, args=(c,)) for c in per]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def load_cases(platform, n: int) -> list[tuple[str, str]]:
    """n appeals through intake (each a distinct person), each opening a case for MANAGER:
    [(case number, РНОКПП)]."""
    from nameko.standalone.rpc import ServiceRpcClient

    with ServiceRpcClient("cases", uri=platform.env["EKM_AMQP_URI"], timeout=30) as cases:
        cases.register_case_manager(
            manager_id=MANAGER,
            community_code=COMMUNITY,
            capacity=1_000_000,
            skills=["veterans"],
            supervisor_id="sv-bench",
        )
    staff = platform.bearer("case_manager", MANAGER)
    people = [make_rnokpp(f"{300000000 + i * 7919 % 99999999:09d}") for i in range(n)]
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)

        def submit(i):
            request = intake_pb2.SubmitAppealRequest(
                applicant=intake_pb2.Applicant(is_subject=True, phone=f"+38050{1000000 + i:07d}"),
                channel=1,
                description=f"Потрібна реабілітація та консультація (звернення {i})",
                consent_to_processing=True,
                community_code=COMMUNITY,
                client_request_id=f"bench-web-{i}",
            )
            request.applicant.person.rnokpp = people[i]
            request.applicant.person.last_name = LAST[i % len(LAST)]
            request.applicant.person.first_name = FIRST[(i // len(LAST)) % len(FIRST)]
            request.applicant.person.birth_date = (date(1950, 1, 1) + timedelta(days=17 * i)).isoformat()
            return intake.SubmitAppeal(request, metadata=staff, timeout=30).tracking_number

        with futures.ThreadPoolExecutor(8) as pool:
            tracking = list(pool.map(submit, range(n)))
        numbers = {}
        deadline = time.monotonic() + 600
        while len(numbers) < n and time.monotonic() < deadline:
            for i, t in enumerate(tracking):
                if i not in numbers:
                    got = intake.GetAppealStatus(
                        intake_pb2.GetAppealStatusRequest(tracking_number=t), metadata=staff, timeout=10
                    ).case_number
                    if got:
                        numbers[i] = got
            if len(numbers) < n:
                time.sleep(0.5)
    if len(numbers) < n:
        raise RuntimeError(f"only {len(numbers)} of {n} appeals opened a case")
    return [(numbers[i], people[i]) for i in range(n)]


class Bff:
    """The BFF process, signed in as MANAGER through the development IdP."""

    def __init__(self, platform, home: pathlib.Path):
        users = home / "web_users.json"
        users.write_text(
            json.dumps(
                [
                    {
                        "key": MANAGER,
                        "user_id": MANAGER,
                        "role": "case_manager",
                        "community_code": COMMUNITY,
                        "label_uk": MANAGER,
                        "label_en": MANAGER,
                    }
                ]
            ),
            encoding="utf-8",
        )
        self.port = free_port()
        env = {
            **platform.env,
            "EKM_WEB_PORT": str(self.port),
            "EKM_WEB_SESSION_SECRET": "bench",
            "EKM_WEB_DEMO_USERS": str(users),
            "EKM_WEB_IDLE_MINUTES": "120",
        }
        self.log = open(home / "web.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ekm_web"], env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/signin", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the BFF did not start") from None
                time.sleep(0.2)
        self.cookie = self._sign_in()
        self.local = threading.local()

    def _sign_in(self) -> str:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", "/signin")
        reply = conn.getresponse()
        page = reply.read().decode()
        cookie = reply.getheader("set-cookie").split(";")[0]
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"user": MANAGER, "csrf_token": csrf})
        conn.request(
            "POST",
            "/signin",
            body=body,
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        reply = conn.getresponse()
        reply.read()
        assert reply.status == 303, reply.status
        conn.close()
        return reply.getheader("set-cookie").split(";")[0]

    def get(self, path: str) -> str:
        import http.client

        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path, headers={"Cookie": self.cookie})
        reply = conn.getresponse()
        body = reply.read().decode()
        if reply.status != 200:
            raise RuntimeError(f"GET {path}: {reply.status}")
        return body

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", default="1,4")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    vhost, uri = create_vhost("ekm-bench-web")
    try:
        with (
            tempfile.TemporaryDirectory() as home,
            running_platform(pathlib.Path(home), uri, services=("intake", "cases"), timeout=120) as platform,
        ):
            print(f"loading {args.cases} cases through intake …", flush=True)
            start = time.monotonic()
            cases = load_cases(platform, args.cases)
            print(f"  {len(cases)} cases in {time.monotonic() - start:.0f} s", flush=True)
            bff = Bff(platform, pathlib.Path(home))
            token = platform.bearer("case_manager", MANAGER)
            try:
                with platform.channel("cases") as channel:
                    stub = cases_pb2_grpc.CaseServiceStub(channel)

                    def direct_worklist():
                        stub.ListCases(cases_pb2.ListCasesRequest(page_size=25), metadata=token, timeout=30)

                    def direct_case():
                        number, rnokpp = random.choice(cases)
                        case = stub.GetCase(cases_pb2.GetCaseRequest(case_number=number), metadata=token, timeout=30)
                        calls = [
                            stub.GetPerson.future(
                                cases_pb2.GetPersonRequest(person_id=case.person_id), metadata=token, timeout=30
                            ),
                            stub.GetHousehold.future(
                                cases_pb2.GetHouseholdRequest(case_id=case.case_id), metadata=token, timeout=30
                            ),
                            stub.GetCaseAppeal.future(
                                cases_pb2.GetCaseAppealRequest(case_id=case.case_id), metadata=token, timeout=30
                            ),
                        ]
                        person = calls[0].result()
                        for f in calls[1:]:
                            try:
                                f.result()
                            except Exception:  # noqa: BLE001 - NOT_FOUND household: the page does without
                                pass
                        stub.ListCases(
                            cases_pb2.ListCasesRequest(search=person.identity.rnokpp, page_size=50),
                            metadata=token,
                            timeout=30,
                        )

                    def bff_worklist():
                        assert "Перелік випадків" in bff.get("/worklist")

                    def bff_case():
                        number, _ = random.choice(cases)
                        assert number in bff.get(f"/cases/{number}")

                    for warm in (direct_worklist, direct_case, bff_worklist, bff_case):
                        for _ in range(20):
                            warm()
                    print(
                        f"\nweb pages with {len(cases)} cases, {args.requests} requests per row "
                        "(ms: p50 / p95 / p99; ratio = page p50 / direct p50)"
                    )
                    for concurrency in levels:
                        measured = timed_interleaved(
                            {
                                "worklist direct gRPC (ListCases)": direct_worklist,
                                "worklist through the BFF (GET /worklist)": bff_worklist,
                                "case page direct gRPC (5 calls)": direct_case,
                                "case page through the BFF (GET /cases/N)": bff_case,
                            },
                            args.requests,
                            concurrency,
                        )
                        rows = {name: pcts(values) for name, values in measured.items()}
                        print(f"  {concurrency} caller(s):")
                        for name, (p50, p95, p99) in rows.items():
                            print(f"    {name:<44} {p50:8.2f} / {p95:8.2f} / {p99:8.2f}")
                        for page, direct in (
                            ("worklist", "worklist direct gRPC (ListCases)"),
                            ("case page", "case page direct gRPC (5 calls)"),
                        ):
                            through = next(v for k, v in rows.items() if k.startswith(page) and "BFF" in k)
                            ratio = through[0] / rows[direct][0] if rows[direct][0] else float("nan")
                            print(
                                f"    {page}: ratio {ratio:.2f} (target ≤ 1.5); p95 {through[1]:.1f} ms "
                                f"(target < 200 ms)"
                            )
            finally:
                bff.close()
    finally:
        delete_vhost(vhost)


if __name__ == "__main__":
    main()
