"""Who to call first (policy, section 6b): the contact named with the headline."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY, adult
from triage.answers import normalize
from triage.evaluate import evaluate
from triage.formats.advice import advice_document
from triage.formats.output import assessment_json
from triage.model import Language, Ruleset, Value


def _contact(ruleset: Ruleset, **changes: Value) -> tuple[str, str] | None:
    answers = normalize(adult(**changes), ruleset.questionnaire)
    return evaluate(answers, ruleset, today=TODAY).contact


@pytest.mark.parametrize(
    ("changes", "target"),
    [
        ({"reduced_immunity": "yes", "fever_or_unwell": "yes"}, "fever_reduced_immunity"),
        ({"recent_hip_operation": "yes", "wound_problem": "yes"}, "prosthesis_infection"),
        ({"recent_hip_injection": "yes", "wound_problem": "no"}, "recent_procedure"),
        (
            {"age": 30, "pregnancy": "possibly", "early_pregnancy_warning": "yes"},
            "ectopic_pregnancy",
        ),
        ({"age": 30, "pregnancy": "given_birth", "swollen_leg": "yes"}, "dvt"),
        (
            {"age": 30, "pregnancy": "20_weeks_or_more", "duration": "3_to_6_weeks"},
            "manual_therapist",
        ),
        ({"respondent": "other", "age": 84, "cancer_history": "yes"}, "gp_within_days"),
    ],
)
def test_the_first_contact_is_named_for_its_rule_or_disposition(
    ruleset: Ruleset, changes: dict[str, Value], target: str
) -> None:
    contact = _contact(ruleset, **changes)
    assert contact is not None
    assert contact[0] == target


def test_no_contact_where_the_policy_names_none(ruleset: Ruleset) -> None:
    assert _contact(ruleset, duration="6_to_12_weeks") is None  # the therapist, not pregnant
    assert _contact(ruleset, cancer_history="yes") is None  # the GP, answering for oneself


def test_an_operation_comes_before_an_injection(ruleset: Ruleset) -> None:
    both = {"recent_hip_operation": "yes", "recent_hip_injection": "yes", "wound_problem": "no"}
    operation = _contact(ruleset, **both)
    injection = _contact(ruleset, recent_hip_injection="yes", wound_problem="no")
    assert operation is not None
    assert injection is not None
    assert operation[1] != injection[1]


def test_the_contact_follows_the_headline_and_is_in_the_json(ruleset: Ruleset) -> None:
    answers = normalize(adult(reduced_immunity="yes", fever_or_unwell="yes"), ruleset.questionnaire)
    for language in Language:
        assessment = evaluate(answers, ruleset, language=language, today=TODAY)
        assert assessment.contact is not None
        document = advice_document(assessment, ruleset)
        assert assessment.contact_first  # the treatment team is called before the GP
        assert document.headline.startswith(assessment.contact[1])
        output = assessment_json(assessment, ruleset)
        assert output["contact"] == {"for": "fever_reduced_immunity", "text": assessment.contact[1]}


def test_uncontrolled_pain_asks_for_the_painkillers_tried_not_paracetamol(ruleset: Ruleset) -> None:
    answers = normalize(adult(uncontrolled_pain="yes"), ruleset.questionnaire)
    for language in Language:
        assessment = evaluate(answers, ruleset, language=language, today=TODAY)
        assert assessment.disposition.value == "gp_within_days"
        texts = ruleset.texts[language]
        assert texts("meanwhile.painkillers_tried.text") in assessment.meanwhile
        assert texts("disposition.gp_within_days.meanwhile") not in assessment.meanwhile


def test_a_contact_that_is_not_called_first_follows_the_headline(ruleset: Ruleset) -> None:
    answers = normalize(
        adult(respondent="other", age=84, cancer_history="yes"), ruleset.questionnaire
    )
    assessment = evaluate(answers, ruleset, today=TODAY)
    assert assessment.contact is not None
    assert not assessment.contact_first
    assert advice_document(assessment, ruleset).headline.endswith(assessment.contact[1])


def test_a_reason_names_only_the_answers_that_made_its_rule_fire(ruleset: Ruleset) -> None:
    answers = normalize(adult(steroid_use="yes"), ruleset.questionnaire)
    for language in Language:
        assessment = evaluate(answers, ruleset, language=language, today=TODAY)
        reason = next(r.reason for r in assessment.rules if r.id == "avascular_necrosis")
        assert "alcohol" not in reason
        assert ruleset.texts[language]("rule.avascular_necrosis.because.steroid_use") in reason


def test_after_a_knock_to_the_head_the_head_signs_come_first(ruleset: Ruleset) -> None:
    """Stand-in s12: a fall with a knock to the head on Ascal, GP today. The lines on what
    may follow the knock are shown (the fall alone does not count as reporting them), and
    before the lines shown to everyone, so that the short version keeps them."""
    from triage.formats.advice import shown_signs

    answers = adult(age=58, recent_fall="yes", head_injury="yes", antiplatelet="yes")
    assessment = evaluate(normalize(answers, ruleset.questionnaire), ruleset, today=TODAY)
    assert assessment.disposition.value == "gp_within_24_hours"
    shown = [s.id for s in shown_signs(assessment, ruleset)]
    assert {"head_injury_112", "head_injury_gp"} <= set(shown)
    assert shown.index("head_injury_gp") < shown.index("infection")


def test_after_a_fall_at_80_walking_as_usual_the_fall_line_stays(ruleset: Ruleset) -> None:
    """Walking more painfully since the fall is what the line names: the fall alone does
    not make it a sign the person already reported."""
    from triage.formats.advice import shown_signs

    answers = adult(age=80, recent_fall="yes", fall_pain_walking="no", trend="improving")
    assessment = evaluate(normalize(answers, ruleset.questionnaire), ruleset, today=TODAY)
    assert "fall_older" in [s.id for s in shown_signs(assessment, ruleset)]
    walking = adult(age=80, recent_fall="yes", fall_pain_walking="yes")
    worse = evaluate(normalize(walking, ruleset.questionnaire), ruleset, today=TODAY)
    assert "fall_older" not in [s.id for s in shown_signs(worse, ruleset)]


def test_the_phone_line_says_a_possible_pregnancy(ruleset: Ruleset) -> None:
    from triage.formats.advice import phone_lines

    answers = adult(age=28, pregnancy="possibly", early_pregnancy_warning="yes")
    assessment = evaluate(normalize(answers, ruleset.questionnaire), ruleset, today=TODAY)
    texts = ruleset.texts[Language.EN]
    lines = phone_lines(assessment, ruleset, texts)
    assert any(line.startswith("Pregnancy: maybe") for line in lines)
    plain = evaluate(normalize(adult(), ruleset.questionnaire), ruleset, today=TODAY)
    assert not any("Pregnancy" in line for line in phone_lines(plain, ruleset, texts))


def test_an_age_alone_does_not_put_a_sign_first(ruleset: Ruleset) -> None:
    """The short version of a self-care advice at 35 starts its 112 lines with the fall,
    not with the line for a fall on an anticoagulant that nobody reported."""
    from triage.formats.advice import shown_signs

    answers = adult(age=35, duration="under_1_week", trend="improving")
    assessment = evaluate(normalize(answers, ruleset.questionnaire), ruleset, today=TODAY)
    assert shown_signs(assessment, ruleset)[0].id == "fall"
