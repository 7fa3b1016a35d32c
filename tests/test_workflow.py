"""The GitHub Pages workflow: scheduled builds that stay incremental."""

from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "pages.yml"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def test_it_runs_on_a_schedule_as_well_as_on_a_push():
    triggers = load()[True]  # YAML 1.1 reads the key "on" as true
    assert "push" in triggers
    cron = triggers["schedule"][0]["cron"].split()
    assert len(cron) == 5 and cron[1] == "*"  # at least hourly: expiry needs no push


def test_it_keeps_the_build_cache_and_the_site_between_runs():
    steps = load()["jobs"]["build"]["steps"]
    names = [step.get("uses", "") for step in steps]
    cache = steps[next(i for i, uses in enumerate(names) if uses.startswith("actions/cache@"))]
    paths = cache["with"]["path"].split()
    assert {".warraq-cache", "_site"} <= set(paths)
    assert "${{ github.run_id }}" in cache["with"]["key"]  # a new key, so each run saves
    assert cache["with"]["restore-keys"].strip()
    build = next(i for i, step in enumerate(steps) if step.get("name") == "Build")
    assert names.index(cache["uses"]) < build  # restored before the build
