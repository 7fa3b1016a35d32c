"""The ``warraq`` command: build, serve, new, check, and ``--version``.

Exit codes: 0 done (with --keep-going: the site was published, any skipped
files listed); 1 content problems (all listed as path:line: message); 2
usage, configuration, template or system errors; 130 and 143 stopped by
SIGINT or SIGTERM. Whatever goes wrong is one line on stderr; ``--debug``
shows the traceback of an unexpected failure as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import signal
import sys
import threading
import tomllib
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Iterator

from .articles import slug_for
from .build import address_warning, build, check
from .moments import build_clock
from .config import CONFIG_NAME, Config, load_config
from .console import NORMAL, Console, build_summary, check_summary
from .console import add_options as add_console_options
from .errors import Problem, WarraqError


class Terminated(BaseException):
    """Raised by the SIGTERM handler, so a stopped build cleans up as for Ctrl-C."""


STOPPED = {KeyboardInterrupt: 130, Terminated: 143}


def main(argv: list[str] | None = None, *, exits: bool = False) -> int:
    """Run the command ``argv`` asks for; ``exits``: the process ends right
    after (see ``run``)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if exits and args.run is not _run_serve:
        gc.disable()  # the build found it off, and leaves it so (see ``run``)
    try:
        with _terminate_cleanly():
            config = _config(args)
            return args.run(args, config)
    except WarraqError as exc:
        console = _console(args)
        console.problems(exc.problems)
        code = exc.exit_code
        if code == 1:
            console.error(f"warraq: {sum(p.is_error for p in exc.problems)} error(s); nothing "
                          "was written (use --keep-going to publish the good articles)")
        return code
    except (KeyboardInterrupt, Terminated) as exc:
        print("warraq: stopped; the site is the previous one or the new one, whole",
              file=sys.stderr)
        return STOPPED[type(exc)]
    except Exception as exc:  # anything else is a bug: one line, the traceback on request
        if args.debug:
            raise
        print(f"warraq: unexpected failure: {type(exc).__name__}: {_short(str(exc))} "
              "(run with --debug for the traceback)", file=sys.stderr)
        return 2


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM raises Terminated while the command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminated(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def run() -> None:
    """The console command: ``main()``, then an exit that leaves the heap as it
    is. A build holds millions of small objects; freeing them one by one and a
    last garbage collection took more than half a second at 10,000 articles,
    and the system reclaims a process's memory at once anyway. For the same
    reason a command that ends (all but serve) never collects garbage: a
    build keeps collection off while it runs, and the first collection after
    it, of every object it made, took 0.1 s at 10,000 articles."""
    code = main(exits=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="warraq", description="Arabic news-site generator")
    parser.add_argument("--config", type=Path, help=f"config file (default ./{CONFIG_NAME})")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an unexpected failure")
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, run, text in (("build", _run_build, "build the site"),
                            ("check", _run_check, "report problems, write nothing"),
                            ("serve", _run_serve, "preview with live reload")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--content", action="append", metavar="DIR",
                         help="content folder (repeatable; default: content and seeds)")
        sub.add_argument("--output", metavar="DIR", help="output folder (default _site)")
        sub.add_argument("--base-url", metavar="URL", help="site URL or base path, e.g. /repo/")
        sub.add_argument("--keep-going", action="store_true",
                         help="skip bad files and publish every good article (exit 0)")
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="show the traceback of an unexpected failure")
        if name == "serve":
            sub.add_argument("--port", type=int, default=8000)
        add_console_options(sub)
        sub.set_defaults(run=run)
    new = commands.add_parser("new", help="start a new Markdown article, a draft dated today")
    new.add_argument("title")
    new.add_argument("--topic", action="append", default=[], metavar="T")
    new.set_defaults(run=_run_new, content=None, output=None, base_url=None)
    imported = commands.add_parser("import", help="turn a WordPress export into articles")
    imported.add_argument("kind", choices=["wordpress"])
    imported.add_argument("export", type=Path, help="the export file (WXR, .xml)")
    imported.add_argument("--into", type=Path, metavar="DIR",
                          help="where the articles go (default: the first content folder)")
    add_console_options(imported)
    imported.set_defaults(run=_run_import, content=None, output=None, base_url=None)
    started = commands.add_parser("init", help="start a new site in DIR (default: here)")
    started.add_argument("dir", type=Path, nargs="?", default=Path("."))
    started.add_argument("--force", action="store_true",
                         help="in a folder with files: add only the missing ones")
    started.set_defaults(run=_run_init, content=None, output=None, base_url=None)
    return parser


