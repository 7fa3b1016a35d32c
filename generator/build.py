"""build: the pipeline from content folders to a written site, top to bottom.

discover -> parse -> relate -> plan -> make -> write, each phase asking the
cache for itself (see ``incremental``): unchanged sources are not parsed,
edits that leave the relations alone patch the last site, a page is made
again only when its template or what its view read changed, and only bytes
that changed are written. A build with nothing to do reads no more than
the small ``Stamps`` record. Every problem is collected before anything is
written; without keep_going any error stops the build with the previous
output untouched. The output always equals a cold build's.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path

from .bodies import BodyStore
from .compiled import RECORD as COMPILED, Compiled
from .cache import CACHE_DIR, Cache, close_cache, close_readers, load_record, open_cache, save
from .config import Config
from .config import CONFIG_NAME
from .digests import digest_of
from .errors import Problem, WarraqError, error, warning
from .guard import build_lock, content_folders, output_folder
from .incremental import (EVERYTHING, Snapshot, Stamps, damaged_outputs, relations_changed,
                          settled, snapshot_of)
from .models import BuildReport, SourceFile
from .moments import build_clock
from .outputs import Copy, Empty, Made, Maker, Output, make_outputs
from .parallel import Progress, map_in_order, tracked, unheard
from .phases import Loaded, Related, checked, parse_sources, relate, relate_changed
from .plan import plan_outputs
from .newsroom import bar_view, breaking_until
from .plan_feeds import news_until
from .photo_files import process_photos
from .photos import Photos, changed_photos, image_problems, photo_digests, showing
from .readers import Discovered, discover
from .snapshots import RECORD as SNAPSHOT, load_snapshot, snapshot_record
from .search_step import search_key, write_index
from .render import make_environment, template_digests
from .theme import layered_files, theme_of
from .views import Page
from .writer import abandon, open_staging, publish

SPARE_DIR = "spare"  # in the cache: where the next site is assembled
# A build tells its ``Progress`` (see parallel) of these phases, in this order, each
# that runs: photos, discover, parse, relate, plan, make, index, publish.


def load_site(config: Config) -> Loaded:
    """Read every source and relate them, without a cache (bodies are read
    again when a page needs one, as a build reads them from its cache)."""
    found = discover(config.root, config.content_dirs)
    return relate(config, parse_sources(found.articles, config, None), tuple(found.problems))


def check(config: Config, progress: Progress | None = None) -> Loaded:
    """Parse and resolve everything, plan every output, write nothing; raise on
    any error, two files wanting one place in the site among them."""
    content_folders(config)
    progress = progress or unheard
    found, files, problems, photos = _found(config, time.time_ns(), progress)
    parsed = tracked(progress, "parse", len(found.articles),
                     partial(parse_sources, found.articles, config, None))
    loaded = checked(_with_images(relate(config, parsed, problems), photos, files),
                     keep_going=False)
    _refuse_collisions([*plan_outputs(loaded.site, config, build_clock(), photos), *files])
    return loaded


def build(config: Config, *, keep_going: bool = False, index: bool = True,
          progress: Progress | None = None) -> BuildReport:
    """Build the site into the output folder; raise WarraqError on errors
    unless ``keep_going``, in which case bad files are skipped and reported.
    ``index`` False leaves the search index as it was, for a later build.
    ``progress`` is told of each phase as it goes (see ``Progress``)."""
    cache_dir = config.root / CACHE_DIR
    content_folders(config)
    output = output_folder(config, cache_dir)  # refused before anything is touched
    collecting = gc.isenabled()
    gc.disable()  # a build makes millions of objects and no garbage cycles worth chasing
    try:
        with build_lock(cache_dir):
            cache = open_cache(config)
            try:
                return _build(config, cache, keep_going, output, index,
                              progress or unheard)
            finally:
                close_cache(cache)
    finally:
        if collecting:
            gc.enable()


@dataclass(frozen=True)
class Plan:
    """The plan phase's answer: the outputs to make (files always; pages
    whose key may have changed), every page path, and what made them."""

    outputs: list[Output]
    pages: frozenset[str]
    reads: dict[str, tuple] | None  # the last reads (see _shared), None when all are made anew
    clock_until: float  # until when the pages shown by the clock stay as planned
    bar: str  # digest of the breaking-news bar
    # each page's Page.identity, of those that have one; None: not planned anew
    identities: dict[str, tuple] | None = None
    needs_site: bool = True  # False: no page is made, the last site need not be read


class _SnapshotLost(Exception):
    """The stamps speak of a snapshot the cache no longer holds whole."""


def address_warning(config: Config) -> Problem | None:
    """What a build without the site's absolute URL leaves out, said once per run."""
    if config.address:
        return None
    return warning(CONFIG_NAME, 0, "site_url is not set, so no feeds, sitemaps or robots.txt "
                   "are made and links stay root-relative; set site_url = \"https://…/\" or "
                   "give --base-url a full URL")


