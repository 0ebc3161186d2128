"""Prove the 1,875 historical six-party holographic facets with ``prove_many``, resumably, and re-check them.

The facets are hec's ``data/n=6/facets.json`` at commit 98a6f19 (arXiv:2309.06296), read
from a hec checkout (``--hec PATH``, a git clone of
github.com/SergioHC95/Holographic-Entropy-Cone) or from a file (``--facets FILE``, a JSON
list of coefficient rows). Every certificate goes to the resume file as it is found; run
the same command again after an interruption and it continues where it stopped. At the end
:func:`~qinfo.entropy_cones.check_campaign` re-checks every stored certificate without a
solver. The README's campaign figures come from::

    python benchmarks/campaign_hec6.py --hec /tmp/hec --resume /tmp/campaign.jsonl

(with no resume file left from an earlier run; ``--workers 2`` runs on a process pool).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import statistics
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor

from qinfo.entropy_cones import check_campaign, prove_many

HISTORICAL = "98a6f19"


def _rows(args) -> list:
    if args.facets:
        with open(args.facets) as f:
            return json.load(f)
    text = subprocess.run(["git", "-C", args.hec, "show", f"{HISTORICAL}:data/n=6/facets.json"],
                          check=True, capture_output=True, text=True).stdout
    return json.loads(text)


def _how(rec) -> str:
    reason = rec["reason"]
    if rec["status"] != "proved":
        return rec["status"]
    return ("local search" if "local search" in reason else "SAT" if "by SAT" in reason
            else "propagation" if "Propagation alone" in reason else "other")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--hec", help="path of a git clone of hec (reads data/n=6/facets.json at 98a6f19)")
    source.add_argument("--facets", help="a JSON list of coefficient rows instead")
    parser.add_argument("--resume", required=True, help="the JSON-lines resume file")
    parser.add_argument("--workers", type=int, default=1, help="processes (1: this one)")
    parser.add_argument("--time-limit", type=float, default=120.0, help="per facet [s]")
    args = parser.parse_args(argv)
    rows = _rows(args)
    if not rows:
        raise SystemExit("no facets to prove")
    print(f"{len(rows)} facets; start {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M:%S} UTC")
    t0 = time.perf_counter()
    kwargs = dict(resume=args.resume, time_limit=args.time_limit, max_multiple=1, counterexample_search=False)
    if args.workers > 1:
        with ProcessPoolExecutor(args.workers) as ex:
            records = prove_many(rows, executor=ex, **kwargs)
    else:
        records = prove_many(rows, **kwargs)
    wall = time.perf_counter() - t0
    print(f"end {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M:%S} UTC, {wall:.1f} s wall "
          f"(this run; records already in the resume file were not redone)")
    print("status:", dict(collections.Counter(r["status"] for r in records)))
    print("how:", dict(collections.Counter(_how(r) for r in records)))
    secs = [r["seconds"] for r in records]
    print(f"prove time of every record (this run's and earlier ones) {sum(secs):.1f} s, longest {max(secs):.3f} s, median {statistics.median(secs) * 1e3:.1f} ms")
    t1 = time.perf_counter()
    checked = check_campaign(args.resume)
    print(f"check_campaign: {checked} in {time.perf_counter() - t1:.1f} s")


if __name__ == "__main__":
    main()
