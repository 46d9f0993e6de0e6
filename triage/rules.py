"""The decision engine: from checked answers and a loaded ruleset to an Assessment.

Pure: no input, output or interface code. Rules fire on TRUE; a screening rule that is
MAYBE (open only through answers of `unknown`) is "possibly fired", which the rules of the
`unknown` section and `possibly` conditions look at.
"""

from __future__ import annotations

import operator
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
    Rule,
    Ruleset,
    SectionKind,
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


def decide(answers: Mapping[str, Value], ruleset: Ruleset, *, explain: bool = True) -> Decision:
    """Which rules fire on these answers (the reached ones), most urgent first.

    Without `explain` (batches), the answers a firing names are not put in questionnaire
    order, and those of the unknown and fallback sections are not named at all.
    """
    fired, open_ = _firings(answers, ruleset, explain=explain, fallback=True)
    if not fired:
        raise DataError(
            "rules.toml",
            "",
            "no rule fired on these answers; every answer set "
            "needs a rule that decides (add a fallback section)",
        )
    if len(fired) > 1:
        fired.sort(key=_urgency)
    return Decision(tuple(fired), tuple(open_))


def _firings(
    answers: Mapping[str, Value], ruleset: Ruleset, *, explain: bool, fallback: bool
) -> tuple[list[Firing], list[Firing]]:
    """The rules that fire (the fallback sections' only with `fallback`), and the
    screening rules left open, in table order."""
    plan = _plan(ruleset)
    fired, open_ = plan.screen(answers)
    if explain:
        fired = [Firing(f.rule, plan.in_order(f.answers)) for f in fired]
        open_ = [Firing(f.rule, plan.in_order(f.answers)) for f in open_]
    unknowns = _Unknowns(open_) if open_ else _NO_UNKNOWNS
    for section, rules in plan.sections:
        if section.kind is SectionKind.UNKNOWN:
            if open_:
                fired += _meta_firings(rules, unknowns, plan, explain)
        elif (
            fallback
            and section.kind is SectionKind.FALLBACK
            and not fired
            and truth(section.applies_when, answers) is Truth.TRUE
        ):
            fired += _fallback(rules, answers, unknowns, plan, explain)
    return fired, open_


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
    plan = _plan(ruleset)
    settling = plan.settling()
    if settling is None:  # a rule this quick look does not cover: the whole table
        fired, _ = _firings(answers, ruleset, explain=False, fallback=False)
        urgent = [f.rule.disposition.urgency for f in fired]
        limit = ruleset.settings.settled_stop_at.urgency
        return min(urgent) if urgent and min(urgent) <= limit else None
    if settling.openers.isdisjoint(answers.items()):
        return None  # no answer can fire such a rule
    most: int | None = None
    open_: set[Disposition] = set()
    for rule, check in settling.screen:
        value = check(answers)
        if value is Truth.TRUE and rule.disposition.urgency <= settling.limit:
            most = (
                min(most, rule.disposition.urgency)
                if most is not None
                else rule.disposition.urgency
            )
        elif value is Truth.MAYBE:
            open_.add(rule.disposition)
    for rule, disposition in settling.possibly:
        if disposition in open_:
            most = (
                min(most, rule.disposition.urgency)
                if most is not None
                else rule.disposition.urgency
            )
    return most


def could_settle(answers: Mapping[str, Value], pending: AbstractSet[str], ruleset: Ruleset) -> bool:
    """Whether answers to the `pending` questions could settle the advice (an upper bound)."""
    return could_fire_above(answers, pending, ruleset, ruleset.settings.settled_stop_at.urgency + 1)


def could_fire_above(
    answers: Mapping[str, Value], pending: AbstractSet[str], ruleset: Ruleset, urgency: int
) -> bool:
    """Whether a rule more urgent than `urgency` could fire once the pending questions are
    answered, whatever their answers (an upper bound: when in doubt, it could)."""
    plan = _plan(ruleset)
    for rule, kind in plan.by_urgency:
        if rule.disposition.urgency >= urgency:
            break
        when = rule.when
        if kind is SectionKind.SCREEN:
            possible = best_case(when, answers, pending) is Truth.TRUE
        elif isinstance(when, Possibly):
            possible = any(
                r.disposition is when.disposition
                and best_case(r.when, answers, pending) is not Truth.FALSE
                for r in plan.screen_rules
            )
        elif isinstance(when, UnknownAnswers):
            possible = _unknowns_possible(answers, pending, plan.screen_rules) >= when.at_least
        else:
            possible = isinstance(when, Otherwise) or (
                best_case(when, answers, pending) is not Truth.FALSE
            )
        if possible:
            return True
    return False


