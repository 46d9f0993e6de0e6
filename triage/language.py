"""Choosing the language: an explicit choice, else the locale."""

from __future__ import annotations

from collections.abc import Mapping

from triage.model import Language

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def from_locale(environ: Mapping[str, str]) -> Language:
    """The language the first set of LC_ALL, LC_MESSAGES, LANG starts with (nl_NL.UTF-8:
    Dutch); English when it names none of the program's languages, or none is set."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "").lower()
        if value:
            return next((lang for lang in Language if value.startswith(lang.value)), Language.EN)
    return Language.EN


def choose(explicit: str | None, environ: Mapping[str, str]) -> Language:
    """The explicit choice if there is one, else the locale's."""
    return Language(explicit) if explicit else from_locale(environ)
