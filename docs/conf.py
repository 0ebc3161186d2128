"""Sphinx configuration for the qinfo documentation.

Built by ``make docs`` (``python -m sphinx -W --keep-going -b html docs docs/_build/html``)
with the package installed editable. The build needs no network: intersphinx is off,
every figure is computed during the build (gallery examples, landing pictures) and the
command-line help is taken from :func:`qinfo.cli.build_parser`.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")
# Examples and docstrings must not open progress bars in the logs.
os.environ.setdefault("TQDM_DISABLE", "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import qinfo  # noqa: E402

# -- Project ------------------------------------------------------------------
project = "qinfo"
author = "the qinfo developers"
copyright = "2025, the qinfo developers"
release = qinfo.__version__
version = ".".join(release.split(".")[:2])

# -- General ------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
    "cli_help",
    "summary_fix",
    "numpydoc_scope",
]
templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "landing"]
source_suffix = {".rst": "restructuredtext"}
root_doc = "index"
default_role = "literal"
nitpicky = False
suppress_warnings: list[str] = []

# -- autodoc / autosummary / numpydoc -----------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autosummary_ignore_module_all = False
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"  # numpydoc documents the types
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False


def _docstring_checks() -> set[str]:
    """``CHECKS`` of tests/test_docstrings.py, the one list of numpydoc checks (read, not imported:
    the docs build needs no pytest)."""
    tree = ast.parse((HERE.parent / "tests" / "test_docstrings.py").read_text(encoding="utf-8"))
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
        if isinstance(target, ast.Name) and target.id == "CHECKS":
            return set(ast.literal_eval(node.value))
    raise RuntimeError("tests/test_docstrings.py defines no CHECKS")


# The same checks as tests/test_docstrings.py, on the same objects, so the docs fail where
# the test fails (a warning is an error under -W): public functions, classes and their
# public methods. Names with a private part (``_helper``, ``__call__``) are excluded here;
# properties, attributes and data by the numpydoc_scope extension (docs/_ext).
numpydoc_validation_checks = _docstring_checks()
numpydoc_validation_exclude = {r"\._[^.]*$"}

# -- sphinx-gallery -------------------------------------------------------------
# Every examples/plot_*.py runs during the build (so the docs break when an example
# breaks); any other script in examples/ (e.g. one that needs local model weights)
# is left out of the gallery entirely.
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_[^/]*\.py$",
    "ignore_pattern": r"^(?!plot_)[^/]*\.py$",  # matched against the bare file name
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    "show_memory": False,
    "plot_gallery": "True",
    "capture_repr": ("_repr_html_", "__repr__"),
}

# -- plot directive (landing-page pictures) ------------------------------------
plot_basedir = str(HERE)
plot_include_source = False
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_rcparams = {"figure.autolayout": False}

# -- HTML ---------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"qinfo {release}"
html_static_path = ["_static"]
html_css_files = ["qinfo.css"]
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}

# No network at build time: no intersphinx inventories are fetched.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
