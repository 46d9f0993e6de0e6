"""The handover note: the Markdown summary a person takes to the manual therapist or GP.

Shaped like the screening a Dutch manual therapist does for direct access, what the reader
needs first at the top: who answered and when, the complaint (place, side, since when,
course), the warning signs present, not sure, absent and not asked, the advice and why;
then every answer, and last the advice as the person read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from triage.evaluate import answer_label, voiced_texts
from triage.formats.advice import AdviceDocument, advice_document, format_date
from triage.model import UNKNOWN, Assessment, Ruleset, Texts, Value


def to_markdown(
    assessment: Assessment,
    ruleset: Ruleset,
    *,
    at: dt.datetime | None = None,
    unsure: tuple[str, ...] = (),
) -> str:
    """The handover note for an assessment; `at` adds the time it was made; `unsure` are
    the questions left without an answer because the person was not sure about one or
    more of them (a tick with "I am not sure" on the emergency screen)."""
    texts = voiced_texts(ruleset, assessment.language, assessment.answers)
    document = advice_document(assessment, ruleset)
    lines = [
        *_header(assessment, ruleset, texts, at),
        *_findings(assessment, ruleset, texts),
        *_signs(assessment, ruleset, texts, unsure),
        *_conclusion(document, texts),
        *_answer_table(assessment, ruleset, texts),
        *_advice(document, texts),
        "---",
        "",
        f"*{document.disclaimer}*",
        "",
        f"*{document.ruleset}*",
        "",
    ]
    return "\n".join(lines)


def _header(
    assessment: Assessment, ruleset: Ruleset, texts: Texts, at: dt.datetime | None
) -> list[str]:
    when = format_date(assessment.date, texts)
    if at is not None and at.date() == assessment.date:
        when += f", {at:%H:%M}"
    lines = [f"# {texts('result.report_title')}", "", texts("result.report_date", date=when)]
    # After a stop on the emergency screen, who answers was never asked: not "the person".
    asked = assessment.answers.get("respondent") is not None
    return [*lines, "", texts("result.report_by" if asked else "result.report_by_not_asked"), ""]


def _conclusion(document: AdviceDocument, texts: Texts) -> list[str]:
    why = next((b for b in document.blocks if b.heading == texts("result.why_heading")), None)
    lines = [f"## {texts('result.heading')}", "", f"**{document.headline}**", "", document.urgency]
    if why is not None:
        lines += ["", *(f"- {p}" for p in why.points)]
    return [*lines, ""]


def _sign_groups(ruleset: Ruleset) -> set[str]:
    """The groups of warning signs: checklists of yes/no questions only. A group that also
    asks a choice (the side, how long, the course) describes the person or the complaint,
    its tick lists included (the places of the pain)."""
    questionnaire = ruleset.questionnaire
    return {
        g.id
        for g in questionnaire.groups
        if g.checklist and all(q.kind.is_yes_no for q in g.questions)
    }


def _findings(assessment: Assessment, ruleset: Ruleset, texts: Texts) -> Iterator[str]:
    """The answers of each group that is no group of warning signs (the person, where the
    pain is and how long, more about it), short."""
    questionnaire = ruleset.questionnaire
    signs = _sign_groups(ruleset)
    for group in questionnaire.groups:
        if group.id in signs:
            continue
        rows = [
            f"- {texts(f'question.{q.id}.short')}: {answer_label(q.id, value, ruleset, texts)}"
            for q in group.questions
            if (value := assessment.answers.get(q.id)) is not None
        ]
        if rows:
            yield from [f"## {texts(f'group.{group.id}.title')}", "", *rows, ""]


def _signs(
    assessment: Assessment, ruleset: Ruleset, texts: Texts, unsure: tuple[str, ...]
) -> list[str]:
    """The warning signs asked on checklists: present, unclear, absent, not asked."""
    checklists = _sign_groups(ruleset)
    asked = [
        (q.id, assessment.answers[q.id])
        for q in ruleset.questionnaire.questions
        if q.group in checklists and q.id in assessment.answers
    ]

    def shorts(ids: list[str]) -> str:
        return "; ".join(texts(f"question.{q}.short") for q in ids) or "-"

    by_value: dict[Value, list[str]] = {"yes": [], UNKNOWN: [], "no": []}
    for question_id, value in asked:
        by_value.setdefault(value, []).append(question_id)
    lines = [
        f"## {texts('result.report_signs')}",
        "",
        f"- **{texts('result.report_present')}:** {shorts(by_value['yes'])}",
        f"- **{texts('result.report_unclear')}:** {shorts(by_value[UNKNOWN])}",
        f"- {texts('result.report_absent')}: {shorts(by_value['no'])}",
    ]
    if unsure:
        lines.append(f"- **{texts('result.brief.not_answered_unsure')}:** {shorts(list(unsure))}")
    not_asked = [q for q in assessment.not_asked if q not in unsure]
    if not_asked:
        lines.append(f"- {texts('result.not_asked_heading')}: {shorts(not_asked)}")
    return [*lines, ""]


def _answer_table(assessment: Assessment, ruleset: Ruleset, texts: Texts) -> list[str]:
    lines = [f"## {texts('result.answers_heading')}", "", "| | |", "| --- | --- |"]
    for question_id, value in assessment.answers.items():
        question = texts(f"question.{question_id}.text").replace("|", "\\|")
        lines.append(f"| {question} | {answer_label(question_id, value, ruleset, texts)} |")
    lines.append("")
    if assessment.ignored:
        lines += [texts("result.ignored", ids=", ".join(assessment.ignored)), ""]
    return lines


def _advice(document: AdviceDocument, texts: Texts) -> list[str]:
    lines = [f"## {texts('result.report_for_person')}", ""]
    for block in document.blocks:
        lines += [f"### {block.heading}", "", *(f"- {p}" for p in block.points), ""]
    net = document.safety_net
    lines += [f"### {net.heading}", ""]
    for intro, signs in (
        (net.call_112_intro, net.call_112),
        (net.gp_intro, net.gp),
        (net.gp_today_intro, net.gp_today),
    ):
        if signs:
            lines += [intro, "", *(f"- {s}" for s in signs), ""]
    lines += [line for paragraph in net.always for line in (paragraph, "")]
    if net.review:
        lines += [f"**{net.review}**", ""]
    return lines
