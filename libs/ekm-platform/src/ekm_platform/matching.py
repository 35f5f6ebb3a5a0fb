"""Is this the same person? Exact by РНОКПП / УНЗР, fuzzy by name and date of birth. Plain Python.

Names arrive in Cyrillic or in Latin letters (a passport, a Diia export, an agency's form), with
any of the apostrophes people type (ʼ ' ’ ` ‘). Before comparing, a name is normalised (case,
apostrophes, hyphens and spaces) and a Cyrillic name is transliterated into the match variants
``translitua`` ships: the official system of Cabinet resolution No. 55 (2010) and the older
passport systems (2004, 2007), the 1996 national system, GOST 1986 and BGN — "Андрій" meets
"Andrii", "Andriy" and "Andrij". Similarity is ``rapidfuzz``'s normalised Indel distance (Jaro-Winkler was
too forgiving of a shorter surname: "Коваль" came near "Коваленко"); exact identifiers are compacted and
checked with ``python-stdnum`` (РНОКПП) and the platform's validators (УНЗР).

Two score bands (configuration): at or above ``auto_link`` a match links the appeal to the person
without asking anybody; between ``review`` and ``auto_link`` it goes to a person for review; below
``review`` it is not the same person. Identifiers that contradict (both sides have a РНОКПП and they
differ) are never a match, however alike the names.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import translitua
from rapidfuzz.distance import Indel
from stdnum.ua import rntrc

from ekm_platform.identifiers import normalise_unzr, unzr_problem

APOSTROPHES = "ʼ'’`‘ʹ′＇"
_APOSTROPHE = re.compile(f"[{re.escape(APOSTROPHES)}]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—.]+")
# translitua's systems used as match variants: resolution No. 55 first, then the older ones
SYSTEMS = (
    translitua.UkrainianKMU,
    translitua.UkrainianPassport2007,
    translitua.UkrainianPassport2004Alt,
    translitua.UkrainianNational1996,
    translitua.UkrainianGOST1986,
    translitua.UkrainianBGN,
)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
WEIGHTS = {"last_name": 0.5, "first_name": 0.35, "patronymic": 0.15}


@dataclass(frozen=True)
class Bands:
    auto_link: float = 0.95  # at or above: the same person, linked without review
    review: float = 0.80  # at or above (and below auto_link): a person decides

    @classmethod
    def configured(cls) -> Bands:
        """``EKM_MATCH_AUTO_LINK_SCORE`` and ``EKM_MATCH_REVIEW_SCORE`` (0..1); a value that is not a
        number, or bands the wrong way round, stop the process (ValueError)."""
        auto = float(os.environ.get("EKM_MATCH_AUTO_LINK_SCORE", cls.auto_link))
        review = float(os.environ.get("EKM_MATCH_REVIEW_SCORE", cls.review))
        if not 0 < review <= auto <= 1:
            raise ValueError("EKM_MATCH_REVIEW_SCORE must be > 0 and <= EKM_MATCH_AUTO_LINK_SCORE <= 1")
        return cls(auto, review)

    def band(self, score: float) -> str:
        return "auto" if score >= self.auto_link else "review" if score >= self.review else "none"


def strip_apostrophes(text: str) -> str:
    return _APOSTROPHE.sub("", text)


def normalise(name: str) -> str:
    """Lower case, NFC, no apostrophes, one space between parts ("Мар’яна-Ольга " -> "марянa ольга")."""
    text = unicodedata.normalize("NFC", name or "").strip().lower()
    text = strip_apostrophes(text)
    return _SEPARATORS.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def variants(name: str) -> frozenset[str]:
    """The forms a name may take: itself normalised and, for a Cyrillic name, each system's
    transliteration (normalised the same way, so apostrophes and case never matter)."""
    base = normalise(name)
    if not base:
        return frozenset()
    found = {base}
    if _CYRILLIC.search(base):
        for system in SYSTEMS:
            found.add(normalise(translitua.translit(name.strip(), system)))
        # a diacritic-free form of GOST's "č", "š", "ž"
        found |= {
            unicodedata.normalize("NFKD", v).encode("ascii", "ignore").decode()
            for v in list(found)
            if not _CYRILLIC.search(v)
        }
    return frozenset(v for v in found if v)


def name_similarity(a: str, b: str) -> float:
    """The best similarity (0..1) over both names' variants."""
    va, vb = variants(a), variants(b)
    if not va or not vb:
        return 0.0
    if va & vb:
        return 1.0
    return max(Indel.normalized_similarity(x, y) for x in va for y in vb)


