"""Real data: a folder of captioned images, a split file, and an embeddings file.

**Image folder** (:func:`load_image_folder`). Image files (``.png``,
``.jpg``, ``.jpeg``) anywhere under a folder, each showing what one caption
says, CLEVR-style. The caption of a file comes from ``captions.csv`` in the
folder (columns ``file,caption``; ``file`` relative to the folder) when that
file exists, otherwise from the file name: words separated by ``_`` or
``-``, then an optional numeric index, e.g. ``cube_left_sphere_0007.png`` ->
``"cube left sphere"``. The image id is the path relative to the folder
without its extension.

**Split file** (:func:`load_split`). JSON ``{"train": [...], "val": [...],
"test": [...]}`` of captions (strings or word lists): the compositional
split, checked like any :class:`~qinfo.vqc.CompositionalSplit`.

**Embeddings file** (:func:`save_embeddings`, :func:`load_embeddings`). An
``.npz`` with arrays ``ids`` (str, one per image, unique), ``captions`` (str,
the caption of each image) and ``embeddings`` (float, ``(n, d)``), and an
optional string ``model`` naming the encoder. ``examples/compute_clip_embeddings.py``
writes it from an image folder; ``make_datasets(embeddings=...)``, ``qinfo vqc
train --embeddings`` and ``qinfo reproduce vqc --embeddings`` read it.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qinfo.vqc._grammar import parse
from qinfo.vqc._scenes import RELATIONS, CompositionalSplit

__all__ = ["ImageFolder", "Embeddings", "load_image_folder", "load_split", "save_embeddings",
           "load_embeddings"]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def _caption(text, where: str) -> tuple[str, ...]:
    words = tuple(text.split()) if isinstance(text, str) else tuple(text)
    try:
        parse(words)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{where}: caption {text!r} is not a caption of the task: {exc}") from None
    return words


@dataclass(frozen=True)
class ImageFolder:
    """Captioned image files: ``files[i]`` shows ``captions[i]`` and has id ``ids[i]``.

    Parameters
    ----------
    root : pathlib.Path
        The folder.
    files : tuple of pathlib.Path
        The image files.
    ids : tuple of str
        Path of each file relative to ``root``, without its extension.
    captions : tuple of tuple of str
        The caption each image shows.

    Examples
    --------
    >>> import pathlib
    >>> folder = ImageFolder(pathlib.Path("."), (pathlib.Path("red_cube.png"),), ("red_cube",), (("red", "cube"),))
    >>> len(folder)
    1
    """

    root: Path
    files: tuple[Path, ...]
    ids: tuple[str, ...]
    captions: tuple[tuple[str, ...], ...]

    def __len__(self) -> int:
        return len(self.files)


def load_image_folder(root) -> ImageFolder:
    """The captioned images under ``root``.

    Image files (``.png``, ``.jpg``, ``.jpeg``) anywhere under the folder,
    each showing what one caption says. The caption of a file comes from
    ``captions.csv`` in the folder (columns ``file,caption``) when that file
    exists, otherwise from the file name: words separated by ``_`` or ``-``,
    then an optional numeric index (``cube_left_sphere_0007.png`` ->
    ``"cube left sphere"``).

    Parameters
    ----------
    root : str or path
        The folder.

    Returns
    -------
    ImageFolder

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "cube_left_sphere_0001.png").write_bytes(b"")
    >>> folder = load_image_folder(d)
    >>> folder.ids, folder.captions
    (('cube_left_sphere_0001',), (('cube', 'left', 'sphere'),))
    """
    root = Path(root)
    if not root.is_dir():
        raise ValueError(f"image folder {root} does not exist or is not a folder")
    listing = root / "captions.csv"
    if listing.exists():
        with open(listing, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        if not rows or not {"file", "caption"} <= set(rows[0]):
            raise ValueError(f"{listing} must have columns 'file' and 'caption'")
        files = [root / r["file"] for r in rows]
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise ValueError(f"{listing} lists {len(missing)} missing files, e.g. {missing[0]}")
        captions = [_caption(r["caption"], str(listing)) for r in rows]
    else:
        files = sorted(p for p in root.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
        captions = []
        for f in files:
            words = [w for w in re.split(r"[_\-\s]+", f.stem) if w]
            while words and words[-1].isdigit():
                words.pop()
            captions.append(_caption(words, str(f)))
    if not files:
        raise ValueError(f"image folder {root} holds no {'/'.join(IMAGE_SUFFIXES)} files")
    ids = [str(f.relative_to(root).with_suffix("")) for f in files]
    if len(set(ids)) != len(ids):
        raise ValueError(f"image folder {root} has two files with the same id (name without extension)")
    return ImageFolder(root, tuple(files), tuple(ids), tuple(captions))


def load_split(path, *, relations=None) -> CompositionalSplit:
    """The compositional split in a JSON split file.

    The file is ``{"train": [...], "val": [...], "test": [...]}`` of captions
    (strings or word lists), checked like any :class:`CompositionalSplit`.

    Parameters
    ----------
    path : str or path
        The JSON file.
    relations : sequence of str, optional
        Relation words of the split; default: those its captions use.

    Returns
    -------
    CompositionalSplit

    Examples
    --------
    >>> import tempfile, json, os
    >>> p = os.path.join(tempfile.mkdtemp(), "split.json")
    >>> from qinfo.vqc import default_split
    >>> s = default_split("relational", seed=0)
    >>> _ = open(p, "w").write(json.dumps({k: [" ".join(c) for c in getattr(s, k)]
    ...                                      for k in ("train", "val", "test")}))
    >>> load_split(p) == s
    True
    """
    path = Path(path)
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"split file {path} is not readable JSON: {exc}") from None
    if not isinstance(spec, dict) or not {"train", "test"} <= set(spec):
        raise ValueError(f"split file {path} must be a JSON object with 'train', 'val' and 'test' lists")
    parts = {k: tuple(_caption(c, str(path)) for c in spec.get(k, ())) for k in ("train", "val", "test")}
    first = next(c for p in parts.values() for c in p)
    kind = "single" if len(first) == 2 else "relational"
    rel = sorted({c[1] for p in parts.values() for c in p if len(c) == 3}) if relations is None else relations
    rel = tuple(r for r in RELATIONS if r in rel) + tuple(r for r in rel if r not in RELATIONS)
    return CompositionalSplit(kind, parts["train"], parts["val"], parts["test"], rel or RELATIONS)


@dataclass(frozen=True)
class Embeddings:
    """Image vectors with the caption each image shows (the embeddings file in memory).

    Parameters
    ----------
    ids : tuple of str
        One unique id per image.
    captions : tuple of tuple of str
        The caption of each image.
    vectors : numpy.ndarray, shape (n, d)
        One embedding per image.
    source : str
        Where they came from (the ``model`` entry of the file).

    Examples
    --------
    >>> e = Embeddings(("a", "b"), (("red", "cube"), ("red", "cube")), np.eye(2))
    >>> e.by_caption()[("red", "cube")].tolist()
    [0, 1]
    """

    ids: tuple[str, ...]
    captions: tuple[tuple[str, ...], ...]
    vectors: np.ndarray
    source: str = ""

    def by_caption(self) -> dict[tuple[str, ...], np.ndarray]:
        """Caption -> indices of the images that show it.

        Returns
        -------
        dict of tuple of str to numpy.ndarray

        Examples
        --------
        >>> e = Embeddings(("a", "b"), (("red", "cube"), ("blue", "cone")), np.eye(2))
        >>> e.by_caption()[("blue", "cone")].tolist()
        [1]
        """
        out: dict[tuple[str, ...], list[int]] = {}
        for i, c in enumerate(self.captions):
            out.setdefault(c, []).append(i)
        return {c: np.array(v) for c, v in out.items()}


def save_embeddings(path, ids, captions, vectors, *, model: str = "") -> None:
    """Write an embeddings file.

    The file is an ``.npz`` with arrays ``ids`` (str, unique), ``captions``
    (str), ``embeddings`` (float, ``(n, d)``) and a string ``model``.

    Parameters
    ----------
    path : str or path
        Where to write (folders are created).
    ids : sequence of str
        One unique id per image.
    captions : sequence of str or of word sequences
        The caption of each image (checked against the grammar).
    vectors : array_like, shape (n, d)
        One finite embedding per image.
    model : str
        Name of the encoder, stored as the ``source`` of :func:`load_embeddings`.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "emb.npz")
    >>> save_embeddings(p, ["a", "b"], ["red cube", "blue cone"], np.eye(2), model="stand-in")
    >>> e = load_embeddings(p)
    >>> e.captions, e.vectors.shape, e.source
    ((('red', 'cube'), ('blue', 'cone')), (2, 2), 'stand-in')
    """
    ids = [str(i) for i in ids]
    caps = [" ".join(_caption(c, "captions")) for c in captions]
    vectors = np.asarray(vectors, dtype=float)
    _check(Path(path), ids, caps, vectors)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, ids=np.array(ids), captions=np.array(caps), embeddings=vectors, model=np.array(model))


def _check(path: Path, ids, captions, vectors) -> None:
    if vectors.ndim != 2 or vectors.shape[0] != len(ids) or len(captions) != len(ids):
        raise ValueError(f"embeddings file {path}: {len(ids)} ids, {len(captions)} captions and "
                         f"vectors of shape {vectors.shape} do not match")
    if len(ids) == 0:
        raise ValueError(f"embeddings file {path} holds no images")
    if len(set(ids)) != len(ids):
        raise ValueError(f"embeddings file {path}: ids are not unique")
    if not np.all(np.isfinite(vectors)):
        raise ValueError(f"embeddings file {path}: vectors contain NaN or infinite values")


def load_embeddings(path) -> Embeddings:
    """Read an embeddings file written by :func:`save_embeddings`.

    Parameters
    ----------
    path : str or path
        The ``.npz`` file.

    Returns
    -------
    Embeddings

    Raises
    ------
    ValueError
        Naming the file, for anything missing or malformed.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "emb.npz")
    >>> save_embeddings(p, ["a"], ["red cube"], np.ones((1, 3)))
    >>> load_embeddings(p).ids
    ('a',)
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [k for k in ("ids", "captions", "embeddings") if k not in data.files]
            if missing:
                raise ValueError(f"embeddings file {path} lacks arrays {missing}; it must hold "
                                 "'ids', 'captions' and 'embeddings'")
            ids = [str(i) for i in data["ids"]]
            caps = [str(c) for c in data["captions"]]
            vectors = np.asarray(data["embeddings"], dtype=float)
            model = str(data["model"]) if "model" in data.files else ""
    except FileNotFoundError:
        raise ValueError(f"embeddings file {path} does not exist") from None
    except ValueError:
        raise
    except Exception as exc:
        raise ValueError(f"embeddings file {path} is not a readable .npz: {type(exc).__name__}") from None
    _check(path, ids, caps, vectors)
    return Embeddings(tuple(ids), tuple(_caption(c, str(path)) for c in caps), vectors, model)
