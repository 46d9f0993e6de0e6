"""What the walk asks of an asker: the prompts, whatever draws them (questionary or plain)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol


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


@dataclass(frozen=True, slots=True)
class Option:
    """A choice: the words shown and the value it stands for; `number` is the number plain
    mode shows for it (its place in the list when None)."""

    title: str
    value: str
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Left:
    """A checklist left with help or back, and what was ticked when the person left it (so
    that nothing ticked is lost)."""

    nav: Nav
    ticked: tuple[str, ...]


NONE_OF_THESE = "\0none"
"""The value of a checklist's "None of these" line (in plain mode 0 stands for it too)."""

Check = Callable[[Sequence[str]], str | None]
"""Whether a checklist's choice can be taken: None, or what to say to get a better one."""


class Asker(Protocol):
    """Shows one prompt and returns the answer, or a Nav."""

    def select(self, message: str, options: Sequence[Option], default: str | None) -> str | Nav:
        """One of the options."""

    def checklist(
        self, message: str, options: Sequence[Option], ticked: Collection[str], check: Check
    ) -> list[str] | Left:
        """The options ticked, once `check` accepts them; or Left when the person asks for
        help or to go back."""

    def number(self, message: str, minimum: int, maximum: int, default: int | None) -> int | Nav:
        """A whole number from minimum to maximum."""

    def text(self, message: str, default: str) -> str:
        """A line of text, such as a file name."""

    def confirm(self, message: str, default: bool) -> bool:
        """Yes or no."""
