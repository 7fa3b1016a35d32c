"""build: the pipeline from content folders to a written site, top to bottom.

discover -> read_source -> to_article -> build_site -> plan_pages
-> render_page -> write_outputs. Every file is read and every problem is
collected before anything is written; without keep_going any error stops
the build with the previous output untouched.

A build with a cache from the last one (see ``incremental``) parses only
sources whose bytes changed, renders only pages whose key changed, and
writes only bytes that changed; its output is the same as a cold build's.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from .articles import parse_file
from .cache import (CACHE_DIR, Cache, body_row, close_cache, close_readers, load_record,
                    open_cache, save, store_bodies)
from .config import Config
from .errors import Problem, WarraqError, error
from .guard import build_lock, content_folders, output_folder
from .incremental import (Snapshot, Stamps, damaged_outputs, patched_snapshot,
                          plan_body_edits, settled, snapshot_of, without_body)
from .models import BuildReport, Parsed, Site, SourceFile
from .outputs import Context, Job, empty_job, file_job, page_job, run_jobs
from .parallel import map_in_order
from .readers import Discovered, discover, walk_files
from .readers.prefetch import prefetched
from .render import make_environment, template_digests
from .site import build_site
from .topics import compile_topics
from .views import article_plan, page_plans
from .writer import abandon, open_staging, publish

BODY_EDITS_AT_MOST = 50  # more changed sources than this: relate everything afresh
SPARE_DIR = "spare"  # in the cache: where the next site is assembled


@dataclass(frozen=True)
class Loaded:
    site: Site
    problems: tuple[Problem, ...]  # errors and warnings, sorted
    skipped: tuple[str, ...]  # sources left out because of errors
    drafts: tuple[str, ...]


@dataclass(frozen=True)
class Inputs:
    sources: list[SourceFile]
    files: list[Job]  # static files, files beside the content, .nojekyll
    templates: dict[str, str]
    found: tuple[Problem, ...]  # what walking the folders reported


def load_site(config: Config) -> Loaded:
    """Read every source and relate them, bodies kept, without a cache; raises nothing."""
    found = discover(config.root, config.content_dirs)
    return relate(config, parse_sources(found.articles, config, None), tuple(found.problems))


def relate(config: Config, parsed: list[Parsed], found: tuple[Problem, ...] = ()) -> Loaded:
    articles = [p.article for p in parsed if p.article and not p.draft]
    skipped = sorted(p.source for p in parsed if p.article is None)
    drafts = sorted(p.source for p in parsed if p.draft)
    site = build_site(articles, config)
    return Loaded(site, all_problems(parsed, site, found), tuple(skipped), tuple(drafts))


def all_problems(parsed, site: Site, found: tuple[Problem, ...]) -> tuple[Problem, ...]:
    """Every problem of the folders, of the sources and of relating them, sorted."""
    return tuple(sorted([problem for p in parsed for problem in p.problems]
                        + list(site.problems) + list(found)))


def parse_sources(sources: list[SourceFile], config: Config,
                  cache_path: Path | None) -> list[Parsed]:
    """Parse results in source order. With a cache, the workers store each
    article's body there and hand back the article without it."""
    with prefetched([source.abs_path for source in sources]):
        return map_in_order(partial(_parse_all, config=config, cache_path=cache_path), sources)


def _parse_all(sources: list[SourceFile], config: Config,
               cache_path: Path | None) -> list[Parsed]:
    dictionary = compile_topics(config.topics)
    results, rows = [], []
    for source in sources:
        parsed = parse_file(source.rel_path, source.abs_path, config, dictionary)
        if cache_path:
            rows.append(body_row(parsed))
            parsed = without_body(parsed)
        results.append(parsed)
    if rows:
        store_bodies(cache_path, rows)
    return results


def check(config: Config) -> Loaded:
    """Parse and resolve everything, plan every output, write nothing; raise on
    any error, two files wanting one place in the site among them."""
    content_folders(config)
    found, files, problems = _found(config, time.time_ns())
    loaded = relate(config, parse_sources(found.articles, config, None), problems)
    _checked(loaded, keep_going=False)
    _refuse_collisions([page_job(plan, loaded.site) for plan in page_plans(loaded.site, config)]
                       + files)
    return loaded


def _found(config: Config, now_ns: int) -> tuple[Discovered, list[Job], tuple[Problem, ...]]:
    """The content folders walked: articles, every file to copy, what the walks reported."""
    found = discover(config.root, config.content_dirs)
    problems = list(found.problems)
    files = _files(config, found.assets, now_ns, problems)
    return found, files, tuple(sorted(problems))


def _checked(loaded: Loaded, *, keep_going: bool) -> Loaded:
    if not keep_going and any(p.is_error for p in loaded.problems):
        raise WarraqError(loaded.problems)
    return loaded


