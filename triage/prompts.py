"""What the walk asks of an asker: the prompts, whatever draws them (questionary or plain)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol


class Terminated(Exception):
    """The walk was asked to stop (SIGTERM)."""


class Nav(Enum):
    """A wish to move instead of an answer."""

    BACK = "back"
    HELP = "help"


@dataclass(frozen=True, slots=True)
class Option:
    """A choice: the words shown and the value it stands for."""

    title: str
    value: str


class Asker(Protocol):
    """Shows one prompt and returns the answer, or a Nav."""

    def select(self, message: str, options: Sequence[Option], default: str | None) -> str | Nav:
        """One of the options."""

    def checklist(
        self, message: str, options: Sequence[Option], ticked: Collection[str]
    ) -> list[str] | Nav:
        """The options ticked (none, some or all)."""

    def number(self, message: str, minimum: int, maximum: int, default: int | None) -> int | Nav:
        """A whole number from minimum to maximum."""

    def text(self, message: str, default: str) -> str:
        """A line of text, such as a file name."""

    def confirm(self, message: str, default: bool) -> bool:
        """Yes or no."""
