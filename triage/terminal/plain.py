"""Plain prompts: numbered choices typed as text, no cursor movement (screen readers)."""

from __future__ import annotations

import shutil
from collections.abc import Collection, Sequence
from typing import TextIO

from triage.answers import MAX_DIGITS
from triage.model import Texts
from triage.terminal.prompts import (
    NONE_OF_THESE,
    Age,
    Check,
    Left,
    Nav,
    Option,
    age_words,
    fold,
    numbered,
    parse_age,
)

_NAV = {"?": Nav.HELP, "<": Nav.BACK}


class PlainAsker:
    """An Asker that prints numbered lists and reads typed lines."""

    def __init__(self, texts: Texts, stdin: TextIO, stdout: TextIO) -> None:
        self.texts = texts
        self.stdin = stdin
        self.stdout = stdout
        reconfigure = getattr(stdin, "reconfigure", None)
        if reconfigure is not None:
            # A byte that is not UTF-8 (a Latin-1 terminal, a paste) is kept as it came, so
            # that a file name typed with it still works, rather than ending the walk.
            reconfigure(errors="surrogateescape")

    def _line(self, prompt: str) -> str:
        """A typed line after the prompt, the prompt folded like every text (a long question
        such as a parent's age question broke a word at the terminal's edge)."""
        shown = prompt if prompt.endswith(("?", ":", ".")) else f"{prompt}:"
        *before, last = fold(shown, _width()) or [shown]
        if len(last) > _width() - TYPING_ROOM:  # the answer typed would run off the line
            *more, last = fold(last, _width() - TYPING_ROOM) or [last]
            before += more
        self.stdout.write("".join(f"{line}\n" for line in before) + f"{last} ")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()

    def _say(self, text: str, indent: int = 0, first: str = "") -> None:
        """A text folded between words to the terminal's width (79 when unknown), so that
        a screen reader reading line by line reads whole words."""
        lines = fold(f"{first}{text}", _width(), indent) or [first]
        self.stdout.write("".join(f"{line}\n" for line in lines))

    def _list(
        self, message: str, options: Sequence[Option], marked: Collection[str], count: str
    ) -> None:
        self._say(message)
        self._say(count)
        for number, option in numbered(options).items():
            mark = f" ({self.texts('ui.plain_chosen')})" if option.value in marked else ""
            label = f"  {number}. "
            self._say(f"{option.title}{mark}", indent=len(label), first=label)

    def select(self, message: str, options: Sequence[Option], default: str | None) -> str | Nav:
        count = self.texts("ui.screens.plain_count_choose", count=len(options))
        self._list(message, options, {default} if default else set(), count)
        while True:
            line = self._line(self.texts("ui.plain_choose"))
            if line in _NAV:
                return _NAV[line]
            chosen = _choice(line, options)
            if not line and default:
                chosen = next((o for o in options if o.value == default), None)
            if chosen is not None:
                self._say(self.texts("ui.plain_echo", answer=chosen.title))
                return chosen.value
            self._say(self.texts("ui.plain_invalid"))

    def checklist(
        self,
        message: str,
        options: Sequence[Option],
        ticked: Collection[str],
        check: Check,
        pointed: str | None = None,
        *,
        unsure: bool = False,
    ) -> list[str] | Left:
        lead = "ui.screens.plain_count_unsure" if unsure else "ui.screens.plain_count_tick"
        self._list(message, options, ticked, self.texts(lead, count=len(options)))
        by_number = numbered(options)
        while True:
            line = self._line(self.texts("ui.plain_checkbox"))
            if line in _NAV:
                return Left(_NAV[line], tuple(ticked))
            words = line.replace(",", " ").split()
            if words[:1] == ["?"] and len(words) == 2:  # "? 3": why line 3 is asked
                chosen = _picked(words[1:], by_number)
                if chosen:
                    return Left(Nav.HELP, tuple(ticked), chosen[0])
            picked = (
                _picked(words, by_number)
                if words
                else [o.value for o in options if o.value in ticked]
            )
            if picked is None:
                self._say(self.texts("ui.plain_invalid"))
                continue
            problem = check(picked)
            if problem is None:
                echo = "ui.plain_echo_unsure" if unsure else "ui.plain_echo"
                self._say(self.texts(echo, answer=_titles(options, picked)))
                return picked
            self._say(problem)

    def number(self, message: str, minimum: int, maximum: int, default: int | None) -> int | Nav:
        while True:
            line = self._line(message if default is None else f"{message} [{default}]:")
            if line in _NAV:
                return _NAV[line]
            if not line and default is not None:
                return default
            number = _number(line)
            if number is not None and minimum <= number <= maximum:
                return number
            self._say(self.texts("ui.age_invalid"))

    def age(self, message: str, maximum: int, default: int | None) -> Age | Nav:
        while True:
            line = self._line(message if default is None else f"{message} [{default}]:")
            if line in _NAV:
                return _NAV[line]
            if not line and default is not None:
                line = str(default)
            parsed = parse_age(line, maximum)
            if isinstance(parsed, Age):
                self._say(self.texts("ui.plain_echo", answer=age_words(parsed, self.texts)))
                return parsed
            self._say(self.texts(parsed))

    def text(self, message: str, default: str) -> str:
        """A typed text; Enter alone gives `default`, said in words (not in brackets)."""
        if default:
            self._say(self.texts("ui.plain_text_default", default=default))
        line = self._line(message)
        return line or default

    def confirm(self, message: str, default: bool) -> bool:
        """A yes or no, with the answer Enter gives said in words (not by capitals, which a
        screen reader does not say)."""
        yes, no = self.texts("ui.yes").lower(), self.texts("ui.no").lower()
        hint = f"({self.texts('ui.plain_confirm', yes=yes, no=no, default=yes if default else no)})"
        asked = f"{message} {hint}"
        if len(asked) > _width() - TYPING_ROOM:  # the hint on a line of its own, not cut
            self._say(message)
            asked = hint
        while True:
            line = self._line(asked).lower()
            answer: bool | None = None
            if not line:
                answer = default
            elif line in (yes, yes[0], "y", "j"):
                answer = True
            elif line in (no, no[0]):
                answer = False
            if answer is not None:
                said = self.texts("ui.yes") if answer else self.texts("ui.no")
                self._say(self.texts("ui.plain_echo", answer=said))
                return answer
            self._say(self.texts("ui.plain_confirm_invalid", yes=yes, no=no))


