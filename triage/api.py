"""The Python API: `from triage import assess`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from importlib.resources.abc import Traversable

from triage.answers import normalize, split_assessed_on
from triage.errors import AnswersError
from triage.evaluate import evaluate
from triage.loader import load_ruleset
from triage.model import Assessment, Language, Ruleset


def assess(
    answers: Mapping[str, object],
    *,
    language: str = "en",
    data_dir: Traversable | None = None,
    ruleset: Ruleset | None = None,
    today: dt.date | None = None,
) -> Assessment:
    """Assess a mapping of answers (ids and values of the answers contract, and maybe
    `assessed_on`, the day they were given, which dates the assessment unless `today` is
    given).

    Raises AnswersError (a TriageError) for unknown ids, bad values or missing answers.
    """
    if not isinstance(answers, Mapping):
        raise AnswersError(
            f"answers should be a mapping of question id to value, not {type(answers).__name__}"
        )
    loaded = ruleset or load_ruleset(data_dir)
    raw, answered_on = split_assessed_on(answers)
    checked = normalize(raw, loaded.questionnaire)
    return evaluate(checked, loaded, language=Language(language), today=today or answered_on)
