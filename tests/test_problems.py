"""problems.summarise: a warning repeated in many files is told once; errors never."""

from __future__ import annotations

import time

from generator.errors import error, warning
from generator.problems import MANY, summarise

UNKNOWN = "unknown field 'keywords' ignored"


def test_ten_thousand_files_with_one_unknown_field_make_one_line():
    problems = [warning(f"content/{n:05d}.md", 3, UNKNOWN) for n in range(10_000)]
    started = time.perf_counter()
    summary = summarise(list(reversed(problems)))
    assert time.perf_counter() - started < 1.0
    assert [str(p) for p in summary] == [
        "content/00000.md:3: warning: unknown field 'keywords' ignored "
        "(in 10,000 files, first: content/00000.md:3)"]


def test_errors_are_never_collapsed_and_other_warnings_stay():
    problems = ([warning(f"content/{n}.md", 2, UNKNOWN) for n in range(10_000)]
                + [error(f"content/{n}.md", 4, "date: expected YYYY-MM-DD") for n in range(50)]
                + [warning("content/7.md", 9, "read also: no article matches 'x'")])
    summary = summarise(problems)
    assert len(summary) == 50 + 1 + 1
    assert sum(p.is_error for p in summary) == 50
    assert warning("content/7.md", 9, "read also: no article matches 'x'") in summary
    assert summary == tuple(sorted(summary))


def test_a_warning_in_few_files_is_kept_file_by_file():
    few = [warning(f"content/{n}.md", 1, UNKNOWN) for n in range(MANY - 1)]
    assert summarise(few) == tuple(few)


def test_many_lines_of_one_file_are_not_many_files():
    one_file = [warning("content/a.md", line, UNKNOWN) for line in range(1, 20)]
    assert summarise(one_file) == tuple(one_file)


def test_two_fields_make_two_lines_counted_apart():
    problems = ([warning(f"content/{n}.md", 3, UNKNOWN) for n in range(5)]
                + [warning(f"content/{n}.md", 4, "unknown field 'weight' ignored")
                   for n in range(2, 9)])
    assert [p.message for p in summarise(problems)] == [
        "unknown field 'keywords' ignored (in 5 files, first: content/0.md:3)",
        "unknown field 'weight' ignored (in 7 files, first: content/2.md:4)"]
