"""The JSON forms of the entropy models (``qinfo entropy`` files): shared checks, save and load.

Each model class (:class:`~qinfo.entropy_cones.Hypergraph`,
:class:`~qinfo.entropy_cones.LinkModel`,
:class:`~qinfo.entropy_cones.StabilizerState`) has ``to_dict``/``from_dict``
and ``save(path)``/``load(path)``; the dict is the JSON object that
``qinfo entropy FILE`` reads, with a ``"model"`` entry naming its kind.
Malformed input raises ``ValueError``/``TypeError`` naming the entry.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

__all__ = ["MODEL_KINDS", "check_model", "check_keys", "require_key", "json_weight", "json_vertex",
           "save_record", "load_record"]

#: The values of ``"model"`` in an entropy-model file.
MODEL_KINDS = ("hypergraph", "graph", "link", "stabilizer")


def check_model(obj: Any, kinds: tuple[str, ...]) -> str:
    """``obj["model"]`` (default ``kinds[0]``) if ``obj`` is a dict and that is one of ``kinds``."""
    if not isinstance(obj, dict):
        raise TypeError(f'expected a JSON object (dict) with a "model" entry, got {type(obj).__name__}')
    kind = obj.get("model", kinds[0])
    if kind not in kinds:
        raise ValueError(f'"model" must be one of {", ".join(kinds)}, got {json.dumps(kind)}')
    return kind


def check_keys(obj: dict, allowed: set[str], what: str) -> None:
    """Refuse keys of ``obj`` outside ``allowed``, naming them."""
    extra = sorted(set(obj) - allowed)
    if extra:
        raise ValueError(f"unknown key(s) {', '.join(map(repr, extra))} for a {what} "
                         f"(allowed: {', '.join(sorted(allowed))})")


def require_key(obj: dict, key: str, what: str) -> Any:
    """``obj[key]``, or a ValueError saying that a ``what`` needs it."""
    if key not in obj:
        raise ValueError(f'a {what} needs a "{key}" entry')
    return obj[key]


def json_weight(x: Any, where: str) -> int | float:
    """A JSON number as a weight (a bool is not one; ints past float64's range are refused)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{where}: weight must be a number, got {json.dumps(x)}")
    if isinstance(x, int) and abs(x) > sys.float_info.max:
        raise ValueError(f"{where}: weight has {len(str(abs(x)))} digits, beyond the range of "
                         f"numbers qinfo computes with (about 1.8e308)")
    return x


def json_vertex(v: Any, where: str) -> str | int:
    """A JSON vertex name: a string or an int."""
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        return v
    raise TypeError(f"{where}: vertex names must be strings or integers, got {json.dumps(v)}")


def save_record(record: dict, path: str | os.PathLike) -> Path:
    """Write ``record`` as indented JSON to ``path``, atomically."""
    from qinfo._io import atomic_write

    return atomic_write(path, json.dumps(record, indent=2) + "\n")


def load_record(path: str | os.PathLike, from_dict: Callable[[dict], Any]) -> Any:
    """``from_dict(JSON content of path)``; errors name the file."""
    path = Path(path)
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    try:
        return from_dict(obj)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{path}: {exc}") from None
