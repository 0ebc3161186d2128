"""Safe files: atomic writes, writable-folder checks, versioned JSON/NPZ loaders.

- :func:`atomic_write` and :func:`atomic_path` write to a temporary file in the
  target's folder and rename it over the target, so an interrupted save never
  leaves half a file (the old file, if any, stays whole);
- :func:`check_writable_dir` and :func:`check_writable_file` find an
  unwritable output before long work starts;
- :func:`folder_lock` keeps two runs from writing into one folder at once;
- :func:`load_json` and :func:`load_npz` read files that qinfo wrote, check the
  format version and every required key, and turn any corruption into one
  :class:`FileFormatError`: "file X is not a qinfo <kind> (reason); delete it to
  start over". :func:`save_json` and :func:`save_npz` write the matching files.

Every error is a ``ValueError`` (or ``OSError`` subclass for the operating
system's own failures) with a one-line message naming the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

__all__ = [
    "FileFormatError",
    "atomic_write",
    "atomic_path",
    "check_writable_dir",
    "check_writable_file",
    "folder_lock",
    "FolderBusyError",
    "save_json",
    "load_json",
    "save_npz",
    "load_npz",
]

#: Keys that mark a file as written by qinfo: its kind and format version.
KIND_KEY, FORMAT_KEY = "qinfo_kind", "qinfo_format"


class FileFormatError(ValueError):
    """A file that is not what qinfo wrote (corrupt, truncated, wrong kind or version).

    Examples
    --------
    >>> str(FileFormatError("run/model.npz", "model", "truncated"))
    'file run/model.npz is not a qinfo model (truncated); delete it to start over'
    """

    def __init__(self, path: str | os.PathLike, kind: str, reason: str):
        self.path, self.kind, self.reason = Path(path), kind, reason
        super().__init__(f"file {os.fspath(path)} is not a qinfo {kind} ({reason}); "
                         "delete it to start over")


# -- writing --------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path to write to; renamed over ``path`` when the block succeeds.

    The temporary file sits in the same folder (so the rename is atomic) and
    keeps ``path``'s suffix (so ``savefig`` and ``numpy.savez`` pick the right
    format). On an exception it is deleted and ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{path.suffix}",
                               dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = atomic_write(pathlib.Path(tempfile.mkdtemp()) / "a.json", '{"ok": true}')
    >>> p.read_text()
    '{"ok": true}'
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, bytes):
        raise TypeError(f"data must be str or bytes, got {type(data).__name__}")
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    return Path(path)


def check_writable_dir(path: str | os.PathLike, *, arg: str = "--out") -> Path:
    """Create folder ``path`` if needed and prove it is writable, before long work.

    Parameters
    ----------
    path : str or Path
    arg : str
        How the caller names the folder in messages (an option or argument name).

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        ``path`` is a file, lies under a file, or cannot be created or written
        (a read-only file system, ``/proc``, no permission); the message names
        ``arg``, the path and the reason. (Permission bits do not stop root;
        the check writes a real file, so it sees what the later save would.)

    Examples
    --------
    >>> import tempfile, pathlib
    >>> check_writable_dir(pathlib.Path(tempfile.mkdtemp()) / "new").is_dir()
    True
    """
    path = Path(path)
    where = f"{arg} {os.fspath(path)}"
    if path.exists() and not path.is_dir():
        raise ValueError(f"{where}: exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".qinfo-write-test.", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValueError(f"{where}: cannot write there ({_os_reason(exc)})") from None
    return path


def check_writable_file(path: str | os.PathLike, *, arg: str = "--out") -> Path:
    """Check that file ``path`` can be written (its folder is created if needed).

    Raises
    ------
    ValueError
        ``path`` is a folder, or its folder cannot be created or written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> check_writable_file(pathlib.Path(tempfile.mkdtemp()) / "fig.png").name
    'fig.png'
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{arg} {os.fspath(path)}: is a folder, expected a file name")
    check_writable_dir(path.parent, arg=f"{arg} {os.fspath(path)}: folder")
    return path


class FolderBusyError(ValueError):
    """Another process holds the folder's lock."""


#: Name of the lock file :func:`folder_lock` creates in a run folder.
LOCK_NAME = ".qinfo.lock"


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike) -> Iterator[Path]:
    """Hold an exclusive lock on ``folder`` for the duration of the block.

    The lock is an ``flock`` on ``folder/.qinfo.lock``: the operating system
    drops it when the holder exits, even on a crash or kill, so a stale lock
    file never blocks a later run. Not blocking: a second run fails at once.

    Raises
    ------
    FolderBusyError
        Another run (another process, or another open of the lock here) holds it.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> with folder_lock(d):
    ...     with folder_lock(d):
    ...         pass
    Traceback (most recent call last):
    ...
    qinfo._io.FolderBusyError: folder ... is in use by another qinfo run (pid ...); wait for it to finish or use another folder
    """
    try:
        import fcntl
    except ImportError:  # no flock (Windows): no lock, as before
        yield Path(folder)
        return
    folder = Path(folder)
    lock = folder / LOCK_NAME
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise FolderBusyError(f"folder {os.fspath(folder)} is in use by another qinfo run "
                                  f"(pid {holder}); wait for it to finish or use another "
                                  "folder") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield folder
    finally:
        os.close(fd)  # closing releases the flock


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


# -- versioned files ------------------------------------------------------------------


