"""Mapping work over an optional executor with an optional progress bar.

Every long-running qinfo function accepts ``executor=`` (any
:class:`concurrent.futures.Executor`, including the one a
``dask.distributed.Client`` returns from ``client.get_executor()``) and
``progress=`` and routes its loop through :func:`parallel_map`.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any, Callable, Iterable, Sequence

import sys

from tqdm.auto import tqdm

__all__ = ["parallel_map", "show_progress"]


def parallel_map(
    func: Callable[..., Any],
    items: Sequence[Any] | Iterable[Any],
    *,
    executor: Executor | None = None,
    progress: bool | None = None,
    desc: str | None = None,
    chunksize: int = 1,
) -> list[Any]:
    """Apply ``func`` to every item, in order, serially or on ``executor``.

    Parameters
    ----------
    func : callable
        Must be picklable (a module-level function) when an executor that
        crosses processes is used.
    items : iterable
        Arguments, one per call.
    executor : concurrent.futures.Executor, optional
        Runs the calls; ``None`` runs them here, one after another.
    progress : bool, optional
        Show a tqdm progress bar; ``None`` (the default) shows one only when
        stderr is a terminal (see :func:`show_progress`).
    desc : str, optional
        Label for the progress bar.
    chunksize : int
        Number of items sent to the executor per task (amortises overhead
        for many small items).

    Returns
    -------
    list
        ``[func(x) for x in items]``, in the order of ``items``.

    Examples
    --------
    >>> parallel_map(abs, [-1, 2, -3], progress=False)
    [1, 2, 3]
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as ex:
    ...     parallel_map(abs, [-1, 2, -3], executor=ex, progress=False)
    [1, 2, 3]
    """
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError(
            "executor must be a concurrent.futures.Executor (for dask use "
            f"client.get_executor()), got {type(executor).__name__}"
        )
    if chunksize < 1:
        raise ValueError(f"chunksize must be >= 1, got {chunksize}")
    items = list(items)
    bar = tqdm(total=len(items), desc=desc, disable=not show_progress(progress), leave=False)
    try:
        if executor is None:
            out = []
            for x in items:
                out.append(func(x))
                bar.update(1)
            return out
        chunks = [items[i : i + chunksize] for i in range(0, len(items), chunksize)]
        futures = [executor.submit(_apply_chunk, func, chunk) for chunk in chunks]
        results: list[Any] = []
        for fut, chunk in zip(futures, chunks):
            results.extend(fut.result())
            bar.update(len(chunk))
        return results
    finally:
        bar.close()


def show_progress(progress: bool | None) -> bool:
    """Whether to draw a progress bar: ``progress`` itself, or for ``None`` whether stderr is a terminal.

    Every ``progress=`` argument in qinfo defaults to ``None`` and goes through here, so
    scripts, notebooks on a terminal and CI logs each get what they expect.

    Examples
    --------
    >>> show_progress(False), show_progress(True)
    (False, True)
    """
    if progress is None:
        stream = sys.stderr
        return bool(getattr(stream, "isatty", None) and stream.isatty())
    return bool(progress)


def _apply_chunk(func: Callable[..., Any], chunk: list[Any]) -> list[Any]:
    return [func(x) for x in chunk]
