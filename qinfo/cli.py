"""The ``qinfo`` command line: ``qinfo reproduce``, ``qinfo entropy``, ``qinfo rtn``, ``qinfo vqc``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


class CLIError(Exception):
    """A user error: printed as one line, exit code 2."""


def _cmd_reproduce(args: argparse.Namespace) -> int:
    from qinfo.reproduce import run_reproductions

    run_reproductions(args.targets or ["all"], out=Path(args.out), quick=args.quick,
                      seed=args.seed, progress=not args.no_progress)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qinfo",
        description="Quantum information theory: entropy cones, random tensor networks, VQCs.",
        epilog="example: qinfo reproduce all --quick --out results/quick",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser(
        "reproduce", help="run the reproductions of the papers' claims",
        description="Run the reproductions, print tables, write PNG figures and report.md.",
        epilog="example: qinfo reproduce entropy --quick --out results/quick",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rep.add_argument("targets", nargs="*",
                     help="entropy, rtn, vqc or all (default all)")
    rep.add_argument("--quick", action="store_true", help="short versions (used by make demo)")
    rep.add_argument("--out", default="results", help="output folder (default results/)")
    rep.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    rep.add_argument("--no-progress", action="store_true", help="hide progress bars")
    rep.set_defaults(func=_cmd_reproduce)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (CLIError, ValueError, TypeError, FileNotFoundError) as exc:
        print(f"qinfo {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
