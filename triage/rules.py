"""The decision engine: which rules of the table fire on the answers, and when the walk
may stop early because the advice is settled.

Pure: no input, output or interface code. Rules fire on TRUE; a screening rule that is
MAYBE (open only through answers of `unknown`) is "possibly fired", which the rules of the
`unknown` section and `possibly` conditions look at.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from triage.conditions import Evaluator, best_case, evaluator, questions_in, traced, truth
from triage.errors import DataError
from triage.memo import PerObject
from triage.model import (
    UNKNOWN,
    AllOf,
    AnswerTest,
    AnyOf,
    Condition,
    Disposition,
    Otherwise,
    Possibly,
    Questionnaire,
    Rule,
    Ruleset,
    SectionKind,
    Truth,
    UnknownAnswers,
    Value,
)


class Firing(NamedTuple):
    """A rule that fired, and the ids of the questions whose answers made it fire (or of the
    unknowns it looked at)."""

    rule: Rule
    questions: tuple[str, ...]


class Decision(NamedTuple):
    """Every rule that fired, most urgent first, and the screening rules left open."""

    fired: tuple[Firing, ...]
    open: tuple[Firing, ...]

    @property
    def disposition(self) -> Disposition:
        """The disposition of the most urgent rule that fired."""
        return self.fired[0].rule.disposition


def decide(answers: Mapping[str, Value], ruleset: Ruleset) -> Decision:
    """Which rules fire on these answers (the reached ones), most urgent first.

    A reading of the rule table: the screening sections' rules fire on TRUE and are left
    open on MAYBE; the unknown section's rules fire on what the open ones leave open; a
    fallback section's rules are checked only when nothing fired before it and the
    section applies. Rules of equal urgency stay in table order.
    """
    fired, open_ = _firings(answers, ruleset, fallback=True)
    if not fired:
        raise DataError(
            "rules.toml",
            "",
            "no rule fired on these answers; every answer set "
            "needs a rule that decides (add a fallback section)",
        )
    fired.sort(key=_urgency)
    return Decision(tuple(fired), tuple(open_))


def _firings(
    answers: Mapping[str, Value], ruleset: Ruleset, *, fallback: bool
) -> tuple[list[Firing], list[Firing]]:
    """The rules that fire (the fallback sections' only with `fallback`), and the
    screening rules left open, in table order."""
    order = {q: i for i, q in enumerate(ruleset.questionnaire.ids)}
    kinds = {s.id: s.kind for s in ruleset.sections}
    fired: list[Firing] = []
    open_: list[Firing] = []
    for rule in ruleset.rules:
        if kinds[rule.section] is SectionKind.SCREEN:
            value, named = traced(rule.when)(answers)
            if value is Truth.TRUE:
                fired.append(Firing(rule, in_order(named, order)))
            elif value is Truth.MAYBE:
                open_.append(Firing(rule, in_order(named, order)))
    unknowns = Unknowns(open_, ruleset.questionnaire)
    for section in ruleset.sections:
        rules = [r for r in ruleset.rules if r.section == section.id]
        if section.kind is SectionKind.UNKNOWN:
            for rule in rules:
                if found := unknowns.answers(rule):
                    fired.append(Firing(rule, in_order(found, order)))
        elif (
            section.kind is SectionKind.FALLBACK
            and fallback
            and not fired
            and truth(section.applies_when, answers) is Truth.TRUE
        ):
            fired += fallback_firings(rules, answers, unknowns, order)
    return fired, open_


def in_order(question_ids: Iterable[str], order: Mapping[str, int]) -> tuple[str, ...]:
    """The questions once each, in the questionnaire's order."""
    return tuple(sorted(set(question_ids), key=order.__getitem__))


def settled(answers: Mapping[str, Value], pending: AbstractSet[str], ruleset: Ruleset) -> bool:
    """Whether the advice is settled (the settled stop of the answers contract).

    Settled: the rules that fire on `answers` already give the settled-stop disposition
    or a more urgent one, and no answers to the `pending` questions, whatever they are,
    could make it more urgent still. Rules never negate, so a rule that fires keeps
    firing as more answers come; only rules that could still fire can raise the urgency.
    """
    certain = settling_urgency(answers, ruleset)
    if certain is None:
        return False
    return not could_fire_above(answers, pending, ruleset, certain)


def settling_urgency(answers: Mapping[str, Value], ruleset: Ruleset) -> int | None:
    """The urgency of the most urgent rule that fires on these answers, when it is that of
    the settled-stop disposition or more urgent; None otherwise.

    The same as the most urgent of `_firings` (a property test holds them together), but
    looking only at the rules that can give such a disposition: the walk asks this after
    every group.
    """
    settling = _settling_plan(ruleset)
    if settling is None:  # a rule this quick look does not cover: the whole table
        fired, _ = _firings(answers, ruleset, fallback=False)
        most = min((f.rule.disposition.urgency for f in fired), default=None)
        limit = ruleset.settings.settled_stop_at.urgency
        return most if most is not None and most <= limit else None
    opened = settling.openers.intersection(answers.items())
    if not opened:
        return None  # no answer can fire such a rule
    # A rule no given answer opens is FALSE: only those some answer opens are looked at.
    places = {place for pair in opened for place in settling.opened_by[pair]}
    urgent: list[int] = []
    open_: set[Disposition] = set()
    for place in sorted(places):
        rule, check = settling.screen[place]
        value = check(answers)
        if value is Truth.TRUE and rule.disposition.urgency <= settling.limit:
            urgent.append(rule.disposition.urgency)
        elif value is Truth.MAYBE:
            open_.add(rule.disposition)
    urgent += [
        rule.disposition.urgency for rule, looks_at in settling.possibly if looks_at in open_
    ]
    return min(urgent, default=None)


def could_settle(answers: Mapping[str, Value], pending: AbstractSet[str], ruleset: Ruleset) -> bool:
    """Whether answers to the `pending` questions could settle the advice (an upper bound)."""
    return could_fire_above(answers, pending, ruleset, ruleset.settings.settled_stop_at.urgency + 1)


def could_fire_above(
    answers: Mapping[str, Value], pending: AbstractSet[str], ruleset: Ruleset, urgency: int
) -> bool:
    """Whether a rule more urgent than `urgency` could fire once the pending questions are
    answered, whatever their answers (an upper bound: when in doubt, it could)."""
    shape = _shape(ruleset)
    screen = shape.screen
    for rule in shape.by_urgency:
        if rule.disposition.urgency >= urgency:
            break
        when = rule.when
        if shape.kinds[rule.section] is SectionKind.SCREEN:
            possible = best_case(when, answers, pending) is Truth.TRUE
        elif isinstance(when, Possibly):
            possible = any(
                r.disposition is when.disposition
                and best_case(r.when, answers, pending) is not Truth.FALSE
                for r in screen
            )
        elif isinstance(when, UnknownAnswers):
            possible = _unknowns_possible(answers, pending, screen, ruleset) >= when.at_least
        else:
            possible = isinstance(when, Otherwise) or (
                best_case(when, answers, pending) is not Truth.FALSE
            )
        if possible:
            return True
    return False


def _unknowns_possible(
    answers: Mapping[str, Value], pending: AbstractSet[str], screen: list[Rule], ruleset: Ruleset
) -> int:
    """At most how many answers could be unknowns that open screening rules (the parts of
    a combined answer count as one)."""
    asked = {q for rule in screen for q in questions_in(rule.when)}
    counted_as = ruleset.questionnaire.counted_as
    return len({counted_as(q) for q in asked if q in pending or answers.get(q) == UNKNOWN})


def _urgency(firing: Firing) -> int:
    return firing.rule.disposition.urgency


class Unknowns:
    """The unknown answers that leave screening rules open, by those rules' disposition."""

    def __init__(self, open_: Iterable[Firing], questionnaire: Questionnaire) -> None:
        self.by_disposition: dict[Disposition, set[str]] = {}
        for firing in open_:
            self.by_disposition.setdefault(firing.rule.disposition, set()).update(firing.questions)
        self.every: set[str] = set().union(*self.by_disposition.values())
        self.count = len({questionnaire.counted_as(q) for q in self.every})
        """How many answers: the parts of a combined answer count as one."""

    def answers(self, rule: Rule) -> AbstractSet[str]:
        """The unknown answers that make a `possibly` or `unknown_answers` rule fire."""
        when = rule.when
        if isinstance(when, Possibly):
            return self.by_disposition.get(when.disposition, _NONE)
        if isinstance(when, UnknownAnswers) and self.count >= when.at_least:
            return self.every
        return _NONE


_NONE: frozenset[str] = frozenset()


class _Settling(NamedTuple):
    """The rules that can give the settled-stop disposition or a more urgent one."""

    limit: int
    screen: list[tuple[Rule, Evaluator]]
    """Screening rules at the limit or above, and those `possibly` rules look at."""
    possibly: list[tuple[Rule, Disposition]]
    """Unknown-section rules at the limit or above, with the disposition they look at."""
    openers: frozenset[tuple[str, Value]]
    """Answers without one of which none of these rules can fire."""
    opened_by: Mapping[tuple[str, Value], tuple[int, ...]]
    """For each of those answers, the places in `screen` of the rules it can open."""


def _find_settling(ruleset: Ruleset) -> _Settling | None:
    """The quick look of settling_urgency, worked out once a ruleset; None for a rule table
    it does not cover (an urgent rule that counts unknowns, or a screening rule that needs
    no answer)."""
    limit = ruleset.settings.settled_stop_at.urgency
    kinds = {s.id: s.kind for s in ruleset.sections}
    screen = [r for r in ruleset.rules if kinds[r.section] is SectionKind.SCREEN]
    possibly: list[tuple[Rule, Disposition]] = []
    for rule in ruleset.rules:
        if rule.disposition.urgency > limit or kinds[rule.section] is SectionKind.SCREEN:
            continue
        if not isinstance(rule.when, Possibly):
            return None
        possibly.append((rule, rule.when.disposition))
    looked_at = {d for _, d in possibly}
    wanted = [r for r in screen if r.disposition.urgency <= limit or r.disposition in looked_at]
    opened_by: dict[tuple[str, Value], list[int]] = {}
    for place, rule in enumerate(wanted):
        found = opening_answers(rule.when, ruleset)
        if found is None:
            return None
        for pair in found:
            opened_by.setdefault(pair, []).append(place)
    checks = [(r, evaluator(r.when)) for r in wanted]
    index = {pair: tuple(places) for pair, places in opened_by.items()}
    return _Settling(limit, checks, possibly, frozenset(index), index)


def opening_answers(condition: Condition, ruleset: Ruleset) -> set[tuple[str, Value]] | None:
    """Answers without one of which the condition is FALSE; None if there are none such.

    An `any` is FALSE unless some part is not, so any part's answers can open it; an `all`
    is FALSE unless every part is not, so the answers of its most selective part suffice.
    """
    if isinstance(condition, AnswerTest):
        return set(_pairs(condition, ruleset))
    if isinstance(condition, AnyOf):
        parts = [opening_answers(p, ruleset) for p in condition.parts]
        if any(p is None for p in parts):
            return None
        return set().union(*(p for p in parts if p is not None))
    if isinstance(condition, AllOf):
        known = [p for p in (opening_answers(p, ruleset) for p in condition.parts) if p is not None]
        return min(known, key=len) if known else None
    return None


def _pairs(test: AnswerTest, ruleset: Ruleset) -> Iterator[tuple[str, Value]]:
    """Every answer that makes the test TRUE or MAYBE."""
    kind = ruleset.questionnaire.question(test.question).kind
    values: Iterable[Value] = (
        range(kind.minimum, kind.maximum + 1) if kind.is_number else kind.values
    )
    check = evaluator(test)
    for value in values:
        if check({test.question: value}) is not Truth.FALSE:
            yield test.question, value


def fallback_firings(
    rules: list[Rule],
    answers: Mapping[str, Value],
    unknowns: Unknowns,
    order: Mapping[str, int] | None,
) -> list[Firing]:
    """The rules of a fallback section that fire: the first `otherwise` only when none
    before it did. Without `order` (batches) firings name no answers."""
    firings: list[Firing] = []
    for rule in rules:
        named: Iterable[str] = ()
        if isinstance(rule.when, Otherwise):
            if firings:
                continue
        elif isinstance(rule.when, Possibly | UnknownAnswers):
            named = unknowns.answers(rule)
            if not named:
                continue
        else:
            value, named = traced(rule.when)(answers)
            if value is not Truth.TRUE:
                continue
        firings.append(Firing(rule, in_order(named, order) if order is not None else ()))
    return firings


_settling_plan: PerObject[Ruleset, _Settling | None] = PerObject(_find_settling, size=8)


class _Shape(NamedTuple):
    """How a rule table is laid out: each section's kind, the screening rules, and every
    rule from the most to the least urgent."""

    kinds: dict[str, SectionKind]
    screen: list[Rule]
    by_urgency: list[Rule]


def _find_shape(ruleset: Ruleset) -> _Shape:
    kinds = {s.id: s.kind for s in ruleset.sections}
    screen = [r for r in ruleset.rules if kinds[r.section] is SectionKind.SCREEN]
    by_urgency = sorted(ruleset.rules, key=lambda rule: rule.disposition.urgency)
    return _Shape(kinds, screen, by_urgency)


_shape: PerObject[Ruleset, _Shape] = PerObject(_find_shape, size=8)
