"""Table rows: which option a row favours, read at index time.

Cue words in each option's own cell credit that option ("(mature)", "Limited", "Not
supported"); numbers in option cells are compared in the direction the row label, column
header, caption or units imply (ms, latency, cost: lower wins; img/s, throughput: higher wins;
unknown direction: no stance); equal cells and near-equal numbers count for "either"; other
columns ("Notes") are read as prose. A cell that reports a failed run ("OOM", "Not
supported") does worst on its measure. (A table that lists the options down a column:
option_rows.py.)
A short non-option cell ("Unit: minutes", "Better: lower") states its row's direction too.
Not handled: merged cells; a direction stated only in prose far from the table; a measure
whose direction only the caption of an option-per-row table states.
"""
from __future__ import annotations

import json
import re

from .cues import CUES, NEGATED, direction, find_cues, modifier
from .data import load as load_data
from .options import Options
from .prose import prose_parts

_P = load_data("polarity")
TIE = 0.05  # numbers within 5 % of each other are a tie
STRICT_TIE = 0.005  # … unless the question asks for the most or the least: then within 0.5 %
LEADING = re.compile(r"\s*[~≈<>≤≥]?\s*[$€£]?\s*\d")  # a cell that is a number ("~40%", "$15")
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*[–-]\s*(\d[\d,]*(?:\.\d+)?))?")
CELL_DENIAL = re.compile(_P["denial"], re.I)
FAILED = re.compile(_P["failed_cell"]["pattern"], re.I)
CELL_YES = re.compile(_P["cell_answer"]["yes"], re.I | re.U)
CELL_NO = re.compile(_P["cell_answer"]["no"], re.I | re.U)
_REFERENCE = re.compile(_P["reference_cell"]["pattern"], re.I)
_RECOMMEND_HEADER = load_data("lexicon")["recommend_header"]
_RECOMMENDS = re.compile(_RECOMMEND_HEADER["pattern"], re.I)
_TIE = re.compile(_RECOMMEND_HEADER["tie"], re.I)
RECOMMENDED = 1.5  # weight of a "When to choose X" heading, and of a "Recommended: X" cell


def number(cell: str) -> float | None:
    m = _NUMBER.search(cell)
    if not m:
        return 0.0 if re.search(r"\bzero\b", cell, re.I) else None  # "Near zero"
    low = float(m.group(1).replace(",", ""))
    return (low + float(m.group(2).replace(",", ""))) / 2 if m.group(2) else low


def cell_score(cell: str, sense: int) -> float:
    """Signed cue sum of one option's table cell; magnitude words follow the row's sense; a
    cell that opens with yes or no answers the row's feature."""
    score = 0.5 if CELL_YES.match(cell) else -1.0 if CELL_NO.match(cell) else 0.0
    for start, _, cue in find_cues(cell):
        sign, weight = CUES[cue]
        if sign == "=":
            continue
        value = weight * modifier(cell[:start]) * (1 if sign == "+" else -1)
        score += -value if NEGATED.search(cell[max(0, start - 30):start]) else value
    if sense:
        words = set(re.findall(r"[a-z]+", cell.lower()))
        score += 0.5 * sense * (bool(words & set(_P["magnitude"]["up"])) -
                                bool(words & set(_P["magnitude"]["down"])))
    return score


def row_sense(label: str, headers: list[str], caption: str, other: list[str] = ()) -> int:
    """The direction of a row's numbers: its own label first ("Binary size (MB)"), then its
    short non-option cells ("Unit: minutes", "Better: lower"), then the option columns'
    headers ("JAX (ms/step)"), then the caption (which may name several)."""
    return direction(label) or direction(*other) or direction(*headers) or direction(caption)


def _columns(header: list[str], cells: list[str], options: Options,
             caption: str) -> tuple[dict, int]:
    """(column index -> its option or None, the row's direction, see row_sense); the short
    non-option cells after the label ("Unit: minutes", "Better: lower", "Metric: Peak GPU
    memory (GB)": a label, not a sentence) count as a direction."""
    owned = {i: options.column(h) for i, h in enumerate(header) if i and i < len(cells)}
    other = [f"{header[i]} {cells[i]}" for i, option in owned.items()
             if option is None and len(cells[i].split()) <= 6
             and not re.search(r"[.;!?](?:\s|$)", cells[i])]
    return owned, row_sense(cells[0] if cells else "", [header[i] for i in owned if owned[i]],
                            caption, other)


def row_numbers(header: list[str], cells: list[str], options: Options, caption: str,
                raw: bool = False) -> dict:
    """Each option cell's number, signed so that higher is better (none when the row's
    direction is unknown, the number is a year, or the cell is the yardstick: "0.0
    (baseline)"). `raw`: the numbers as written whatever the row's direction, failed runs
    left out ("Model providers supported | 110 | 45"): a question may say which way it
    wants them ("which supports more?")."""
    owned, sense = _columns(header, cells, options, caption)
    numbers, failed = {}, []
    for i, option in owned.items():
        if option and (sense or raw) and FAILED.match(cells[i]):  # "OOM (at ~14.5M objects)"
            failed.append(option)
            continue
        value = number(cells[i]) if option and not _REFERENCE.search(cells[i]) and \
            (not raw or LEADING.match(cells[i])) else None  # "Apache 2.0" measures nothing
        cell_sense = 1 if raw else sense or direction(cells[i])
        if value is not None and cell_sense and not re.fullmatch(r"(19|20)\d\d", cells[i].strip()):
            numbers[option] = value * cell_sense
    return numbers if raw else with_failures(numbers, failed)


