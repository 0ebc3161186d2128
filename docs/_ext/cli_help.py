"""``.. qinfo-cli-help:: [subcommand ...]``: the ``--help`` text of a ``qinfo`` command.

The text comes from :func:`qinfo.cli.build_parser` at build time, so the command-line
page can never drift from the real parser. Example::

    .. qinfo-cli-help:: vqc train
"""

from __future__ import annotations

import argparse

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


def help_text(words: list[str]) -> str:
    """Return ``qinfo WORDS --help`` as printed in an 88-column terminal."""
    import os

    from qinfo.cli import build_parser

    os.environ["COLUMNS"] = "88"
    parser = build_parser()
    for word in words:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or word not in subs[0].choices:
            raise ValueError(f"qinfo {' '.join(words)}: no such command")
        parser = subs[0].choices[word]
    return parser.format_help().rstrip()


class CLIHelp(SphinxDirective):
    optional_arguments = 8
    has_content = False

    def run(self):
        words = list(self.arguments)
        try:
            text = help_text(words)
        except ValueError as exc:
            raise self.error(str(exc)) from None
        node = nodes.literal_block(text, text)
        node["language"] = "text"
        return [node]


def setup(app):
    app.add_directive("qinfo-cli-help", CLIHelp)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
