"""HTML forms ⇄ protobuf requests: repeated rows (``family-3-full_name``) and the services'
field paths (``family[2].birth_date``, ``domains.health.need_level``) turned into the ids of
the inputs, so an error is shown at its field."""

from __future__ import annotations

import re

_INDEXED = re.compile(r"([a-z_]+)\[(\d+)\]")


def rows(form, prefix: str, fields: tuple[str, ...], limit: int = 200) -> list[tuple[int, dict]]:
    """The filled-in rows of a repeated table: ``[(row number in the form, {field: value})]``;
    rows with every field blank are left out (the blank rows a form offers for new entries)."""
    pattern = re.compile(rf"{re.escape(prefix)}-(\d+)-[a-z_]+")
    indices = sorted({int(m.group(1)) for key in form.keys() if (m := pattern.fullmatch(key))})[:limit]
    found = []
    for i in indices:
        values = {name: str(form.get(f"{prefix}-{i}-{name}", "") or "").strip() for name in fields}
        if any(values.values()):
            found.append((i, values))
    return found


def field_id(path: str, row_of: dict[str, list[int]] | None = None) -> str:
    """``family[2].birth_date`` -> ``family-<form row of request item 2>-birth_date``;
    ``domains.health.need_level`` -> ``domains-health-need_level``."""
    row_of = row_of or {}

    def index(match):
        name, i = match.group(1), int(match.group(2))
        mapped = row_of.get(name)
        return f"{name}-{mapped[i] if mapped and i < len(mapped) else i}"

    return _INDEXED.sub(index, path).replace(".", "-")


def errors_at_fields(fields: dict, row_of: dict[str, list[int]] | None = None, strip: str = "") -> dict[str, str]:
    """The service's field violations keyed by input id (``strip``: a request prefix such as
    ``assessment.``)."""
    out = {}
    for path, text in fields.items():
        if strip and path.startswith(strip):
            path = path[len(strip) :]
        out.setdefault(field_id(path, row_of), text)
    return out
