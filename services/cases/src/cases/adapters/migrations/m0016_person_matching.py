"""Matching an appeal's person by name and date of birth (``cases.service_layer.matching``): the
candidates are the persons born on that date, found through this index."""


def upgrade(op):
    op.create_index("ix_persons_birth_date", "persons", ["birth_date"])