def save_json(path: str | os.PathLike, obj: Mapping[str, Any], *, kind: str, version: int) -> Path:
    """Write ``obj`` as JSON with its kind and format version, atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = save_json(pathlib.Path(tempfile.mkdtemp()) / "c.json", {"seed": 1}, kind="run config", version=1)
    >>> load_json(p, kind="run config", version=1, required=["seed"])
    {'seed': 1}
    """
    body = {KIND_KEY: kind, FORMAT_KEY: version, **obj}
    return atomic_write(path, json.dumps(body, indent=2) + "\n")


def load_json(path: str | os.PathLike, *, kind: str, version: int,
              required: Iterable[str] = ()) -> dict:
    """Read a JSON file written by :func:`save_json`, checking kind, version and keys.

    Returns
    -------
    dict
        The content without the kind and version keys.

    Raises
    ------
    FileFormatError
        The file is empty, not UTF-8, not JSON, not an object, of another
        kind or version, or misses a required key.
    OSError
        The operating system cannot read it (missing file: FileNotFoundError).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.json"
    >>> _ = p.write_text("[1, 2]")
    >>> load_json(p, kind="run config", version=1)
    Traceback (most recent call last):
    ...
    qinfo._io.FileFormatError: file ... is not a qinfo run config (a JSON list, expected an object); delete it to start over
    """
    path = Path(path)
    if path.is_dir():
        raise FileFormatError(path, kind, "a folder")
    raw = path.read_bytes()
    if not raw.strip():
        raise FileFormatError(path, kind, "empty")
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise FileFormatError(path, kind, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise FileFormatError(path, kind, f"not valid JSON: {exc.msg} at line {exc.lineno}, "
                                          f"column {exc.colno}") from None
    if not isinstance(obj, dict):
        raise FileFormatError(path, kind, f"a JSON {_json_type(obj)}, expected an object")
    _check_stamp(path, kind, version, obj.get(KIND_KEY), obj.get(FORMAT_KEY))
    missing = [k for k in required if k not in obj]
    if missing:
        raise FileFormatError(path, kind, f"missing {', '.join(map(repr, missing))}")
    return {k: v for k, v in obj.items() if k not in (KIND_KEY, FORMAT_KEY)}


def save_npz(path: str | os.PathLike, arrays: Mapping[str, Any], *, kind: str, version: int) -> Path:
    """Write arrays to an ``.npz`` file with its kind and format version, atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = save_npz(pathlib.Path(tempfile.mkdtemp()) / "m.npz", {"w": [1.0, 2.0]}, kind="model", version=1)
    >>> load_npz(p, kind="model", version=1, required=["w"])["w"].tolist()
    [1.0, 2.0]
    """
    with atomic_path(path) as tmp:
        np.savez(tmp, **{KIND_KEY: np.array(kind), FORMAT_KEY: np.array(version)},
                 **{k: np.asarray(v) for k, v in arrays.items()})
    return Path(path)


def load_npz(path: str | os.PathLike, *, kind: str, version: int,
             required: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """Read an ``.npz`` file written by :func:`save_npz`, checking kind, version and keys.

    Nothing is unpickled (``allow_pickle=False``); every array is read in
    full, so a truncated or bit-flipped member is found here, not later.

    Returns
    -------
    dict of str to numpy.ndarray
        The arrays without the kind and version entries.

    Raises
    ------
    FileFormatError
        The file is empty, not a zip archive, truncated, fails its CRC check,
        holds pickled objects, or is of another kind or version, or misses a
        required key.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.npz"
    >>> _ = p.write_bytes(b"")
    >>> load_npz(p, kind="model", version=1)
    Traceback (most recent call last):
    ...
    qinfo._io.FileFormatError: file ... is not a qinfo model (empty); delete it to start over
    """
    path = Path(path)
    if path.is_dir():
        raise FileFormatError(path, kind, "a folder")
    if path.stat().st_size == 0:  # also raises FileNotFoundError for a missing file
        raise FileFormatError(path, kind, "empty")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except Exception as exc:  # noqa: BLE001 - any failure to parse these bytes is corruption
        # (zipfile alone raises BadZipFile, EOFError, KeyError, RuntimeError for a flipped
        # "encrypted" flag, NotImplementedError for a flipped compression method, ...)
        raise FileFormatError(path, kind, _zip_reason(exc)) from None
    stamp = [arrays.get(KIND_KEY), arrays.get(FORMAT_KEY)]
    stamp = [None if a is None or a.ndim else a.item() for a in stamp]
    _check_stamp(path, kind, version, *stamp)
    missing = [k for k in required if k not in arrays]
    if missing:
        raise FileFormatError(path, kind, f"missing {', '.join(map(repr, missing))}")
    return {k: v for k, v in arrays.items() if k not in (KIND_KEY, FORMAT_KEY)}


def _check_stamp(path: Path, kind: str, version: int, got_kind, got_version) -> None:
    if got_kind is None or got_version is None:
        raise FileFormatError(path, kind, "no qinfo format stamp")
    if got_kind != kind:
        raise FileFormatError(path, kind, f"it is a qinfo {got_kind}")
    if isinstance(got_version, bool) or got_version != version:
        raise FileFormatError(path, kind, f"format version {got_version!r}, this qinfo reads {version}")


def _zip_reason(exc: BaseException) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return f"not a valid zip archive: {' '.join(str(exc).split())}"
    if isinstance(exc, EOFError):
        return "truncated"
    if isinstance(exc, ValueError) and "pickle" in str(exc):
        return "holds pickled objects, which qinfo never writes"
    text = " ".join(str(exc).split())
    return f"unreadable: {type(exc).__name__}" + (f": {text}" if text else "")


def _json_type(obj: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(obj), "number")
