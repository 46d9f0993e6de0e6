"""The engine: the walk it follows, what it explains, notes and the safety net."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.conftest import DATA, TODAY, adult
from tests.edits import edit
from triage import assess
from triage.errors import AnswersError
from triage.evaluate import evaluate
from triage.flow import reach
from triage.loader import load_ruleset
from triage.model import Assessment, Disposition, Language, Ruleset, Value


def _run(answers: dict[str, Value], ruleset: Ruleset, language: str = "en") -> Assessment:
    return assess(answers, ruleset=ruleset, today=TODAY, language=language)


def test_emergency_yes_needs_nothing_else(ruleset: Ruleset) -> None:
    result = _run({"cold_pale_leg": "yes"}, ruleset)
    assert result.disposition is Disposition.CALL_112
    assert [r.id for r in result.rules] == ["acute_ischaemia"]


def test_emergency_stop_ignores_later_answers_and_lists_them(ruleset: Ruleset) -> None:
    result = _run({"fall_cannot_bear_weight": "yes", "age": 80, "groin_pain": "yes"}, ruleset)
    assert result.ignored == ("age", "groin_pain")
    assert "age" not in result.answers


def test_missing_answers_are_named(ruleset: Ruleset) -> None:
    answers = adult()
    del answers["trend"], answers["groin_pain"]
    with pytest.raises(AnswersError, match=r"missing answers for 2 questions.*groin_pain, trend"):
        _run(answers, ruleset)


def test_conditional_questions_are_required_only_when_reached(ruleset: Ruleset) -> None:
    answers = adult(recent_fall="yes", age=40)
    del answers["osteoporosis"]
    with pytest.raises(AnswersError, match="osteoporosis"):
        _run(answers, ruleset)
    walk = reach(ruleset, adult(age=70, recent_fall="yes"))
    assert "osteoporosis" not in walk.reached


def test_unknown_conditions_ask_the_follow_up(ruleset: Ruleset) -> None:
    walk = reach(ruleset, adult(hip_replacement="unknown"))
    assert walk.missing == ("wound_problem",)


def test_valid_answers_to_unreached_questions_are_ignored(ruleset: Ruleset) -> None:
    result = _run(adult(limp="yes", wound_problem="yes"), ruleset)
    assert result.disposition is Disposition.SELF_CARE
    assert {"wound_problem", "limp"} <= set(result.ignored)
    assert not set(result.ignored) & set(result.answers)


UNSURE_THREE = {
    "groin_lump": "unknown",
    "lump_hard_painful": "no",
    "walking_calf_pain": "unknown",
    "known_inflammatory_disease": "unknown",
}


def test_reasons_name_the_unknown_answers(ruleset: Ruleset) -> None:
    result = _run(adult(**UNSURE_THREE), ruleset)
    assert result.rules[0].id == "unknown_several"
    assert result.rules[0].questions == (  # in walk order (v3: the lump with the places)
        "groin_lump",
        "walking_calf_pain",
        "known_inflammatory_disease",
    )
    assert "lump in the groin" in result.rules[0].reason
    dutch = _run(adult(**UNSURE_THREE), ruleset, "nl")
    assert "bult in de lies" in dutch.rules[0].reason


def test_persisting_names_only_the_reasons_that_apply(ruleset: Ruleset) -> None:
    longer = _run(adult(duration="6_to_12_weeks"), ruleset).rules[0]
    assert (
        longer.reason == "The pain has lasted 6 weeks up to 3 months. A manual therapist can help."
    )
    both = _run(adult(trend="worsening", daily_activities_limited="yes"), ruleset, "nl").rules[0]
    assert both.reason == (
        "De pijn wordt erger. De pijn maakt het dagelijks leven moeilijker. "
        "Een manueel therapeut kan helpen."
    )


def test_fired_rules_name_the_answers_that_fired_them(ruleset: Ruleset) -> None:
    falls = {"anticoagulant": "no", "head_injury": "no", "fall_pain_walking": "no"}
    result = _run(adult(age=70, recent_fall="yes", **falls), ruleset)
    assert result.rules[0].id == "fall_older_walking"
    assert result.rules[0].questions == ("age", "recent_fall", "trend")


@pytest.mark.parametrize(
    ("changes", "notes"),
    [
        ({"age": 62, "duration": "6_to_12_weeks"}, ["oa_picture"]),
        ({"age": 62}, []),  # v2: the picture of osteoarthritis takes 6 weeks or more
        ({"age": 40, "duration": "6_to_12_weeks"}, []),
        ({"age": 62, "morning_stiffness": "30_to_60_minutes"}, ["stiffness_30_to_60"]),
        ({"pain_radiates_to_knee": "yes", "overload": "yes"}, ["knee", "overload"]),
        (
            {
                "low_back_involvement": "yes",
                "pain_below_knee_or_tingling": "yes",
                "inflammatory_back_pain": "no",
                "duration": "over_12_weeks",
                "trend": "improving",  # v3: not improving after 6 weeks is for the GP
            },
            ["oa_picture", "low_back", "nerve_root"],
        ),
        ({"cancer_history": "yes", "age": 62}, []),
    ],
)
def test_notes_only_with_therapist_or_self_care(
    ruleset: Ruleset, changes: dict[str, Value], notes: list[str]
) -> None:
    result = _run(adult(**changes), ruleset)
    assert [note_id for note_id, _ in result.notes] == notes


def test_safety_net_leaves_out_what_cannot_apply(ruleset: Ruleset) -> None:
    texts = ruleset.texts[Language.EN]
    grown = _run(adult(age=40), ruleset).safety_net.gp_immediately
    assert texts("safety_net.child_limp.text") not in grown
    assert texts("safety_net.prosthesis_wound.text") not in grown
    assert texts("safety_net.arteritis.text") not in grown
    assert texts("safety_net.fall_osteoporosis.text") not in grown  # v3: brittle bones only
    fell = _run(
        adult(age=40, recent_fall="yes", osteoporosis="yes", fall_pain_walking="yes"), ruleset
    )
    assert texts("safety_net.fall_osteoporosis.text") in fell.safety_net.gp_immediately
    older = _run(adult(age=70, hip_replacement="yes", wound_problem="no"), ruleset)
    assert texts("safety_net.prosthesis_wound.text") in older.safety_net.gp_immediately
    assert texts("safety_net.fall_older.text") in older.safety_net.gp_immediately
    child = _run(adult(age=8, limp="no"), ruleset).safety_net.gp_immediately
    assert texts("safety_net.child_limp.text") in child


@pytest.mark.parametrize("days", [None, 10])
def test_self_care_date_follows_the_setting(days: int | None, data_copy: Path) -> None:
    """The review date is the setting's number of days on: the shipped setting, and an
    edited one (a hard-coded two weeks would fail the second)."""
    if days is not None:
        rules = data_copy / "rules.toml"
        shipped = load_ruleset().settings.safety_net_days
        edit(data_copy, "rules.toml", f"safety_net_days = {shipped}", f"safety_net_days = {days}")
        assert f"safety_net_days = {days}" in rules.read_text()
    ruleset = load_ruleset(data_copy)
    result = evaluate(adult(), ruleset, today=dt.date(2026, 12, 25))
    assert result.disposition is Disposition.SELF_CARE
    expected = days if days is not None else ruleset.settings.safety_net_days
    assert result.safety_net.review_date == dt.date(2026, 12, 25) + dt.timedelta(days=expected)


def test_the_python_api_takes_raw_values() -> None:
    result = assess({**adult(), "age": "50", "groin_pain": True, "trend": "Worsening"}, today=TODAY)
    assert result.disposition is Disposition.MANUAL_THERAPIST
    assert result.advice.value == "manual_therapist"
    assert len(result.ruleset.sha256) == 64


def test_the_python_api_takes_a_language_in_any_case_and_a_day_as_text() -> None:
    result = assess(adult(), language="NL", today="2026-12-07")
    assert result.language is Language.NL
    assert result.date == dt.date(2026, 12, 7)
    assert assess(adult(), data_dir=str(DATA)).disposition is Disposition.SELF_CARE


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"language": "xx"}, "language 'xx' is not one of the languages: use 'nl' or 'en'"),
        ({"language": None}, "language None is not one of the languages"),
        ({"today": "7-12-2026"}, "today '7-12-2026' is not a date; give YYYY-MM-DD"),
        ({"today": "20261207"}, "today '20261207' is not a date; give YYYY-MM-DD"),
        ({"today": 20261207}, "today should be a date or YYYY-MM-DD text"),
        ({"today": "9999-12-31"}, "today: 9999-12-31 is out of range"),
    ],
)
def test_the_python_api_raises_its_own_error_for_a_bad_argument(
    arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(AnswersError, match=re.escape(message)):
        assess(adult(), **arguments)  # type: ignore[arg-type]
