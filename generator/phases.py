"""The reading phases of a build: parse the sources, relate the articles.

``parse_sources`` spreads parsing over the cores; each worker stores the
bodies it parsed in the cache and hands back the articles without them.
``relate`` makes the site. ``relate_changed`` is the relate phase of a
build with a snapshot of the last one: it relates afresh only when an edit
reaches what ``build_site`` reads, and else patches the last site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from .articles import parse_file
from .cache import body_row, store_bodies
from .config import Config
from .errors import Problem, WarraqError
from .incremental import EVERYTHING, Snapshot, Stamps, kept, patched_site
from .models import Parsed, Site, SourceFile
from .parallel import Done, map_in_order
from .readers.prefetch import prefetched
from .site import build_site
from .topics import compile_topics


@dataclass(frozen=True)
class Loaded:
    site: Site
    problems: tuple[Problem, ...]  # errors and warnings, sorted
    skipped: tuple[str, ...]  # sources left out because of errors
    drafts: tuple[str, ...]
    digests: dict[str, str] = field(default_factory=dict)  # source -> digest, where known


@dataclass(frozen=True)
class Related:
    """The relate phase's answer. ``loaded`` None: nothing changed, and the
    last site was not even read; ``changed``: slugs whose article changed,
    or EVERYTHING; ``parsed``: every source's parse result, when known."""

    loaded: Loaded | None
    changed: set[str] | None
    parsed: list[Parsed] | None
    snapshot_kept: bool = False  # the last snapshot holds these parse results and site


def parse_sources(sources: list[SourceFile], config: Config, cache_path: Path | None,
                  done: Done | None = None) -> list[Parsed]:
    """Parse results in source order, without bodies: with a cache, the
    workers store each body there first. ``done`` is told the count parsed."""
    with prefetched([source.abs_path for source in sources]):
        return map_in_order(partial(_parse_all, config=config, cache_path=cache_path), sources,
                            done=done)


def _parse_all(sources: list[SourceFile], config: Config,
               cache_path: Path | None) -> list[Parsed]:
    dictionary = compile_topics(config.topics)
    results, rows = [], []
    for source in sources:
        parsed = parse_file(source.rel_path, source.abs_path, config, dictionary)
        if cache_path:
            rows.append(body_row(parsed))
        results.append(parsed._replace(body=()))  # the body lives in the cache alone
    if rows:
        store_bodies(cache_path, rows)
    return results


def relate(config: Config, parsed: list[Parsed], found: tuple[Problem, ...] = (),
           before: Site | None = None) -> Loaded:
    """The site of the parse results; ``before``: the last one, which spares work."""
    articles = [p.article for p in parsed if p.article and not p.draft]
    return loaded_of(parsed, build_site(articles, config, before), found)


def loaded_of(parsed: list[Parsed], site: Site, found: tuple[Problem, ...]) -> Loaded:
    skipped = sorted(p.source for p in parsed if p.article is None)
    drafts = sorted(p.source for p in parsed if p.draft)
    problems = tuple(sorted([problem for p in parsed for problem in p.problems]
                            + list(site.problems) + list(found)))
    return Loaded(site, problems, tuple(skipped), tuple(drafts),
                  {p.source: p.digest for p in parsed if p.digest})


def checked(loaded: Loaded, *, keep_going: bool) -> Loaded:
    if not keep_going and any(p.is_error for p in loaded.problems):
        raise WarraqError(loaded.problems)
    return loaded


def relate_changed(config: Config, sources: list[SourceFile], fresh: dict[str, Parsed],
                   found: tuple[Problem, ...], last: Stamps | None,
                   snapshot: Callable[[], Snapshot | None], cache_path: Path) -> Related:
    """The site, patched or related afresh, and what changed in it."""
    same_sources = last is not None and {s.rel_path for s in sources} == last.sources.keys()
    if same_sources and not fresh and found == last.found:
        return Related(None, set(), None)
    known = snapshot() if last else None
    if known and same_sources:
        patched = patched_site(known, fresh)
        if patched:
            site, changed = patched
            parsed = [fresh.get(s.rel_path) or known.parsed[s.rel_path] for s in sources]
            same = site is known.site and all(kept(p) == known.parsed[source]
                                              for source, p in fresh.items())
            return Related(loaded_of(parsed, site, found), changed, parsed, same)
    parsed = _every_source(sources, fresh, known, config, cache_path)
    return Related(relate(config, parsed, found, known and known.site), EVERYTHING, parsed)


def _every_source(sources: list[SourceFile], fresh: dict[str, Parsed], known: Snapshot | None,
                  config: Config, cache_path: Path) -> list[Parsed]:
    """Each source's parse result: fresh, kept from the snapshot, or parsed now
    (a snapshot that is missing or lacks it)."""
    kept_before = known.parsed if known else {}
    missing = [s for s in sources if s.rel_path not in fresh and s.rel_path not in kept_before]
    fresh = {**fresh, **{p.source: p for p in parse_sources(missing, config, cache_path)}}
    return [fresh.get(s.rel_path) or kept_before[s.rel_path] for s in sources]

