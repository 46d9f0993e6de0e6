"""A plain reading of the rule table and the walk, for the tests to hold the engine to.

Written as the policy reads, without the engine's compiled table (rules.Engine,
conditions.Table): each condition evaluated on its tree in Kleene's three-valued logic,
every rule looked at, the walk one question at a time. Slow and short on purpose; it
decides nothing in the program. (It is the engine of version 2, before the table.)
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from triage.conditions import test_value
from triage.model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Condition,
    Otherwise,
    Possibly,
    Rule,
    Ruleset,
    SectionKind,
    Truth,
    UnknownAnswers,
    Value,
)

Answers = Mapping[str, Value]
Named = tuple[str, tuple[str, ...]]
"""A rule's id and the questions it names."""


def truth(condition: Condition, answers: Answers, pending: AbstractSet[str] = frozenset()) -> Truth:
    """The condition's value; a test of a `pending` question counts as passing."""
    match condition:
        case AnswerTest(question=question):
            if question in pending:
                return Truth.TRUE
            return test_value(condition, answers.get(question))
        case AllOf(parts):
            values = [truth(p, answers, pending) for p in parts]
            if Truth.FALSE in values:
                return Truth.FALSE
            return Truth.MAYBE if Truth.MAYBE in values else Truth.TRUE
        case AnyOf(parts):
            values = [truth(p, answers, pending) for p in parts]
            if Truth.TRUE in values:
                return Truth.TRUE
            return Truth.MAYBE if Truth.MAYBE in values else Truth.FALSE
        case Always():
            return Truth.TRUE
    raise TypeError(condition)


def witnesses(condition: Condition, answers: Answers) -> tuple[Truth, list[str]]:
    """The value, and the questions of the tests of that value reached through parts of
    that value."""
    match condition:
        case AnswerTest(question=question):
            value = truth(condition, answers)
            return value, [] if value is Truth.FALSE else [question]
        case AllOf(parts) | AnyOf(parts):
            value = truth(condition, answers)
            if value is Truth.FALSE:
                return value, []
            found = [witnesses(p, answers) for p in parts]
            return value, [q for v, named in found if v is value for q in named]
        case Always():
            return Truth.TRUE, []
    raise TypeError(condition)


def _in_order(ruleset: Ruleset, questions: list[str] | set[str]) -> tuple[str, ...]:
    return tuple(q for q in ruleset.questionnaire.ids if q in questions)


def _count(ruleset: Ruleset, questions: set[str]) -> int:
    counted = ruleset.questionnaire.combined_by_part
    return len({counted.get(q, q) for q in questions})


def firings(
    ruleset: Ruleset, answers: Answers, *, fallback: bool, settling_only: bool = False
) -> tuple[list[Named], list[Named]]:
    """The rules that fire (id, questions) in table order, and the screening rules open."""
    settle_at = ruleset.settings.settled_stop_at.urgency
    unknown_rules = [
        r
        for s in ruleset.sections
        if s.kind is SectionKind.UNKNOWN
        for r in s.rules
        if r.disposition.urgency <= settle_at
    ]
    looked_at = {r.when.disposition for r in unknown_rules if isinstance(r.when, Possibly)}
    counts = any(not isinstance(r.when, Possibly) for r in unknown_rules)
    fired: list[tuple[Rule, tuple[str, ...]]] = []
    open_: list[tuple[Rule, tuple[str, ...]]] = []
    for rule in ruleset.screening:
        settling = counts or rule.disposition.urgency <= settle_at
        if settling_only and not (settling or rule.disposition in looked_at):
            continue
        value, named = witnesses(rule.when, answers)
        if value is Truth.TRUE:
            fired.append((rule, _in_order(ruleset, named)))
        elif value is Truth.MAYBE:
            open_.append((rule, _in_order(ruleset, named)))
    for section in ruleset.sections:
        if section.kind is SectionKind.UNKNOWN:
            for rule in section.rules:
                if unknown := _looked_at(ruleset, rule, open_):
                    fired.append((rule, _in_order(ruleset, unknown)))
        elif (
            section.kind is SectionKind.FALLBACK
            and fallback
            and not fired
            and truth(section.applies_when, answers) is Truth.TRUE
        ):
            fired += _fallback(ruleset, section.rules, answers, open_)
    return [(r.id, n) for r, n in fired], [(r.id, n) for r, n in open_]


def _looked_at(ruleset: Ruleset, rule: Rule, open_: list[tuple[Rule, tuple[str, ...]]]) -> set[str]:
    when = rule.when
    if isinstance(when, Possibly):
        return {q for r, named in open_ if r.disposition is when.disposition for q in named}
    if isinstance(when, UnknownAnswers):
        every = {q for _, named in open_ for q in named}
        return every if _count(ruleset, every) >= when.at_least else set()
    return set()