TYPING_ROOM = 12
"""Columns a prompt's last line leaves free for what is typed after it ("yes", "2 5 7")."""


def _width() -> int:
    """The width texts fold to: the terminal's, less its last column (79 when unknown)."""
    return shutil.get_terminal_size((80, 24)).columns - 1


def _picked(words: list[str], by_number: dict[int, Option]) -> list[str] | None:
    """The values of the typed numbers (0 stands for none of these), or None if one is not
    a number shown."""
    values: list[str] = []
    for word in dict.fromkeys(words):
        if word == "0":
            values += [o.value for o in by_number.values() if o.value == NONE_OF_THESE]
            continue
        number = _number(word)
        if number is None or number not in by_number:
            return None
        values.append(by_number[number].value)
    return values


def _choice(line: str, options: Sequence[Option]) -> Option | None:
    """The option a typed line names: its number, or its words (such as Yes, Nee)."""
    number = _number(line)
    if number is not None and 1 <= number <= len(options):
        return options[number - 1]
    words = " ".join(line.lower().split())
    return next((o for o in options if o.title.lower() == words), None) if words else None


def _titles(options: Sequence[Option], values: Sequence[str]) -> str:
    """The chosen lines, said back in one line: 'A; B' (a line's own full stop would read
    'A.; B')."""
    return "; ".join(o.title.rstrip(".") for o in options if o.value in values)


def _number(word: str) -> int | None:
    """The number typed (ASCII digits, no more than the answers contract allows), or None;
    thousands of digits are refused before int() would refuse them with an error."""
    if word.isascii() and word.isdigit() and len(word) <= MAX_DIGITS:
        return int(word)
    return None
