#!/usr/bin/env python3
"""A bounded fuzz run of the readers and of the text functions.

    .venv/bin/python bench/fuzz.py --seconds 600              # every target, time shared
    .venv/bin/python bench/fuzz.py --seconds 120 --target markdown

Targets: ``wire`` (read_source on .txt bytes), ``markdown`` (read_source on
.md bytes with front matter, raw HTML off and on), ``normalise`` and
``slug`` (make_slug, both styles, any max length). Each input is held to
the invariants of tests/test_properties.py: nothing but WarraqError
escapes, every problem is one short printable line, Markdown blocks are
well-formed HTML with no script URL and no on* attribute, normalising
twice changes nothing, a slug is a safe path segment; and no input may
take longer than ``--slow`` seconds.

With atheris installed each target runs, coverage-guided, in a process of
its own; inputs that fail are written to bench/.work/fuzz/. Without it,
hypothesis generates the inputs. Either way the run ends by printing, per
target, how many inputs it tried.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "bench" / ".work" / "fuzz"
TARGETS = ("wire", "markdown", "normalise", "slug")
MAX_LEN = {"wire": 65536, "markdown": 16384}  # bytes of one input: long runs and deep nesting
sys.path.insert(0, str(PROJECT))


def load():
    """The functions under test and the invariants, imported (and, under
    atheris, instrumented) in one place."""
    from generator.readers import markdown_convert, read_source
    from generator.text import make_slug, normalise
    from tests import test_properties as invariants
    markdown_convert.CONVERT_SECONDS = 0.5  # the limit is what is tested, not its size
    return read_source, normalise, make_slug, invariants


def checker(target: str, slow: float):
    """check(data: bytes): raise on any input that breaks an invariant."""
    read_source, normalise, make_slug, inv = load()

    def wire(data: bytes) -> None:
        doc = inv.only_warraq_errors(read_source, "content/x.txt", data)
        if doc:
            assert all(b.kind in ("p", "h2", "read_also") for b in doc.blocks)
            assert [b.ref for b in doc.blocks if b.kind == "read_also"] == list(
                range(len(doc.refs)))

    def markdown(data: bytes) -> None:
        # the first byte says raw HTML or not; a 0xff byte ends the front matter
        raw_html, data = bool(data[:1]) and data[0] & 1 == 1, data[1:]
        front, fence, body = data.partition(b"\xff")
        source = b"---\n" + front + b"\n---\n" + body if fence else data
        doc = inv.only_warraq_errors(read_source, "content/a.md", source, raw_html=raw_html)
        if doc:
            allowed = inv.markdown_convert._TAGS if raw_html else inv.MARKDOWN_TAGS
            for block in doc.blocks:
                if block.kind == "html":
                    inv.check_html(block.text, allowed)

    def normalised(data: bytes) -> None:
        text = _text(data)
        once = normalise(text)
        assert normalise(once) == once, (text, once)

    def slug(data: bytes) -> None:
        style = ("arabic", "latin")[data[0] & 1] if data else "arabic"
        max_length = 1 + (data[1] if len(data) > 1 else 79)
        inv.check_slug(make_slug(_text(data[2:]), style=style, max_length=max_length),
                       max_length)

    run = {"wire": wire, "markdown": markdown, "normalise": normalised, "slug": slug}[target]

    def check(data: bytes) -> None:
        started = time.monotonic()
        run(data)
        took = time.monotonic() - started
        assert took < slow, f"one input took {took:.1f} s"

    return check


def _text(data: bytes) -> str:
    """Any text, lone surrogates included."""
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="for all the targets together")
    parser.add_argument("--target", choices=TARGETS + ("all",), default="all")
    parser.add_argument("--slow", type=float, default=5.0, help="seconds one input may take")
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    args = parser.parse_args()
    targets = TARGETS if args.target == "all" else (args.target,)
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if _has_atheris() else "hypothesis"
    share = args.seconds / len(targets)
    counts = {t: (_atheris(t, share, args.slow) if engine == "atheris"
                  else _hypothesis(t, share, args.slow)) for t in targets}
    for target, count in counts.items():
        print(f"{target}: {count} inputs in {share:.0f} s ({engine})")


def _has_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def _atheris(target: str, seconds: float, slow: float) -> int:
    """Run one target under libFuzzer in a child process; the number of inputs."""
    folder = ARTIFACTS / target
    folder.mkdir(parents=True, exist_ok=True)
    # Atheris's own timeout rings SIGALRM every timeout/2 seconds (every second
    # with -timeout=0) and ends the run on any input that has taken that long:
    # a day keeps it away, and --slow, which says which input, takes its place.
    command = [sys.executable, __file__, "--child", target, str(slow),
               f"-max_total_time={seconds:.0f}", "-timeout=86400", "-rss_limit_mb=4096",
               f"-max_len={MAX_LEN.get(target, 4096)}",
               f"-artifact_prefix={folder}/",
               "-print_final_stats=1", str(folder / "corpus")]
    (folder / "corpus").mkdir(exist_ok=True)
    command.append(str(_seeds(target, folder / "seeds")))
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    (folder / "log.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode:
        print(f"{target}: failed (exit {done.returncode}); see {folder / 'log.txt'}")
        print(done.stderr[-3000:])
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", done.stderr)
    return int(runs[-1]) if runs else 0


def _seeds(target: str, folder: Path) -> Path:
    """The project's own articles as inputs of the target: a second corpus,
    which libFuzzer reads but never adds to."""
    folder.mkdir(exist_ok=True)
    sources = sorted((PROJECT / "content").glob("*.*")) + sorted((PROJECT / "seeds").glob("*.txt"))
    for path in sources:
        data = path.read_bytes()
        if target == "markdown" and path.suffix == ".md" and data.startswith(b"---\n"):
            front, _, body = data[4:].partition(b"\n---\n")
            data = b"\x00" + front + b"\xff" + body
        elif target == "slug":
            data = b"\x00\x4f" + data.split(b"\n", 1)[0]
        (folder / path.name).write_bytes(data)
    return folder


def _child(target: str, slow: float, libfuzzer_args: list[str]) -> None:
    import atheris
    with atheris.instrument_imports(include=["generator", "markdown", "yaml", "slugify"]):
        check = checker(target, slow)
    atheris.Setup([sys.argv[0], *libfuzzer_args], check)
    atheris.Fuzz()


def _hypothesis(target: str, seconds: float, slow: float) -> int:
    """Batches of hypothesis examples until the time is up; the number of inputs."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    check = checker(target, slow)
    _, _, _, inv = load()

    def encoded(text: str) -> bytes:
        return text.encode("utf-8", "surrogatepass")

    inputs = {
        "wire": st.one_of(inv.mixed(inv.WIRE_PIECES).map(encoded), st.binary()),
        "markdown": st.tuples(st.binary(min_size=1, max_size=1), inv.mixed(inv.YAML_PIECES),
                              inv.mixed(inv.MD_PIECES)).map(
            lambda parts: parts[0] + encoded(parts[1]) + b"\xff" + encoded(parts[2])),
        "normalise": inv.mixed(["ـ", "ً", "ﻻ", "ß", "\u0345", "İ"]).map(encoded),
        "slug": st.tuples(st.binary(min_size=2, max_size=2), inv.mixed(["/", ".", "..", "-"])).map(
            lambda parts: parts[0] + encoded(parts[1])),
    }[target]
    count = 0

    @settings(max_examples=200, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(inputs)
    def batch(data: bytes) -> None:
        nonlocal count
        count += 1
        check(data)

    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        batch()
    return count


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], float(sys.argv[3]), sys.argv[4:])
    else:
        main()
