"""Model and checkpoint files: versioned ``.npz`` written atomically and checked key by key on load.

A file holds a JSON header ``_meta`` (with ``format``, ``kind`` and
``format_version``) and named float arrays. :func:`write_npz` writes to a
temporary file in the same folder and renames it, so an interrupted write
never leaves a half-written file under the real name. :func:`read_npz`
turns every way a file can be broken (empty, truncated, a flipped bit
caught by the zip CRC, a missing key, a wrong type) into one
``ValueError`` naming the file and the reason.

Settings (constructor arguments) are stored as JSON by
:func:`encode_setting`, which round-trips ``None``, numbers, strings,
``SeedSequence``, ``Generator``, ansatz and encoding objects.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from qinfo._io import atomic_path
from qinfo.vqc._ansatz import Ansatz, get_ansatz
from qinfo.vqc._encodings import get_encoding

__all__ = ["FORMAT_VERSION", "write_npz", "read_npz", "encode_setting", "decode_setting",
           "CheckpointError"]

#: version of the file layout; files of another version are refused.
FORMAT_VERSION = 1
_FORMAT = "qinfo.vqc"


class CheckpointError(ValueError):
    """A model or checkpoint file that cannot be read back (a ``ValueError``).

    Examples
    --------
    >>> import tempfile, os
    >>> from qinfo.vqc import CaptionModel
    >>> p = os.path.join(tempfile.mkdtemp(), "empty.npz")
    >>> _ = open(p, "wb")
    >>> try:
    ...     CaptionModel.load(p)
    ... except CheckpointError as err:
    ...     print(str(err).split("(")[1].split(")")[0])
    the file is empty
    """


def _broken(path, kind: str, reason: str) -> CheckpointError:
    return CheckpointError(f"file {path} is not a qinfo {kind} ({reason}); delete it to start over")


def write_npz(path, kind: str, meta: Mapping[str, Any], arrays: Mapping[str, Any]) -> None:
    """Write ``meta`` (JSON) and ``arrays`` to ``path`` atomically (temporary file, then rename).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "m.npz")
    >>> write_npz(p, "model file", {"x": 1}, {"theta": np.zeros(2)})
    >>> read_npz(p, "model file", meta_keys=("x",), array_keys=("theta",))[0]["x"]
    1
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"format": _FORMAT, "kind": kind, "format_version": FORMAT_VERSION, **meta}
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, _meta=np.array(json.dumps(header)),
                 **{k: np.asarray(v) for k, v in arrays.items() if v is not None})
        fh.flush()
        os.fsync(fh.fileno())


def read_npz(path, kind: str, *, meta_keys=(), array_keys=()) -> tuple[dict, dict]:
    """Read a file of :func:`write_npz`; check its format, version and the required keys.

    Raises
    ------
    ValueError
        ``"file X is not a qinfo <kind> (reason); delete it to start over"``.
    """
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise _broken(path, kind, "the file is empty")
        if not zipfile.is_zipfile(path):
            raise _broken(path, kind, "not an .npz (zip) archive, or truncated")
        with np.load(path, allow_pickle=False) as data:
            if "_meta" not in data.files:
                raise _broken(path, kind, "no _meta header")
            meta = json.loads(str(data["_meta"]))
            arrays = {k: data[k] for k in data.files if k != "_meta"}
    except CheckpointError:
        raise
    except FileNotFoundError:
        raise
    except Exception as exc:  # zip CRC, zlib, struct, JSON and other decoder errors of a damaged file
        reason = "damaged contents" if "pickle" in str(exc) else f"{type(exc).__name__}: {exc}"
        raise _broken(path, kind, f"unreadable: {reason}") from None
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise _broken(path, kind, "no qinfo.vqc header")
    if meta.get("kind") != kind:
        raise _broken(path, kind, f"it holds a {meta.get('kind')!r}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise _broken(path, kind, f"format version {meta.get('format_version')!r}, "
                                  f"this qinfo reads {FORMAT_VERSION}")
    for k in meta_keys:
        if k not in meta:
            raise _broken(path, kind, f"missing key {k!r}")
    for k in array_keys:
        if k not in arrays:
            raise _broken(path, kind, f"missing array {k!r}")
        if arrays[k].dtype.kind not in "fiu":
            raise _broken(path, kind, f"array {k!r} has dtype {arrays[k].dtype}")
    return meta, arrays


def check_shape(path, kind: str, name: str, array: np.ndarray, shape: tuple) -> np.ndarray:
    """``array`` if it has ``shape`` and finite entries, else the :func:`read_npz` error."""
    if array.shape != shape:
        raise _broken(path, kind, f"array {name!r} has shape {array.shape}, expected {shape}")
    if not np.all(np.isfinite(array)):
        raise _broken(path, kind, f"array {name!r} has non-finite entries")
    return array


def encode_setting(name: str, value):
    """A JSON-able form of a constructor argument; :func:`decode_setting` inverts it.

    Examples
    --------
    >>> s = np.random.SeedSequence(5, spawn_key=(1,))
    >>> decode_setting(encode_setting("seed", s)).spawn_key
    (1,)
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, np.random.SeedSequence):
        return {"__type__": "SeedSequence", "entropy": value.entropy, "spawn_key": list(value.spawn_key),
                "pool_size": value.pool_size, "n_children_spawned": value.n_children_spawned}
    if isinstance(value, np.random.Generator):
        return {"__type__": "Generator", "state": value.bit_generator.state}
    if isinstance(value, Ansatz):
        return {"__type__": "Ansatz", "name": value.name, "n_layers": value.n_layers}
    if hasattr(value, "config") and hasattr(value, "states"):
        return {"__type__": "Encoding", "config": value.config()}
    if isinstance(value, dict):
        json.dumps(value)
        return {"__type__": "dict", "value": value}
    raise TypeError(f"setting {name}={value!r} of type {type(value).__name__} cannot be saved")


def decode_setting(value):
    """Inverse of :func:`encode_setting`."""
    if not isinstance(value, dict):
        return value
    t = value.get("__type__")
    if t == "SeedSequence":
        return np.random.SeedSequence(value["entropy"], spawn_key=tuple(value["spawn_key"]),
                                      pool_size=value["pool_size"],
                                      n_children_spawned=value["n_children_spawned"])
    if t == "Generator":
        state = value["state"]
        bitgen = getattr(np.random, state["bit_generator"])()
        bitgen.state = state
        return np.random.Generator(bitgen)
    if t == "Ansatz":
        return get_ansatz(value["name"], value["n_layers"])
    if t == "Encoding":
        return get_encoding(value["config"])
    if t == "dict":
        return value["value"]
    raise ValueError(f"unknown saved setting {value!r}")
