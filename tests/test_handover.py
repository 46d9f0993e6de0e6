"""The handover note for the therapist or GP: findings first, then every answer."""

from __future__ import annotations

import datetime as dt

from tests.conftest import TODAY, adult
from triage.evaluate import answer_label, evaluate
from triage.formats.handover import to_markdown
from triage.model import Language, Ruleset


def _note(ruleset: Ruleset, language: Language = Language.EN, **changes: object) -> str:
    result = evaluate(adult(**changes), ruleset, language=language, today=TODAY)  # type: ignore[arg-type]
    return to_markdown(result, ruleset, at=dt.datetime(2026, 11, 26, 9, 41))


def _line(note: str, start: str) -> str:
    """The note's line that starts so."""
    return next(line for line in note.splitlines() if line.startswith(start))


def test_the_note_puts_the_complaint_the_signs_and_the_advice_before_the_answer_table(
    ruleset: Ruleset,
) -> None:
    note = _note(ruleset, fever_or_unwell="unknown", saddle_numbness="no")
    texts = ruleset.texts[Language.EN]
    assert "Date: 26 November 2026, 09:41" in note
    where = ruleset.questionnaire.question("duration").group  # where the pain is, how long
    order = [
        f"## {texts(f'group.{where}.title')}",
        "## Warning signs",
        "## Advice",
        "**Contact the GP today",
        "## Your answers",
        "## The advice as shown to the person",
    ]
    places = [note.index(heading) for heading in order]
    assert places == sorted(places)
    findings = note.split("## Warning signs")[0]
    for question_id in ("side", "duration", "groin_pain"):  # place, side, since when
        value = adult()[question_id]
        label = answer_label(question_id, value, ruleset, texts)
        assert f"- {texts(f'question.{question_id}.short')}: {label}" in findings
    assert _line(note, "- **Present:**") == "- **Present:** -", "a place of the pain is no sign"
    assert "- **Not sure:** fever or feeling really ill" in note
    assert "numbness around the anus or genitals" in _line(note, "- Absent:")


def test_every_answer_reached_is_in_the_findings_or_the_signs(ruleset: Ruleset) -> None:
    """Nothing the person answered is left out of the note's top part (a choice such as
    the side or the course was dropped when its group became a tick list)."""
    result = evaluate(adult(), ruleset, today=TODAY)
    texts = ruleset.texts[Language.EN]
    top = to_markdown(result, ruleset).split("## Advice")[0]
    assert not result.not_asked
    for question_id in result.answers:
        if question_id in ruleset.questionnaire.by_id:
            assert texts(f"question.{question_id}.short") in top, question_id


def test_present_signs_and_the_questions_not_asked_after_a_stop(ruleset: Ruleset) -> None:
    result = evaluate(adult(hot_swollen_hip="yes"), ruleset, today=TODAY)
    texts = ruleset.texts[Language.EN]
    note = _note(ruleset, hot_swollen_hip="yes")
    assert result.not_asked, "the walk ends at the settled stop"
    assert _line(note, "- **Present:**") == (
        f"- **Present:** {texts('question.hot_swollen_hip.short')}"
    )
    not_asked = _line(note, "- Not asked:")
    cancer = texts("question.cancer_history.short")
    assert not_asked.startswith(f"- Not asked: {texts(f'question.{result.not_asked[0]}.short')};")
    assert cancer in not_asked
    assert cancer not in _line(note, "- Absent:")


def test_a_parents_note_says_who_filled_it_in(ruleset: Ruleset) -> None:
    note = _note(ruleset, Language.NL, respondent="child", age=10, limp="no")
    assert "Ingevuld door een ouder of verzorger van het kind." in note
    assert "## Over je kind" in note
