"""Finding a person in a worklist by name or РНОКПП, whatever the case and apostrophe forms."""

from __future__ import annotations

import re

APOSTROPHES = re.compile(r"[\u2019\u02bc\u0060\u00b4\u2018\u02b9\u2032]")
RNOKPP = re.compile(r"[0-9]{10}")
MAX_SEARCH = 100


def search_key(*names: str) -> str:
    """ "Прокоп’єнко  Олена" and "прокоп'єнко олена" give the same key (lower case, one
    apostrophe form, single spaces). Stored beside each person; a search is a prefix of it."""
    text = APOSTROPHES.sub("'", " ".join(n for n in names if n)).lower()
    return " ".join(text.split())


def parse_search(text: str) -> tuple[str, str]:
    """("rnokpp", digits) for a 10-digit РНОКПП, ("name", key) otherwise, ("", "") when empty."""
    text = (text or "").strip()
    if not text:
        return "", ""
    if RNOKPP.fullmatch(text):
        return "rnokpp", text
    return "name", search_key(text)
