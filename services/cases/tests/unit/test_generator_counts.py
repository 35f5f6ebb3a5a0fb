"""The README's description of the scale data says what the generator makes by default."""

import pathlib
import re

from cases.tools.generate import build_parser, managers_per_community

README = pathlib.Path(__file__).resolve().parents[4] / "README.md"


def number(text: str) -> int:
    return int(text.replace(",", ""))


def test_the_readme_states_the_generators_default_counts():
    args = build_parser().parse_args(["--database-url", "postgresql://127.0.0.1/x"])
    text = " ".join(README.read_text(encoding="utf-8").split())
    stated = re.search(r"([\d,]+) case managers in ([\d,]+) communities", text)
    assert stated, "the README should say how many case managers the scale data has"
    managers = args.communities * managers_per_community(args.cases, args.communities)
    assert (number(stated.group(1)), number(stated.group(2))) == (managers, args.communities)
    assert "1M cases, 3M persons, 20M history entries" in text
    assert (args.cases, args.persons, args.history) == (1_000_000, 3_000_000, 20_000_000)