def compact_rnokpp(value: str) -> str:
    """A РНОКПП without spaces or dashes if it is a valid one, else ""."""
    if not value:
        return ""
    compact = rntrc.compact(value)
    return compact if rntrc.is_valid(compact) else ""


def compact_unzr(value: str) -> str:
    if not value:
        return ""
    value = normalise_unzr(value.strip())
    return value if unzr_problem(value) is None else ""


def implied_birth_date(rnokpp: str = "", unzr: str = "") -> str:
    """The date of birth a РНОКПП (days since 1899-12-31) or an УНЗР (YYYYMMDD) encodes, or ""."""
    if value := compact_unzr(unzr):
        return f"{value[:4]}-{value[4:6]}-{value[6:8]}"
    if value := compact_rnokpp(rnokpp):
        return (date(1899, 12, 31) + timedelta(days=int(value[:5]))).isoformat()
    return ""


@dataclass(frozen=True)
class Identity:
    """What is known of a person for matching (any field may be empty)."""

    rnokpp: str = ""
    unzr: str = ""
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    birth_date: str = ""

    @classmethod
    def of(cls, data: dict) -> Identity:
        return cls(**{k: str(data.get(k) or "") for k in cls.__dataclass_fields__})

    @property
    def dob(self) -> str:
        return self.birth_date or implied_birth_date(self.rnokpp, self.unzr)


@dataclass(frozen=True)
class Match:
    score: float  # 0..1
    kind: str  # "exact" | "fuzzy" | "none"
    reasons: tuple = field(default=())  # what agreed and what did not, as codes ("rnokpp", "last_name~0.97", ...)


def contradicts(a: Identity, b: Identity) -> bool:
    """Both sides carry the same kind of identifier and they differ: two different people."""
    ra, rb = _digits(a.rnokpp), _digits(b.rnokpp)  # as written: even an invalid number is somebody's
    ua, ub = _digits(a.unzr), _digits(b.unzr)
    return bool((ra and rb and ra != rb) or (ua and ub and ua != ub))


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def _dob_factor(a: str, b: str) -> tuple[float, str]:
    if not a or not b:
        return 0.0, "birth_date:missing"
    if a == b:
        return 1.0, "birth_date"
    try:
        da, db = date.fromisoformat(a), date.fromisoformat(b)
    except ValueError:
        return 0.0, "birth_date:invalid"
    if (da.year, da.month, da.day) == (db.year, db.day, db.month):
        return 0.85, "birth_date:day_month_swapped"
    return 0.0, "birth_date:differs"


def compare(a: Identity, b: Identity) -> Match:
    """How likely ``a`` and ``b`` are one person: exact on a shared identifier, else names and date
    of birth (without an agreeing date of birth a name alone is never enough)."""
    if contradicts(a, b):
        return Match(0.0, "none", ("identifier:differs",))
    ra, rb = compact_rnokpp(a.rnokpp), compact_rnokpp(b.rnokpp)
    ua, ub = compact_unzr(a.unzr), compact_unzr(b.unzr)
    if ra and ra == rb:
        return Match(1.0, "exact", ("rnokpp",))
    if ua and ua == ub:
        return Match(1.0, "exact", ("unzr",))
    factor, dob_reason = _dob_factor(a.dob, b.dob)
    if factor == 0.0:
        return Match(0.0, "none", (dob_reason,))
    total, weight, reasons = 0.0, 0.0, [dob_reason]
    for part, w in WEIGHTS.items():
        x, y = getattr(a, part), getattr(b, part)
        if not (x and y):
            continue  # a patronymic one side left out says nothing
        similarity = name_similarity(x, y)
        total += w * similarity
        weight += w
        reasons.append(f"{part}~{similarity:.2f}")
    if weight < WEIGHTS["last_name"] + WEIGHTS["first_name"]:
        return Match(0.0, "none", (*reasons, "name:missing"))
    return Match(round(total / weight * factor, 4), "fuzzy", tuple(reasons))
