"""Option-per-row tables: a table that lists the options down a column and measures
across is compared per measure, between the rows that share the other labels, at index time.

Not handled: a measure whose direction only the table's caption states; a table that lists
the options both down a column and across its header.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict

from .cues import direction
from .options import Options, header_name
from .tables import CELL_NO, CELL_YES, FAILED, LEADING, compare_numbers, number, percentages, \
    with_failures

_MEASURE = re.compile(r"[~≈<>]?\s*[\d.,]+\s*(?:%|[a-zA-Z/]{1,6})?")  # "88", "2.4 s", "~40%"


def transposed(nodes: list, options: Options) -> dict[str, list]:
    """Tables that list the options down a column and measures across ("Scheduler | Job shape
    | Queue wait (s) | Jobs per minute", or "Config | Stack | Throughput …"): each row's option
    against the other options' rows that share its other labels (the same job shape), per
    measure, in the direction the measure's header implies; a failed run ("OOM") does worst.
    Returns node id -> one part per measure compared, with the whole group's result on it (so
    the most relevant row of the group tells it all, as one row of an option-per-column table
    does). A yes/no column is a feature, not a set-up label that groups rows. Measures of no
    known direction are kept on each row (_undirected). Not handled: a measure whose direction
    only the caption states."""
    tables = defaultdict(list)
    for node in nodes:
        if node.metadata.get("kind") == "table_row":
            tables[node.metadata["table_id"]].append(node)
    out: dict[str, list] = {}
    for rows in tables.values():
        header = json.loads(rows[0].metadata["table_header"])
        cells = [json.loads(r.metadata["row_cells"]) for r in rows]
        if any(options.column(h) for h in header[1:]):
            continue
        key, owners = _owner_column(cells, options)
        if key is None:
            continue
        senses = {j: direction(h) for j, h in enumerate(header) if j != key}
        labels = [j for j, sense in senses.items() if not sense and not all(
            _MEASURE.fullmatch(c[j].strip()) or CELL_YES.match(c[j]) or CELL_NO.match(c[j])
            for c in cells if j < len(c)) and  # "1 node × 8 GPU"; "Yes" / "No" is a feature
            len({c[j] for c in cells if j < len(c)}) < len(cells)]  # a value no two rows share
        # ("Precision: Q4_K_M | INT4 | int8", each option's own) describes, it sets up nothing
        groups = defaultdict(list)
        for i, c in enumerate(cells):
            if owners[i]:
                groups[tuple(c[j] if j < len(c) else "" for j in labels)].append(i)
        for members in groups.values():
            _undirected(rows, members, cells, owners, header,
                        [j for j, sense in senses.items() if not sense and j not in labels])
            for j in (j for j, sense in senses.items() if sense):
                wins = _best_of_rows([(owners[i], cells[i][j]) for i in members
                                      if j < len(cells[i])], senses[j])
                for i in members if wins else ():  # each row of the group tells all of it
                    out.setdefault(rows[i].id, []).append(
                        _cell_part(rows[i].text, header[j], cells[i][j], wins))
    return out


def _undirected(rows: list, members: list[int], cells: list, owners: list, header: list,
                columns: list[int]) -> None:
    """Each group row's `measure_values`: per measure of no known direction ("Largest cluster
    we could reserve"), each option's number, for a question that says which way it wants
    them ("which lets me reserve the biggest cluster?", see votes.py)."""
    for j in columns:
        values = {}
        for i in members:
            value = number(cells[i][j]) if j < len(cells[i]) and \
                LEADING.match(cells[i][j]) else None
            if owners[i] and value is not None and owners[i] not in values:
                values[owners[i]] = value
        if len(values) >= 2:
            for i in members:
                found = json.loads(rows[i].metadata.get("measure_values") or "{}")
                rows[i].metadata["measure_values"] = json.dumps({**found, header[j]: values})


def _best_of_rows(column: list[tuple[str, str]], sense: int) -> dict[str, float]:
    """Wins on one measure among (option, cell) rows, each option at its best row ("15 W
    mode" and "25 W mode" of one board); an option whose every row failed does worst."""
    best: dict[str, float] = {}
    for option, cell in column:
        value = None if FAILED.match(cell) else number(cell)
        if value is not None:
            best[option] = max(best.get(option, value * sense), value * sense)
    failed = [o for o, cell in column if FAILED.match(cell) and o not in best]
    numbers = with_failures(best, failed)
    return compare_numbers(numbers, percentages([c for _, c in column])) \
        if len(numbers) > 1 else {}


def _owner_column(cells: list[list[str]], options: Options) -> tuple[int | None, list]:
    """The first column whose cells name the options, one per row, for at least half the
    rows and at least two different ones ("Stack" after "Config"), with the option each row
    names ("KubeRay RayJob via Kueue": the leading name)."""
    for j in range(max((len(c) for c in cells), default=0)):
        owners = [(options.mentions(header_name(c[j])) or [(0, 0, None)])[0][2]
                  if j < len(c) else None for c in cells]
        named = [o for o in owners if o]
        if len(set(named)) >= 2 and 2 * len(named) >= len(cells):
            return j, owners
    return None, []


def _cell_part(text: str, header: str, cell: str, stance: dict) -> list:
    """A part spanning one measure's "Header: value" in a row's text, so that the measure
    the question asks about weighs most; the whole row when it cannot be found."""
    start = text.find(f"{header}: {cell}")
    end = start + len(f"{header}: {cell}") if start >= 0 else -1
    return [max(start, 0), end, {k: round(v, 3) for k, v in stance.items()}, None]
