"""Renderings without a terminal: the contract's JSON, and Markdown for the therapist or GP."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from triage.model import Assessment, Ruleset, Texts, Value

if TYPE_CHECKING:
    from triage.advice import AdviceDocument

SCHEMA = "triage.assessment/2"


def assessment_json(assessment: Assessment, ruleset: Ruleset) -> dict[str, object]:
    """The JSON object of the answers contract, with the advice in words beside it."""
    from triage.evaluate import voiced_texts

    texts = voiced_texts(ruleset, assessment.language, assessment.answers)
    net = assessment.safety_net
    return {
        "schema": SCHEMA,
        "disposition": assessment.disposition.value,
        "advice": assessment.advice.value,
        "rules": [
            {
                "id": r.id,
                "disposition": r.disposition.value,
                "reason": r.reason,
                "section": r.section,
                "answers": list(r.answers),
            }
            for r in assessment.rules
        ],
        "ruleset": {"version": assessment.ruleset.version, "sha256": assessment.ruleset.sha256},
        "language": assessment.language.value,
        "headline": texts(f"disposition.{assessment.disposition.value}.headline"),
        "notes": [{"id": note_id, "text": text} for note_id, text in assessment.notes],
        "meanwhile": list(assessment.meanwhile),
        "safety_net": {
            "call_112": list(net.call_112),
            "gp_immediately": list(net.gp_immediately),
            "gp_today": list(net.gp_today),
            "review_date": net.review_date.isoformat() if net.review_date else None,
            "review_with": "gp" if net.review_with_gp else "manual_therapist",
        },
        "ignored": list(assessment.ignored),
        "not_asked": list(assessment.not_asked),
        "answers": dict(assessment.answers),
        "date": assessment.date.isoformat(),
    }


def to_json(assessment: Assessment, ruleset: Ruleset) -> str:
    """The JSON output as one line of text."""
    return json.dumps(assessment_json(assessment, ruleset))


def to_markdown(assessment: Assessment, ruleset: Ruleset) -> str:
    """A summary to show the manual therapist or GP."""
    from triage.advice import advice_document, format_date
    from triage.evaluate import voiced_texts

    texts = voiced_texts(ruleset, assessment.language, assessment.answers)
    document = advice_document(assessment, ruleset)
    lines = [
        f"# {texts('result.report_title')}",
        "",
        texts("result.report_date", date=format_date(assessment.date, texts)),
        "",
        f"## {texts('result.heading')}",
        "",
        f"**{document.headline}**",
        "",
        document.urgency,
        "",
    ]
    for block in document.blocks:
        lines += [f"## {block.heading}", "", *(f"- {p}" for p in block.points), ""]
    lines += _safety_lines(document)
    lines += _answer_lines(assessment, ruleset, texts)
    lines += ["---", "", f"*{document.disclaimer}*", "", f"*{document.ruleset}*", ""]
    return "\n".join(lines)


def _safety_lines(document: AdviceDocument) -> list[str]:
    net = document.safety_net
    lines = [
        f"## {net.heading}",
        "",
        net.call_112_intro,
        "",
        *(f"- {s}" for s in net.call_112),
        "",
        net.gp_intro,
        "",
        *(f"- {s}" for s in net.gp),
        "",
    ]
    if net.gp_today:
        lines += [net.gp_today_intro, "", *(f"- {s}" for s in net.gp_today), ""]
    lines += [*(f"- {s}" for s in net.always), ""]
    if net.review:
        lines += [net.review, ""]
    return lines


def _answer_lines(assessment: Assessment, ruleset: Ruleset, texts: Texts) -> list[str]:
    lines = [f"## {texts('result.answers_heading')}", "", "| | |", "| --- | --- |"]
    for question_id, value in assessment.answers.items():
        question = texts(f"question.{question_id}.text").replace("|", "\\|")
        lines.append(f"| {question} | {answer_label(ruleset, texts, question_id, value)} |")
    lines.append("")
    if assessment.not_asked:
        shorts = ", ".join(texts(f"question.{q}.short") for q in assessment.not_asked)
        lines += [f"**{texts('result.not_asked_heading')}:** {shorts}", ""]
    if assessment.ignored:
        lines += [texts("result.ignored", ids=", ".join(assessment.ignored)), ""]
    return lines


def answer_label(ruleset: Ruleset, texts: Texts, question_id: str, value: Value) -> str:
    """An answer in words: 'Yes', 'Up to 30 minutes', or the age."""
    kind = ruleset.questionnaire.question(question_id).kind
    return str(value) if kind.is_number else texts(f"value.{kind.id}.{value}")
