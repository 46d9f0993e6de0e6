"""What the walk asks of an asker: the prompts, whatever draws them (questionary or plain)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple, Protocol

from triage.model import Texts


class Terminated(Exception):
    """The walk was asked to stop by a signal (SIGTERM, SIGHUP, SIGQUIT); `status` is the
    exit status a process killed by it would have (128 + its number: 143 for SIGTERM)."""

    def __init__(self, signum: int = 15) -> None:
        super().__init__(signum)
        self.status = 128 + signum


class Nav(Enum):
    """A wish to move instead of an answer."""

    BACK = "back"
    HELP = "help"
    REDRAW = "redraw"
    """The terminal changed size: draw the same prompt again, wrapped to the new width."""


@dataclass(frozen=True, slots=True)
class Option:
    """A choice: the words shown and the value it stands for; `number` is the number plain
    mode shows for it (its place in the list when None)."""

    title: str
    value: str
    number: int | None = None
    short: str = ""
    """The short label the echo shows (the title when empty)."""


@dataclass(frozen=True, slots=True)
class Left:
    """A checklist left with help or back, and what was ticked when the person left it (so
    that nothing ticked is lost)."""

    nav: Nav
    ticked: tuple[str, ...]
    pointed: str | None = None
    """The line the cursor was on (help explains it; the redrawn list starts there)."""


class Age(NamedTuple):
    """An age as typed: whole years, and the months when typed in months."""

    years: int
    months: int | None = None


MONTHS_BELOW = 24
"""An age in months is taken below this many months (2 years)."""

_MONTH_WORDS = ("months", "month", "maanden", "maand", "mnd")


def parse_age(typed: str, maximum: int) -> Age | str:
    """An age typed in years ("63") or, under 2 years, in months ("9 months", "9mnd");
    else the key of the text that says what is accepted."""
    text = " ".join(typed.lower().split())
    unit = next((w for w in _MONTH_WORDS if text.endswith(w)), None)
    digits = text[: len(text) - len(unit)].strip() if unit else text
    if not (digits.isascii() and digits.isdigit()):
        return "ui.screens.age_invalid_months"
    number = int(digits)
    if unit is None:
        return Age(number) if number <= maximum else "ui.screens.age_invalid_months"
    if number >= MONTHS_BELOW:
        return "ui.screens.age_months_too_many"
    return Age(number // 12, number)


UNSURE = "\0unsure"
"""The value of a checklist's "I am not sure about one or more of these" line."""

NONE_OF_THESE = "\0none"
"""The value of a checklist's "None of these" line (in plain mode 0 stands for it too)."""


def numbered(options: Sequence[Option]) -> dict[int, Option]:
    """The options by the number shown for each (plain mode's, and the number keys of arrow
    mode): "None of these" is always 0, the others count from 1 in their order (unless
    they carry their own number)."""
    found: dict[int, Option] = {}
    place = 0
    for option in options:
        if option.value == NONE_OF_THESE:
            found[0] = option
            continue
        place += 1
        found[option.number or place] = option
    return found


Check = Callable[[Sequence[str]], str | None]
"""Whether a checklist's choice can be taken: None, or what to say to get a better one."""


class Asker(Protocol):
    """Shows one prompt and returns the answer, or a Nav."""

    def select(self, message: str, options: Sequence[Option], default: str | None) -> str | Nav:
        """One of the options."""

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
        """The options ticked, once `check` accepts them; or Left when the person asks for
        help or to go back. `pointed`: the line the cursor starts on; `unsure`: the lines
        ticked are those the person is not sure about (said back so, where the asker says
        the answer back)."""

    def number(self, message: str, minimum: int, maximum: int, default: int | None) -> int | Nav:
        """A whole number from minimum to maximum."""

    def age(self, message: str, maximum: int, default: int | None) -> Age | Nav:
        """An age in years up to `maximum`, or under 2 years in months (parse_age)."""

    def text(self, message: str, default: str) -> str:
        """A line of text, such as a file name."""

    def confirm(self, message: str, default: bool) -> bool:
        """Yes or no."""


def fold(text: str, width: int, indent: int = 0) -> list[str]:
    """Lines of at most `width` characters, broken between words only (a word longer
    than the line stands alone on its line); lines after the first start with `indent`
    spaces, counted in the width."""
    return textwrap.wrap(
        text,
        max(width, indent + 10),
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def age_words(age: Age, texts: Texts) -> str:
    """An age as echoed: '63', or '0 years (9 months)' when typed in months."""
    if age.months is None:
        return str(age.years)
    return texts("ui.screens.age_in_months", years=age.years, months=age.months)
