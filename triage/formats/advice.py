"""The advice as a document: what every rendering (text, Markdown, JSON) shows, in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import NamedTuple

from triage.conditions import holds, questions_in
from triage.evaluate import voiced_texts
from triage.model import (
    UNKNOWN,
    Advice,
    AllOf,
    AnswerTest,
    Assessment,
    Condition,
    Disposition,
    Ruleset,
    SafetyNetSign,
    Texts,
    Value,
)


class Block(NamedTuple):
    """A heading and its points."""

    heading: str
    points: tuple[str, ...]


class SafetyNetText(NamedTuple):
    """The safety net in words."""

    heading: str
    call_112_intro: str
    call_112: tuple[str, ...]
    gp_intro: str
    gp: tuple[str, ...]
    review: str | None
    gp_today_intro: str = ""
    gp_today: tuple[str, ...] = ()
    always: tuple[str, ...] = ()
    """What every result says: when things get worse, and when in doubt."""


class Brief(NamedTuple):
    """The short version that fits one 80x24 screen: what to do, why, until then, what to
    say on the phone, and the signs to act on at once (design, section 9)."""

    title: str
    headline: str
    urgency: str
    why_heading: str
    why: tuple[str, ...]
    until_heading: str
    until: str
    phone_heading: str
    phone: tuple[str, ...]
    net: tuple[tuple[str, tuple[str, ...]], ...]
    """(intro, signs) for each level shown, at most 3 signs each."""
    scroll_up: str
    full_follows: str
    closing: tuple[str, ...] = ()


class AdviceDocument(NamedTuple):
    """Everything a person is told about one assessment, in one language."""

    title: str
    headline: str
    urgency: str
    advice: Advice
    blocks: tuple[Block, ...]
    safety_net: SafetyNetText
    disclaimer: str
    ruleset: str
    brief: Brief
    take_summary: bool = False
    """Whether the advice asks the person to take or read out the summary (the save
    question then defaults to yes)."""


_ADVICE_HEADING = {
    Advice.EMERGENCY: "result.what_to_do_heading",
    Advice.GP: "result.what_to_do_heading",
    Advice.MANUAL_THERAPIST: "result.about_heading",
    Advice.SELF_CARE: "result.self_help_heading",
}


def advice_document(
    assessment: Assessment, ruleset: Ruleset, *, months: int | None = None
) -> AdviceDocument:
    """The words for an assessment, in its language, worded for whoever answered; `months`
    is the age in months when it was typed so (said on the phone)."""
    texts = voiced_texts(ruleset, assessment.language, assessment.answers)
    disposition = assessment.disposition.value
    not_asked = (texts("result.not_asked"),) if assessment.not_asked else ()
    blocks = [
        Block(texts("result.meanwhile_heading"), assessment.meanwhile),
        Block(texts("result.why_heading"), tuple(r.reason for r in assessment.rules)),
        Block(texts("result.not_asked_heading"), not_asked),
        Block(texts("result.notes_heading"), tuple(text for _, text in assessment.notes)),
        Block(texts(_ADVICE_HEADING[assessment.advice]), _advice_points(assessment, texts)),
    ]
    return AdviceDocument(
        title=texts("ui.title"),
        headline=_headline(assessment, texts),
        urgency=texts("result.urgency", level=texts(f"disposition.{disposition}.urgency")),
        advice=assessment.advice,
        blocks=tuple(b for b in blocks if b.points),
        safety_net=_safety_net(assessment, ruleset, texts),
        disclaimer=texts("ui.disclaimer"),
        ruleset=texts(
            "result.ruleset", version=assessment.ruleset.version, sha=assessment.ruleset.sha256[:12]
        ),
        brief=_brief(assessment, ruleset, texts, months),
        take_summary=assessment.advice is Advice.GP,
    )


def _headline(assessment: Assessment, texts: Texts) -> str:
    """What to do and how soon; for self-care with the date to check again (not "the date
    below"), for the GP with what to do when the practice is closed; with who to call where
    the policy names someone: before the headline when that contact is called before the
    GP, else after it."""
    headline = _what_and_when(assessment, texts)
    if assessment.contact is None:
        return headline
    if assessment.contact_first:
        return f"{assessment.contact[1]} {headline}"
    return f"{headline} {assessment.contact[1]}"


def _what_and_when(assessment: Assessment, texts: Texts) -> str:
    """The disposition's headline in words."""
    disposition = assessment.disposition
    review = assessment.safety_net.review_date
    if disposition is Disposition.SELF_CARE and review is not None:
        return texts("result.brief.self_care_headline", date=format_date(review, texts))
    closed = _CLOSED.get(disposition)
    if closed is not None:
        return texts(closed)
    return texts(f"disposition.{disposition.value}.headline")


_CLOSED = {
    Disposition.GP_IMMEDIATELY: "result.brief.gp_now_headline",
    Disposition.GP_WITHIN_24_HOURS: "result.brief.gp_today_headline",
}


def _advice_points(assessment: Assessment, texts: Texts) -> tuple[str, ...]:
    """The advice group's points; for the GP without "the hip" and without "take this
    summary" (said only after a successful save), and the line about the manual therapist
    later only where it fits (GP within days or routine, from 16)."""
    review = _review(assessment, texts) or ""
    if assessment.advice is not Advice.GP:
        return texts.items(f"advice.{assessment.advice.value}.points", review=review)
    points = [texts("result.brief.gp_doctor_first")]
    age = assessment.answers.get("age")
    later = assessment.disposition in (Disposition.GP_WITHIN_DAYS, Disposition.GP_ROUTINE)
    if later and isinstance(age, int) and age >= 16:
        points.append(texts("result.brief.gp_therapist_later"))
    return tuple(points)


def _review_date(assessment: Assessment, texts: Texts) -> str:
    date = assessment.safety_net.review_date
    return format_date(date, texts) if date else ""


def format_date(date: dt.date, texts: Texts) -> str:
    """A date as people read it: 10 December 2026, or 10 december 2026 in Dutch."""
    return f"{date.day} {texts.items('result.months')[date.month - 1]} {date.year}"


def _review(assessment: Assessment, texts: Texts) -> str | None:
    """The self-care review line: by this date to the therapist (from 65: the GP)."""
    net = assessment.safety_net
    if net.review_date is None:
        return None
    key = "result.safety_review_gp" if net.review_with_gp else "result.safety_review"
    return texts(key, date=_review_date(assessment, texts))


def _safety_net(assessment: Assessment, ruleset: Ruleset, texts: Texts) -> SafetyNetText:
    """The safety net that fits this advice (design, sections 11 and 12): only signs that
    would make the person act sooner, none they already reported; the lines about waiting
    for a date or an appointment only where there is one."""
    shown = shown_signs(assessment, ruleset)
    disposition = assessment.disposition

    def lines(level: Disposition) -> tuple[str, ...]:
        return tuple(texts(f"safety_net.{s.id}.text") for s in shown if s.level is level)

    return SafetyNetText(
        heading=texts("result.safety_heading"),
        call_112_intro=texts("result.safety_112"),
        call_112=lines(Disposition.CALL_112),
        gp_intro=texts("result.safety_gp"),
        gp=lines(Disposition.GP_IMMEDIATELY),
        review=_review(assessment, texts),
        gp_today_intro=texts("result.safety_gp_today"),
        gp_today=lines(Disposition.GP_WITHIN_24_HOURS),
        always=_always(disposition, texts),
    )


def _always(disposition: Disposition, texts: Texts) -> tuple[str, ...]:
    """What to do when it gets worse, and when worried, as fits the advice."""
    if disposition is Disposition.CALL_112:
        return (texts("result.brief.call_112_again"),)
    if disposition is Disposition.GP_IMMEDIATELY:
        return (texts("result.brief.worse_call_again"),)
    if disposition is Disposition.GP_WITHIN_24_HOURS:
        return (texts("result.brief.worse_call_again"), texts("result.brief.worried_gp"))
    wait = (
        "result.brief.worse_before_date"
        if disposition is Disposition.SELF_CARE
        else ("result.brief.worse_before_appointment")
    )
    worried = (
        "result.brief.worried_self_care"
        if disposition is Disposition.SELF_CARE
        else "result.brief.worried_gp"
    )
    lines = [texts(wait), texts(worried)]
    if texts.language.value == "en":
        lines.append(texts("result.brief.huisartsenpost"))
    return tuple(lines)


def shown_signs(assessment: Assessment, ruleset: Ruleset) -> tuple[SafetyNetSign, ...]:
    """The safety-net signs this advice shows: more urgent than the advice (S1), not one
    the person reported (S2, reported), only those that can apply (S3); the signs the
    person was not sure about first (S4), then those that apply to this person only."""
    answers = assessment.answers
    if assessment.disposition is Disposition.CALL_112:
        return ()
    fired = {r.id for r in assessment.rules}
    rules = {r.id: r.when for r in ruleset.rules}
    signs = [
        sign
        for sign in ruleset.safety_net
        if sign.level.urgency < assessment.disposition.urgency
        and holds(sign.applies_when, answers)
        and not reported(sign, answers, fired, rules)
    ]
    unsure = [s for s in signs if any(answers.get(q) == UNKNOWN for q in _asked_in(s, rules))]
    rest = [s for s in signs if s not in unsure]
    # Then the signs for this person (something they answered: a knock to the head, a
    # pregnancy, a bone medicine; not an age alone) before those shown to everyone, so
    # that a short version keeps what is theirs.
    specific = [s for s in rest if _theirs(s, answers, ruleset)]
    return (*unsure, *specific, *(s for s in rest if s not in specific))


def _theirs(sign: SafetyNetSign, answers: Mapping[str, Value], ruleset: Ruleset) -> bool:
    """Whether a sign applies because of something the person answered (not "no", not a
    number such as the age)."""
    questionnaire = ruleset.questionnaire
    return any(
        answers.get(q) not in (None, "no") and not questionnaire.question(q).kind.is_number
        for q in questions_in(sign.applies_when)
    )


def reported(
    sign: SafetyNetSign,
    answers: Mapping[str, Value],
    fired: set[str],
    rules: Mapping[str, Condition],
) -> bool:
    """Whether the person already reported what a sign describes: a rule it covers fired,
    or (below 112) the event that starts each rule it covers (the fall of "a fall while on
    blood thinners") was answered yes. A 112 sign about what may follow an event (a
    headache after the fall) stays."""
    if fired.intersection(sign.covers):
        return True
    if sign.level is Disposition.CALL_112:
        return False
    starts = [_start(rules[rule]) for rule in sign.covers if rule in rules]
    return bool(starts) and all(q is not None and answers.get(q) == "yes" for q in starts)


def _start(condition: Condition) -> str | None:
    """The question whose yes a sign describes: its only yes-test, or the last of an "all"
    (the most specific: the signs after the knock to the head, not the fall; more pain on
    walking since the fall, not the fall itself); None for an "any" of several (each
    alternative fires the rule by itself)."""
    if isinstance(condition, AnswerTest):
        return condition.question if condition.values == ("yes",) else None
    if isinstance(condition, AllOf):
        found = [q for p in condition.parts if (q := _start(p)) is not None]
        return found[-1] if found else None
    return None


def _asked_in(sign: SafetyNetSign, rules: Mapping[str, Condition]) -> set[str]:
    return {q for rule in sign.covers if rule in rules for q in questions_in(rules[rule])}


def _brief(assessment: Assessment, ruleset: Ruleset, texts: Texts, months: int | None) -> Brief:
    """The short version (design, section 9)."""
    disposition = assessment.disposition
    until_heading, until = _until(assessment, texts)
    net = _safety_net(assessment, ruleset, texts)
    levels = [(net.call_112_intro, net.call_112[:3])]
    if disposition.urgency > Disposition.GP_IMMEDIATELY.urgency:
        levels.append((net.gp_intro, net.gp[:3]))
    closing = net.always[:1] if disposition is Disposition.CALL_112 else ()
    return Brief(
        title=texts("result.brief.title"),
        headline=_headline(assessment, texts),
        urgency=texts("result.urgency", level=texts(f"disposition.{disposition.value}.urgency")),
        why_heading=texts("result.brief.why"),
        why=tuple(r.reason for r in assessment.rules[:2]),
        until_heading=until_heading,
        until=until,
        phone_heading=texts("result.brief.phone_heading"),
        phone=phone_lines(assessment, ruleset, texts, months),
        net=tuple((intro, signs) for intro, signs in levels if signs),
        scroll_up=texts("result.brief.scroll_up"),
        full_follows=texts("result.brief.full_follows"),
        closing=closing,
    )


_UNTIL = {
    Disposition.CALL_112: "result.brief.until_ambulance",
    Disposition.GP_IMMEDIATELY: "result.brief.until_doctor",
    Disposition.GP_WITHIN_24_HOURS: "result.brief.until_doctor",
    Disposition.GP_WITHIN_DAYS: "result.brief.until_appointment",
    Disposition.GP_ROUTINE: "result.brief.until_appointment",
    Disposition.MANUAL_THERAPIST: "result.brief.until_first_visit",
    Disposition.SELF_CARE: "result.brief.until_better",
}


def _until(assessment: Assessment, texts: Texts) -> tuple[str, str]:
    """The heading that fits the advice, and the one thing to do (the rule's own line
    before the disposition's)."""
    first = assessment.meanwhile[0] if assessment.meanwhile else ""
    heading = texts(_UNTIL[assessment.disposition])
    if _words(first).startswith(_words(heading)):
        return "", first  # the line says it already ("Until the first visit, keep ...")
    return heading, first


def _words(text: str) -> str:
    return " ".join(text.lower().replace(",", " ").replace(":", " ").split())


def phone_lines(
    assessment: Assessment, ruleset: Ruleset, texts: Texts, months: int | None = None
) -> tuple[str, ...]:
    """What to say on the phone, from the answers: who and how old, side and how long,
    the signs answered yes, what the person was not sure about. No sex or gender."""
    answers = assessment.answers
    questionnaire = ruleset.questionnaire
    lines: list[str] = []
    age = answers.get("age")
    if isinstance(age, int):
        in_months = months is not None
        said = texts("ui.screens.age_in_months", years=age, months=months) if in_months else age
        lines.append(texts("result.brief.phone_who", age=said))
    by_kind = {questionnaire.question(q).kind.id: (q, v) for q, v in answers.items()}
    pregnancy = by_kind.get("pregnancy")
    if pregnancy is not None and pregnancy[1] != "no":  # the doctor must know (stand-in s11)
        said = _label(ruleset, texts, *pregnancy)
        lines.append(texts("result.brief.phone_pregnancy", pregnancy=said[:1].lower() + said[1:]))
    if "side" in by_kind and "duration" in by_kind:
        side, duration = by_kind["side"], by_kind["duration"]
        lines.append(
            texts(
                "result.brief.phone_side_duration",
                side=_label(ruleset, texts, *side).lower(),
                duration=_label(ruleset, texts, *duration).lower(),
            )
        )
    signs = _shorts(answers, ruleset, texts, "yes")
    if signs:
        lines.append(texts("result.brief.phone_signs", signs=signs))
    unsure = _shorts(answers, ruleset, texts, UNKNOWN)
    if unsure:
        lines.append(texts("result.brief.phone_unsure", signs=unsure))
    return tuple(lines)


def _shorts(answers: Mapping[str, Value], ruleset: Ruleset, texts: Texts, value: str) -> str:
    """The short labels of the yes/no questions answered `value`, joined with '; '."""
    return "; ".join(
        texts(f"question.{q}.short")
        for q, v in answers.items()
        if v == value and ruleset.questionnaire.question(q).kind.is_yes_no
    )


def _label(ruleset: Ruleset, texts: Texts, question_id: str, value: Value) -> str:
    kind = ruleset.questionnaire.question(question_id).kind
    return str(value) if kind.is_number else texts(f"value.{kind.id}.{value}")