def with_failures(numbers: dict[str, float], failed: list) -> dict[str, float]:
    """`numbers` (signed so that higher is better) plus a clearly worst value for each option
    whose cell reports a failed run ("OOM", "Not supported"); nothing to beat without a
    number."""
    if not numbers or not failed:
        return numbers
    worst = min(numbers.values())
    return {**numbers, **{o: worst - max(abs(worst), 1.0) for o in failed if o not in numbers}}


def row_parts(header: list[str], cells: list[str], options: Options, caption: str) -> list:
    """One part covering the row: cue words per option cell, numbers compared, notes read."""
    stance: dict[str, float] = {}
    owned, sense = _columns(header, cells, options, caption)
    for i, option in owned.items():
        if option is None and _RECOMMENDS.match(header[i]):  # "Recommended: Lightning"
            for name, value in _recommended_cell(cells[i], options).items():
                stance[name] = stance.get(name, 0.0) + value
            continue
        if option is None:  # notes and other free columns read as prose
            for _, _, part, *_ in prose_parts(cells[i], options, None):
                for k, v in part.items():
                    stance[k] = stance.get(k, 0.0) + v
            continue
        others = [cells[j] for j, o in owned.items() if o and o != option]
        cell = extra_unhedged(cells[i], others)
        stance[option] = stance.get(option, 0.0) + cell_score(cell, sense or direction(cell))
    numbers = row_numbers(header, cells, options, caption)
    for option, value in compare_numbers(numbers, percentages(
            [cells[i] for i, o in owned.items() if o])).items():
        stance[option] = stance.get(option, 0.0) + value
    texts = {" ".join(cells[i].lower().split()) for i, o in owned.items() if o}
    if len(texts) == 1 and len([o for o in owned.values() if o]) >= 2:
        stance["either"] = stance.get("either", 0.0) + 1.0
    return [[0, -1, {k: round(v, 3) for k, v in stance.items() if v}, None]] \
        if any(stance.values()) else []


def extra_unhedged(cell: str, others: list[str]) -> str:
    """A list cell without the bracketed hedge on an item that only it lists, when it also
    lists what the other cells do ("FP16, BF16, FP8 (experimental)" beside "FP16, BF16"):
    having an extra feature, hedged, is no drawback against not having it at all. A cell
    whose only offering is hedged ("ExecuTorch (experimental)") keeps its hedge."""
    items = [x.strip() for x in re.split(r"[,;]", cell) if x.strip()]
    rest = set(re.findall(r"\w+", " ".join(others).lower()))
    def listed(item: str) -> bool:
        words = set(re.findall(r"\w+", re.sub(r"\([^)]*\)", "", item).lower()))
        return bool(words) and words <= rest
    if len(items) < 2 or not any(listed(x) for x in items):
        return cell
    kept = [x if "(" not in x or listed(x) or cell_score(x[x.find("("):], 0) >= 0
            else x[:x.find("(")].strip() for x in items]
    return ", ".join(kept)


def _recommended_cell(cell: str, options: Options) -> dict[str, float]:
    """The options a recommending column's cell names, sharing RECOMMENDED; "Either": a tie."""
    named = list(dict.fromkeys(o for _, _, o in options.mentions(cell)))
    if named:
        return {o: RECOMMENDED / len(named) for o in named}
    return {"either": 1.0} if _TIE.search(cell) else {}


def compare_numbers(numbers: dict[str, float], points: bool = False,
                    tie: float = TIE) -> dict[str, float]:
    """Each option's share of pairwise wins (1.0 for a clear win, 0.5 for a small one, none
    within `tie`), so the runner-up of three still beats the last; all within it: either.
    With `points` (percentages), gaps are percentage points: 94.1 % against 98.6 % accuracy
    is a clear gap though the two are within 5 % of each other."""
    if len(numbers) < 2:
        return {}
    out: dict[str, float] = {}
    for option, value in numbers.items():
        for other, against in numbers.items():
            gap = (value - against) / (20.0 if points else  # a point is TIE, 3 are clear
                                       max(abs(value), abs(against), 1e-9))
            if other != option and gap >= tie:
                out[option] = out.get(option, 0.0) + (0.5 if gap < 0.15 else 1.0) / \
                    (len(numbers) - 1)
    return out or {"either": 0.5}


def percentages(cells: list[str]) -> bool:
    """Whether every numeric cell is a percentage ("94.1%", "~55%")."""
    numeric = [c for c in cells if _NUMBER.search(c)]
    return bool(numeric) and all("%" in c for c in numeric)


def among(meta: dict, pool: list[str], strict: bool = False) -> dict[str, float]:
    """What a row's numbers say when only `pool` is compared, as a change to its stored
    stance: "JAX or TF?" on a JAX/TF/PyTorch row counts no win over PyTorch. `strict` (the
    question asks for the most or the least of something): a gap inside TIE still ranks."""
    numbers = json.loads(meta.get("row_numbers") or "{}")
    inside = {o: v for o, v in numbers.items() if o in pool}
    if not inside or len(inside) == len(numbers) and not strict:
        return {}
    points = percentages(json.loads(meta.get("row_cells") or "[]")[1:])
    change = compare_numbers(inside, points, STRICT_TIE if strict else TIE) \
        if len(inside) >= 2 else {}
    for option, value in compare_numbers(numbers, points).items():
        change[option] = change.get(option, 0.0) - value
    return {o: v for o, v in change.items() if v and (o in pool or o == "either")}
