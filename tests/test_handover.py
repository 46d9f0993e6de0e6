"""The handover note for the therapist or GP: findings first, then every answer."""

from __future__ import annotations

import datetime as dt

from tests.conftest import TODAY, adult
from triage.evaluate import evaluate
from triage.formats.handover import to_markdown
from triage.model import Language, Ruleset


def _note(ruleset: Ruleset, language: Language = Language.EN, **changes: object) -> str:
    result = evaluate(adult(**changes), ruleset, language=language, today=TODAY)  # type: ignore[arg-type]
    return to_markdown(result, ruleset, at=dt.datetime(2026, 11, 26, 9, 41))


def test_the_note_puts_the_complaint_the_signs_and_the_advice_before_the_answer_table(
    ruleset: Ruleset,
) -> None:
    note = _note(ruleset, fever_or_unwell="unknown", saddle_numbness="no")
    assert "Date: 26 November 2026, 09:41" in note
    order = [
        "## The hip pain",
        "## Warning signs",
        "## Advice",
        "**Contact the GP today",
        "## Your answers",
        "## The advice as shown to the person",
    ]
    places = [note.index(heading) for heading in order]
    assert places == sorted(places)
    assert "- **Not sure:** fever or feeling really ill" in note
    assert "numbness around the anus or genitals" in note.split("- Absent:")[1].split("\n")[0]


def test_present_signs_and_the_questions_not_asked_after_a_stop(ruleset: Ruleset) -> None:
    note = _note(ruleset, hot_swollen_hip="yes")
    assert "- **Present:** red, warm or swollen hip" in note
    assert "- Not asked: cancer now or in the past;" in note


def test_a_parents_note_says_who_filled_it_in(ruleset: Ruleset) -> None:
    note = _note(ruleset, Language.NL, respondent="child", age=10, limp="no")
    assert "Ingevuld door een ouder of verzorger van het kind." in note
    assert "## Over je kind" in note
