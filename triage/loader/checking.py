"""Checking the values of the data files: the typed readers of one value (a text, an id, a
whole number, a switch, a disposition), each naming the file and entry of a mistake, and
the mistakes found so far (every mistake of a run is reported, not only the first)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any, NoReturn

from triage.errors import DataError, DataErrors, did_you_mean, each_error, visible
from triage.loader.schema import MAX_ENTRIES, describe
from triage.model import Disposition

MAX_NUMBER = 10_000
"""The largest range a number kind may span (ages go to 120)."""
MAX_NESTING = 20
"""How deeply conditions may nest (all inside any inside all ...), and text tables."""
MAX_DIGITS = 9
"""The most digits a number in the data may have (ages and days need three)."""
COMPARISONS = ("<", "<=", ">", ">=")
SAFETY_NET_LEVELS = (
    Disposition.CALL_112,
    Disposition.GP_IMMEDIATELY,
    Disposition.GP_WITHIN_24_HOURS,
)
OPERATORS = ("is", "in", *COMPARISONS)


class Mistakes:
    """Mistakes found so far: each entry of a data file is checked on its own, so that one
    run reports every mistake, not only the first."""

    def __init__(self) -> None:
        self.found: list[DataError] = []

    @contextlib.contextmanager
    def entry(self) -> Iterator[None]:
        """Check one entry: a mistake in it is kept, and the checking goes on."""
        try:
            yield
        except DataError as error:
            self.found += each_error(error)

    def fail(self) -> NoReturn:
        """Raise the mistakes found: there is at least one."""
        self.raise_found()
        raise AssertionError("no mistake to report")

    def raise_found(self) -> None:
        """Raise the mistakes found, if any (one as itself, several as DataErrors)."""
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise DataErrors(self.found)


def list_of_tables(doc: Mapping[str, Any], key: str, file: str) -> list[Any]:
    """The [[key]] tables of a document, refused before any is read when there are more
    than MAX_ENTRIES."""
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise DataError(file, key, f"should be a list of [[{key}]] tables")
    if len(value) > MAX_ENTRIES:
        raise DataError(
            file, key, f"has {len(value)} [[{key}]] tables; at most {MAX_ENTRIES} are accepted"
        )
    return value


def entry_name(raw: object, what: str, index: int) -> str:
    """How an entry is named in messages: by its id where it has one, else by position."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{what} {raw['id']!r}"
    return f"{what} #{index + 1}"


def read_text(raw: object, file: str, entry: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise DataError(file, entry, f"should be a non-empty text, not {describe(raw)}")
    return data_text(raw)


def data_text(raw: str) -> str:
    """A text of the data folder as every output shows it: control and format characters
    (escape sequences, line breaks, bidirectional overrides) as visible escapes, so that
    the data under test can neither draw on the terminal nor break out of a Markdown table;
    the one place where data texts are made safe to show."""
    return visible(raw, breaks=False)


def read_id(raw: object, file: str, entry: str) -> str:
    text = read_text(raw, file, entry)
    if not text.replace("_", "").isalnum() or not text.isascii():
        raise DataError(file, entry, f"{text!r} is not an id (letters, digits and _ only)")
    return text


def read_integer(raw: object, file: str, entry: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise DataError(file, entry, f"should be a whole number, not {describe(raw)}")
    if abs(raw) >= 10**MAX_DIGITS:
        raise DataError(file, entry, f"a number of more than {MAX_DIGITS} digits")
    return raw


def read_switch(table: Mapping[str, Any], key: str, file: str, entry: str) -> bool:
    """An optional true/false entry of a table (false when left out)."""
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise DataError(file, f"{entry} {key}", "should be true or false")
    return value


def check_unique(ids: list[str], file: str, what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise DataError(file, f"{what} {item!r}", "defined twice")
        seen.add(item)


def read_disposition(raw: object, file: str, entry: str) -> Disposition:
    names = [d.value for d in Disposition]
    if raw not in names:
        raise DataError(
            file,
            entry,
            f"unknown disposition {raw!r}"
            f"{did_you_mean(str(raw), names)}; allowed: {', '.join(names)}",
        )
    return Disposition(raw)