def _build(config: Config, cache: Cache, keep_going: bool, output: Path,
           index: bool, progress: Progress) -> BuildReport:
    last = load_record(cache.connection, "stamps", Stamps) if output.is_dir() else None
    try:
        return _build_on(config, cache, keep_going, output, last, index, progress)
    except _SnapshotLost:
        return _build_on(config, cache, keep_going, output, None, index, progress)  # as if cold


def _last_snapshot(cache: Cache):
    """The last snapshot, read once and only if asked for."""
    @lru_cache(maxsize=1)
    def snapshot() -> Snapshot:
        found = load_snapshot(partial(load_record, cache.connection))
        if found is None:
            raise _SnapshotLost
        return found
    return snapshot


def _build_on(config: Config, cache: Cache, keep_going: bool, output: Path,
              last: Stamps | None, index: bool, progress: Progress) -> BuildReport:
    now_ns = time.time_ns()
    snapshot = _last_snapshot(cache)
    found, files, problems, photos = _found(config, now_ns, progress)     # discover
    sources = [_settled_source(source, now_ns) for source in found.articles]
    progress("discover", len(sources), len(sources))
    fresh = _parse_changed(sources, last, config, cache.path, progress)    # parse
    related = relate_changed(config, sources, fresh, problems, last, snapshot,  # relate
                             cache.path)
    progress("relate", 0, 0)
    if related.loaded:
        loaded = checked(_with_images(related.loaded, photos, files),
                         keep_going=keep_going)
    elif last.skipped and not keep_going:
        raise WarraqError(last.problems)  # the same errors as last time: still an error
    else:
        loaded = None
    compiled = Compiled(last.uses if last else None,
                        partial(load_record, cache.connection, COMPILED, dict))
    env = make_environment(config, compiled)
    templates = template_digests(env)
    damaged = damaged_outputs(output, last) if last else set()
    plan = _plan(config, loaded, related, last, snapshot, templates, damaged, files,  # plan
                 build_clock(), photos)
    progress("plan", len(plan.outputs), len(plan.outputs))
    old_keys = {k: v for k, v in last.keys.items() if k not in damaged} if last else {}
    loaded = loaded or Loaded(snapshot().site if plan.needs_site else None,
                              last.problems, last.skipped, ())
    digests = _digests(sources, fresh, last)
    search = _search_plan(config, loaded, snapshot, last, digests, index)
    if search.redo and loaded.site is None:  # an owed index, and nothing else to do
        loaded = replace(loaded, site=snapshot().site)
    expected = plan.pages | {f.output_path for f in files} | set(search.kept)
    gone = sorted(old_keys.keys() - expected) + search.stale if last else None
    made = written = removed = ()
    if last is None or gone or search.redo or any(
            isinstance(o, Page) or old_keys.get(o.output_path) != o.key for o in plan.outputs):
        maker = Maker(env, loaded.site, digests, templates, old_keys,
                      BodyStore(cache.path, config), _staging(config, output))
        made, written, removed, search = _make(config, plan.outputs, maker, expected, gone,
                                               search, progress)           # make, write
    state = Stamps({s.rel_path: (s.stamp, digests[s.rel_path]) for s in sources}, templates,
                   *_kept_keys(last, gone or (), removed, made), loaded.problems,
                   loaded.skipped, problems, plan.pages, search.steps,
                   clock_until=plan.clock_until, bar=plan.bar, photos=photo_digests(photos),
                   counts=_counts(loaded.site, last), uses=compiled.uses_kept())
    _remember(cache, state == last, state, related, plan, made, set(digests.values()),
              loaded, snapshot, compiled)
    total = len(state.keys) + len(search.kept)
    return BuildReport(tuple(written), total - len(written), tuple(removed),
                       loaded.problems, loaded.skipped, _work(fresh, related, made, search),
                       state.counts)


