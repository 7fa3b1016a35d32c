"""build: the pipeline from content folders to a written site, top to bottom.

discover_sources -> read_source -> to_article -> build_site -> plan_pages
-> render_page -> write_outputs. Every file is read and every problem is
collected before anything is written; without keep_going any error stops
the build with the previous output untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .articles import to_article
from .config import Config
from .errors import Problem, WarraqError, error
from .models import Article, BuildReport, PageSpec, Site
from .readers import READERS, discover_sources, is_hidden, read_source
from .render import make_environment, render_page
from .site import build_site
from .topics import compile_topics
from .views import plan_pages
from .writer import write_outputs


@dataclass(frozen=True)
class Loaded:
    site: Site
    problems: tuple[Problem, ...]  # errors and warnings, sorted
    skipped: tuple[str, ...]  # sources left out because of errors
    drafts: tuple[str, ...]


def load_site(config: Config) -> Loaded:
    """Read every source and relate them; collects problems, raises nothing."""
    dictionary = compile_topics(config.topics)
    articles: list[Article] = []
    problems: list[Problem] = []
    skipped, drafts = [], []
    for source in discover_sources(config.root, config.content_dirs):
        try:
            raw = read_source(source.rel_path, source.abs_path.read_bytes())
            article, warnings = to_article(raw, config, dictionary)
        except WarraqError as exc:
            problems += exc.problems
            skipped.append(source.rel_path)
            continue
        problems += warnings
        if raw.draft:
            drafts.append(source.rel_path)
        else:
            articles.append(article)
    site = build_site(articles, config)
    problems += site.problems
    return Loaded(site, tuple(sorted(problems)), tuple(skipped), tuple(drafts))


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
    pages = plan_pages(loaded.site, config)
    written, unchanged, removed = write_outputs(
        config.abs(config.output_dir), _outputs(env, pages, config))
    return BuildReport(tuple(written), unchanged, tuple(removed), loaded.problems,
                       loaded.skipped)


def _outputs(env, pages: list[PageSpec], config: Config) -> Iterator[tuple[str, bytes]]:
    """Every output file, once; two sources wanting one path is a content error."""
    origin: dict[str, str] = {}
    for source, rel_path, read in _planned(env, pages, config):
        if rel_path in origin:
            raise WarraqError([error(source, 1, f"'{rel_path}' in the site is also "
                                                f"produced by {origin[rel_path]}")])
        origin[rel_path] = source
        yield rel_path, read()


def _planned(env, pages: list[PageSpec], config: Config):
    """(source, output path, producer) for pages, static files and content assets."""
    for page in pages:
        yield (f"the page {page.url or '/'}", page.output_path,
               lambda page=page: render_page(env, page).encode("utf-8"))
    yield "warraq", ".nojekyll", lambda: b""
    for folder, prefix, skip in ((config.static_dir, "static/", False),
                                 *((d, "", True) for d in config.content_dirs)):
        base = config.abs(folder)
        for path in _asset_files(base, skip_articles=skip):
            yield (path.relative_to(config.root).as_posix(),
                   prefix + path.relative_to(base).as_posix(), path.read_bytes)


def _asset_files(base: Path, *, skip_articles: bool) -> list[Path]:
    """Static files, and images or files that sit beside the content."""
    if not base.is_dir():
        return []
    return [path for path in sorted(base.rglob("*"))
            if path.is_file() and not is_hidden(path, base)
            and not (skip_articles and path.suffix.lower() in READERS)]
