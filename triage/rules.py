"""The decision engine: which rules of the table fire on the answers, and whether a more
urgent rule could still fire while questions are pending (the settled stop).

No input, output or interface code. Rules fire on TRUE; a screening rule that is MAYBE
(open only through answers of `unknown`) is "possibly fired", which the rules of the
`unknown` section and `possibly` conditions look at.

The rule table is compiled once per ruleset (`Engine`): each condition as a function of
the answers, and, for each answer, the screening rules it can open (a screening rule no
given answer opens is FALSE, so it is not evaluated). The interactive walk, `assess`,
`batch`, `explain` and the settled stop all decide with this one engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from triage.conditions import Evaluator, Traced, best, evaluator, questions_in, traced
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


def decide(answers: Mapping[str, Value], ruleset: Ruleset, *, named: bool = True) -> Decision:
    """Which rules fire on these answers (the reached ones), most urgent first.

    A reading of the rule table: the screening sections' rules fire on TRUE and are left
    open on MAYBE; the unknown section's rules fire on what the open ones leave open; a
    fallback section's rules are checked only when nothing fired before it and the
    section applies. Rules of equal urgency stay in table order. Without `named` (a batch
    needs only the rules), the rules that fire name no answers.
    """
    fired, open_ = engine(ruleset).firings(answers, fallback=True, named=named)
    if not fired:
        raise DataError(
            "rules.toml",
            "",
            "no rule fired on these answers; every answer set "
            "needs a rule that decides (add a fallback section)",
        )
    fired.sort(key=_urgency)
    return Decision(tuple(fired), tuple(open_))


def settled(answers: Mapping[str, Value], pending: AbstractSet[str], ruleset: Ruleset) -> bool:
    """Whether the advice is settled (the settled stop of the answers contract).

    Settled: the rules that fire on `answers` already give the settled-stop disposition
    or a more urgent one, and no answers to the `pending` questions, whatever they are,
    could make it more urgent still. Rules never negate, so a rule that fires keeps
    firing as more answers come; only rules that could still fire can raise the urgency.
    """
    compiled = engine(ruleset)
    if compiled.may_settle is not None and compiled.may_settle.isdisjoint(answers.items()):
        return False  # no answer opens a rule that could settle it (Engine.may_settle)
    fired, _ = compiled.firings(answers, fallback=False, named=False, only=compiled.settling)
    most = min((f.rule.disposition.urgency for f in fired), default=None)
    if most is None or most > compiled.settle_at:
        return False
    return not compiled.could_fire_above(answers, pending, most)


def could_settle(answers: Mapping[str, Value], pending: AbstractSet[str], ruleset: Ruleset) -> bool:
    """Whether answers to the `pending` questions could settle the advice (an upper bound)."""
    compiled = engine(ruleset)
    return compiled.could_fire_above(answers, pending, compiled.settle_at + 1)


class Unknowns:
    """The unknown answers that leave screening rules open, by those rules' disposition."""

    def __init__(self, open_: Iterable[Firing], counted_as: Mapping[str, str]) -> None:
        self.by_disposition: dict[Disposition, set[str]] = {}
        for firing in open_:
            self.by_disposition.setdefault(firing.rule.disposition, set()).update(firing.questions)
        self.every: set[str] = set().union(*self.by_disposition.values())
        self.count = count_answers(self.every, counted_as)
        """How many answers: the parts of a combined answer count as one."""

    def answers(self, rule: Rule) -> AbstractSet[str]:
        """The unknown answers that make a `possibly` or `unknown_answers` rule fire."""
        when = rule.when
        if isinstance(when, Possibly):
            return self.by_disposition.get(when.disposition, _NONE)
        if isinstance(when, UnknownAnswers) and self.count >= when.at_least:
            return self.every
        return _NONE


