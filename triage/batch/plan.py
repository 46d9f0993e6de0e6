"""A compiled plan of the rule table, for deciding many answer sets quickly.

rules.decide() reads the rule table row by row; a batch of hundreds of thousands of
cases decides with this plan instead, built once per ruleset. It fires the same rules in
the same order (a property test holds the two together), but looks only at the screening
rules some answer can open (the trigger index), makes the firing of a one-test rule once
when the plan is built, and names no answers in its firings (a batch reports rule ids).
Speed: benchmarks/bench.py, "batch, 200,000 cases"; CONTRIBUTING.md, "Speed".
"""

from __future__ import annotations

import operator
from collections.abc import Mapping

from triage.conditions import Traced, traced, truth
from triage.errors import DataError
from triage.memo import PerObject
from triage.model import AnswerTest, Rule, Ruleset, SectionKind, Truth, Value
from triage.rules import Decision, Firing, Unknowns, fallback_firings, opening_answers

_Ready = tuple[Truth, Firing]
_Hit = tuple[int, _Ready | None]
"""A screening rule by its place in the table, with its value and firing if it has one test."""
_place = operator.itemgetter(0)


class DecisionPlan:
    """The rule table compiled for batches: `decide` as rules.decide, quicker."""

    def __init__(self, ruleset: Ruleset) -> None:
        kinds = {s.id: s.kind for s in ruleset.sections}
        screen = [r for r in ruleset.rules if kinds[r.section] is SectionKind.SCREEN]
        self.checks: list[tuple[Rule, Traced]] = [(r, traced(r.when)) for r in screen]
        self.sections = [
            (s, [r for r in ruleset.rules if r.section == s.id])
            for s in ruleset.sections
            if s.kind is not SectionKind.SCREEN
        ]
        self.always: list[_Hit] = []
        triggers: dict[tuple[str, Value], list[_Hit]] = {}
        for place, rule in enumerate(screen):
            pairs = opening_answers(rule.when, ruleset)
            if pairs is None:
                self.always.append((place, None))
                continue
            for pair in pairs:
                triggers.setdefault(pair, []).append((place, _ready(rule, pair)))
        self.triggers = {pair: tuple(hits) for pair, hits in triggers.items()}
        self.pairs = frozenset(self.triggers)

    def decide(self, answers: Mapping[str, Value]) -> Decision:
        """The rules that fire, most urgent first, as rules.decide gives them (without the
        answers each names)."""
        fired, open_ = self._screen(answers)
        unknowns = Unknowns(open_)
        for section, rules in self.sections:
            if section.kind is SectionKind.UNKNOWN:
                if open_:
                    fired += [Firing(r, ()) for r in rules if unknowns.answers(r)]
            elif (
                section.kind is SectionKind.FALLBACK
                and not fired
                and truth(section.applies_when, answers) is Truth.TRUE
            ):
                fired += fallback_firings(rules, answers, unknowns, None)
        if not fired:
            raise DataError("rules.toml", "", "no rule fired on these answers")
        if len(fired) > 1:
            fired.sort(key=_urgency)
        return Decision(tuple(fired), tuple(open_))

    def _screen(self, answers: Mapping[str, Value]) -> tuple[list[Firing], list[Firing]]:
        """The screening rules that fire and those left open, in table order."""
        fired: list[Firing] = []
        open_: list[Firing] = []
        checked = -1
        for place, ready in self._hits(answers):
            if ready is not None:
                value, firing = ready
            elif place == checked:
                continue  # a rule of several tests, opened by several answers
            else:
                checked = place
                rule, trace = self.checks[place]
                value, named = trace(answers)
                firing = Firing(rule, named)
            if value is Truth.TRUE:
                fired.append(firing)
            elif value is Truth.MAYBE:
                open_.append(firing)
        return fired, open_

    def _hits(self, answers: Mapping[str, Value]) -> list[_Hit]:
        """The screening rules some answer can open (a rule of several tests maybe more
        than once), in table order."""
        hits = list(self.always)
        for pair in self.pairs.intersection(answers.items()):
            hits += self.triggers[pair]
        hits.sort(key=_place)
        return hits


def _urgency(firing: Firing) -> int:
    return firing.rule.disposition.urgency


def _ready(rule: Rule, pair: tuple[str, Value]) -> _Ready | None:
    """What a rule of one test is when this answer opens it; None for other rules."""
    if not isinstance(rule.when, AnswerTest):
        return None
    return truth(rule.when, dict([pair])), Firing(rule, (pair[0],))


def _build(ruleset: Ruleset) -> DecisionPlan:
    return DecisionPlan(ruleset)


plan_for: PerObject[Ruleset, DecisionPlan] = PerObject(_build, size=8)
"""The plan of a ruleset, built on its first case."""