@dataclass(frozen=True)
class SearchPlan:
    """The search step: its key (None: no index), the files the last index
    wrote, whether it runs now, and the files to keep or to drop."""

    key: str | None
    before: tuple[str, ...]
    redo: bool
    files: tuple[str, ...] = ()  # written by this build's run

    @property
    def kept(self) -> tuple[str, ...]:
        return self.files if self.redo else self.before if self.key else ()  # owed: the old

    @property
    def stale(self) -> list[str]:
        """The last index's files that this build drops (known once it ran)."""
        if self.redo and not self.files:
            return []
        return sorted(set(self.before) - set(self.kept))

    @property
    def steps(self) -> dict:
        return {"search": (self.key, self.kept)} if self.key else {}

    @property
    def owed(self) -> bool:
        return self.key == OWED


def _search_plan(config: Config, loaded: Loaded, snapshot, last: Stamps | None,
                 digests: dict[str, str], index: bool) -> SearchPlan:
    """Index again only when what the index holds changed; with ``index`` False
    (serve, until the page has reloaded), mark it as owed instead."""
    key, before = (last.steps.get("search", (None, ())) if last else (None, ()))
    if not config.search:
        return SearchPlan(None, before, False)
    if loaded.site is None and key != OWED:  # the site is as it was: so is the index
        return SearchPlan(key, before, False)
    fresh = search_key(loaded.site or snapshot().site, digests, config.base_path)
    if fresh == key:
        return SearchPlan(key, before, False)
    return SearchPlan(fresh, before, True) if index else SearchPlan(OWED, before, False)


OWED = "owed"  # the search key of an index a build left for the next one to make


def _parse_changed(sources: list[SourceFile], last: Stamps | None, config: Config,
                   cache_path: Path, progress: Progress) -> dict:
    """The sources whose stamp differs from the last build's, parsed."""
    before = last.sources if last else {}
    changed = [s for s in sources if before.get(s.rel_path, (None,))[0] != s.stamp]
    parsed = tracked(progress, "parse", len(changed),
                     partial(parse_sources, changed, config, cache_path))
    return {p.source: p for p in parsed}


def _plan(config: Config, loaded: Loaded | None, related: Related, last: Stamps | None,
          snapshot, templates: dict[str, str], damaged: set[str], files: list,
          now: dt.datetime, photos: Photos) -> Plan:
    """The pages whose key may have changed, and the files: every page on a
    first build or when the breaking bar changed; else the pages that read a
    changed article or entry of the relations, were planned with another
    identity (or, when the relations changed, have none), use a changed
    template, were damaged, or are new."""
    photographs = photo_digests(photos)
    if (loaded is None and templates == last.templates and not damaged & last.pages
            and now.timestamp() < last.clock_until and photographs == last.photos):
        return Plan(files, last.pages, None, last.clock_until, last.bar, None, needs_site=False)
    site = loaded.site if loaded else snapshot().site
    pages = plan_outputs(site, config, now, photos)
    until = min(news_until(site, now) if any(p.clocked for p in pages) else float("inf"),
                breaking_until(site, now))
    bar = digest_of(bar_view(site, now))
    _refuse_collisions([*pages, *files])
    planned = frozenset(p.output_path for p in pages)
    if last is None or bar != last.bar:  # the bar: every page
        return Plan([*pages, *files], planned, None, until, bar, _identities(pages))
    moved = related.changed is EVERYTHING  # articles came, went, or changed their relations
    changed = relations_changed(snapshot().site, site) if moved else set(related.changed)
    changed |= showing(site, changed_photos(photographs, last.photos))
    reads = snapshot().reads
    before = snapshot().identities if moved else {}
    stale = {name for name, digest in templates.items() if last.templates.get(name) != digest}
    identities = _identities(pages, before) if moved else {}
    todo = [p for p in pages if p.clocked or p.template in stale or p.output_path in damaged
            or p.output_path not in last.keys
            or (moved and (p.identity is None or identities[p.output_path] is not
                           before.get(p.output_path)))
            or _reads_changed(reads.get(p.output_path), changed)]
    kept = {path: read for path, read in reads.items() if path in planned}
    return Plan([*todo, *files], planned, kept, until, bar, identities if moved else None)


