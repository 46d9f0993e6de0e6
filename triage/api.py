"""The Python API: `from triage import assess`."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path

from triage.answers import check_day, normalize, split_assessed_on
from triage.errors import AnswersError
from triage.evaluate import evaluate
from triage.loader import load_ruleset
from triage.model import Assessment, Language, Ruleset
from triage.reading import from_document


class TriageWarning(UserWarning):
    """Answers read, with something to check (a response to another questionnaire version)."""


def assess(
    answers: Mapping[str, object],
    *,
    language: str = "en",
    data_dir: Traversable | str | None = None,
    ruleset: Ruleset | None = None,
    today: dt.date | str | None = None,
) -> Assessment:
    """Assess a mapping of answers (ids and values of the answers contract, and maybe
    `assessed_on`, the day they were given, which dates the assessment unless `today` is
    given), or a FHIR QuestionnaireResponse read as `triage assess --answers` reads one
    (its `authored` day dates it; a response to another version of the questionnaire, or
    to none, gives a TriageWarning).

    `language` is "en" or "nl" in any letter case; `data_dir` a folder (a path or its
    name); `today` a date or its YYYY-MM-DD text. Raises AnswersError (a TriageError) for
    unknown ids, bad values or missing answers, and for a language, folder or day that
    is not one.
    """
    if not isinstance(answers, Mapping):
        raise AnswersError(
            f"answers should be a mapping of question id to value, not {type(answers).__name__}"
        )
    chosen = _language(language)
    day = _day(today)
    folder = Path(data_dir) if isinstance(data_dir, str) else data_dir
    loaded = ruleset or load_ruleset(folder)
    raw, answered_on = split_assessed_on(from_document(answers, loaded, _warn))
    checked = normalize(raw, loaded.questionnaire)
    return evaluate(checked, loaded, language=chosen, today=day or answered_on)


def _warn(message: str) -> None:
    warnings.warn(message, TriageWarning, stacklevel=4)


def _language(language: object) -> Language:
    """A language of the API's argument: en or nl, in any letter case."""
    if isinstance(language, str) and language.strip().lower() in {lang.value for lang in Language}:
        return Language(language.strip().lower())
    accepted = " or ".join(repr(lang.value) for lang in Language)
    raise AnswersError(f"language {language!r} is not one of the languages: use {accepted}")


def _day(today: object) -> dt.date | None:
    """The day of the API's `today`: a date, or its YYYY-MM-DD text."""
    if today is None:
        return None
    if isinstance(today, dt.datetime) or not isinstance(today, dt.date | str):
        raise AnswersError(f"today should be a date or YYYY-MM-DD text, not {today!r}")
    if isinstance(today, str):
        try:
            day = dt.date.fromisoformat(today.strip())
        except ValueError:
            raise AnswersError(f"today {today!r} is not a date; give YYYY-MM-DD") from None
        if len(today.strip()) != 10:
            raise AnswersError(f"today {today!r} is not a date; give YYYY-MM-DD")
        return check_day(day, "today")
    return check_day(today, "today")
