"""Warraq's incremental rebuilds of the wire corpus, for bench/run.

After one cold build into a fixed output folder, each scenario makes one
edit, times one ``warraq build``, undoes the edit and rebuilds untimed, so
the next measurement starts from the same clean site:

- no change;
- one word changed in the middle of a middle paragraph of one article;
- one headline changed (the pages that list the article must change too);
- one article added (a copy of an article under a new name and headline);
- the newest article added (dated a day after the newest);
- one template changed (an HTML comment inside the article card).

Each run's edit is different from the others' (a numbered marker word), so
a cache keyed by content never sees the same edit twice. The files written
come from Warraq's closing summary: ``… (N written, M unchanged, R removed) …``.
"""

from __future__ import annotations

import datetime as dt

import os
import re
import shutil
import statistics
import sys
from pathlib import Path
from typing import Callable

from corpus import TOPICS
from measure import run_measured, settle

# the closing summary: "warraq: 10,000 articles, … (20 written, 12,411 unchanged, 0 removed)"
REPORT = re.compile(r"([\d,]+) written, ([\d,]+) unchanged, ([\d,]+) removed")
TOPIC_WORDS = frozenset(word for topic in TOPICS for word in topic.split())
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

Restore = Callable[[], None]
Edit = Callable[[Path, int], Restore]


def time_scenarios(site: Path, argv: tuple[str, ...], env: dict[str, str], output: Path,
                   logs: Path, runs: int) -> list[dict]:
    """One row per scenario: median wall seconds and files written, and every run."""
    build = _builder(site, argv, env, output, logs)
    shutil.rmtree(site / ".warraq-cache", ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    output.parent.mkdir(parents=True, exist_ok=True)  # Warraq makes only the output
    print("bench: incremental: cold build", flush=True)
    build("incremental-cold")
    rows = []
    for name, edit in SCENARIOS:
        print(f"bench: incremental: {name}", flush=True)
        rows.append(time_scenario(name, edit, site, build, runs))
    return rows


def time_scenario(name: str, edit: Edit, site: Path, build, runs: int) -> dict:
    measured = []
    for run in range(runs):
        settle()
        restore = edit(site, run + 1)
        try:
            measured.append(build(f"incremental-{_slug(name)}-{run + 1}"))
        finally:
            restore()
        build(f"incremental-{_slug(name)}-{run + 1}-restore")
    return {"scenario": name,
            "wall_s": statistics.median(m["wall_s"] for m in measured),
            "written": statistics.median(m["written"] for m in measured),
            "runs": measured}


def _builder(site: Path, argv: tuple[str, ...], env: dict[str, str], output: Path,
             logs: Path):
    command = [*argv, "--output", str(output)]
    full_env = {**os.environ, **env}

    def build(label: str) -> dict:
        measured = run_measured(command, cwd=site, log=logs / label, env=full_env,
                                memory=False)
        written, unchanged, removed = parse_report(measured.stdout)
        return {"wall_s": measured.wall, "cpu_s": measured.cpu, "written": written,
                "unchanged": unchanged, "removed": removed}

    return build


def parse_report(stdout: str) -> tuple[int, int, int]:
    found = REPORT.findall(stdout)
    if not found:
        sys.exit(f"bench: no 'warraq: N written' line in Warraq's output:\n{stdout[-2000:]}")
    return tuple(int(n.replace(",", "")) for n in found[-1])  # type: ignore[return-value]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# --- the edits: each returns the function that undoes it -------------------------

def marker(run: int) -> str:
    """A word that appears nowhere in the corpus, different for every run."""
    return "تعديل" + str(run).translate(ARABIC_DIGITS)


def middle_article(site: Path) -> Path:
    articles = sorted((site / "content").glob("*.txt"))
    return articles[len(articles) // 2]


def no_change(site: Path, run: int) -> Restore:
    return lambda: None


def edit_body(site: Path, run: int) -> Restore:
    """Change one word in the middle of a middle paragraph of the middle article."""
    path = middle_article(site)
    original = path.read_bytes()
    blocks = original.decode("utf-8").split("\n\n")
    paragraphs = [i for i, block in enumerate(blocks[1:-1], start=1)
                  if len(block.split()) > 15 and not block.startswith("اقرأ")]
    index = paragraphs[len(paragraphs) // 2]
    words = blocks[index].split(" ")
    blocks[index] = " ".join(_replace_middle_word(words, marker(run)))
    path.write_text("\n\n".join(blocks), encoding="utf-8")
    return lambda: path.write_bytes(original)


def _replace_middle_word(words: list[str], new: str) -> list[str]:
    """The plain word nearest the middle (no topic name, no full stop) becomes ``new``."""
    middle = len(words) // 2
    for offset in range(len(words)):
        for at in (middle + offset, middle - offset):
            if 0 <= at < len(words) and words[at].isalpha() and words[at] not in TOPIC_WORDS:
                return words[:at] + [new] + words[at + 1:]
    raise ValueError("no plain word to edit")


def edit_headline(site: Path, run: int) -> Restore:
    """Append a word to the middle article's headline (its first line)."""
    path = middle_article(site)
    original = path.read_bytes()
    headline, _, rest = original.decode("utf-8").partition("\n")
    path.write_text(f"{headline} {marker(run)}\n{rest}", encoding="utf-8")
    return lambda: path.write_bytes(original)


def add_article(site: Path, run: int) -> Restore:
    """A copy of the middle article, same date, under a new name and headline."""
    source = middle_article(site)
    target = source.with_name(f"{source.stem}-bench-new-{run}.txt")
    headline, _, rest = source.read_text(encoding="utf-8").partition("\n")
    target.write_text(f"خبر جديد {marker(run)} {headline}\n{rest}", encoding="utf-8")
    return lambda: target.unlink()


def add_newest(site: Path, run: int) -> Restore:
    """A new article dated the day after the newest one: what a news desk does
    all day. Listings are numbered from the oldest, so only their newest
    pages change."""
    newest = sorted((site / "content").glob("*.txt"))[-1]
    day = dt.date.fromisoformat(newest.name[:10]) + dt.timedelta(days=1)
    target = newest.with_name(f"{day.isoformat()}-bench-newest-{run}.txt")
    headline, _, rest = newest.read_text(encoding="utf-8").partition("\n")
    target.write_text(f"عاجل {marker(run)} {headline}\n{rest}", encoding="utf-8")
    return lambda: target.unlink()


def edit_template(site: Path, run: int) -> Restore:
    """Add an HTML comment inside the article card, so every listing page changes."""
    path = site / "templates" / "partials" / "article_card.html"
    original = path.read_bytes()
    text = original.decode("utf-8")
    if "</article>" not in text:
        raise RuntimeError(f"{path}: no </article> to edit before")
    path.write_text(text.replace("</article>", f"<!-- bench edit {run} --></article>", 1),
                    encoding="utf-8")
    return lambda: path.write_bytes(original)


SCENARIOS: tuple[tuple[str, Edit], ...] = (
    ("no change", no_change),
    ("one article's body", edit_body),
    ("one headline", edit_headline),
    ("one article added", add_article),
    ("the newest article added", add_newest),
    ("one template", edit_template),
)
