"""Generate a large, realistic cases database for scale tests (PostgreSQL, COPY).

    ekm-cases-generate --database-url postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmscale_cases \\
        [--cases 1000000] [--persons 3000000] [--history 20000000] [--communities 1000]

The database is migrated first (the same migrations as production). Every case's person
is distinct (one open case per person), cases are spread over communities and case
managers (one per 20 cases: with the defaults 50 per community, 50,000 in all, ~34 weighted
units of open cases each), stages and stage dates are spread so that some
work is overdue, and each case's person gets history entries. Identifiers are valid
(check digits) and belong to nobody; names are drawn from short lists.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone

import psycopg
from sqlalchemy.engine import make_url

from cases.domain.search import search_key
from ekm_platform.identifiers import make_rnokpp
from ekm_platform.migrations import migrate
from ekm_platform.progress import Progress  # tqdm on a terminal, one plain line per table otherwise

LAST = ["Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник", "Лисенко"]
FIRST = ["Андрій", "Олена", "Сергій", "Марія", "Іван", "Наталія", "Дмитро", "Оксана"]
STAGES = [
    ("assessment", 30),
    ("planning", 15),
    ("implementation", 25),
    ("monitoring", 12),
    ("review", 3),
    ("closed", 15),
]
OUTCOMES = ["resolved", "minimised", "moved", "refused"]
KINDS = ["appeal", "case.stage", "assessment", "plan", "review", "referral", "registry.person.returned_from_service"]


CASES_PER_MANAGER = 20


def managers_per_community(n_cases: int, communities: int) -> int:
    """One case manager per 20 cases of a community (at least one)."""
    return max(1, n_cases // communities // CASES_PER_MANAGER)


def psycopg_url(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def generate(url: str, n_cases: int, n_persons: int, n_history: int, communities: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    migrate(url, "cases.adapters.migrations")
    now = datetime.now(timezone.utc)
    community_codes = [f"UA{8000000000000000 + i:017d}"[:19] for i in range(communities)]
    per_community = managers_per_community(n_cases, communities)
    with psycopg.connect(psycopg_url(url), autocommit=False) as conn, conn.cursor() as cur:
        progress = Progress("managers", communities * per_community, unit="rows")
        with cur.copy(
            "COPY case_managers (manager_id, community_code, capacity, skills, supervisor_id) FROM STDIN"
        ) as copy:
            for c, code in enumerate(community_codes):
                for m in range(per_community):
                    copy.write_row((f"cm-{c}-{m}", code, 60, '["veterans"]', f"sv-{c}"))
                    progress.add()
        person_ids, per_day = [], {}
        progress = Progress("persons", n_persons, unit="rows")
        with cur.copy(
            "COPY persons (person_id, rnokpp, unzr, last_name, first_name, patronymic, birth_date, "
            "created_at, search_name) FROM STDIN"
        ) as copy:
            for _ in range(n_persons):
                born = date(1940, 1, 1) + timedelta(days=rng.randrange(80 * 365))
                days = (born - date(1899, 12, 31)).days
                serial = per_day[days] = per_day.get(days, -1) + 1  # РНОКПП: birth day + serial
                person_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                person_ids.append(person_id)
                last, first = rng.choice(LAST), rng.choice(FIRST)
                copy.write_row(
                    (
                        person_id,
                        make_rnokpp(f"{days:05d}{serial:04d}") if serial < 10000 else None,
                        None,
                        last,
                        first,
                        "",
                        born.isoformat(),
                        now,
                        search_key(last, first),
                    )
                )
                progress.add()
        stage_names = [s for s, _ in STAGES]
        weights = [w for _, w in STAGES]
        progress = Progress("cases", n_cases, unit="rows")
        case_people = []
        with cur.copy(
            "COPY cases (case_id, case_number, person_id, stage, screening_level, community_code, "
            "assigned_to, opened_at, updated_at, version, complexity, outcome, stage_entered_at, "
            "assignment_explanation) FROM STDIN"
        ) as copy:
            for i in range(n_cases):
                c = rng.randrange(communities)
                stage = rng.choices(stage_names, weights)[0]
                opened = now - timedelta(days=rng.randrange(720), seconds=rng.randrange(86400))
                entered = opened + (now - opened) * rng.random()
                person_id = person_ids[i]
                case_people.append(person_id)
                copy.write_row(
                    (
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        f"CASE-G{i:09d}",
                        person_id,
                        stage,
                        rng.choice(("assessment", "assessment", "crisis")),
                        community_codes[c],
                        f"cm-{c}-{rng.randrange(per_community)}",
                        opened,
                        entered,
                        1,
                        rng.choice(("low", "medium", "high")),
                        rng.choice(OUTCOMES) if stage == "closed" else "",
                        entered,
                        "згенеровано / generated",
                    )
                )
                progress.add()
        progress = Progress("history", n_history, unit="rows")
        with cur.copy("COPY history (person_id, at, kind, reference, summary, source) FROM STDIN") as copy:
            for i in range(n_history):
                person_id = case_people[i % n_cases] if i < n_history * 0.9 else person_ids[rng.randrange(n_persons)]
                copy.write_row(
                    (
                        person_id,
                        now - timedelta(days=rng.randrange(720)),
                        rng.choice(KINDS),
                        f"ref-{i}",
                        "запис історії / history entry",
                        "generator",
                    )
                )
                progress.add()
        sys.stderr.write("committing and analysing …\n")
        conn.commit()
        conn.autocommit = True
        cur.execute("ANALYZE")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ekm-cases-generate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=3_000_000)
    parser.add_argument("--history", type=int, default=20_000_000)
    parser.add_argument("--communities", type=int, default=1000)
    return parser


def main(argv=None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    if make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("the generator writes to PostgreSQL")
    if args.persons < args.cases:
        parser.error("--persons must be at least --cases (one open case per person)")
    started = time.monotonic()
    managers = args.communities * managers_per_community(args.cases, args.communities)
    sys.stderr.write(
        f"{args.cases:,} cases, {args.persons:,} persons, {args.history:,} history entries, "
        f"{managers:,} case managers in {args.communities:,} communities\n"
    )
    generate(args.database_url, args.cases, args.persons, args.history, args.communities)
    sys.stderr.write(f"done in {time.monotonic() - started:,.0f} s\n")


if __name__ == "__main__":
    main()
