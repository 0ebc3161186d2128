"""The documentation's code runs: README examples, quickstart doctests, and (slow) the Sphinx build."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QUICKSTART = [p for p in sorted((ROOT / "docs" / "quickstart").glob("*.rst")) if ">>>" in p.read_text()]


def readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.fixture
def quiet(monkeypatch, tmp_path):
    """Run documentation code without progress bars or windows, in a scratch folder."""
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.setenv("TQDM_DISABLE", "1")
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("index", range(len(readme_python_blocks())))
def test_readme_python_example_runs(index, quiet):
    code = readme_python_blocks()[index]
    exec(compile(code, f"README.md python block {index}", "exec"), {"__name__": "__readme__"})


@pytest.mark.parametrize("page", QUICKSTART, ids=lambda p: p.name)
def test_quickstart_page_doctests_pass(page, quiet):
    result = doctest.testfile(str(page), module_relative=False, verbose=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} example(s) in {page.name} failed (output above)"


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", text, flags=re.S).group(1)
    lines = [ln.split("#")[0].strip() for ln in first_block.strip().splitlines()]
    assert lines[:2] == ["make demo", "make test"]


@pytest.mark.slow
def test_sphinx_build_has_no_warnings(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", TQDM_DISABLE="1")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         str(ROOT / "docs"), str(tmp_path / "html")],
        capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert (tmp_path / "html" / "index.html").exists()
    assert list((ROOT / "docs" / "auto_examples" / "images").glob("sphx_glr_plot_*.png")), \
        "the gallery produced no figures"