def build(config: Config, *, keep_going: bool = False) -> BuildReport:
    """Build the site into the output folder; raise WarraqError on errors
    unless ``keep_going``, in which case bad files are skipped and reported."""
    cache_dir = config.root / CACHE_DIR
    content_folders(config)
    output = output_folder(config, cache_dir)  # refused before anything is touched
    collecting = gc.isenabled()
    gc.disable()  # a build makes millions of objects and no garbage cycles worth chasing
    try:
        with build_lock(cache_dir):
            cache = open_cache(config)
            try:
                return _build(config, cache, keep_going, output)
            finally:
                close_cache(cache)
    finally:
        if collecting:
            gc.enable()


def _build(config: Config, cache: Cache, keep_going: bool, output: Path) -> BuildReport:
    env = make_environment(config)
    now_ns = time.time_ns()
    found, files, problems = _found(config, now_ns)
    sources = [_settled_source(source, now_ns) for source in found.articles]
    inputs = Inputs(sources, files, template_digests(env), problems)
    stamps = load_record(cache.connection, "stamps", Stamps) if output.is_dir() else None
    if stamps and stamps.skipped and not keep_going:
        stamps = None  # the errors must be reported and fail the build
    damaged = damaged_outputs(output, stamps) if stamps else set()
    if stamps and not damaged and _unchanged(inputs, stamps):
        return BuildReport((), len(stamps.keys), (), stamps.problems, stamps.skipped)
    snapshot = load_record(cache.connection, "snapshot", Snapshot) if stamps else None
    if snapshot and not damaged:
        report = _build_body_edits(config, env, inputs, cache, stamps, snapshot, output)
        if report:
            return report
    return _build_all(config, env, inputs, cache, stamps, snapshot, damaged, keep_going, output)


def _settled_source(source: SourceFile, now_ns: int) -> SourceFile:
    """``source`` with its stamp ``settled``: itself, unless it changed too recently."""
    stamp = settled(source.stamp, now_ns)
    return source if stamp == source.stamp else replace(source, stamp=stamp)


def _unchanged(inputs: Inputs, stamps: Stamps) -> bool:
    return (inputs.templates == stamps.templates and inputs.found == stamps.found
            and {s.rel_path: s.stamp for s in inputs.sources}
            == {rel: stamp for rel, (stamp, _) in stamps.sources.items()}
            and _same_files(inputs, stamps))


def _same_files(inputs: Inputs, stamps: Stamps) -> bool:
    return all(stamps.keys.get(job.output_path) == job.key for job in inputs.files)


def _build_body_edits(config: Config, env, inputs: Inputs, cache: Cache,
                      stamps: Stamps, snapshot: Snapshot, output: Path) -> BuildReport | None:
    """The same sources, templates and files, a few of them edited in their body."""
    edited = [s for s in inputs.sources if s.rel_path in stamps.sources
              and stamps.sources[s.rel_path][0] != s.stamp]
    if (inputs.templates != stamps.templates or inputs.found != stamps.found
            or len(edited) > BODY_EDITS_AT_MOST
            or {s.rel_path for s in inputs.sources} != stamps.sources.keys()
            or not _same_files(inputs, stamps)):
        return None
    parsed = parse_sources(edited, config, None)
    planned = plan_body_edits(snapshot, parsed, config)
    if planned is None:
        return None
    site, rendered, listings = planned
    store_bodies(cache.path, [body_row(p) for p in parsed])
    patched = patched_snapshot(snapshot, parsed, site)
    problems = all_problems(patched.parsed.values(), site, inputs.found)
    sources = dict(stamps.sources)
    sources.update((s.rel_path, (s.stamp, p.digest)) for s, p in zip(edited, parsed))
    bodies = {patched.slugs[p.source]: p.article for p in parsed}
    jobs = [page_job(plan, site) for plan in
            [article_plan(site, slug, config) for slug in rendered] + listings]
    context = _context(config, env, site, patched, sources, bodies, inputs, stamps.keys, cache,
                       output)
    state = Stamps(sources, inputs.templates, {}, {}, problems, stamps.skipped, inputs.found)
    return _write(context, jobs, stamps, state, None if patched is snapshot else patched,
                  cache, keep=None, complete=False)


