"""hypothesis strategies for protobuf messages, built from their descriptors.

``methods()`` walks every service of every generated ``*_pb2`` module under the ``ekm``
package, so that a new method or service is fuzzed without a line here. ``message(desc)``
builds type-correct random messages: every scalar type over its whole range, enums with
unknown values too, strings from unicode junk through huge ones to values the platform
knows (``KNOWN``: valid identifiers, tracking and case numbers seen in the run), nested and
repeated fields and maps. A field type it does not know raises ``NoStrategy`` — the test
that builds a strategy for every method then fails.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from google.protobuf.descriptor import FieldDescriptor
from hypothesis import strategies as st

import ekm

MAX_DEPTH = 3


class NoStrategy(Exception):
    """A field type the generator cannot produce (add it here)."""


@dataclass(frozen=True)
class Method:
    service: str  # proto full name, e.g. ekm.cases.v1.CaseService
    name: str
    descriptor: object

    @property
    def path(self) -> str:
        return f"/{self.service}/{self.name}"

    @property
    def id(self) -> str:
        return f"{self.service.split('.')[1]}.{self.name}"


def pb2_modules():
    for info in pkgutil.walk_packages(ekm.__path__, "ekm."):
        if info.name.endswith("_pb2"):
            yield importlib.import_module(info.name)


def methods() -> list[Method]:
    found = []
    for module in pb2_modules():
        for service in module.DESCRIPTOR.services_by_name.values():
            found += [Method(service.full_name, m.name, m) for m in service.methods]
    return sorted(found, key=lambda m: m.path)


# Values that get a request past the first checks: filled by the test run (seeded data).
KNOWN: list[str] = [
    "",
    "3221512349",
    "19880314-43212",
    "UA80000000000093317",
    "2026-11-20",
    "2026-01-01T10:00:00Z",
    "37508470",
    "+380501234567",
    "user@example.com",
    "case_manager",
    "cm-1",
    "health",
    "sms",
]

JUNK = st.sampled_from(
    [
        "\x00",
        "\n",
        " ",
        "'; DROP TABLE cases; --",
        "../../../../etc/passwd",
        "%s%s%n",
        "{{7*7}}",
        "${jndi:ldap://x}",
        "\u202e\u200b\ufeff",
        "🙂" * 50,
        "ї" * 300,
        "A" * 5000,
        "9" * 400,
        "-1",
        "0",
        "NaN",
        "true",
        "null",
        "CASE-2026-AAAAAAA",
        "EKM-261120-AAAAAAAA",
        "2026-02-30",
        "9999-12-31",
        "0000-00-00",
        "UA" + "0" * 17,
        "\udbff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    ]
)
HUGE = st.sampled_from([50_000, 300_000]).map(lambda n: "Ж" * n)


def known() -> st.SearchStrategy:
    """One of ``KNOWN`` as it is when drawn (the run adds tracking and case numbers to it)."""
    return st.integers(0, 10**9).map(lambda i: KNOWN[i % len(KNOWN)])


# Values by field name (``case_id``, ``tracking_number``, ``due_on`` …): the run fills it from
# the seeded databases, so that a request names a case or a person that exists.
KNOWN_BY: dict[str, list[str]] = {
    "rnokpp": ["3221512349"],
    "unzr": ["19880314-43212"],
    "community_code": ["UA80000000000093317"],
    "phone": ["+380501234567"],
    "email": ["user@example.com"],
    "birth_date": ["1988-03-14"],
}
DATES = ["2026-12-01", "2027-01-15", "2025-01-01", "2026-11-20"]


def _hinted(name: str) -> list[str] | None:
    if name in KNOWN_BY:
        return KNOWN_BY[name]
    if name.endswith("_on") or name.endswith("_date") or name in ("date_from", "date_to", "complete_by"):
        return DATES
    return None


def strings(name: str = "") -> st.SearchStrategy:
    common = st.one_of(
        known(), known(), st.text(max_size=40), JUNK, st.text(st.characters(codec="utf-8"), min_size=1, max_size=300)
    )
    hinted = _hinted(name)
    if hinted:
        hint = st.integers(0, 10**9).map(lambda i: hinted[i % len(hinted)])
        common = st.one_of(hint, hint, hint, common)
    return st.integers(0, 59).flatmap(lambda i: HUGE if i == 0 else common)  # rarely a huge one


_INT = {
    FieldDescriptor.TYPE_INT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SINT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_UINT32: (0, 2**32 - 1),
    FieldDescriptor.TYPE_FIXED32: (0, 2**32 - 1),
    FieldDescriptor.TYPE_INT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SINT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_UINT64: (0, 2**64 - 1),
    FieldDescriptor.TYPE_FIXED64: (0, 2**64 - 1),
}


def integers(low: int, high: int) -> st.SearchStrategy:
    edges = [v for v in (low, high, -1, 0, 1, 2, 3, 100, 10_000, 2**31 - 1, -(2**31)) if low <= v <= high]
    return st.one_of(st.sampled_from(edges), st.integers(max(low, -5), min(high, 50)), st.integers(low, high))


def scalar(field) -> st.SearchStrategy:
    kind = field.type
    if kind in _INT:
        return integers(*_INT[kind])
    if kind == FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if kind == FieldDescriptor.TYPE_DOUBLE:
        return st.floats()
    if kind == FieldDescriptor.TYPE_FLOAT:
        return st.floats(width=32)
    if kind == FieldDescriptor.TYPE_STRING:
        return strings(field.name)
    if kind == FieldDescriptor.TYPE_BYTES:
        return st.binary(max_size=300)
    if kind == FieldDescriptor.TYPE_ENUM:
        known = [v.number for v in field.enum_type.values]
        return st.one_of(st.sampled_from(known), integers(-(2**31), 2**31 - 1))  # open enums: unknown values too
    raise NoStrategy(f"{field.full_name}: field type {kind}")


def _timestamp(cls) -> st.SearchStrategy:
    # valid instants, and seconds far outside 0001..9999 (a careless ToDatetime() raises on them)
    return st.builds(
        lambda s, n: cls(seconds=s, nanos=n),
        integers(-(2**63), 2**63 - 1) | st.integers(1_600_000_000, 1_900_000_000),
        st.integers(0, 999_999_999) | integers(-(2**31), 2**31 - 1),
    )


def message(descriptor, depth: int = 0) -> st.SearchStrategy:
    """Random messages of ``descriptor``'s type (deeper than MAX_DEPTH: empty messages)."""
    from google.protobuf import message_factory

    cls = message_factory.GetMessageClass(descriptor)
    if descriptor.full_name == "google.protobuf.Timestamp":
        return _timestamp(cls)
    if depth > MAX_DEPTH:
        return st.just(cls())
    fields = {}
    for field in descriptor.fields:
        fields[field.name] = _field(field, depth)

    @st.composite
    def build(draw):
        value = cls()
        for field in descriptor.fields:
            if not draw(st.booleans()):
                continue  # left unset (the default)
            drawn = draw(fields[field.name])
            target = getattr(value, field.name)
            if _is_map(field):
                for k, v in drawn.items():
                    if field.message_type.fields_by_name["value"].type == FieldDescriptor.TYPE_MESSAGE:
                        target[k].CopyFrom(v)
                    else:
                        target[k] = v
            elif field.is_repeated:
                if field.type == FieldDescriptor.TYPE_MESSAGE:
                    for item in drawn:
                        target.add().CopyFrom(item)
                else:
                    target.extend(drawn)
            elif field.type == FieldDescriptor.TYPE_MESSAGE:
                target.CopyFrom(drawn)
            else:
                setattr(value, field.name, drawn)
        return value

    return build()


