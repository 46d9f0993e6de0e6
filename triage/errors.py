"""The project's own exceptions: each carries the message a person needs."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class TriageError(Exception):
    """Bad input of any kind; the command line prints the message and exits 2."""


class AnswersError(TriageError):
    """Answers that break the answers contract."""


class DataError(TriageError):
    """A data folder that does not load: names the file and the entry."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file = file
        self.entry = entry
        self.problem = problem
        where = f"{file}: {entry}" if entry else file
        super().__init__(f"{where}: {problem}")


def did_you_mean(word: str, choices: Iterable[str], *, n: int = 3) -> str:
    """A ' (did you mean ...?)' suffix naming the closest choices, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