def _build_all(config: Config, env, inputs: Inputs, cache: Cache, stamps: Stamps | None,
               snapshot: Snapshot | None, damaged: set[str], keep_going: bool,
               output: Path) -> BuildReport:
    known = snapshot.parsed if snapshot else {}
    same = {s.rel_path for s in inputs.sources if s.rel_path in known
            and stamps.sources.get(s.rel_path, (None,))[0] == s.stamp}
    fresh = iter(parse_sources([s for s in inputs.sources if s.rel_path not in same],
                               config, cache.path))
    parsed = [known[s.rel_path] if s.rel_path in same else next(fresh)
              for s in inputs.sources]
    sources = {s.rel_path: stamps.sources[s.rel_path] if s.rel_path in same
               else (s.stamp, p.digest) for s, p in zip(inputs.sources, parsed)}
    loaded = _checked(relate(config, parsed, inputs.found), keep_going=keep_going)
    site = loaded.site
    snapshot = snapshot_of(parsed, site)
    jobs = [page_job(plan, site) for plan in page_plans(site, config)] + inputs.files
    _refuse_collisions(jobs)
    old_keys = {k: v for k, v in stamps.keys.items() if k not in damaged} if stamps else {}
    context = _context(config, env, site, snapshot, sources, {}, inputs, old_keys, cache, output)
    state = Stamps(sources, inputs.templates, {}, {}, loaded.problems, loaded.skipped,
                   inputs.found)
    previous = stamps and Stamps(stamps.sources, stamps.templates, old_keys, stamps.outputs,
                                 (), ())
    return _write(context, jobs, previous, state, snapshot, cache,
                  keep={digest for _, digest in sources.values()}, complete=True)


def _context(config: Config, env, site: Site, snapshot: Snapshot, sources: dict,
             bodies: dict, inputs: Inputs, old_keys: dict[str, str], cache: Cache,
             output: Path) -> Context:
    digests = {slug: sources[rel][1] for rel, slug in snapshot.slugs.items()}
    try:
        staging = open_staging(output, config.root / CACHE_DIR / SPARE_DIR)
    except OSError as exc:
        raise _cannot_write(config, exc) from None
    return Context(config, env, site, digests, bodies, inputs.templates, old_keys,
                   cache.path, staging)


def _write(context: Context, jobs: list[Job], previous: Stamps | None,
           state: Stamps, snapshot: Snapshot | None, cache: Cache, *,
           keep: set[str] | None, complete: bool) -> BuildReport:
    """Run the jobs, swap in what they staged, prune, and remember it all.
    ``complete``: the jobs are the whole site; ``snapshot`` None: unchanged."""
    staging = context.staging
    try:
        results = map_in_order(partial(run_jobs, context=context), jobs)
        old_keys = previous.keys if previous else {}
        keys = {**({} if complete else old_keys), **{path: key for path, key, _, _ in results}}
        changed = [path for path, _, staged, _ in results if staged]
        gone = sorted(old_keys.keys() - keys.keys()) if previous else None
        written, _, removed = publish(staging, set(keys), changed, gone)
    except BaseException as exc:
        abandon(staging)
        if isinstance(exc, OSError):
            raise _cannot_write(context.config, exc) from None
        raise
    finally:
        close_readers()
    stamps = dict(previous.outputs) if previous else {}
    for rel_path in removed:
        stamps.pop(rel_path, None)
    stamps.update((path, stamp) for path, _, _, stamp in results if stamp)
    state = replace(state, keys=keys, outputs=stamps)
    records = {"stamps": state} if snapshot is None else {"stamps": state, "snapshot": snapshot}
    save(cache.connection, records, keep)
    return BuildReport(tuple(written), len(keys) - len(written), tuple(removed),
                       state.problems, state.skipped)


def _cannot_write(config: Config, exc: OSError) -> WarraqError:
    """A full disk, a read-only folder, …: one line; the previous site stays as it was."""
    reason = exc.strerror or str(exc)
    return WarraqError([error(config.output_dir, 0, f"cannot write the site ({reason}); "
                              "the previous site is left as it was")], exit_code=2)


def _files(config: Config, beside: list[SourceFile], now_ns: int,
           problems: list[Problem]) -> list[Job]:
    """Static files, files that sit beside the content, and .nojekyll."""
    found = [empty_job(".nojekyll")]
    for abs_path, rel_path, stamp in walk_files(config.abs(config.static_dir), problems,
                                                 config.static_dir.rstrip("/") + "/"):
        found.append(file_job("static/" + rel_path, abs_path, settled(stamp, now_ns),
                              _shown(abs_path, config)))
    for source in beside:
        found.append(file_job(source.rel_path, source.abs_path, settled(source.stamp, now_ns),
                              _shown(source.abs_path, config)))
    return found


def _shown(abs_path: str, config: Config) -> str:
    """A file as messages name it: under the project, else as it is."""
    path = Path(abs_path)
    return path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) \
        else str(path)


def _refuse_collisions(jobs: list[Job]) -> None:
    """Two files wanting one path is an error naming both."""
    origin: dict[str, str] = {}
    for job in jobs:
        if job.output_path in origin:
            raise WarraqError([error(job.source, 1, f"'{job.output_path}' in the site is "
                                     f"also produced by {origin[job.output_path]}")])
        origin[job.output_path] = job.source
