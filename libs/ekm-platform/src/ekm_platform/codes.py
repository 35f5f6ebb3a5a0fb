"""Closed code lists: proto enums whose values carry the code a service stores and their
labels (``ekm.common.v1.labels``: ``code``, ``label_uk``, ``label_en`` value options).

    RELATION = CodeList(cases_pb2.Relation)
    RELATION.number("spouse")   -> 2 (RELATION_SPOUSE); 0 for an unknown code
    RELATION.code(2)            -> "spouse"; "" for UNSPECIFIED or an unknown number

The labels are read from the descriptors, so a frontend's catalogue (``catalogue``) and
the services' validation come from the same enum definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from ekm.common.v1 import labels_pb2


@dataclass(frozen=True)
class Entry:
    number: int
    name: str
    code: str
    label_uk: str
    label_en: str


class CodeList:
    def __init__(self, enum_type):
        self.descriptor = getattr(enum_type, "DESCRIPTOR", enum_type)
        self.entries: list[Entry] = []
        for value in self.descriptor.values:
            options = value.GetOptions()
            code = options.Extensions[labels_pb2.code]
            if value.number == 0 and not code:
                continue  # *_UNSPECIFIED
            self.entries.append(
                Entry(
                    value.number,
                    value.name,
                    code,
                    options.Extensions[labels_pb2.label_uk],
                    options.Extensions[labels_pb2.label_en],
                )
            )
        self._by_code = {e.code: e for e in self.entries}
        self._by_number = {e.number: e for e in self.entries}

    @property
    def full_name(self) -> str:
        return self.descriptor.full_name

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.entries)

    def number(self, code: str, default: int = 0) -> int:
        entry = self._by_code.get(code)
        return entry.number if entry else default

    def code(self, number: int, default: str = "") -> str:
        entry = self._by_number.get(number)
        return entry.code if entry else default

    def known(self, number: int) -> bool:
        return number in self._by_number

    def label(self, code: str) -> str:
        """ "український / English" of a code (the code itself when unknown)."""
        entry = self._by_code.get(code)
        return f"{entry.label_uk} / {entry.label_en}" if entry else code


def catalogue(*lists: CodeList) -> list[tuple[str, list[Entry]]]:
    """(enum full name, its entries) for each list, in the order given."""
    return [(c.full_name, list(c.entries)) for c in lists]
