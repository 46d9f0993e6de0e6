"""The advice as a document: what every rendering (text, Markdown, JSON) shows, in words."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from triage.evaluate import voiced_texts
from triage.model import Advice, Assessment, Ruleset, Texts


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


_ADVICE_HEADING = {
    Advice.EMERGENCY: "result.what_to_do_heading",
    Advice.GP: "result.what_to_do_heading",
    Advice.MANUAL_THERAPIST: "result.about_heading",
    Advice.SELF_CARE: "result.self_help_heading",
}


def advice_document(assessment: Assessment, ruleset: Ruleset) -> AdviceDocument:
    """The words for an assessment, in its language, worded for whoever answered."""
    texts = voiced_texts(ruleset, assessment.language, assessment.answers)
    disposition = assessment.disposition.value
    not_asked = (texts("result.not_asked"),) if assessment.not_asked else ()
    blocks = [
        Block(texts("result.meanwhile_heading"), assessment.meanwhile),
        Block(texts("result.why_heading"), tuple(r.reason for r in assessment.rules)),
        Block(texts("result.not_asked_heading"), not_asked),
        Block(texts("result.notes_heading"), tuple(text for _, text in assessment.notes)),
        Block(
            texts(_ADVICE_HEADING[assessment.advice]),
            texts.items(
                f"advice.{assessment.advice.value}.points",
                review=_review(assessment, texts) or "",
            ),
        ),
    ]
    return AdviceDocument(
        title=texts("ui.title"),
        headline=_headline(assessment, texts),
        urgency=texts("result.urgency", level=texts(f"disposition.{disposition}.urgency")),
        advice=assessment.advice,
        blocks=tuple(b for b in blocks if b.points),
        safety_net=_safety_net(assessment, texts),
        disclaimer=texts("ui.disclaimer"),
        ruleset=texts(
            "result.ruleset", version=assessment.ruleset.version, sha=assessment.ruleset.sha256[:12]
        ),
    )


def _headline(assessment: Assessment, texts: Texts) -> str:
    """What to do and how soon, with who to call where the policy names someone: before
    the headline when that contact is called before the GP, else after it."""
    headline = texts(f"disposition.{assessment.disposition.value}.headline")
    if assessment.contact is None:
        return headline
    if assessment.contact_first:
        return f"{assessment.contact[1]} {headline}"
    return f"{headline} {assessment.contact[1]}"


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


def _safety_net(assessment: Assessment, texts: Texts) -> SafetyNetText:
    net = assessment.safety_net
    return SafetyNetText(
        heading=texts("result.safety_heading"),
        call_112_intro=texts("result.safety_112"),
        call_112=net.call_112,
        gp_intro=texts("result.safety_gp"),
        gp=net.gp_immediately,
        review=_review(assessment, texts),
        gp_today_intro=texts("result.safety_gp_today"),
        gp_today=net.gp_today,
        always=texts.items("result.safety_always"),
    )
