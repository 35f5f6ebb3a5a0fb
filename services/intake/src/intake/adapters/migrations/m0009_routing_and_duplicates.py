"""Routing by address over КАТОТТГ (community, provider, region queue) and near-duplicate appeals.

``appeals``: ``region_code``, ``provider_code``, ``routing_basis`` (how it was routed) and
``routing_unit`` (the КАТОТТГ unit it was routed by) and ``routing_reason`` (why it waits in a
region's queue); ``addresses`` (JSON: registered and actual,
as given); ``merged_into`` / ``merged_into_tracking`` (a near-duplicate's first appeal); the
subject's ``subject_rnokpp``, ``subject_unzr`` and ``subject_birth_date`` (the date of birth given,
else the one an identifier encodes), indexed, so that near-duplicates are found without reading
every appeal — filled for appeals stored before this migration.

``providers``: the providers of social services of each served community (a default one, and any
that cover only some settlements); seeded with the provider of m0004's demo community. The other
demo communities and their providers (Київська область: Бучанська, Ірпінська; Чернігівська) are
loaded by ``ekm demo`` from ``deploy/demo/communities.json`` (intake's ``register_community`` RPC),
so that a deployment serves only the communities it adds."""

import json

import sqlalchemy as sa

from ekm_platform.matching import implied_birth_date

PROVIDERS = [
    {
        "code": "KYIV-CNSP",
        "name": "Київський міський центр надання соціальних послуг",
        "community_code": "UA80000000000093317",
        "settlements": "[]",
        "is_default": True,
    },
]


def _subject(row) -> dict:
    applicant, subject = json.loads(row.applicant), json.loads(row.subject)
    if applicant.get("is_subject") and not (subject.get("rnokpp") or subject.get("unzr")):
        return applicant.get("person", {})
    return subject


def upgrade(op):
    with op.batch_alter_table("appeals") as batch:
        for name, length in (
            ("region_code", 19),
            ("provider_code", 40),
            ("routing_basis", 24),
            ("routing_unit", 19),
            ("merged_into", 36),
            ("merged_into_tracking", 32),
            ("subject_rnokpp", 10),
            ("subject_unzr", 14),
            ("subject_birth_date", 10),
        ):
            batch.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
        batch.add_column(sa.Column("routing_reason", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("addresses", sa.Text, nullable=False, server_default=""))
    for column in ("subject_rnokpp", "subject_unzr", "subject_birth_date", "merged_into"):
        op.create_index(f"ix_appeals_{column}", "appeals", [column])
    op.create_index("ix_appeals_region_state", "appeals", ["region_code", "state"])
    bind = op.get_bind()
    appeals = sa.table(
        "appeals",
        sa.column("appeal_id"),
        sa.column("applicant"),
        sa.column("subject"),
        sa.column("subject_rnokpp"),
        sa.column("subject_unzr"),
        sa.column("subject_birth_date"),
    )
    for row in bind.execute(sa.select(appeals.c.appeal_id, appeals.c.applicant, appeals.c.subject)).all():
        person = _subject(row)
        rnokpp, unzr = person.get("rnokpp", ""), person.get("unzr", "")
        bind.execute(
            appeals.update()
            .where(appeals.c.appeal_id == row.appeal_id)
            .values(
                subject_rnokpp=rnokpp[:10],
                subject_unzr=unzr[:14],
                subject_birth_date=(person.get("birth_date") or implied_birth_date(rnokpp, unzr))[:10],
            )
        )
    communities = sa.table("communities", sa.column("code"))
    known = set(bind.execute(sa.select(communities.c.code)).scalars())
    providers = op.create_table(
        "providers",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("community_code", sa.String(19), nullable=False, index=True),
        sa.Column("settlements", sa.Text, nullable=False, server_default="[]"),  # JSON: КАТОТТГ codes covered
        sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.bulk_insert(providers, [p for p in PROVIDERS if p["community_code"] in known])