def _unknowns_possible(
    answers: Mapping[str, Value], pending: AbstractSet[str], screen: list[Rule]
) -> int:
    """At most how many answers could be unknowns that open screening rules."""
    asked = {q for rule in screen for q in questions_in(rule.when)}
    return sum(1 for q in asked if q in pending or answers.get(q) == UNKNOWN)


def _urgency(firing: Firing) -> int:
    return firing.rule.disposition.urgency


class _Unknowns:
    """The unknown answers that leave screening rules open, by those rules' disposition."""

    def __init__(self, open_: list[Firing]) -> None:
        self.by_disposition: dict[Disposition, set[str]] = {}
        for firing in open_:
            self.by_disposition.setdefault(firing.rule.disposition, set()).update(firing.answers)
        self.every: set[str] = set().union(*self.by_disposition.values())

    def answers(self, rule: Rule) -> AbstractSet[str]:
        """The unknown answers that make a `possibly` or `unknown_answers` rule fire."""
        when = rule.when
        if isinstance(when, Possibly):
            return self.by_disposition.get(when.disposition, _NONE)
        if isinstance(when, UnknownAnswers) and len(self.every) >= when.at_least:
            return self.every
        return _NONE


_NONE: frozenset[str] = frozenset()
_NO_UNKNOWNS = _Unknowns([])


class _Plan:
    """What `decide` looks up for a ruleset, worked out once."""

    def __init__(self, ruleset: Ruleset) -> None:
        kinds = {s.id: s.kind for s in ruleset.sections}
        screen = [r for r in ruleset.rules if kinds[r.section] is SectionKind.SCREEN]
        self.checks = [(r, traced(r.when)) for r in screen]
        self.screen_rules = screen
        self.by_urgency = sorted(
            ((r, kinds[r.section]) for r in ruleset.rules),
            key=lambda pair: pair[0].disposition.urgency,
        )
        self.sections = [
            (s, [r for r in ruleset.rules if r.section == s.id])
            for s in ruleset.sections
            if s.kind is not SectionKind.SCREEN
        ]
        self.order = {q: i for i, q in enumerate(ruleset.questionnaire.ids)}
        self.ruleset = ruleset
        self.index: _TriggerIndex | None = None
        self.every: list[_Hit] = [(i, None) for i in range(len(screen))]
        self.settling_plan: _Settling | None = None
        self.settling_known = False

    def settling(self) -> _Settling | None:
        """The rules that can settle the walk, worked out on first use (see _settling)."""
        if not self.settling_known:
            self.settling_plan = _settling(self.ruleset)
            self.settling_known = True
        return self.settling_plan

    def screen(self, answers: Mapping[str, Value]) -> tuple[list[Firing], list[Firing]]:
        """The screening rules that fire and those left open, in table order, naming the
        answers that give them their value as found (in no order, maybe more than once)."""
        fired: list[Firing] = []
        open_: list[Firing] = []
        checked = -1
        for index, ready in self._hits(answers):
            if ready is not None:
                value, firing = ready
            elif index == checked:
                continue  # a rule of several tests, triggered by several answers
            else:
                checked = index
                rule, trace = self.checks[index]
                value, named = trace(answers)
                firing = Firing(rule, named)
            if value is Truth.TRUE:
                fired.append(firing)
            elif value is Truth.MAYBE:
                open_.append(firing)
        return fired, open_

    def _hits(self, answers: Mapping[str, Value]) -> list[_Hit]:
        """The screening rules to look at, in table order. The first decision on a ruleset
        looks at every rule: that is quicker than building the trigger index for one."""
        if self.index is None:
            if self.every:
                every, self.every = self.every, []
                return every
            self.index = _TriggerIndex(self.ruleset, [rule for rule, _ in self.checks])
        return self.index.hits(answers)

    def in_order(self, question_ids: Iterable[str]) -> tuple[str, ...]:
        """The questions once each, in the questionnaire's order."""
        return tuple(sorted(set(question_ids), key=self.order.__getitem__))


_plan: PerObject[Ruleset, _Plan] = PerObject(_Plan, size=8)


