"""The decision engine: from checked answers and a loaded ruleset to an Assessment.

Pure: no input, output or interface code. Rules fire on TRUE; a screening rule that is
MAYBE (open only through answers of `unknown`) is "possibly fired", which the rules of the
`unknown` section and `possibly` conditions look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from triage.answers import missing_message
from triage.conditions import holds, truth, witnesses
from triage.errors import AnswersError, DataError
from triage.flow import reach
from triage.model import (
    Assessment,
    Disposition,
    FiredRule,
    Language,
    Otherwise,
    Possibly,
    Rule,
    Ruleset,
    SafetyNet,
    SectionKind,
    Texts,
    Truth,
    UnknownAnswers,
    Value,
)


class Firing(NamedTuple):
    """A rule that fired, and the answers that made it fire (or the unknowns it looked at)."""

    rule: Rule
    answers: tuple[str, ...]


class Decision(NamedTuple):
    """Every rule that fired, most urgent first, and the screening rules left open."""

    fired: tuple[Firing, ...]
    open: tuple[Firing, ...]

    @property
    def disposition(self) -> Disposition:
        """The disposition of the most urgent rule that fired."""
        return self.fired[0].rule.disposition


def evaluate(
    answers: Mapping[str, Value],
    ruleset: Ruleset,
    *,
    language: Language = Language.EN,
    today: dt.date | None = None,
) -> Assessment:
    """Assess checked answers (see answers.normalize): the walk, the rules, the advice."""
    walk = reach(ruleset.questionnaire, answers)
    if walk.missing:
        raise AnswersError(missing_message(walk.missing))
    used = {q: answers[q] for q in walk.reached}
    decision = decide(used, ruleset)
    texts = ruleset.texts[language]
    date = today or dt.date.today()
    return Assessment(
        disposition=decision.disposition,
        rules=tuple(_fired(f, texts) for f in decision.fired),
        notes=_notes(decision.disposition, used, ruleset, texts),
        safety_net=_safety_net(decision.disposition, used, ruleset, texts, date),
        answers=used,
        ignored=tuple(q for q in ruleset.questionnaire.ids if q in answers and q not in used),
        ruleset=ruleset.info,
        language=language,
        date=date,
    )


def decide(answers: Mapping[str, Value], ruleset: Ruleset) -> Decision:
    """Which rules fire on these answers (the reached ones), most urgent first."""
    kinds = {s.id: s.kind for s in ruleset.sections}
    order = ruleset.questionnaire.ids
    fired: list[Firing] = []
    open_: list[Firing] = []
    for rule in (r for r in ruleset.rules if kinds[r.section] is SectionKind.SCREEN):
        found = truth(rule.when, answers)
        if found is not Truth.FALSE:
            target = fired if found is Truth.TRUE else open_
            target.append(Firing(rule, _in_order(witnesses(rule.when, answers), order)))
    for section in ruleset.sections:
        rules = [r for r in ruleset.rules if r.section == section.id]
        if section.kind is SectionKind.UNKNOWN:
            fired += _meta_firings(rules, open_, order)
        elif (
            section.kind is SectionKind.FALLBACK
            and not fired
            and truth(section.applies_when, answers) is Truth.TRUE
        ):
            fired += _fallback(rules, answers, open_, order)
    if not fired:
        raise DataError(
            "rules.toml",
            "",
            "no rule fired on these answers; every answer set "
            "needs a rule that decides (add a fallback section)",
        )
    fired.sort(key=lambda f: f.rule.disposition.urgency)
    return Decision(tuple(fired), tuple(open_))


def _meta_firings(rules: list[Rule], open_: list[Firing], order: tuple[str, ...]) -> list[Firing]:
    firings = []
    for rule in rules:
        answers = _meta_answers(rule, open_, order)
        if answers:
            firings.append(Firing(rule, answers))
    return firings


def _meta_answers(rule: Rule, open_: list[Firing], order: tuple[str, ...]) -> tuple[str, ...]:
    """The unknown answers that make a `possibly` or `unknown_answers` rule fire, or ()."""
    match rule.when:
        case Possibly(disposition):
            return _in_order(
                (q for f in open_ if f.rule.disposition is disposition for q in f.answers), order
            )
        case UnknownAnswers(at_least):
            answers = _in_order((q for f in open_ for q in f.answers), order)
            return answers if len(answers) >= at_least else ()
    return ()


def _fallback(
    rules: list[Rule], answers: Mapping[str, Value], open_: list[Firing], order: tuple[str, ...]
) -> list[Firing]:
    firings: list[Firing] = []
    for rule in rules:
        if isinstance(rule.when, Otherwise):
            if not firings:
                firings.append(Firing(rule, ()))
        elif isinstance(rule.when, Possibly | UnknownAnswers):
            found = _meta_answers(rule, open_, order)
            if found:
                firings.append(Firing(rule, found))
        elif truth(rule.when, answers) is Truth.TRUE:
            firings.append(Firing(rule, _in_order(witnesses(rule.when, answers), order)))
    return firings


def _in_order(question_ids: Iterable[str], order: tuple[str, ...]) -> tuple[str, ...]:
    wanted = set(question_ids)
    return tuple(q for q in order if q in wanted)


def _fired(firing: Firing, texts: Texts) -> FiredRule:
    rule = firing.rule
    labels = ", ".join(texts(f"question.{q}.short") for q in firing.answers)
    return FiredRule(
        id=rule.id,
        section=rule.section,
        disposition=rule.disposition,
        reason=texts(f"rule.{rule.id}.reason", answers=labels),
        answers=firing.answers,
    )


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
    )