def _reads_changed(read: tuple | None, changed: set) -> bool:
    """Whether a page read an entry that changed; one that read nothing
    known, whether anything changed."""
    return bool(changed) and (read is None or not changed.isdisjoint(read))


def _identities(pages: list[Page], before: dict[str, tuple] | None = None
                ) -> dict[str, tuple]:
    """Each page's ``Page.identity``, of those planned apart; the one in
    ``before`` (the last build's) where the two are equal, so that one that
    did not change is the very object kept."""
    before = before or {}
    missing = object()
    return {p.output_path: old if (old := before.get(p.output_path, missing)) == p.identity
            else p.identity for p in pages if p.identity is not None}


def _make(config: Config, outputs: list[Output], maker: Maker, expected: set[str],
          gone: list[str] | None, search: SearchPlan, progress: Progress):
    """Make the outputs into the spare, index it, and swap it in: (made, written,
    removed, search). ``gone``: what the last build made that nothing makes
    now (None: unknown, remove whatever is not ``expected``)."""
    staging = maker.staging
    try:
        made = tracked(progress, "make", len(outputs), lambda done: map_in_order(
            partial(make_outputs, maker=maker), outputs, done=done))
        changed = [m.output_path for m in made if m.staged]
        if search.redo:
            files = tuple(write_index(staging.spare, maker.site, maker.digests, maker.bodies,
                                      config.base_path))
            search = replace(search, files=files)
            changed += files
            expected = expected | set(files)
            gone = None if gone is None else sorted(set(gone) | set(search.stale))
            progress("index", 0, 0)
        written, _, removed = publish(staging, expected, changed, gone)
        progress("publish", 0, 0)
    except BaseException as exc:
        abandon(staging)
        if isinstance(exc, OSError):
            raise _cannot_write(config, exc) from None
        raise
    finally:
        close_readers()
    return made, written, removed, search


def _counts(site, last: Stamps | None) -> tuple[int, int]:
    """(articles, topics) of the site; a build that did not read it has the last build's."""
    return (len(site.articles), len(site.topics)) if site is not None else last.counts


def _kept_keys(last: Stamps | None, gone, removed, made) -> tuple[dict, dict]:
    """Each output's key and stamp: the last build's, but for what was made or removed."""
    gone, removed = set(gone), set(removed)
    keys = {k: v for k, v in last.keys.items() if k not in gone} if last else {}
    keys.update((m.output_path, m.key) for m in made)
    stamps = {k: v for k, v in last.outputs.items() if k not in removed} if last else {}
    stamps.update((m.output_path, m.stamp) for m in made if m.stamp)
    return keys, stamps


def _remember(cache: Cache, same: bool, state: Stamps, related: Related, plan: Plan,
              made, digests: set[str], loaded: Loaded, snapshot, compiled: Compiled) -> None:
    """Save what the next build needs to know: the stamps, the snapshot when
    the site, its parse results or the pages' reads changed, and templates
    compiled or read anew."""
    records: dict[str, object] = {} if same else {"stamps": state}
    if compiled.code_added:
        records[COMPILED] = compiled.code_kept()
    reads = dict(plan.reads or {})
    entries: dict = {}
    reads.update((m.output_path, _shared(m.reads, entries)) for m in made if m.reads is not None)
    identities = plan.identities
    if related.parsed is not None and not related.snapshot_kept:
        records[SNAPSHOT] = snapshot_record(snapshot_of(
            related.parsed, loaded.site, reads,
            snapshot().identities if identities is None else identities))
    elif reads != (plan.reads or {}) or identities is not None:
        records[SNAPSHOT] = snapshot_record(replace(
            snapshot(), reads=reads, **({} if identities is None else {"identities": identities})))
    if records:
        save(cache.connection, records, digests if related.changed is EVERYTHING else None)


