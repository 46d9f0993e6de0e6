"""The project's own exceptions: each carries the message a person needs."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class Status(IntEnum):
    """Every exit status the program uses, named once (the README documents them)."""

    DONE = 0
    """A completed run, whatever the advice."""
    FAILED_CHECK = 1
    """A check failed: `batch --strict` or `--fail-on`, a property of `triage verify` or
    `validate`; or an internal error (a bug)."""
    BAD_INPUT = 2
    """Bad usage or input: one line on standard error says what and what is accepted."""
    BAD_INPUT_AND_FAILED_CHECK = 3
    """A batch with bad lines and a failed check: both, as the sum of their bits."""
    INTERRUPTED = 130
    """Ctrl-C or Ctrl-D."""
    BROKEN_PIPE = 141
    """Standard output closed early (as `| head` does): stopped quietly."""
    TERMINATED = 143
    """SIGTERM during the questionnaire, with the terminal restored (SIGHUP gives 129 and
    SIGQUIT 131, as 128 + the signal's number)."""


class TriageError(Exception):
    """Bad input of any kind; the command line prints the message and exits 2."""


class AnswersError(TriageError):
    """Answers that break the answers contract."""


class MissingAnswers(AnswersError):
    """Answers the walk reaches but were not given: `missing` names them, in walk order."""

    def __init__(self, message: str, missing: tuple[str, ...]) -> None:
        super().__init__(message)
        self.missing = missing


class DataError(TriageError):
    """A data folder that does not load: names the file and the entry."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file = file
        self.entry = entry
        self.problem = problem
        where = f"{file}: {entry}" if entry else file
        super().__init__(f"{where}: {problem}")


class DataErrors(DataError):
    """Several mistakes in a data folder, each a DataError, reported together."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.file, first.entry, first.problem)
        shown = "\n".join(f"  - {e}" for e in errors[:SHOWN_MISTAKES])
        more = len(errors) - SHOWN_MISTAKES
        if more > 0:
            shown += f"\n  and {more} more (triage validate lists every one)"
        self.args = (f"{len(errors)} mistakes in the data:\n{shown}",)


SHOWN_MISTAKES = 10
"""How many mistakes of a data folder a command other than `validate` shows."""


def each_error(error: DataError) -> list[DataError]:
    """The mistakes an error reports: itself, or each of several."""
    return list(error.errors) if isinstance(error, DataErrors) else [error]


def did_you_mean(word: str, choices: Iterable[str], *, n: int = 3) -> str:
    """A ' (did you mean ...?)' suffix naming the closest choices, or ''."""
    import difflib  # only when a mistake is named

    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


def visible(text: str, *, breaks: bool = True) -> str:
    """Text from a file, an argument or the environment, safe to show in a terminal:
    control characters (escape sequences included), bidirectional overrides and other
    invisible format characters are shown as \\x.. or \\u.... escapes, so that nothing a
    case id, a file name or a data text holds can move the cursor, clear the screen,
    recolour or reorder what a person reads. Line breaks and tabs of a message are kept;
    with `breaks` false they are escaped too (a data text is one line, so that it cannot
    end a Markdown table row or start a heading)."""
    import unicodedata  # only when a message is shown

    shown: list[str] = []
    for char in text:
        if breaks and char in "\n\t":
            shown.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs"):
            code = ord(char)
            shown.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            shown.append(char)
    return "".join(shown)
