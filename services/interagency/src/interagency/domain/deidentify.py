"""De-identified counts for donors and the state. Plain Python.

A report is a table of counts of people: rows (communities, generalised) × columns (age
bands, services). What leaves the platform:

1. **Generalisation.** Ages become bands (0–17, 18–34, 35–59, 60+), communities are named by
   their KATOTTG code, and any row or column whose total is below ``k`` is merged with others
   (an unordered dimension into "other …", an ordered one such as age with its smaller
   neighbour: "35–59, 60+"), until every published total is at least ``k`` — or, when the
   whole table holds fewer than ``k`` people, nothing but the fact that it is too small.
2. **Primary suppression.** A cell with 0 < count < k is not published (``None``). Zero is
   published: it describes nobody.
3. **Complementary suppression.** Row and column totals are published, so a row or column with
   one hidden cell would give it away by subtraction. Hidden cells are added (non-zero ones,
   in the same row or column first, the smallest first) until no hidden cell is a *bridge* of
   the graph "row — hidden cell — column" (a line with a single hidden cell is one): a hidden
   cell outside every cycle of that graph is fixed by the totals (sum the equations of its
   side), one on a cycle is not. When no published non-zero cell can close a cycle, the rows are
   generalised one step further and the table is suppressed again (a single row always works:
   each cell is then its column's total, ≥ k). Every hidden cell is ≥ 1 and lies on a cycle,
   so moving ±1 around the cycle keeps every published number and every cell ≥ 0: each hidden cell has at least two values
   consistent with everything published. ``feasible_range`` is the attacker's side of that
   argument (the tests run it against random tables).

No direct identifiers ever enter: the functions take counts keyed by generalised labels.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

K_MIN = 5
DEFAULT_K = 5

# (label, lowest age, highest age) — the generalised age bands
AGE_BANDS = (("0-17", 0, 17), ("18-34", 18, 34), ("35-59", 35, 59), ("60+", 60, 200))
AGE_BAND_CODES = tuple(b[0] for b in AGE_BANDS)
UNKNOWN_AGE = "unknown"
OTHER = "other"


def age_band(age_years: int | None) -> str:
    """The band of an age in whole years; ``unknown`` when not known."""
    if age_years is None or age_years < 0:
        return UNKNOWN_AGE
    return next(label for label, low, high in AGE_BANDS if low <= age_years <= high)


def region_of(community_code: str) -> str:
    """KATOTTG: ``UA`` + two digits of the oblast — the region of a community (``UA80…`` → ``UA80``)."""
    code = (community_code or "").strip().upper()
    return code[:4] if len(code) >= 4 and code.startswith("UA") else ""


def check_k(k: int) -> int:
    if k < K_MIN:
        raise ValueError(f"k must be at least {K_MIN}")
    return k


@dataclass(frozen=True)
class Line:
    """One published row or column: the original keys it covers (more than one once merged)."""

    keys: tuple[str, ...]

    @property
    def label(self) -> str:
        return ", ".join(self.keys)


@dataclass(frozen=True)
class PublishedTable:
    """What a report shows: ``cells[i][j]`` is a count or ``None`` (suppressed)."""

    rows: tuple[Line, ...]
    columns: tuple[Line, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int  # 0 with no rows when fewer than k people are in the table at all
    k: int
    too_small: bool = False

    @property
    def suppressed(self) -> list[tuple[int, int]]:
        return [(i, j) for i, row in enumerate(self.cells) for j, v in enumerate(row) if v is None]

    def published_counts(self) -> list[int]:
        """Every number a reader sees (cells, totals): for the 'no group smaller than k' check."""
        numbers = [v for row in self.cells for v in row if v is not None]
        return numbers + list(self.row_totals) + list(self.column_totals) + ([self.total] if self.rows else [])


def _merge(order: list[str], totals: dict[str, int], k: int, ordered: bool) -> list[tuple[str, ...]]:
    """Group ``order``'s keys so every non-empty group's total is ≥ k (empty groups dropped)."""
    groups: list[tuple[str, ...]] = [(key,) for key in order if totals.get(key, 0) > 0]

    def total(group: tuple[str, ...]) -> int:
        return sum(totals.get(key, 0) for key in group)

    while len(groups) > 1:
        small = [i for i, g in enumerate(groups) if total(g) < k]
        if not small:
            break
        i = min(small, key=lambda index: (total(groups[index]), index))
        if ordered:
            neighbours = [n for n in (i - 1, i + 1) if 0 <= n < len(groups)]
            j = min(neighbours, key=lambda n: (total(groups[n]), n))
        else:  # everything small goes together into one group; it then joins the smallest other
            others = [n for n in small if n != i]
            j = (
                others[0]
                if others
                else min((n for n in range(len(groups)) if n != i), key=lambda n: (total(groups[n]), n))
            )
        low, high = sorted((i, j))
        merged = groups[low] + groups[high] if ordered else tuple(sorted(groups[low] + groups[high]))
        groups = groups[:low] + [merged] + groups[low + 1 : high] + groups[high + 1 :]
    return groups


def _merge_smallest(groups: list[tuple[str, ...]], totals: dict[str, int], ordered: bool):
    def total(group):
        return sum(totals.get(key, 0) for key in group)

    i = min(range(len(groups)), key=lambda n: (total(groups[n]), n))
    if ordered:
        j = min((n for n in (i - 1, i + 1) if 0 <= n < len(groups)), key=lambda n: (total(groups[n]), n))
    else:
        j = min((n for n in range(len(groups)) if n != i), key=lambda n: (total(groups[n]), n))
    low, high = sorted((i, j))
    merged = groups[low] + groups[high] if ordered else tuple(sorted(groups[low] + groups[high]))
    return groups[:low] + [merged] + groups[low + 1 : high] + groups[high + 1 :]


def _suppress(cells: list[list[int]], k: int) -> list[list[bool]] | None:
    """Which cells to hide: primary (0 < v < k) and complementary (see the module's docstring);
    ``None`` when no choice of further non-zero cells protects them (the caller generalises more)."""
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    hidden = [[0 < cells[i][j] < k for j in range(n_cols)] for i in range(n_rows)]
    while True:
        bridge = _first_bridge(hidden, n_rows, n_cols)
        if bridge is None:
            return hidden
        if not _close_cycle(cells, hidden, bridge, n_rows, n_cols):
            return None


def _edges(hidden, n_rows, n_cols):
    return [(i, j) for i in range(n_rows) for j in range(n_cols) if hidden[i][j]]


def _component(edges, start, skip):
    """Nodes reachable from ``start`` ("r", i) / ("c", j) without the edge ``skip``."""
    adjacent = defaultdict(list)
    for i, j in edges:
        if (i, j) != skip:
            adjacent[("r", i)].append(("c", j))
            adjacent[("c", j)].append(("r", i))
    seen, stack = {start}, [start]
    while stack:
        for nxt in adjacent[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _first_bridge(hidden, n_rows, n_cols):
    edges = _edges(hidden, n_rows, n_cols)
    for i, j in edges:
        if ("c", j) not in _component(edges, ("r", i), (i, j)):
            return i, j
    return None


def _close_cycle(cells, hidden, bridge, n_rows, n_cols) -> bool:
    """Hide one more non-zero cell that joins the two sides of ``bridge`` (making a cycle)."""
    i, j = bridge
    side = _component(_edges(hidden, n_rows, n_cols), ("r", i), (i, j))
    rows_a = {n for kind, n in side if kind == "r"}
    cols_a = {n for kind, n in side if kind == "c"}
    options = [
        (cells[r][c], r, c)
        for r in range(n_rows)
        for c in range(n_cols)
        if not hidden[r][c] and cells[r][c] > 0 and ((r in rows_a) != (c in cols_a))
    ]
    if not options:
        return False
    # a cell in the bridge's own row or column first (it closes the smallest cycle), then the smallest
    _, _, r, c = min((0 if (r == i or c == j) else 1, v, r, c) for v, r, c in options)
    hidden[r][c] = True
    return True


def publish(
    counts: dict[tuple[str, str], int],
    row_order: list[str],
    column_order: list[str],
    k: int = DEFAULT_K,
    ordered_columns: bool = False,
    ordered_rows: bool = False,
) -> PublishedTable:
    """The de-identified table of ``counts`` ((row key, column key) → people)."""
    check_k(k)
    row_totals: defaultdict[str, int] = defaultdict(int)
    column_totals: defaultdict[str, int] = defaultdict(int)
    for (r, c), v in counts.items():
        if v < 0:
            raise ValueError("counts are never negative")
        row_totals[r] += v
        column_totals[c] += v
    row_order = list(row_order) + sorted(set(row_totals) - set(row_order))
    column_order = list(column_order) + sorted(set(column_totals) - set(column_order))
    grand = sum(row_totals.values())
    if grand < k:
        return PublishedTable((), (), (), (), (), 0, k, too_small=grand > 0)
    rows = _merge(row_order, row_totals, k, ordered_rows)
    columns = _merge(column_order, column_totals, k, ordered_columns)
    while True:
        cells = [[sum(counts.get((r, c), 0) for r in row for c in column) for column in columns] for row in rows]
        hidden = _suppress(cells, k)
        if hidden is not None:
            break
        # no complementary cells protect the small ones: generalise the rows one step further
        # (a single row cannot fail: each of its cells is its column's total, ≥ k)
        rows = _merge_smallest(rows, row_totals, ordered_rows)
    shown = tuple(tuple(None if hidden[i][j] else cells[i][j] for j in range(len(columns))) for i in range(len(rows)))
    return PublishedTable(
        tuple(Line(r) for r in rows),
        tuple(Line(c) for c in columns),
        shown,
        tuple(sum(row) for row in cells),
        tuple(sum(col) for col in zip(*cells)),
        grand,
        k,
    )


def feasible_range(table: PublishedTable, cell: tuple[int, int]) -> tuple[int, int]:
    """The attacker: the least and greatest value of a hidden cell consistent with every
    published cell and total (non-negative integers). The hidden cells are a transportation
    problem (rows supply what their published cells leave of the row total, columns take what
    theirs leave), so a value ``t`` is possible exactly when, with the cell fixed at ``t``, the
    rest still fits — a max-flow question; integral, exact."""
    hidden = table.suppressed
    if cell not in hidden:
        value = table.cells[cell[0]][cell[1]]
        assert value is not None  # not suppressed, so published
        return value, value
    n_rows, n_cols = len(table.rows), len(table.columns)
    row_left = [table.row_totals[i] - sum(v for v in table.cells[i] if v is not None) for i in range(n_rows)]
    col_left = [
        table.column_totals[j] - sum(v for i in range(n_rows) if (v := table.cells[i][j]) is not None)
        for j in range(n_cols)
    ]
    i, j = cell
    possible = [
        t
        for t in range(min(row_left[i], col_left[j]) + 1)
        if _fits(
            [v - (t if n == i else 0) for n, v in enumerate(row_left)],
            [v - (t if n == j else 0) for n, v in enumerate(col_left)],
            [e for e in hidden if e != cell],
        )
    ]
    if not possible:
        raise ValueError("the published table is inconsistent")
    return min(possible), max(possible)


def _fits(supply: list[int], demand: list[int], edges: list[tuple[int, int]]) -> bool:
    """Can non-negative flows on ``edges`` (row i → column j) meet every supply and demand exactly?"""
    if sum(supply) != sum(demand) or min(supply + demand, default=0) < 0:
        return False
    n_rows, n_cols = len(supply), len(demand)
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    capacity: dict[tuple[int, int], int] = defaultdict(int)
    for r, value in enumerate(supply):
        capacity[(source, r)] += value
    for c, value in enumerate(demand):
        capacity[(n_rows + c, sink)] += value
    for r, c in edges:
        capacity[(r, n_rows + c)] += sum(supply) + 1
    adjacent = defaultdict(set)
    for a, b in list(capacity):
        adjacent[a].add(b)
        adjacent[b].add(a)
    flow = 0
    while True:  # Edmonds–Karp
        parent: dict[int, int | None] = {source: None}
        queue = [source]
        for node in queue:
            for nxt in adjacent[node]:
                if nxt not in parent and capacity[(node, nxt)] > 0:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return flow == sum(supply)
        path: list[tuple[int, int]] = []
        node = sink
        while (previous := parent[node]) is not None:
            path.append((previous, node))
            node = previous
        pushed = min(capacity[e] for e in path)
        for a, b in path:
            capacity[(a, b)] -= pushed
            capacity[(b, a)] += pushed
        flow += pushed