def _shared(read: frozenset, entries: dict) -> tuple:
    """``read`` as the snapshot keeps it: a tuple, in order (read back in half
    the time of a set), each entry that equals one seen before the same
    object, so that it is stored once (a cold build's pages read 250,000
    entries at 10,000 articles, most of them the same few thousand)."""
    return tuple(sorted([entries.setdefault(entry, entry) for entry in read], key=_in_order))


def _in_order(entry: str | tuple[str, ...]) -> tuple:
    """Read entries in one order: slugs, then entries of the relations."""
    return (0, entry) if isinstance(entry, str) else (1, *entry)


def _work(fresh: dict, related: Related, made: list[Made], search: SearchPlan) -> dict:
    """What the build redid, phase by phase: what tests of the shortcuts look at."""
    return {"parsed": len(fresh), "related": related.changed is EVERYTHING,
            "patched": related.loaded is not None and related.changed is not EVERYTHING,
            "keyed": sum(1 for m in made if m.reads is not None), "indexed": search.redo,
            **({"index_owed": True} if search.owed else {})}


def _digests(sources: list[SourceFile], fresh: dict, last: Stamps | None) -> dict[str, str]:
    before = last.sources if last else {}
    return {s.rel_path: fresh[s.rel_path].digest if s.rel_path in fresh
            else before[s.rel_path][1] for s in sources}


def _staging(config: Config, output: Path):
    try:
        return open_staging(output, config.root / CACHE_DIR / SPARE_DIR)
    except OSError as exc:
        raise _cannot_write(config, exc) from None


def _found(config: Config, now_ns: int, progress: Progress):
    """The content folders walked: articles, every file to copy (photographs
    as their derived files), what the walks reported, and the photographs."""
    found = discover(config.root, config.content_dirs)
    problems = list(found.problems)
    files = _files(config, found.assets, now_ns, problems)
    files, photos, unreadable = process_photos(files, config.root / CACHE_DIR, progress)
    return found, files + list(photos.outputs), tuple(sorted(problems + unreadable)), photos


def _with_images(loaded: Loaded, photos: Photos, files: list) -> Loaded:
    """The problems of the articles' images added to the site's."""
    found = image_problems(loaded.site, photos, {f.output_path for f in files})
    if not found:
        return loaded
    return replace(loaded, problems=tuple(sorted(loaded.problems + tuple(found))))


def _settled_source(source: SourceFile, now_ns: int) -> SourceFile:
    """``source`` with its stamp ``settled``: itself, unless it changed too recently."""
    stamp = settled(source.stamp, now_ns)
    return source if stamp == source.stamp else replace(source, stamp=stamp)


def _cannot_write(config: Config, exc: OSError) -> WarraqError:
    """A full disk, a read-only folder, …: one line; the previous site stays as it was."""
    reason = exc.strerror or str(exc)
    return WarraqError([error(config.output_dir, 0, f"cannot write the site ({reason}); "
                              "the previous site is left as it was")], exit_code=2)


def _files(config: Config, beside: list[SourceFile], now_ns: int,
           problems: list[Problem]) -> list[Copy | Empty]:
    """Static files, files that sit beside the content, and .nojekyll."""
    found: list[Copy | Empty] = [Empty(".nojekyll")]
    for abs_path, rel_path, stamp in layered_files(theme_of(config).static, problems,
                                                   config.static_dir.rstrip("/") + "/"):
        found.append(Copy("static/" + rel_path, abs_path, settled(stamp, now_ns),
                          _shown(abs_path, config)))
    for source in beside:
        found.append(Copy(source.rel_path, source.abs_path, settled(source.stamp, now_ns),
                          _shown(source.abs_path, config)))
    return found


def _shown(abs_path: str, config: Config) -> str:
    """A file as messages name it: under the project, else as it is."""
    path = Path(abs_path)
    return path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) \
        else str(path)


def _refuse_collisions(outputs: list[Output]) -> None:
    """Two files wanting one path is an error naming both."""
    origin: dict[str, str] = {}
    for output in outputs:
        if output.output_path in origin:
            raise WarraqError([error(output.shown_as, 1, f"'{output.output_path}' in the site "
                                     f"is also produced by {origin[output.output_path]}")])
        origin[output.output_path] = output.shown_as