def count_answers(question_ids: Iterable[str], counted_as: Mapping[str, str]) -> int:
    """How many answers these questions' answers are: the parts of a combined answer count
    as one (Questionnaire.counted_as)."""
    return len({counted_as.get(q, q) for q in question_ids})


_NONE: frozenset[str] = frozenset()
_NO_UNKNOWNS = Unknowns((), {})


class _Screen(NamedTuple):
    """A screening rule, compiled: its value, and its value with the answers that give it."""

    rule: Rule
    truth: Evaluator
    traced: Traced


class Engine:
    """The rule table of one ruleset, compiled once (see `engine`)."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.order = {q: i for i, q in enumerate(ruleset.questionnaire.ids)}
        self.counted_as = ruleset.questionnaire.combined_by_part
        self.screen = [_Screen(r, evaluator(r.when), traced(r.when)) for r in ruleset.screening]
        self.sections = [s for s in ruleset.sections if s.kind is not SectionKind.SCREEN]
        self.settle_at = ruleset.settings.settled_stop_at.urgency
        self.questions_screened = frozenset(
            q for s in self.screen for q in questions_in(s.rule.when)
        )
        self._index(ruleset)
        self.possible = [
            (rule.disposition.urgency, self._possible(rule))
            for rule in sorted(ruleset.rules, key=lambda rule: rule.disposition.urgency)
        ]
        """Each rule, most urgent first: its urgency, and whether it could still fire."""

    def _index(self, ruleset: Ruleset) -> None:
        """For each answer, the places of the screening rules it can open; the places of
        those no single answer is needed for are always evaluated."""
        opened_by: dict[tuple[str, Value], list[int]] = {}
        always: list[int] = []
        for place, screen in enumerate(self.screen):
            found = opening_answers(screen.rule.when, ruleset)
            if found is None:
                always.append(place)
                continue
            for pair in found:
                opened_by.setdefault(pair, []).append(place)
        self.always = frozenset(always)
        self.opened_by = {pair: frozenset(places) for pair, places in opened_by.items()}
        urgent = [s.rule.disposition.urgency <= self.settle_at for s in self.screen]
        settling_unknowns = [
            rule
            for section in self.sections
            if section.kind is SectionKind.UNKNOWN
            for rule in section.rules
            if rule.disposition.urgency <= self.settle_at
        ]
        looked_at = {r.when.disposition for r in settling_unknowns if isinstance(r.when, Possibly)}
        counts = any(not isinstance(r.when, Possibly) for r in settling_unknowns)
        self.settling: frozenset[int] | None = (
            None
            if counts
            else frozenset(
                place
                for place, s in enumerate(self.screen)
                if urgent[place] or s.rule.disposition in looked_at
            )
        )
        """The screening rules the settled stop looks at: those at the settled-stop
        disposition or more urgent, and those an unknown-section rule that urgent looks at
        (None: all, when such a rule counts unknowns)."""
        self.may_settle: frozenset[tuple[str, Value]] | None = (
            None
            if self.always
            else frozenset(
                pair
                for pair, places in self.opened_by.items()
                if any(urgent[p] for p in places) or (settling_unknowns and pair[1] == UNKNOWN)
            )
        )
        """The answers without one of which no rule at the settled-stop disposition or more
        urgent fires (fallback sections aside): a screening rule's opening answer, or an
        answer of `unknown` when an unknown-section rule is that urgent. None when a
        screening rule needs no answer to fire (then every answer set is looked at)."""

    def opened(self, answers: Mapping[str, Value]) -> list[int]:
        """The places, in table order, of the screening rules some answer can open."""
        found = filter(None, map(self.opened_by.get, answers.items()))
        return sorted(self.always.union(*found))

    def firings(
        self,
        answers: Mapping[str, Value],
        *,
        fallback: bool,
        named: bool = True,
        only: AbstractSet[int] | None = None,
    ) -> tuple[list[Firing], list[Firing]]:
        """The rules that fire (the fallback sections' only with `fallback`), and the
        screening rules left open, in table order. Without `named`, the rules that fire
        name no answers (the open ones always do: the unknown section counts them). With
        `only`, only the screening rules at those places are looked at (`settling`)."""
        fired: list[Firing] = []
        open_: list[Firing] = []
        places = self.opened(answers)
        for place in places if only is None else [p for p in places if p in only]:
            screen = self.screen[place]
            value = screen.truth(answers)
            if value is Truth.FALSE:
                continue
            if value is Truth.TRUE and not named:
                fired.append(Firing(screen.rule, ()))
                continue
            value, found = screen.traced(answers)
            firing = Firing(screen.rule, self.in_order(found))
            (fired if value is Truth.TRUE else open_).append(firing)
        unknowns = Unknowns(open_, self.counted_as) if open_ else _NO_UNKNOWNS
        for section in self.sections:
            if section.kind is SectionKind.UNKNOWN:
                for rule in section.rules:
                    if looked_at := unknowns.answers(rule):
                        fired.append(Firing(rule, self.in_order(looked_at) if named else ()))
            elif (
                section.kind is SectionKind.FALLBACK
                and fallback
                and not fired
                and evaluator(section.applies_when)(answers) is Truth.TRUE
            ):
                fired += self._fallback(section.rules, answers, unknowns)
        return fired, open_

    def _fallback(
        self, rules: Iterable[Rule], answers: Mapping[str, Value], unknowns: Unknowns
    ) -> list[Firing]:
        """The rules of a fallback section that fire: the first `otherwise` only when none
        before it did."""
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
            firings.append(Firing(rule, self.in_order(named)))
        return firings

    def in_order(self, question_ids: Iterable[str]) -> tuple[str, ...]:
        """The questions once each, in the questionnaire's order."""
        return tuple(sorted(set(question_ids), key=self.order.__getitem__))

    def could_fire_above(
        self, answers: Mapping[str, Value], pending: AbstractSet[str], urgency: int
    ) -> bool:
        """Whether a rule more urgent than `urgency` could fire once the pending questions
        are answered, whatever their answers (an upper bound: when in doubt, it could).

        The one definition: the walk's settled stop and its "could the walk still stop"
        both ask it (the z3 encoding translates it, held by tests/test_verify.py).
        """
        for rule_urgency, possible in self.possible:
            if rule_urgency >= urgency:
                return False
            if possible(answers, pending):
                return True
        return False

    def _possible(self, rule: Rule) -> Possible:
        """Whether the rule could fire, whatever the pending answers: as a function."""
        when = rule.when
        if rule.kind is SectionKind.SCREEN:
            at_best = best(when)
            return lambda answers, pending: at_best(answers, pending) is Truth.TRUE
        if isinstance(when, Possibly):
            looked_at = [
                best(s.rule.when) for s in self.screen if s.rule.disposition is when.disposition
            ]
            return lambda answers, pending: any(
                at_best(answers, pending) is not Truth.FALSE for at_best in looked_at
            )
        if isinstance(when, UnknownAnswers):
            at_least = when.at_least
            return lambda answers, pending: self._unknowns_possible(answers, pending) >= at_least
        if isinstance(when, Otherwise):
            return lambda _answers, _pending: True
        at_best = best(when)
        return lambda answers, pending: at_best(answers, pending) is not Truth.FALSE

    def _unknowns_possible(self, answers: Mapping[str, Value], pending: AbstractSet[str]) -> int:
        """At most how many answers could be unknowns that open screening rules."""
        could = (q for q in self.questions_screened if q in pending or answers.get(q) == UNKNOWN)
        return count_answers(could, self.counted_as)


Possible = Callable[[Mapping[str, Value], AbstractSet[str]], bool]


engine: PerObject[Ruleset, Engine] = PerObject(Engine, size=8)
"""The rule table of a ruleset, compiled once per ruleset."""


def _urgency(firing: Firing) -> int:
    return firing.rule.disposition.urgency


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
