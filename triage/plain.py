"""Plain prompts: numbered choices typed as text, no cursor movement (screen readers)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TextIO

from triage.model import Texts
from triage.prompts import Nav, Option

_NAV = {"?": Nav.HELP, "<": Nav.BACK}


class PlainAsker:
    """An Asker that prints numbered lists and reads typed lines."""

    def __init__(self, texts: Texts, stdin: TextIO, stdout: TextIO) -> None:
        self.texts = texts
        self.stdin = stdin
        self.stdout = stdout

    def _line(self, prompt: str) -> str:
        self.stdout.write(f"{prompt}: ")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()

    def _say(self, text: str) -> None:
        self.stdout.write(f"{text}\n")

    def _list(self, message: str, options: Sequence[Option], marked: Collection[str]) -> None:
        self._say(message)
        for number, option in enumerate(options, start=1):
            mark = " (*)" if option.value in marked else ""
            self._say(f"  {number}. {option.title}{mark}")

    def select(self, message: str, options: Sequence[Option], default: str | None) -> str | Nav:
        self._list(message, options, {default} if default else set())
        while True:
            line = self._line(self.texts("ui.plain_choose"))
            if line in _NAV:
                return _NAV[line]
            if not line and default:
                return default
            if line.isdigit() and 1 <= int(line) <= len(options):
                return options[int(line) - 1].value
            self._say(self.texts("ui.plain_invalid"))

    def checklist(
        self, message: str, options: Sequence[Option], ticked: Collection[str]
    ) -> list[str] | Nav:
        self._list(message, options, ticked)
        while True:
            line = self._line(self.texts("ui.plain_checkbox"))
            if line in _NAV:
                return _NAV[line]
            if not line and ticked:
                return [o.value for o in options if o.value in ticked]
            numbers = line.replace(",", " ").split()
            if numbers == ["0"] or (not numbers and not ticked):
                return []
            if all(n.isdigit() and 1 <= int(n) <= len(options) for n in numbers):
                return [options[int(n) - 1].value for n in dict.fromkeys(numbers)]
            self._say(self.texts("ui.plain_invalid"))

    def number(self, message: str, minimum: int, maximum: int, default: int | None) -> int | Nav:
        while True:
            line = self._line(message if default is None else f"{message} [{default}]")
            if line in _NAV:
                return _NAV[line]
            if not line and default is not None:
                return default
            if line.isdigit() and minimum <= int(line) <= maximum:
                return int(line)
            self._say(self.texts("ui.age_invalid"))

    def text(self, message: str, default: str) -> str:
        line = self._line(f"{message} [{default}]")
        return line or default

    def confirm(self, message: str, default: bool) -> bool:
        yes, no = self.texts("ui.yes"), self.texts("ui.no")
        hint = f"{yes.upper()}/{no.lower()}" if default else f"{yes.lower()}/{no.upper()}"
        while True:
            line = self._line(f"{message} ({hint})").lower()
            if not line:
                return default
            if line in (yes.lower(), yes[0].lower(), "y", "j"):
                return True
            if line in (no.lower(), no[0].lower()):
                return False
            self._say(self.texts("ui.plain_invalid"))
