#!/usr/bin/env python3
"""Profile one cold Warraq build of a site folder, in one process.

    bench/profile_build.py SITE_DIR [--top 15] [--sort tottime]

The build runs with a single worker so that cProfile sees all of the work
(with several workers it would see only the main process's share). The
site's output and build cache are moved aside first, so the build is cold.
Prints the wall time of each pipeline phase, then the top entries.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import build as build_module  # noqa: E402
from generator import parallel  # noqa: E402
from generator.cache import CACHE_DIR  # noqa: E402
from generator.config import load_config  # noqa: E402

PHASES = ("discover", "parse_sources", "relate", "snapshot_of", "_write")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sort", default="tottime")
    args = parser.parse_args()
    config = load_config(args.site / "warraq.toml")
    aside = Path(tempfile.mkdtemp(prefix="warraq-profile-"))
    for name in (config.output_dir, CACHE_DIR):
        if (args.site / name).exists():
            shutil.move(str(args.site / name), str(aside / name.strip(".")))
    parallel.worker_count = lambda: 1
    timings = _time_phases()
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.runcall(build_module.build, config)
    print(f"cold build, one process: {time.perf_counter() - started:.2f} s")
    for name, seconds in timings.items():
        print(f"  {name:15s} {seconds:6.2f} s")
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
    shutil.rmtree(aside, ignore_errors=True)
    return 0


def _time_phases() -> dict[str, float]:
    """Wrap the build's phase functions to add up their wall time."""
    timings: dict[str, float] = {}
    for name in PHASES:
        original = getattr(build_module, name)

        @functools.wraps(original)
        def timed(*args, _original=original, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                timings[_name] = timings.get(_name, 0.0) + time.perf_counter() - started

        setattr(build_module, name, timed)
    return timings


if __name__ == "__main__":
    sys.exit(main())
