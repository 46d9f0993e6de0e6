"""From checked answers to an Assessment: the walk, the rules, and the advice in words.

Pure, like the engine it calls: no input, output or interface code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from triage.conditions import holds, truth
from triage.flow import not_asked, walked
from triage.model import (
    Assessment,
    Condition,
    Disposition,
    FiredRule,
    Language,
    Ruleset,
    SafetyNet,
    Texts,
    Truth,
    Value,
)
from triage.rules import Decision, Firing, decide


def evaluate(
    answers: Mapping[str, Value],
    ruleset: Ruleset,
    *,
    language: Language = Language.EN,
    today: dt.date | None = None,
) -> Assessment:
    """Assess checked answers (see answers.normalize): the walk, the rules, the advice."""
    walk, used = walked(ruleset, answers)
    decision = decide(used, ruleset, kills=walk.kills)
    texts = voiced_texts(ruleset, language, used)
    date = today or dt.date.today()
    return Assessment(
        disposition=decision.disposition,
        rules=tuple(_fired(f, texts, used, ruleset) for f in decision.fired),
        notes=_notes(decision.disposition, used, ruleset, texts),
        safety_net=_safety_net(decision.disposition, used, ruleset, texts, date),
        answers=used,
        ignored=_ignored(answers, used, ruleset),
        ruleset=ruleset.info,
        language=language,
        date=date,
        meanwhile=_meanwhile(decision, texts),
        not_asked=not_asked(ruleset, walk, used),
        **_contact(decision, used, ruleset, texts),
    )


def _contact(
    decision: Decision, answers: Mapping[str, Value], ruleset: Ruleset, texts: Texts
) -> dict[str, Any]:
    """Who to call first: the first contact for a rule that fired with the deciding
    disposition (in the order of the rules), else for the disposition."""
    disposition = decision.disposition
    deciding = [f.rule.id for f in decision.fired if f.rule.disposition is disposition]
    for target in (*deciding, disposition.value):
        for contact in ruleset.contacts:
            if target in contact.for_ and holds_true(contact.when, answers):
                line = texts(f"contact.{contact.id}.text")
                return {"contact": (target, line), "contact_first": contact.first}
    return {}


def holds_true(condition: Condition, answers: Mapping[str, Value]) -> bool:
    """The condition is TRUE on the answers (an unknown answer does not make it hold)."""
    return truth(condition, answers) is Truth.TRUE


def _ignored(
    answers: Mapping[str, Value], used: Mapping[str, Value], ruleset: Ruleset
) -> tuple[str, ...]:
    """The answers given to questions the walk did not reach. A part of a combined answer
    whose other part was reached is not listed: a combined (version 2) id gives every part
    its answer, also the part not asked (alcohol under 18), which the person never gave."""
    questionnaire = ruleset.questionnaire
    covered = {
        part
        for parts in questionnaire.combined.values()
        if any(p in used for p in parts)
        for part in parts
    }
    return tuple(
        q for q in questionnaire.ids if q in answers and q not in used and q not in covered
    )


def voiced_texts(ruleset: Ruleset, language: Language, answers: Mapping[str, Value]) -> Texts:
    """The texts of a language, worded for whoever answers (the voice question's answer)."""
    texts = ruleset.texts[language]
    voice = ruleset.questionnaire.voice
    return texts.voiced(answers.get(voice) if voice else None)


def _fired(
    firing: Firing, texts: Texts, answers: Mapping[str, Value], ruleset: Ruleset
) -> FiredRule:
    rule = firing.rule
    labels = ", ".join(texts(f"question.{q}.short") for q in firing.questions)
    because = " ".join(
        texts(
            f"rule.{rule.id}.because.{q}",
            answer=answer_label(q, answers.get(q), ruleset, texts, in_sentence=True),
        )
        for q in firing.questions
        if texts.has(f"rule.{rule.id}.because.{q}")
    )
    return FiredRule(
        id=rule.id,
        section=rule.section,
        disposition=rule.disposition,
        reason=texts(f"rule.{rule.id}.reason", answers=labels, because=because),
        questions=firing.questions,
    )


def answer_label(
    question_id: str,
    value: Value | None,
    ruleset: Ruleset,
    texts: Texts,
    *,
    in_sentence: bool = False,
) -> str:
    """An answer in words: the value's label ('Yes', '30 minutes or less'), or the number;
    `in_sentence` starts a label in lower case, to stand inside a sentence (`{answer}` of a
    rule's `because` line)."""
    if value is None or isinstance(value, int):
        return str(value)
    kind = ruleset.questionnaire.question(question_id).kind
    if kind.is_number:
        return str(value)
    label = texts(f"value.{kind.id}.{value}")
    return label[:1].lower() + label[1:] if in_sentence else label


def _meanwhile(decision: Decision, texts: Texts) -> tuple[str, ...]:
    """What to do until help comes: the lines of the rules with the deciding disposition,
    then the disposition's own line, each line once."""
    disposition = decision.disposition
    ids = [
        f.rule.meanwhile
        for f in decision.fired
        if f.rule.disposition is disposition and f.rule.meanwhile
    ]
    lines = [texts(f"meanwhile.{i}.text") for i in ids]
    instead = any(
        f.rule.meanwhile_instead for f in decision.fired if f.rule.disposition is disposition
    )
    if not instead:
        lines.append(texts(f"disposition.{disposition.value}.meanwhile"))
    return tuple(dict.fromkeys(lines))


def _notes(
    disposition: Disposition, answers: Mapping[str, Value], ruleset: Ruleset, texts: Texts
) -> tuple[tuple[str, str], ...]:
    return tuple(
        (note.id, texts(f"note.{note.id}.text"))
        for note in ruleset.notes
        if disposition in note.dispositions and truth(note.when, answers) is Truth.TRUE
    )


def _safety_net(
    disposition: Disposition,
    answers: Mapping[str, Value],
    ruleset: Ruleset,
    texts: Texts,
    today: dt.date,
) -> SafetyNet:
    def signs(level: Disposition) -> tuple[str, ...]:
        return tuple(
            texts(f"safety_net.{s.id}.text")
            for s in ruleset.safety_net
            if s.level is level and holds(s.applies_when, answers)
        )

    review = None
    if disposition is Disposition.SELF_CARE:
        review = today + dt.timedelta(days=ruleset.settings.safety_net_days)
    return SafetyNet(
        call_112=signs(Disposition.CALL_112),
        gp_immediately=signs(Disposition.GP_IMMEDIATELY),
        review_date=review,
        gp_today=signs(Disposition.GP_WITHIN_24_HOURS),
        review_with_gp=truth(ruleset.review_with_gp, answers) is Truth.TRUE,
    )
