"""GetCase and a case manager's worklist on a large PostgreSQL database, 8 concurrent callers,
beside raw grpcio measured in the same run.

    .venv/bin/ekm-cases-generate --database-url postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmscale_cases
    .venv/bin/python -m bench.cases_at_scale --database-url postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmscale

(``--database-url`` is the base: the cases service uses ``<base>_cases``.) The callers
are the cases' own case managers, so every GetCase passes the access check and writes
its audit entry, as in production.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import tempfile

import psycopg
from sqlalchemy.engine import make_url

from bench.appeals import timed_calls
from bench.baselines import format_row, grpc_echo, percentiles
from ekm.cases.v1 import cases_pb2 as pb
from ekm.cases.v1 import cases_pb2_grpc
from ekm_platform.testing.broker import create_vhost, delete_vhost
from ekm_platform.testing.platform import running_platform

CALLERS = 8


def sample(url: str, n: int) -> list[tuple]:
    dsn = make_url(url).set(drivername="postgresql", database=make_url(url).database + "_cases")
    with psycopg.connect(dsn.render_as_string(hide_password=False)) as conn:
        return conn.execute(
            "SELECT c.case_number, c.assigned_to, c.community_code, p.last_name, p.rnokpp "
            "FROM cases c TABLESAMPLE SYSTEM (1) JOIN persons p ON p.person_id = c.person_id "
            "WHERE c.stage <> 'closed' LIMIT %s",
            (n,),
        ).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="base URL; the cases database is <base>_cases")
    parser.add_argument("--calls", type=int, default=4000)
    args = parser.parse_args()
    cases = sample(args.database_url, 2000)
    print(f"{len(cases)} sampled cases; raw baseline …", flush=True)
    echo = grpc_echo(args.calls, CALLERS)
    vhost, uri = create_vhost("ekm-bench")
    try:
        with (
            tempfile.TemporaryDirectory() as home,
            running_platform(pathlib.Path(home), uri, args.database_url, services=("cases",), timeout=120) as platform,
        ):
            print("issuing tokens for the sampled case managers …", flush=True)
            tokens = {m: platform.bearer("case_manager", m) for m in {c[1] for c in cases}}  # outside the timing
            token = tokens.__getitem__

            with platform.channel("cases") as channel:
                stub = cases_pb2_grpc.CaseServiceStub(channel)

                def get_case():
                    number, manager, *_ = random.choice(cases)
                    return stub.GetCase(pb.GetCaseRequest(case_number=number), metadata=token(manager), timeout=30)

                def worklist():
                    _, manager, community, *_ = random.choice(cases)
                    return stub.ListCases(
                        pb.ListCasesRequest(
                            stage=pb.STAGE_IMPLEMENTATION, overdue_only=True, community_code=community, page_size=50
                        ),
                        metadata=token(manager),
                        timeout=30,
                    )

                def search():
                    """The case manager looks for one of their people: by surname prefix or by РНОКПП."""
                    _, manager, _, last_name, rnokpp = random.choice(cases)
                    text = rnokpp if rnokpp and random.random() < 0.5 else last_name[:5]
                    return stub.ListCases(
                        pb.ListCasesRequest(search=text, page_size=50), metadata=token(manager), timeout=30
                    )

                timed_calls(get_case, 200, CALLERS)
                timed_calls(worklist, 200, CALLERS)
                timed_calls(search, 200, CALLERS)
                get_s, get_lat, _ = timed_calls(get_case, args.calls, CALLERS)
                list_s, list_lat, lists = timed_calls(worklist, args.calls, CALLERS)
                search_s, search_lat, found = timed_calls(search, args.calls, CALLERS)
    finally:
        delete_vhost(vhost)
    g50, g99 = percentiles(get_lat)
    l50, l99 = percentiles(list_lat)
    print(f"\nЕКМ bench — cases at scale ({len(cases)} sampled cases, {CALLERS} concurrent callers)")
    format_row("GetCase p50", g50, echo["p50_ms"], "ms")
    format_row("GetCase p99 (target ≤ 10 ms)", g99, echo["p99_ms"], "ms")
    format_row("GetCase per second", args.calls / get_s, echo["per_second"], "/s")
    format_row("worklist p50 (stage + overdue + community)", l50, echo["p50_ms"], "ms")
    format_row("worklist p99 (target ≤ 50 ms)", l99, echo["p99_ms"], "ms")
    format_row("worklist per second", args.calls / list_s, echo["per_second"], "/s")
    print(f"  worklist rows returned on average: {sum(len(r.cases) for r in lists) / len(lists):.1f}")
    s50, s99 = percentiles(search_lat)
    format_row("worklist search p50 (name prefix or РНОКПП)", s50, echo["p50_ms"], "ms")
    format_row("worklist search p99", s99, echo["p99_ms"], "ms")
    format_row("worklist search per second", args.calls / search_s, echo["per_second"], "/s")
    print(
        f"  search rows returned on average: {sum(len(r.cases) for r in found) / len(found):.1f} "
        f"(each row named: {all(c.person_name for r in found for c in r.cases)})"
    )


if __name__ == "__main__":
    main()
