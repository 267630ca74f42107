"""Data files of the answer layer (lexicons, fitted models), read once and cached."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The parsed JSON file `name`.json of this folder."""
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
