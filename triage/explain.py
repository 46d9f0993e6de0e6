"""Why an assessment came out as it did: the decision path, and the nearest "what if"."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from triage.checks import numbers_tested
from triage.errors import AnswersError
from triage.flow import reached_answers
from triage.model import Disposition, Ruleset, SectionKind, Value
from triage.rules import Decision, decide


@dataclass(frozen=True, slots=True)
class RuleTrace:
    """One rule as checked: fired, possibly (open through unknowns), or not."""

    id: str
    disposition: Disposition
    status: str
    answers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectionTrace:
    """One section of the rule table: whether it was checked, and its rules."""

    id: str
    checked: bool
    rules: tuple[RuleTrace, ...]


@dataclass(frozen=True, slots=True)
class WhatIf:
    """A single changed answer and the disposition it would give."""

    question: str
    was: Value
    becomes: Value
    disposition: Disposition


@dataclass(frozen=True, slots=True)
class Explanation:
    """The decision path of one answer set."""

    disposition: Disposition
    decided_by: str
    answers: Mapping[str, Value]
    sections: tuple[SectionTrace, ...]
    what_ifs: tuple[WhatIf, ...]


def explain(answers: Mapping[str, Value], ruleset: Ruleset) -> Explanation:
    """Trace the rules on checked, complete answers (see rules.evaluate)."""
    used = reached_answers(ruleset, answers)
    decision = decide(used, ruleset)
    return Explanation(
        disposition=decision.disposition,
        decided_by=decision.fired[0].rule.id,
        answers=used,
        sections=tuple(_sections(used, ruleset, decision)),
        what_ifs=nearest_what_ifs(used, ruleset, decision.disposition),
    )


def _sections(
    answers: Mapping[str, Value], ruleset: Ruleset, decision: Decision
) -> Iterator[SectionTrace]:
    fired = {f.rule.id: f.answers for f in decision.fired}
    possibly = {f.rule.id: f.answers for f in decision.open}
    for section in ruleset.sections:
        traces = []
        for rule in (r for r in ruleset.rules if r.section == section.id):
            if rule.id in fired:
                traces.append(RuleTrace(rule.id, rule.disposition, "fired", fired[rule.id]))
            elif rule.id in possibly:
                traces.append(RuleTrace(rule.id, rule.disposition, "possibly", possibly[rule.id]))
            else:
                traces.append(RuleTrace(rule.id, rule.disposition, "not fired", ()))
        checked = section.kind is not SectionKind.FALLBACK or any(
            t.status == "fired" for t in traces
        )
        yield SectionTrace(section.id, checked, tuple(traces))


def nearest_what_ifs(
    answers: Mapping[str, Value], ruleset: Ruleset, disposition: Disposition
) -> tuple[WhatIf, ...]:
    """The nearest single changes that would make the advice more and less urgent."""
    found = [w for w in _single_changes(answers, ruleset) if w.disposition is not disposition]
    order = ruleset.questionnaire.ids

    def distance(change: WhatIf) -> tuple[int, int]:
        steps = abs(change.disposition.urgency - disposition.urgency)
        return steps, order.index(change.question)

    worse = sorted((w for w in found if w.disposition.urgency < disposition.urgency), key=distance)
    better = sorted((w for w in found if w.disposition.urgency > disposition.urgency), key=distance)
    return tuple(w[0] for w in (worse, better) if w)


def _single_changes(answers: Mapping[str, Value], ruleset: Ruleset) -> Iterator[WhatIf]:
    for question_id, was in answers.items():
        for becomes in _alternatives(question_id, was, ruleset):
            changed = {**answers, question_id: becomes}
            try:
                used = reached_answers(ruleset, changed)
            except AnswersError:
                continue  # the change opens questions without answers
            yield WhatIf(question_id, was, becomes, decide(used, ruleset).disposition)


def _alternatives(question_id: str, was: Value, ruleset: Ruleset) -> list[Value]:
    kind = ruleset.questionnaire.question(question_id).kind
    if not kind.is_number:
        return [v for v in kind.values if v != was]
    edges = {n + d for n in numbers_tested(ruleset, question_id) for d in (-1, 0, 1)}
    return sorted(n for n in edges if kind.minimum <= n <= kind.maximum and n != was)
