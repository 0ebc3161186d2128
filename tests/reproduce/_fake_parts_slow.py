"""The slow part of the fake target (see ``_fake_parts``)."""

from tests.reproduce._fake_parts import run_slow as run  # noqa: F401
