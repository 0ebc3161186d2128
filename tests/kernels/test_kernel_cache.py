"""The Numba cache works from a read-only install, and qinfo.warmup fills it."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import qinfo

ROOT = Path(qinfo.__file__).resolve().parent

PROBE = r"""
import json, os, sys, tempfile
if os.geteuid() == 0:  # root writes through file modes: make Numba's write probe see the read-only tree
    _temp, _site = tempfile.TemporaryFile, os.environ["PYTHONPATH"]
    def _probe(*args, dir=None, **kw):
        if dir is not None and os.path.abspath(dir).startswith(_site):
            raise PermissionError(13, "Read-only file system", dir)
        return _temp(*args, dir=dir, **kw)
    tempfile.TemporaryFile = _probe
import numpy as np
from qinfo._kernels import maxflow as mf
ptr, verts, w = np.array([0, 2, 5]), np.array([0, 1, 1, 2, 3]), np.array([2, 3])
value = mf.cut_weight(np.array([True, False, False, True]), ptr, verts, w)
print(json.dumps({"value": int(value), "hits": sum(mf.cut_weight.stats.cache_hits.values()),
                  "file": mf.__file__}))
"""


def _read_only_copy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(ROOT, site / "qinfo", ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    for path in [site, *site.rglob("*")]:
        mode = path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        path.chmod(mode)
    return site


@pytest.mark.slow
def test_kernels_cache_to_a_per_user_directory_when_the_install_is_read_only(tmp_path):
    site = _read_only_copy(tmp_path)
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in {"NUMBA_CACHE_DIR", "PYTHONPATH"}}
    env.update(PYTHONPATH=str(site), HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               PYTHONDONTWRITEBYTECODE="1")
    try:
        runs = [json.loads(subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                                          check=True, cwd=tmp_path).stdout) for _ in range(2)]
        assert runs[0]["file"].startswith(str(site))  # the read-only copy, not the checkout
        assert [r["value"] for r in runs] == [5, 5]  # both hyperedges cut: 2 + 3
        assert runs[0]["hits"] == 0 and runs[1]["hits"] == 1  # compiled once, then loaded from the cache
        cached = list(home.rglob("*.nbi"))
        assert cached and not list(site.rglob("*.nbi"))
    finally:
        for path in [site, *site.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_warmup_runs_the_kernels_it_promises():
    assert qinfo.warmup() >= 0