class _Version(argparse.Action):
    """``--version``: looks the version up only when asked, not on every command."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"warraq {version()}")
        parser.exit()


def version() -> str:
    """The installed package's version; where it is not installed, pyproject's."""
    from importlib import metadata  # only asked for here
    try:
        return metadata.version("warraq")
    except metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        return str(tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"])
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
        return "unknown"


def _config_path(args: argparse.Namespace) -> Path:
    return args.config or (Path.cwd() / CONFIG_NAME)


def _full_url(base_url: str | None) -> str | None:
    """A --base-url given as a full URL is the site's URL as well."""
    return base_url if base_url and "://" in base_url else None


NO_SITE_NEEDED = ("init",)  # the commands that work outside a site's folder


def _config(args: argparse.Namespace) -> Config:
    path = _config_path(args)
    if args.config and not path.is_file():
        raise WarraqError([Problem(str(path), 1, "config file not found")], exit_code=2)
    if not args.config and not path.is_file() and args.command not in NO_SITE_NEEDED:
        raise WarraqError([Problem("warraq", 0, f"no {CONFIG_NAME} here, so this is not a "
                                   "site's folder; start one with warraq init DIR, or name "
                                   "the file with --config FILE")], exit_code=2)
    try:
        return load_config(path if path.is_file() else None,
                           content_dirs=tuple(args.content) if args.content else None,
                           output_dir=args.output, base_url=args.base_url,
                           site_url=_full_url(args.base_url))
    except WarraqError as exc:
        raise WarraqError(exc.problems, exit_code=2) from None


def _console(args: argparse.Namespace) -> Console:
    """The console at the level the command's --quiet or --verbose asked for
    (see console.add_options); its clock starts now."""
    return Console(getattr(args, "level", NORMAL))


def _run_build(args: argparse.Namespace, config: Config) -> int:
    with _console(args) as console:
        report = build(config, keep_going=args.keep_going, progress=console.progress)
    problems = [*report.problems, *filter(None, [address_warning(config)])]
    console.problems(problems)
    for path in report.written:
        console.detail(f"written: {path}")
    for path in report.removed:
        console.detail(f"removed: {path}")
    console.say(build_summary(report, problems, config.output_dir, console.seconds()))
    if report.skipped:  # published all the same: a deploy step after it must run
        console.error(f"warraq: skipped {len(report.skipped)} file(s) with errors: "
                      + ", ".join(report.skipped))
    return 0


def _run_check(args: argparse.Namespace, config: Config) -> int:
    with _console(args) as console:
        loaded = check(config, progress=console.progress)
    console.problems(loaded.problems)
    for source in loaded.drafts:
        console.say(f"{source}: draft, not published")
    console.say(check_summary(loaded.site, loaded.problems, console.seconds()))
    return 0


def _run_serve(args: argparse.Namespace, config: Config) -> int:
    from .serve import serve
    # each rebuild reads the file again, with the same command-line overrides
    return serve(config, port=args.port, keep_going=args.keep_going,
                 reload=partial(_config, args), config_file=_config_path(args),
                 console=_console(args))


def _run_new(args: argparse.Namespace, config: Config) -> int:
    today = _today()
    folder = config.abs(config.content_dirs[0])
    slug = slug_for(args.title, config)
    path = folder / f"{today.isoformat()}-{slug}.md"
    if path.exists():
        raise WarraqError([Problem(_shown(path, config), 1, "already exists; "
                                   "choose another headline")], exit_code=2)
    topics = "".join(f"\n  - {_yaml_text(t)}" for t in args.topic) or " []"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {_yaml_text(args.title)}\ndate: {today.isoformat()}\n"
                    f"draft: true\ntopics:{topics}\nsummary: \"\"\nauthor: \"\"\n"
                    "source: \"\"\n---\n\nاكتب نص الخبر هنا.\n", encoding="utf-8")
    print(_shown(path, config))
    print("warraq: written as a draft (draft: true), left out of the site until you "
          "change it to draft: false")
    return 0


def _run_import(args: argparse.Namespace, config: Config) -> int:
    """Import an archive into the site; its topics merge through the site's
    topic dictionary. Problems are warnings: exit 0."""
    from .wordpress import import_wordpress  # markdownify is for importing only
    into = args.into if args.into else config.abs(config.content_dirs[0])
    shown = args.into.as_posix().rstrip("/") if args.into else config.content_dirs[0]
    with _console(args) as console:
        report = import_wordpress(args.export, into, config, shown, console.progress)
    console.problems(report.problems)
    console.say(report.summary(shown))
    return 0


def _run_init(args: argparse.Namespace, config: Config) -> int:
    from .init import init_site, started_line
    shown = args.dir.as_posix().rstrip("/") or "/"
    print(started_line(init_site(args.dir, shown, force=args.force), shown))
    return 0


def _today() -> dt.date:
    return build_clock().date() if os.environ.get("SOURCE_DATE_EPOCH") else dt.date.today()


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shown(path: Path, config: Config) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


if __name__ == "__main__":
    run()
