"""Keep autosummary's one-line summaries from cutting an inline literal in half.

``sphinx.ext.autosummary.extract_summary`` splits the first paragraph at ". " to find
the first sentence, then checks the wrong text for broken markup, so a docstring like
"Moments of ``mu_1 [x] ... [x] mu_k``." is cut inside the literal and the build warns.
This wrapper keeps Sphinx's summary unless it leaves a literal open, in which case it
uses the whole first paragraph.
"""

from __future__ import annotations

from sphinx.ext import autosummary


def _first_paragraph(doc) -> str:
    lines = []
    for line in doc:
        if line.strip():
            lines.append(line.strip())
        elif lines:
            break
    return " ".join(lines)


def _wrap(extract):
    def extract_summary(doc, settings):
        summary = extract(doc, settings)
        if summary.count("``") % 2:
            summary = _first_paragraph(doc)
        return summary

    return extract_summary


def setup(app):
    if not getattr(autosummary.extract_summary, "_qinfo_wrapped", False):
        autosummary.extract_summary = _wrap(autosummary.extract_summary)
        autosummary.extract_summary._qinfo_wrapped = True
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
