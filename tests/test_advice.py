"""The advice in words: a safety net that fits the advice, a short version that comes first,
and no line that contradicts the time frame (design, sections 9 to 14)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import TODAY, adult
from tests.strategies import full_answers
from triage.evaluate import evaluate
from triage.formats.advice import AdviceDocument, advice_document
from triage.loader import load_ruleset
from triage.model import AnswerTest, AnyOf, Condition, Disposition, Language, Value

RULESET = load_ruleset()
RULES = {r.id: r.when for r in RULESET.rules}
WAIT_FOR_DATE = {Disposition.SELF_CARE}
WAIT_FOR_APPOINTMENT = {
    Disposition.GP_WITHIN_DAYS,
    Disposition.GP_ROUTINE,
    Disposition.MANUAL_THERAPIST,
}


def _document(answers: dict[str, Value], language: Language) -> tuple[AdviceDocument, object]:
    assessment = evaluate(answers, RULESET, language=language, today=TODAY)
    return advice_document(assessment, RULESET), assessment


def _firing_alone(condition: Condition) -> set[str]:
    """The questions whose yes alone makes a rule fire (a single test, or an alternative
    of an "any"): read here from the rule table, not from the code under test."""
    if isinstance(condition, AnswerTest):
        return {condition.question} if condition.values == ("yes",) else set()
    if isinstance(condition, AnyOf):
        return {q for part in condition.parts for q in _firing_alone(part)}
    return set()


@given(
    st.one_of(full_answers(), full_answers(realistic=True)),
    st.sampled_from(list(Language)),
)
def test_the_safety_net_names_no_reported_sign_and_nothing_contradicts_the_time_frame(
    answers: dict[str, Value], language: Language
) -> None:
    document, assessment = _document(answers, language)
    texts = RULESET.texts[language].voiced(assessment.answers.get("respondent"))  # type: ignore[attr-defined]
    disposition: Disposition = assessment.disposition  # type: ignore[attr-defined]
    used = assessment.answers  # type: ignore[attr-defined]
    fired = {r.id for r in assessment.rules}  # type: ignore[attr-defined]
    net = document.safety_net
    shown = {*net.call_112, *net.gp, *net.gp_today}
    for sign in RULESET.safety_net:
        if texts(f"safety_net.{sign.id}.text") not in shown:
            continue
        # S1: only what would make the person act sooner than the advice says
        assert sign.level.urgency < disposition.urgency, (sign.id, disposition)
        # S2: not a sign the person reported
        assert not fired.intersection(sign.covers), sign.id
        for rule in sign.covers:
            for question in _firing_alone(RULES[rule]):
                assert used.get(question) != "yes", (sign.id, question)
    always = " ".join(net.always)
    date_line = texts("result.brief.worse_before_date")
    appointment_line = texts("result.brief.worse_before_appointment")
    assert (date_line in always) is (disposition in WAIT_FOR_DATE)
    assert (appointment_line in always) is (disposition in WAIT_FOR_APPOINTMENT)
    lowering = [texts("result.brief.worried_gp"), texts("result.brief.worried_self_care")]
    if disposition in (Disposition.CALL_112, Disposition.GP_IMMEDIATELY):
        assert not any(line in always for line in lowering)
    if disposition is Disposition.CALL_112:
        assert not shown
        assert net.always == (texts("result.brief.call_112_again"),)
    # the short version says only what the full advice says
    for _, lines in document.brief.net:
        assert set(lines) <= shown
    assert document.brief.headline == document.headline


def test_a_parent_of_a_limping_child_is_not_told_to_call_if_the_child_limps() -> None:
    answers = adult(respondent="child", age=12, limp="yes")
    document, _ = _document(answers, Language.EN)
    child_limp = RULESET.texts[Language.EN]("safety_net.child_limp.text")
    assert child_limp not in {*document.safety_net.gp, *document.safety_net.call_112}


def test_112_advice_has_no_gp_safety_net_and_no_date_line() -> None:
    document, _ = _document({"breathless": "yes"}, Language.EN)
    net = document.safety_net
    assert net.gp == ()
    assert net.gp_today == ()
    assert net.call_112 == ()
    text = " ".join(net.always)
    assert "date" not in text
    assert "Worried" not in text
    assert net.always == ("If things get worse before help arrives, call 112 again.",)


def test_self_care_headline_names_the_date_and_the_english_explains_the_huisartsenpost() -> None:
    document, _ = _document(adult(), Language.EN)
    assert document.headline.endswith("Check again on 10 December 2026.")
    assert "date below" not in document.headline
    assert any(
        "The huisartsenpost is the GP service for evenings" in line
        for line in document.safety_net.always
    )
    dutch, _ = _document(adult(), Language.NL)
    assert not any(
        "huisartsenpost is de" in line.lower() and "out-of-hours" in line
        for line in dutch.safety_net.always
    )


def test_gp_advice_asks_to_take_the_summary_and_never_names_the_hip() -> None:
    document, _ = _document(adult(fever_or_unwell="yes"), Language.EN)
    assert document.take_summary
    points = next(b.points for b in document.blocks if b.heading == "What to do")
    assert points == ("Because of these answers, it is better that a doctor looks first.",)
    assert "Take this summary" not in " ".join(points)  # said only after a successful save
    therapist, _ = _document(adult(duration="over_12_weeks"), Language.EN)
    assert not therapist.take_summary


def test_the_short_version_says_who_how_old_where_and_how_long_for_the_phone() -> None:
    answers = adult(
        respondent="other",
        age=84,
        stopped_walking="no",
        recent_fall="yes",
        head_injury="unknown",
        anticoagulant="yes",
        fall_pain_walking="no",
    )
    document, _ = _document(answers, Language.EN)
    phone = " ".join(document.brief.phone)
    texts = RULESET.texts[Language.EN].voiced("other")
    assert phone.startswith("I am calling about someone of 84.")
    side = texts(f"value.side.{answers['side']}").lower()
    duration = texts(f"value.duration.{answers['duration']}").lower()
    assert f"Side: {side}. How long: {duration}." in phone
    assert texts("question.groin_pain.short") in phone  # where
    assert texts("question.recent_fall.short") in phone
    assert "Not sure about: head hit in the fall" in phone
    assert document.brief.title == "Advice for the person you help"
    # what the person was not sure about comes first in the safety net (S4)
    first = document.brief.net[0][1][0]
    assert "head" in first or "blood thinners" in first
