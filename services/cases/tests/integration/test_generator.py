"""The scale-data generator on a real PostgreSQL (small numbers)."""

import uuid

import psycopg
import pytest

from cases.tools.generate import generate, psycopg_url
from ekm_platform.db import drop_database
from ekm_platform.identifiers import rnokpp_problem
from ekm_platform.testing.fixtures import postgres_available

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


def test_generated_data_is_valid_and_counted():
    if not postgres_available():
        pytest.skip("PostgreSQL is not running")
    url = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmgen_{uuid.uuid4().hex[:8]}"
    try:
        generate(url, n_cases=500, n_persons=1500, n_history=5000, communities=5)
        with psycopg.connect(psycopg_url(url)) as conn:
            counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("cases", "persons", "history")]
            rnokpps = [r[0] for r in conn.execute("SELECT rnokpp FROM persons LIMIT 200")]
            managers = conn.execute("SELECT count(DISTINCT assigned_to) FROM cases").fetchone()[0]
            unsearchable = conn.execute("SELECT count(*) FROM persons WHERE search_name = ''").fetchone()[0]
            conn.execute("SET enable_seqscan = off")  # tiny tables: ask whether the index can serve a prefix search
            plan = " ".join(
                r[0] for r in conn.execute("EXPLAIN SELECT person_id FROM persons WHERE search_name LIKE 'коваленко%'")
            )
        assert counts == [500, 1500, 5000] and unsearchable == 0
        assert "persons_by_search_name" in plan, plan
        assert all(rnokpp_problem(r) is None for r in rnokpps) and managers > 1
    finally:
        drop_database(url)
