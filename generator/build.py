"""build: the pipeline from content folders to a written site, top to bottom.

discover_sources -> read_source -> to_article -> build_site -> plan_pages
-> render_page -> write_outputs. Every file is read and every problem is
collected before anything is written; without keep_going any error stops
the build with the previous output untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

from .articles import to_article
from .config import Config
from .errors import Problem, WarraqError, error
from .models import Article, BuildReport, PageSpec, Site, SourceFile
from .parallel import map_strided
from .readers import READERS, discover_sources, is_hidden, read_source
from .render import make_environment, render_page
from .site import build_site
from .topics import compile_topics
from .views import plan_pages
from .writer import commit, discard, open_staging, stage


@dataclass(frozen=True)
class Loaded:
    site: Site
    problems: tuple[Problem, ...]  # errors and warnings, sorted
    skipped: tuple[str, ...]  # sources left out because of errors
    drafts: tuple[str, ...]


@dataclass(frozen=True)
class Parsed:
    """One source after reading: its article (None when it has errors)."""

    source: str
    article: Article | None
    problems: tuple[Problem, ...]
    draft: bool = False


def load_site(config: Config) -> Loaded:
    """Read every source and relate them; collects problems, raises nothing."""
    sources = discover_sources(config.root, config.content_dirs)
    parsed = [p for chunk in map_strided(partial(_parse_all, config=config), sources)
              for p in chunk]
    articles = [p.article for p in parsed if p.article and not p.draft]
    problems = [problem for p in parsed for problem in p.problems]
    skipped = sorted(p.source for p in parsed if p.article is None)
    drafts = sorted(p.source for p in parsed if p.draft)
    site = build_site(articles, config)
    problems += site.problems
    return Loaded(site, tuple(sorted(problems)), tuple(skipped), tuple(drafts))


def _parse_all(sources: list[SourceFile], config: Config) -> list[Parsed]:
    dictionary = compile_topics(config.topics)
    return [parse_source(source, config, dictionary) for source in sources]


def parse_source(source: SourceFile, config: Config, dictionary) -> Parsed:
    try:
        raw = read_source(source.rel_path, source.abs_path.read_bytes())
        article, warnings = to_article(raw, config, dictionary)
    except WarraqError as exc:
        return Parsed(source.rel_path, None, exc.problems)
    return Parsed(source.rel_path, article, tuple(warnings), raw.draft)


def check(config: Config) -> Loaded:
    """Parse and resolve everything, write nothing; raise on any error."""
    loaded = load_site(config)
    if any(p.is_error for p in loaded.problems):
        raise WarraqError(loaded.problems)
    return loaded


def build(config: Config, *, keep_going: bool = False) -> BuildReport:
    """Build the site into the output folder; raise WarraqError on errors
    unless ``keep_going``, in which case bad files are skipped and reported."""
    loaded = load_site(config) if keep_going else check(config)
    env = make_environment(config)
    planned = _planned(env, plan_pages(loaded.site, config), config)
    output = config.abs(config.output_dir)
    staging = open_staging(output)
    try:
        changed = [path for chunk in map_strided(
            partial(_stage_planned, output=output, staging=staging), planned)
            for path in chunk]
    except BaseException:
        discard(staging)
        raise
    written, unchanged, removed = commit(output, staging, {p[1] for p in planned}, changed)
    return BuildReport(tuple(written), unchanged, tuple(removed), loaded.problems,
                       loaded.skipped)


Planned = tuple[str, str, Callable[[], bytes]]  # source, output path, producer


def _stage_planned(planned: list[Planned], output: Path, staging: Path) -> list[str]:
    return stage(output, staging, ((rel_path, produce()) for _, rel_path, produce in planned))


def _planned(env, pages: list[PageSpec], config: Config) -> list[Planned]:
    """Pages, static files and content assets; two wanting one path is an error."""
    planned: list[Planned] = [
        (f"the page {page.url or '/'}", page.output_path,
         partial(_render_bytes, env, page)) for page in pages]
    planned.append(("warraq", ".nojekyll", bytes))
    for folder, prefix, skip in ((config.static_dir, "static/", False),
                                 *((d, "", True) for d in config.content_dirs)):
        base = config.abs(folder)
        for path in _asset_files(base, skip_articles=skip):
            planned.append((path.relative_to(config.root).as_posix(),
                            prefix + path.relative_to(base).as_posix(), path.read_bytes))
    origin: dict[str, str] = {}
    for source, rel_path, _ in planned:
        if rel_path in origin:
            raise WarraqError([error(source, 1, f"'{rel_path}' in the site is also "
                                                f"produced by {origin[rel_path]}")])
        origin[rel_path] = source
    return planned


def _render_bytes(env, page: PageSpec) -> bytes:
    return render_page(env, page).encode("utf-8")


def _asset_files(base: Path, *, skip_articles: bool) -> list[Path]:
    """Static files, and images or files that sit beside the content."""
    if not base.is_dir():
        return []
    return [path for path in sorted(base.rglob("*"))
            if path.is_file() and not is_hidden(path, base)
            and not (skip_articles and path.suffix.lower() in READERS)]
