"""render_page: one Jinja2 environment (StrictUndefined, autoescape) per build.

Templates get a view dict, the site's fixed fields, and these helpers:
``url()`` (the only way a link or asset is written, so the base path is
honoured everywhere), ``isolate`` (Latin and number runs in <bdi>),
``long_date``, ``published()``, ``dateline()`` and the other helpers of
``render_dates`` (every date, count and page number written one way),
``t()`` (interface words from ``words.toml``), and for the <head>
``absolute()``, ``og_locale()``, the JSON-LD builders of ``seo`` and the
``json_ld`` filter.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import quote, urljoin

import jinja2
from jinja2 import meta, nodes
from markupsafe import Markup, escape

from .compiled import Compiled
from .config import Config
from .errors import WarraqError, error
from . import seo
from .models import PageSpec
from .render_dates import date_helpers
from .render_photos import with_photo_files, with_pictures
from .text import direction_of
from .theme import ThemeLoader, theme_of
from .words import WORDS_FILE, load_words, translator

_LATIN_OR_DIGIT = "0-9A-Za-z\u00c0-\u024f"
_TRAILING = ".,:'’\\-&+/"  # inside a run, never at its end
# A run: a Latin letter or digit, then more of them, "%", or the joiners in
# _TRAILING, or single spaces, as long as a letter, digit or "%" comes after.
_RUN = re.compile(rf"([{_LATIN_OR_DIGIT}](?:[{_TRAILING}]*[{_LATIN_OR_DIGIT}%]"
                  rf"|[{_TRAILING}]*\s(?=[{_LATIN_OR_DIGIT}]))*)")


_KEPT_AS_GIVEN = re.compile(r"(?:https?://|mailto:|tel:|#)", re.IGNORECASE)


@lru_cache(maxsize=262_144)
def url_for(base_path: str, path: str) -> str:
    """Site-relative ``path`` to a URL under the base path, percent-encoded.
    Only web, mail and phone links and fragments pass as they are: anything
    else, "javascript:…" included, is taken as a path inside the site."""
    if _KEPT_AS_GIVEN.match(path):
        return path
    return quote(base_path + path.lstrip("/"), safe="/#?=&%-._~")


@lru_cache(maxsize=65_536)
def absolute_url(site_url: str, base_path: str, path: str) -> str:
    """``path`` for a canonical link, a card or JSON-LD: under the site's
    absolute URL when it has one, else as ``url_for`` writes it."""
    if not site_url or _KEPT_AS_GIVEN.match(path):
        return url_for(base_path, path)
    return quote(site_url, safe="/:%-._~!$&()*+,;=@") + url_for("/", path)[1:]


_URL_CHARS = "/:?#[]@!$&'()*+,;=%-._~"  # kept as they are in a body link: all but spaces, non-ASCII
_LINK = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def absolute_links(body_html: str, site_url: str, base_path: str, page: str) -> Markup:
    """Trusted body HTML with every href and src absolute, for feed readers,
    which know no base: "/x" under the site's URL, "x" and "#x" against the
    article's own absolute URL ``page``."""
    def absolute_one(found: re.Match) -> str:
        target = html.unescape(found[2])
        if target.startswith("/") and not target.startswith("//"):
            target = absolute_url(site_url, base_path, target.lstrip("/"))
        else:
            target = urljoin(page, quote(target, safe=_URL_CHARS))
        return f"{found[1]}{escape(target)}{found[3]}"
    return Markup(_LINK.sub(absolute_one, body_html))


def isolate(text: str) -> Markup:
    """Escape ``text`` and wrap each Latin or number run in <bdi>, so a
    headline that starts with "1.5 مليون" or "UNICEF" still reads right to left.
    Headlines recur on many pages and are remembered; paragraphs are not."""
    return _isolate_short(text) if len(text) <= SHORT_TEXT else _isolate(text)


SHORT_TEXT = 300


@lru_cache(maxsize=131_072)
def _isolate_short(text: str) -> Markup:
    return _isolate(text)


_ANY_RUN_START = re.compile(f"[{_LATIN_OR_DIGIT}]")  # every run begins with one


def _isolate(text: str) -> Markup:
    if _ANY_RUN_START.search(text) is None:  # most Arabic paragraphs: nothing to isolate
        return escape(text)
    parts = _RUN.split(text)  # text, run, text, run, …, text
    parts[0::2] = map(escape, parts[0::2])
    parts[1::2] = [f"<bdi>{escape(run)}</bdi>" for run in parts[1::2]]
    return Markup("".join(parts))


