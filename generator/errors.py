"""The one error type of Warraq and the problems it carries.

Every problem names a file and a line, and prints as ``path:line: message``
so an editor can jump to it. Warnings travel in the same shape. A problem
about a folder, an option or the system has line 0 and prints as
``path: message``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) in one place."""

    path: str
    line: int
    message: str
    is_error: bool = True

    def __str__(self) -> str:
        kind = "" if self.is_error else "warning: "
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {kind}{self.message}"


def error(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, message, True)


def warning(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, message, False)


class WarraqError(Exception):
    """Raised with every problem found, sorted, so all are reported at once."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], exit_code: int = 1):
        self.problems = tuple(sorted(problems))
        self.exit_code = exit_code  # 1: content problems; 2: config or templates
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # so a worker process can hand it back
        return (WarraqError, (self.problems, self.exit_code))
