"""The texts people read: worded for whoever answers, and never contradicting the headline."""

from __future__ import annotations

import re

import pytest

from tests.conftest import TODAY, adult
from triage.evaluate import evaluate
from triage.model import Language, Ruleset, Texts

SECOND_PERSON = {
    Language.EN: re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE),
    Language.NL: re.compile(r"\b(je|jij|jou|jouw|jezelf|u|uw)\b", re.IGNORECASE),
}
# A parent or helper is rightly addressed as "you" where the text names the one they
# answer for: "your child", "the person you are helping".
NAMING_THE_PERSON = {
    Language.EN: re.compile(r"your child('s)?|the person you are helping", re.IGNORECASE),
    Language.NL: re.compile(r"je kind|de persoon die je helpt", re.IGNORECASE),
}
# Words that say how soon: the headline alone says that, so a reason never does.
TIME_FRAME = {
    Language.EN: re.compile(
        r"\b(now|today|tonight|tomorrow|within|at once|immediately|straight away|same day|"
        r"soon|urgent)\b",
        re.IGNORECASE,
    ),
    Language.NL: re.compile(
        r"\b(nu|vandaag|morgen|binnen|meteen|direct|dezelfde dag|spoed)\b",
        re.IGNORECASE,
    ),
}
VOICES = ("child", "other")


def _speaks_to_you(text: str, language: Language) -> bool:
    return bool(SECOND_PERSON[language].search(NAMING_THE_PERSON[language].sub("", text)))


def _after_voice(ruleset: Ruleset) -> list[str]:
    ids = list(ruleset.questionnaire.ids)
    voice = ruleset.questionnaire.voice
    assert voice is not None
    return ids[ids.index(voice) + 1 :]


@pytest.mark.parametrize("language", list(Language))
def test_every_question_after_who_answers_has_its_proxy_wording(
    ruleset: Ruleset, language: Language
) -> None:
    """A question that says "you" has a wording for a parent and for a helper; one that
    does not ("Is there pain in the groin?") reads right for everyone as it is."""
    texts = ruleset.texts[language]
    missing = [
        f"{question_id} ({voice})"
        for question_id in _after_voice(ruleset)
        for voice in VOICES
        if _speaks_to_you(texts.voiced(voice)(f"question.{question_id}.text"), language)
    ]
    assert not missing, f"questions that say 'you' to a parent or helper: {missing}"


@pytest.mark.parametrize("language", list(Language))
def test_group_titles_and_intros_speak_of_the_person_with_the_pain(
    ruleset: Ruleset, language: Language
) -> None:
    texts = ruleset.texts[language]
    for group in ruleset.questionnaire.groups[1:]:  # the emergency screen comes first
        for field in ("title", "intro"):
            for voice in VOICES:
                text = texts.voiced(voice)(f"group.{group.id}.{field}")
                assert not _speaks_to_you(text, language), (
                    group.id,
                    field,
                    voice,
                    text,
                )


@pytest.mark.parametrize("language", list(Language))
def test_the_emergency_screen_reads_right_for_anyone(ruleset: Ruleset, language: Language) -> None:
    texts = ruleset.texts[language]
    for question in ruleset.questionnaire.questions:
        if question.group == "emergency":
            assert not _speaks_to_you(texts(f"question.{question.id}.text"), language)


@pytest.mark.parametrize("language", list(Language))
def test_no_rule_reason_names_a_time_frame(ruleset: Ruleset, language: Language) -> None:
    """A reason under "Call the GP now" that said "within 24 hours" would contradict it."""
    texts = ruleset.texts[language]
    found = {
        rule.id: match.group(0)
        for rule in ruleset.rules
        for voice in (None, *VOICES)
        if (match := TIME_FRAME[language].search(texts.voiced(voice)(f"rule.{rule.id}.reason")))
    }
    assert not found, f"reasons that name a time frame: {found}"


def test_a_parent_reads_about_their_child(ruleset: Ruleset) -> None:
    answers = adult(respondent="child", age=17, limp="no", duration="over_12_weeks")
    result = evaluate(answers, ruleset, today=TODAY)
    from triage.formats.advice import advice_document

    document = advice_document(result, ruleset)
    points = [p for block in document.blocks for p in block.points]
    assert any("a manual therapist for your child yourself" in p for p in points)
    assert not any("examines your hip" in p for p in points)


def test_a_helper_reads_about_the_person_they_help(ruleset: Ruleset) -> None:
    from triage.formats.advice import advice_document

    answers = adult(respondent="other", age=80, stopped_walking="no")
    result = evaluate(answers, ruleset, today=TODAY)
    document = advice_document(result, ruleset)
    points = [p for block in document.blocks for p in block.points]
    assert any("Help them keep moving" in p for p in points)
    # From 65 the self-care review goes to the GP, not the therapist.
    assert document.safety_net.review is not None
    assert "with the GP" in document.safety_net.review


def test_scripted_answers_without_respondent_count_as_self(ruleset: Ruleset) -> None:
    result = evaluate(adult(), ruleset, today=TODAY)
    assert result.answers["respondent"] == "self"


@pytest.mark.parametrize("language", list(Language))
def test_variants_exist_only_for_texts_that_exist(ruleset: Ruleset, language: Language) -> None:
    texts: Texts = ruleset.texts[language]
    for key in texts.entries:
        for voice in VOICES:
            if key.endswith(f"_{voice}"):
                assert texts.has(key.removesuffix(f"_{voice}")), key
