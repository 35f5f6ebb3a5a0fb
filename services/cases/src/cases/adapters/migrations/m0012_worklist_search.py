"""Worklist search: each person's name as a search key (lower case, one apostrophe form),
indexed for prefix searches (``varchar_pattern_ops`` on PostgreSQL, so ``LIKE 'key%'`` uses
it whatever the database's collation), and the cases of a person indexed (closed ones too)."""

import re

import sqlalchemy as sa

BATCH = 5000
_APOSTROPHES = re.compile(r"[\u2019\u02bc\u0060\u00b4\u2018\u02b9\u2032]")


def search_key(*names: str) -> str:
    """cases.domain.search.search_key as it was when this migration was written (frozen here)."""
    text = _APOSTROPHES.sub("'", " ".join(n for n in names if n)).lower()
    return " ".join(text.split())


def upgrade(op):
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("search_name", sa.String(320), nullable=False, server_default=""))
    _backfill(op.get_bind())
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX persons_by_search_name ON persons (search_name varchar_pattern_ops)")
    else:
        op.create_index("persons_by_search_name", "persons", ["search_name"])
    op.create_index("cases_by_person", "cases", ["person_id"])


def _backfill(conn):
    persons = sa.table(
        "persons",
        sa.column("person_id"),
        sa.column("last_name"),
        sa.column("first_name"),
        sa.column("patronymic"),
        sa.column("search_name"),
    )
    after = ""
    while True:
        rows = conn.execute(
            sa.select(persons.c.person_id, persons.c.last_name, persons.c.first_name, persons.c.patronymic)
            .where(persons.c.person_id > after)
            .order_by(persons.c.person_id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for person_id, last, first, patronymic in rows:
            conn.execute(
                sa.update(persons)
                .where(persons.c.person_id == person_id)
                .values(search_name=search_key(last, first, patronymic))
            )
        after = rows[-1].person_id
