"""Reading answers as the command line and the Python API take them: an answers document
(JSON or TOML, from a file or standard input) or a FHIR R4 QuestionnaireResponse, and
`id=value` assignments; checked against the questionnaire, with the day they were given."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import BinaryIO

from triage.answers import (
    check_day,
    normalize,
    parse_assignments,
    parse_document,
    read_source,
    split_assessed_on,
)
from triage.errors import TriageError, visible
from triage.model import Ruleset, Value

Warn = Callable[[str], None]
"""Where a warning about the answers goes (they are read all the same)."""

RESPONSE = "QuestionnaireResponse"


def is_response(document: Mapping[str, object]) -> bool:
    """Whether an answers document is a FHIR QuestionnaireResponse."""
    return document.get("resourceType") == RESPONSE


def from_document(
    document: Mapping[str, object], ruleset: Ruleset, warn: Warn
) -> dict[str, object]:
    """The answers a document gives, not yet checked: a QuestionnaireResponse's answers
    (`warn` hears of one to another version of the questionnaire, or to none; one to
    another questionnaire is refused), else the document's ids and values."""
    if not is_response(document):
        return dict(document)
    from triage.formats.fhir import answers_from_response, check_questionnaire

    warning = check_questionnaire(document, ruleset.info.version)
    if warning is not None:
        warn(warning)
    return answers_from_response(document)


def read_answers(
    source: str | None,
    assignments: Iterable[str],
    ruleset: Ruleset,
    *,
    stdin: BinaryIO | None,
    warn: Warn,
) -> tuple[dict[str, Value], dt.date | None]:
    """The answers of a file (`source`; '-' reads `stdin`) and of `id=value` assignments
    (which override the file), checked against the questionnaire, and the day they were
    given (`assessed_on`, or a response's `authored`; None when not given)."""
    given = list(assignments)
    if source is None and not given:
        raise TriageError(
            "no answers given; use --answers FILE (or - for standard input) "
            "and/or --answer id=value"
        )
    raw: dict[str, object] = {}
    if source is not None:
        name = "standard input" if source == "-" else source
        raw.update(from_document(parse_document(read_source(source, stdin), name), ruleset, warn))
    raw.update(parse_assignments(given))
    answers, answered_on = split_assessed_on(raw)
    return normalize(answers, ruleset.questionnaire), answered_on


def read_day(text: str, option: str) -> dt.date:
    """The day of a YYYY-MM-DD option (`--today`); not 2026W494 or 20261203."""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError(text)
        day = dt.date.fromisoformat(text)
    except ValueError:
        shown = visible(repr(text[:40]))
        raise TriageError(f"{option} {shown} is not a date; give it as YYYY-MM-DD") from None
    return check_day(day, option)


def read_defaults(
    assignments: Iterable[str], ruleset: Ruleset, baseline: Ruleset | None
) -> dict[str, Value]:
    """The answers of `batch --default`, checked as --answer is: each by the rules that
    know its question (the edited ones, else the baseline: a question the edit removed)."""
    given = parse_assignments(assignments, "--default")
    mine = {q: v for q, v in given.items() if q in ruleset.questionnaire.by_id}
    theirs = {q: v for q, v in given.items() if q not in mine}
    if baseline is None or not theirs:
        return normalize(given, ruleset.questionnaire)
    return {
        **normalize(mine, ruleset.questionnaire),
        **normalize(theirs, baseline.questionnaire),
    }
