"""summarise: the same warning from many files, told once.

An archive imported from elsewhere can carry one unknown field in every one
of its ten thousand files; ten thousand identical lines hide the one line
that matters. A warning whose text recurs in ``MANY`` files or more becomes
one Problem at its first place (in sorted order), saying how many files
have it. Errors are never collapsed: each is a file to fix. Pure: no I/O.
"""

from __future__ import annotations

from collections import defaultdict

from .errors import Problem, warning

MANY = 3  # files with one warning text before it is told once


def summarise(problems: tuple[Problem, ...] | list[Problem]) -> tuple[Problem, ...]:
    """``problems`` sorted, with each warning that recurs in ``MANY`` files or
    more replaced by one: "<message> (in 10,000 files, first: path:line)"."""
    ordered = sorted(problems)
    places: dict[str, list[Problem]] = defaultdict(list)
    for problem in ordered:
        if not problem.is_error:
            places[problem.message].append(problem)
    collapsed = {message: found for message, found in places.items()
                 if len({p.path for p in found}) >= MANY}
    if not collapsed:
        return tuple(ordered)
    kept = [p for p in ordered if p.is_error or p.message not in collapsed]
    for message, found in collapsed.items():
        first = found[0]
        where = f"{first.path}:{first.line}" if first.line else first.path
        files = len({p.path for p in found})
        kept.append(warning(first.path, first.line,
                            f"{message} (in {files:,} files, first: {where})"))
    return tuple(sorted(kept))
