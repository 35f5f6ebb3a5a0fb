"""``ekm trace <tracking number | trace id>``: a request's spans as a tree, from the local store."""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time

from ekm_platform.tracing import TraceStore


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key", help="tracking number, appeal id, case number or a 32-hex trace id")
    parser.add_argument(
        "--db", type=pathlib.Path, default=None, help="trace store (default $EKM_TRACE_DB or var/traces.db)"
    )
    parser.add_argument("--wait", type=float, default=0.0, help="seconds to wait for the trace to appear")
    parser.add_argument("--json", action="store_true", help="print the spans as JSON")


def render(spans: list[dict]) -> list[str]:
    """One line per span, children indented under their parent, in start order."""
    by_id = {s["span_id"]: s for s in spans}
    children: dict[str | None, list[dict]] = {}
    for span in sorted(spans, key=lambda s: s["start_ns"]):
        parent = span["parent_span_id"] if span["parent_span_id"] in by_id else None
        children.setdefault(parent, []).append(span)
    lines: list[str] = []

    def walk(parent, depth):
        for span in children.get(parent, []):
            ms = (span["end_ns"] - span["start_ns"]) / 1e6
            error = "  ✗ ERROR" if span["status"] == "ERROR" else ""
            lines.append(
                f"{ms:9.2f} ms  {'  ' * depth}[{span['service']}] {span['name']} ({span['kind'].lower()}){error}"
            )
            walk(span["span_id"], depth + 1)

    walk(None, 0)
    return lines


def summary(trace_id: str, spans: list[dict]) -> str:
    start = min(s["start_ns"] for s in spans)
    end = max(s["end_ns"] for s in spans)
    services = sorted({s["service"] for s in spans})
    return (
        f"Траса / trace {trace_id}: {len(spans)} спанів / spans; "
        f"сервіси / services: {', '.join(services)}; загалом / total {(end - start) / 1e6:.2f} ms"
    )


def find_traces(store: TraceStore, key: str) -> list[tuple[str, list[dict]]]:
    """(trace id, spans) of every trace with at least one stored span, earliest first."""
    traces = [(t, store.spans(t)) for t in store.find_trace_ids(key)]
    return sorted([(t, s) for t, s in traces if s], key=lambda item: min(x["start_ns"] for x in item[1]))


def run(args: argparse.Namespace) -> int:
    store = TraceStore(args.db)
    deadline = time.monotonic() + args.wait
    while not (traces := find_traces(store, args.key)) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not traces:
        print(f"Трасу не знайдено / trace not found: {args.key}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([{"trace_id": t, "spans": s} for t, s in traces], ensure_ascii=False, indent=2))
        return 0
    for trace_id, spans in traces:
        print("\n".join(render(spans)))
        print(summary(trace_id, spans) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ekm trace", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))