_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def rebase(html: str, base_path: str) -> Markup:
    """Trusted body HTML with its site-root links put under the base path."""
    if base_path != "/":
        prefix = str(escape(base_path))  # validated by the config too
        html = _ROOT_RELATIVE.sub(lambda m: m[1] + prefix, html)
    return Markup(html)


class HelperContext(jinja2.runtime.Context):
    """Calls Warraq's own helpers straight away. Jinja2 first asks every callable
    whether it wants the context passed in: a page makes dozens of such calls."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja2's signature)
        if __self.environment.plain_helpers.get(id(__obj)) is __obj:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            return __obj(*args, **kwargs)
        return super().call(__obj, *args, **kwargs)


class ViewEnvironment(jinja2.Environment):
    """Views are plain dicts, so ``page.title`` looks the key up first; Jinja2's
    default tries the attribute first and pays for an exception every time."""

    context_class = HelperContext
    plain_helpers: dict = {}  # id -> global that takes no context (any callable may be unhashable)

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def make_environment(config: Config, compiled: Compiled | None = None) -> jinja2.Environment:
    """The templates' environment; ``compiled``: what earlier builds kept of them."""
    env = ViewEnvironment(
        bytecode_cache=compiled or Compiled(),
        loader=ThemeLoader(theme_of(config).templates),  # the site's, then the defaults
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False)  # one environment per build: templates do not change under it
    base_path = config.base_path
    site_lang = config.lang
    env.globals["csp"] = content_security_policy(env)
    # the search page alone runs Pagefind's WebAssembly
    env.globals["search_csp"] = Markup(str(env.globals["csp"]).replace(
        "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1))
    env.globals["site"] = {
        "title": config.title, "description": config.description,
        "lang": config.lang, "dir": direction_of(config.lang),
        "url": config.address, "og_locale": seo.og_locale(config.lang),
        "theme_color": config.theme_color, "favicon": config.favicon,
        "logo": config.logo or config.favicon, "search": config.search,
        "feeds": bool(config.address),
    }
    env.filters["isolate"] = isolate
    env.filters["rebase"] = lambda html, pictures=None: rebase(
        with_pictures(html, pictures or {}, lambda path: url_for(base_path, path)), base_path)
    env.filters["json_ld"] = seo.json_ld
    env.filters["srcset"] = lambda pairs: ", ".join(  # (site-relative path, width) pairs
        f"{url_for(base_path, path)} {width}w" for path, width in pairs)
    env.filters["photos_in_feed"] = with_photo_files
    env.filters["absolute_links"] = lambda body, page: absolute_links(
        body, config.address, base_path, page)
    words = translator(load_words(*env.loader.folders), site_lang)
    helpers = date_helpers(config, words)
    env.filters["digits"] = helpers.pop("digits")
    env.filters["long_date"] = helpers.pop("long_date")
    _add_helpers(env, {
        **helpers,
        "url": lambda path: url_for(base_path, path),
        "t": words,
        "fragment": _fragment_cache(env),
        "absolute": lambda path: absolute_url(env.globals["site"]["url"], base_path, path),
        "og_locale": seo.og_locale, "website_ld": seo.website_ld,
        "collection_page_ld": seo.collection_page_ld,
        "news_article_ld": seo.news_article_ld, "breadcrumbs_ld": seo.breadcrumbs_ld,
        "profile_page_ld": seo.profile_page_ld,
    })
    return env


def _add_helpers(env: ViewEnvironment, helpers: dict) -> None:
    """Make ``helpers`` globals that templates call, and known to HelperContext."""
    env.globals.update(helpers)
    env.plain_helpers = {id(helper): helper for helper in helpers.values()}


def _fragment_cache(env: jinja2.Environment):
    """fragment(template, macro, *args): the macro's output, rendered once per
    distinct arguments. An article's card looks the same on every page that
    lists it; a macro used this way must depend on its arguments alone."""
    rendered: dict = {}
    frozen: dict[int, tuple] = {}  # id -> (argument, its frozen form): views recur

    def frozen_once(value):
        if not isinstance(value, (dict, list)):
            return _frozen(value)
        found = frozen.get(id(value))
        if found is None:  # the value is held below, so no other object can take its id
            found = frozen[id(value)] = (value, _frozen(value))
        return found[1]

    def fragment(template: str, macro: str, *args):
        key = (template, macro, *map(frozen_once, args))
        found = rendered.get(key)
        if found is None:
            found = rendered[key] = getattr(env.get_template(template).module, macro)(*args)
        return found

    return fragment


def _frozen(value):
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>",
                            re.IGNORECASE | re.DOTALL)
CSP = ("default-src 'self'; script-src 'self'{scripts}; style-src 'self'; "
       "img-src 'self' https:; media-src 'self' https:; font-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'")
# A JSON-LD block is data that no browser runs, so a template may fill it; only
# this exact opening tag counts as one, anything else keeps the rule below.
_DATA_BLOCK = '<script type="application/ld+json">'


def content_security_policy(env: jinja2.Environment) -> Markup:
    """The policy every page carries: scripts and styles only from the site's
    own files, plus the inline scripts written in the templates themselves,
    allowed by their hash. Nothing that content smuggles in can run: it is
    escaped, and no hash would match it. JSON-LD blocks are not scripts."""
    hashes = []
    for name in sorted(env.list_templates(extensions=["html"])):
        source = env.loader.get_source(env, name)[0]
        for found in _INLINE_SCRIPT.finditer(source):
            if found[0].startswith(_DATA_BLOCK):
                continue
            if any(mark in found[1] for mark in ("{{", "{%", "{#")):
                line = source.count("\n", 0, found.start()) + 1
                raise WarraqError([error(f"templates/{name}", line, "template: an inline "
                                         "<script> must be plain text, so that its hash can "
                                         "go into the Content-Security-Policy; pass values "
                                         "in data- attributes")], exit_code=2)
            digest = hashlib.sha256(found[1].encode("utf-8")).digest()
            hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return Markup(CSP.format(scripts="".join(" " + h for h in dict.fromkeys(hashes))))


def template_names(env: jinja2.Environment) -> list[str]:
    """Every template, whatever its extension; not the words, not hidden or backup files."""
    return [name for name in env.list_templates() if name != WORDS_FILE
            and not name.rsplit("/", 1)[-1].startswith(".") and not name.endswith("~")]


def template_digests(env: jinja2.Environment) -> dict[str, str]:
    """Per template, a digest of it and of every template it extends, includes or
    imports, so a page is re-rendered exactly when one of them changes."""
    sources = {name: env.loader.get_source(env, name)[0] for name in template_names(env)}
    compiled = env.bytecode_cache
    uses = {name: compiled.references(name, text, partial(_referenced, env))
            for name, text in sources.items()}
    words = env.loader.get_source(env, WORDS_FILE)[0]  # every page uses the words
    digests = {}
    for name in sources:
        closure, pending = set(), [name]
        while pending:
            current = pending.pop()
            if current not in closure:
                closure.add(current)
                used = uses.get(current, set())
                pending += sources if used is None else used  # dynamic use: all of them
        digest = hashlib.blake2b(words.encode("utf-8"), digest_size=16)
        for used in sorted(closure & sources.keys()):
            digest.update(f"{used}\0{sources[used]}\0".encode("utf-8"))
        digests[name] = digest.hexdigest()
    return digests


def _referenced(env: jinja2.Environment, name: str, text: str) -> set[str] | None:
    """The templates ``name`` uses (extends, includes, imports, fragment() calls);
    None when one is named only at render time."""
    try:
        tree = env.parse(text, name)
    except jinja2.TemplateSyntaxError as exc:
        raise WarraqError([error(f"templates/{name}", exc.lineno or 1,
                                 f"template: {exc.message}")], exit_code=2) from None
    found = set(meta.find_referenced_templates(tree))
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "fragment":
            first = call.args[0] if call.args else None
            found.add(first.value if isinstance(first, nodes.Const) else None)
    return None if None in found else found


def render_page(env: jinja2.Environment, page: PageSpec) -> str:
    """The HTML of one page; template problems become a WarraqError (exit 2)."""
    try:
        return env.get_template(page.template).render(page=page.view, page_url=page.url)
    except jinja2.TemplateSyntaxError as exc:
        where = (f"templates/{exc.name or page.template}", exc.lineno or 1)
        raise WarraqError([error(*where, f"template: {exc.message}")], exit_code=2) from None
    except (jinja2.TemplateError, ValueError, LookupError, TypeError) as exc:
        where = _template_frame(exc, env, page.template)
        raise WarraqError([error(*where, f"template: {exc}")], exit_code=2) from None


def _template_frame(exc: Exception, env: jinja2.Environment, fallback: str) -> tuple[str, int]:
    """The innermost template (partials included) the error passed through."""
    roots = [Path(p) for p in getattr(env.loader, "searchpath", [])]
    where = (f"templates/{fallback}", 1)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(Path(filename).is_relative_to(root) for root in roots):
            where = (f"templates/{_relative_to_any(Path(filename), roots)}", tb.tb_lineno)
        tb = tb.tb_next
    return where


def _relative_to_any(path: Path, roots: list[Path]) -> str:
    for root in roots:
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return path.name