class _Settling(NamedTuple):
    """The rules that can give the settled-stop disposition or a more urgent one."""

    limit: int
    screen: list[tuple[Rule, Evaluator]]
    """Screening rules at the limit or above, and those `possibly` rules look at."""
    possibly: list[tuple[Rule, Disposition]]
    """Unknown-section rules at the limit or above, with the disposition they look at."""
    openers: frozenset[tuple[str, Value]]
    """Answers without one of which none of these rules can fire."""


def _settling(ruleset: Ruleset) -> _Settling | None:
    """The quick look of settling_urgency; None for a rule table it does not cover (an
    urgent rule that counts unknowns, or a screening rule that needs no answer)."""
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
    openers: set[tuple[str, Value]] = set()
    for rule in wanted:
        found = _trigger_pairs(rule.when, ruleset)
        if found is None:
            return None
        openers |= found
    checks = [(r, evaluator(r.when)) for r in wanted]
    return _Settling(limit, checks, possibly, frozenset(openers))


class _TriggerIndex:
    """The screening rules each answer (question, value) can open.

    A rule cannot be TRUE or MAYBE without one of its trigger answers (conditions join
    tests with all/any and never negate), so only the rules triggered by some answer need
    checking. A rule of one test needs no check at all: the answer that triggers it gives
    its value, so its firing is made here, once.
    """

    def __init__(self, ruleset: Ruleset, screen: list[Rule]) -> None:
        self.always: list[_Hit] = []
        triggers: dict[tuple[str, Value], list[_Hit]] = {}
        for index, rule in enumerate(screen):
            pairs = _trigger_pairs(rule.when, ruleset)
            if pairs is None:
                self.always.append((index, None))
                continue
            for pair in pairs:
                triggers.setdefault(pair, []).append((index, _ready(rule, pair)))
        self.triggers = {pair: tuple(hits) for pair, hits in triggers.items()}
        self.pairs = frozenset(self.triggers)

    def hits(self, answers: Mapping[str, Value]) -> list[_Hit]:
        """The rules some answer triggers (a rule of several tests maybe more than once),
        in table order."""
        hits = list(self.always)
        triggers = self.triggers
        for pair in self.pairs.intersection(answers.items()):
            hits += triggers[pair]
        hits.sort(key=_first)
        return hits


_Ready = tuple[Truth, Firing]
_Hit = tuple[int, _Ready | None]
"""A screening rule by its index, with its value and firing if it has one test."""
_first = operator.itemgetter(0)


def _ready(rule: Rule, pair: tuple[str, Value]) -> _Ready | None:
    """What a rule of one test is when this answer triggers it; None for other rules."""
    if not isinstance(rule.when, AnswerTest):
        return None
    return truth(rule.when, dict([pair])), Firing(rule, (pair[0],))


def _trigger_pairs(condition: Condition, ruleset: Ruleset) -> set[tuple[str, Value]] | None:
    """Answers without one of which the condition is FALSE; None if there are none such.

    An `any` is FALSE unless some part is not, so any part's answers can open it; an `all`
    is FALSE unless every part is not, so the answers of its most selective part suffice.
    """
    if isinstance(condition, AnswerTest):
        return set(_pairs(condition, ruleset))
    if isinstance(condition, AnyOf):
        parts = [_trigger_pairs(p, ruleset) for p in condition.parts]
        if any(p is None for p in parts):
            return None
        return set().union(*(p for p in parts if p is not None))
    if isinstance(condition, AllOf):
        known = [p for p in (_trigger_pairs(p, ruleset) for p in condition.parts) if p is not None]
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


def _meta_firings(
    rules: list[Rule], unknowns: _Unknowns, plan: _Plan, explain: bool
) -> list[Firing]:
    firings = []
    for rule in rules:
        answers = unknowns.answers(rule)
        if answers:
            firings.append(Firing(rule, plan.in_order(answers) if explain else ()))
    return firings


def _fallback(
    rules: list[Rule],
    answers: Mapping[str, Value],
    unknowns: _Unknowns,
    plan: _Plan,
    explain: bool,
) -> list[Firing]:
    firings: list[Firing] = []
    for rule in rules:
        if isinstance(rule.when, Otherwise):
            if not firings:
                firings.append(Firing(rule, ()))
        elif isinstance(rule.when, Possibly | UnknownAnswers):
            found = unknowns.answers(rule)
            if found:
                firings.append(Firing(rule, plan.in_order(found) if explain else ()))
        else:
            value, named = traced(rule.when)(answers)
            if value is Truth.TRUE:
                firings.append(Firing(rule, plan.in_order(named) if explain else ()))
    return firings