def _is_map(field) -> bool:
    return field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type.GetOptions().map_entry


def _field(field, depth: int) -> st.SearchStrategy:
    if _is_map(field):
        key = scalar(field.message_type.fields_by_name["key"])
        value_field = field.message_type.fields_by_name["value"]
        value = (
            message(value_field.message_type, depth + 1)
            if value_field.type == FieldDescriptor.TYPE_MESSAGE
            else scalar(value_field)
        )
        return st.dictionaries(key, value, max_size=3)
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        item = st.deferred(lambda: message(field.message_type, depth + 1))
    elif field.type == FieldDescriptor.TYPE_GROUP:
        raise NoStrategy(f"{field.full_name}: groups")
    else:
        item = scalar(field)
    if field.is_repeated:
        return st.lists(item, max_size=3) | st.lists(item, min_size=20, max_size=60).filter(lambda _: depth == 0)
    return item


def request_bytes(descriptor) -> st.SearchStrategy:
    """A serialized request: a random message, the same with its bytes mutated, or raw bytes
    (malformed protobuf: truncated varints, wrong wire types, invalid UTF-8 in strings)."""
    messages = message(descriptor).map(lambda m: m.SerializeToString())

    def mutate(data: bytes, position: int, junk: bytes) -> bytes:
        i = position % (len(data) + 1)
        return data[:i] + junk + data[i + len(junk) :]

    return st.one_of(
        messages,
        messages,
        messages,
        st.builds(mutate, messages, st.integers(0, 10_000), st.binary(min_size=1, max_size=8)),
        st.binary(max_size=200),
        st.sampled_from(
            [
                b"\x0a\xff\xff\xff\xff\x0f",
                b"\x0a\x02\xff\xfe",
                b"\x08",
                b"\xff" * 11,
                b"\x0a\x05abc",
                b"\x0b\x0c",
                b"\x0f",
            ]
        ),
    )