def _fallback(
    ruleset: Ruleset,
    rules: tuple[Rule, ...],
    answers: Answers,
    open_: list[tuple[Rule, tuple[str, ...]]],
) -> list[tuple[Rule, tuple[str, ...]]]:
    found: list[tuple[Rule, tuple[str, ...]]] = []
    for rule in rules:
        if isinstance(rule.when, Otherwise):
            if not found:
                found.append((rule, ()))
        elif isinstance(rule.when, Possibly | UnknownAnswers):
            if looked_at := _looked_at(ruleset, rule, open_):
                found.append((rule, _in_order(ruleset, looked_at)))
        else:
            value, named = witnesses(rule.when, answers)
            if value is Truth.TRUE:
                found.append((rule, _in_order(ruleset, named)))
    return found


def decide(ruleset: Ruleset, answers: Answers) -> tuple[list[Named], list[Named]]:
    """The rules that fire, most urgent first (ties in table order), and those open."""
    fired, open_ = firings(ruleset, answers, fallback=True)
    urgency = {r.id: r.disposition.urgency for r in ruleset.rules}
    return sorted(fired, key=lambda f: urgency[f[0]]), open_


def could_fire_above(
    ruleset: Ruleset, answers: Answers, pending: AbstractSet[str], urgency: int
) -> bool:
    """Some rule more urgent than `urgency` could fire, whatever the pending answers."""
    screened = {t.question for r in ruleset.screening for t in _tests(r.when)}
    for rule in ruleset.rules:
        if rule.disposition.urgency >= urgency:
            continue
        when = rule.when
        if rule.kind is SectionKind.SCREEN:
            possible = truth(when, answers, pending) is Truth.TRUE
        elif isinstance(when, Possibly):
            possible = any(
                truth(r.when, answers, pending) is not Truth.FALSE
                for r in ruleset.screening
                if r.disposition is when.disposition
            )
        elif isinstance(when, UnknownAnswers):
            could = {q for q in screened if q in pending or answers.get(q) == UNKNOWN}
            possible = _count(ruleset, could) >= when.at_least
        elif isinstance(when, Otherwise):
            possible = True
        else:
            possible = truth(when, answers, pending) is not Truth.FALSE
        if possible:
            return True
    return False


def _tests(condition: Condition) -> list[AnswerTest]:
    if isinstance(condition, AnswerTest):
        return [condition]
    if isinstance(condition, AllOf | AnyOf):
        return [t for p in condition.parts for t in _tests(p)]
    return []


def settled(ruleset: Ruleset, answers: Answers, pending: AbstractSet[str]) -> bool:
    """The settled stop: the settling rules that fire reach the settled-stop disposition,
    and nothing more urgent could still fire."""
    fired, _ = firings(ruleset, answers, fallback=False, settling_only=True)
    urgency = {r.id: r.disposition.urgency for r in ruleset.rules}
    most = min((urgency[rule_id] for rule_id, _ in fired), default=None)
    if most is None or most > ruleset.settings.settled_stop_at.urgency:
        return False
    return not could_fire_above(ruleset, answers, pending, most)


def reach(ruleset: Ruleset, answers: Answers) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """The questions the walk reaches, those without an answer, and whether it stopped
    early: one question at a time, the stops looked at after each group."""
    questionnaire = ruleset.questionnaire
    given = {**questionnaire.defaults, **answers}
    reached: list[str] = []
    missing: list[str] = []
    done: dict[str, Value] = {}
    settling = False
    groups = questionnaire.groups
    for place, group in enumerate(groups):
        start = len(reached)
        for question in group.questions:
            if truth(question.ask_when, done) is Truth.FALSE:
                continue
            reached.append(question.id)
            value = given.get(question.id)
            if value is None:
                missing.append(question.id)
            else:
                done[question.id] = value
        later = frozenset(q.id for g in groups[place + 1 :] for q in g.questions)
        settling = settling or group.id == questionnaire.settled_stop_from
        if group.stop_on is not None and any(done.get(q) == group.stop_on for q in reached[start:]):
            kept = reached[:start] + [q for q in reached[start:] if q in done]
            return tuple(kept), tuple(q for q in missing if q in kept), True
        if not settling or not later:
            continue
        if settled(ruleset, done, later | set(missing)):
            return tuple(reached), tuple(missing), True
        settle_at = ruleset.settings.settled_stop_at.urgency
        if missing and could_fire_above(ruleset, done, frozenset(missing), settle_at + 1):
            break
    return tuple(reached), tuple(missing), False
