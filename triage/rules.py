"""The decision engine: which rules of the table fire on the answers, and whether a more
urgent rule could still fire while questions are pending (the settled stop).

No input, output or interface code. Rules fire on TRUE; a screening rule that is MAYBE
(open only through answers of `unknown`) is "possibly fired", which the rules of the
`unknown` section and `possibly` conditions look at.

The rule table is compiled once per ruleset (`Engine`): the conditions of the rules and of
the walk as the clauses of one Table (conditions.py), so that a rule's value is read off
the clauses its answers leave alive. The interactive walk, `assess`, `batch`, `explain` and
the settled stop all decide with this one engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from triage.conditions import Kills, Table, Traced, questions_in, traced, union
from triage.errors import DataError
from triage.memo import PerObject
from triage.model import (
    UNKNOWN,
    Condition,
    Disposition,
    Otherwise,
    Possibly,
    Rule,
    Ruleset,
    SectionKind,
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


def decide(
    answers: Mapping[str, Value],
    ruleset: Ruleset,
    *,
    named: bool = True,
    kills: Kills | None = None,
) -> Decision:
    """Which rules fire on these answers (the reached ones), most urgent first.

    A reading of the rule table: the screening sections' rules fire on TRUE and are left
    open on MAYBE; the unknown section's rules fire on what the open ones leave open; a
    fallback section's rules are checked only when nothing fired before it and the
    section applies. Rules of equal urgency stay in table order. Without `named` (a batch
    needs only the rules), the rules that fire name no answers. `kills`: the clauses these
    answers break, when the walk has them already (flow.Reach.kills).
    """
    compiled = engine(ruleset)
    if kills is None:
        kills = compiled.table.kills(answers)
    fired, open_ = compiled.firings(answers, kills, fallback=True, named=named)
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
    kills = compiled.table.kills(answers, pending)
    unanswered = compiled.table.testing(pending)
    return compiled.settles(answers, kills, unanswered, pending)


def could_settle(answers: Mapping[str, Value], pending: AbstractSet[str], ruleset: Ruleset) -> bool:
    """Whether answers to the `pending` questions could settle the advice (an upper bound)."""
    compiled = engine(ruleset)
    kills = compiled.table.kills(answers, pending)
    return compiled.could_fire_above(answers, kills, pending, compiled.settle_at + 1)


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
    """A screening rule, compiled: the bits of its clauses, and its value with the answers
    that give it (to name them)."""

    rule: Rule
    mask: int
    traced: Traced


class Engine:
    """The rule table of one ruleset, compiled once (see `engine`): every condition of the
    rules and of the walk in one Table, so that the walk adds each answer's broken clauses
    as it goes and the settled stop reads the rules off them."""

    def __init__(self, ruleset: Ruleset) -> None:
        questionnaire = ruleset.questionnaire
        self.order = {q: i for i, q in enumerate(questionnaire.ids)}
        self.counted_as = questionnaire.combined_by_part
        self.settle_at = ruleset.settings.settled_stop_at.urgency
        self.sections = [s for s in ruleset.sections if s.kind is not SectionKind.SCREEN]
        self.table = Table(_conditions(ruleset))
        mask = self.table.mask
        self.screen = [_Screen(r, mask(r.when), traced(r.when)) for r in ruleset.screening]
        self.screen_mask = union(s.mask for s in self.screen)
        self.places_of: dict[int, list[int]] = {}
        """For each clause of a screening rule (its bit), the places of the rules it is
        a clause of (equal conditions share their clauses)."""
        for place, screen in enumerate(self.screen):
            for bit in _bits(screen.mask):
                self.places_of.setdefault(bit, []).append(place)
        self.questions_screened = frozenset(
            q for s in self.screen for q in questions_in(s.rule.when)
        )
        self._settling(ruleset)
        self._possible(ruleset)

    def _settling(self, ruleset: Ruleset) -> None:
        """The screening rules the settled stop looks at: those at the settled-stop
        disposition or more urgent, and those an unknown-section rule that urgent looks at
        (all of them when such a rule counts unknowns)."""
        settling_unknowns = [
            rule
            for section in self.sections
            if section.kind is SectionKind.UNKNOWN
            for rule in section.rules
            if rule.disposition.urgency <= self.settle_at
        ]
        looked_at = {r.when.disposition for r in settling_unknowns if isinstance(r.when, Possibly)}
        counts = any(not isinstance(r.when, Possibly) for r in settling_unknowns)
        self.settling = frozenset(
            place
            for place, s in enumerate(self.screen)
            if counts
            or s.rule.disposition.urgency <= self.settle_at
            or s.rule.disposition in looked_at
        )
        self.settling_mask = union(self.screen[p].mask for p in self.settling)

    def _possible(self, ruleset: Ruleset) -> None:
        """For `could_fire_above`: for each urgency, the clauses of the more urgent rules
        whose conditions are on answers (a screening rule's must hold, another's may be
        open), and the more urgent rules that look at the screening rules (or at nothing)."""
        self.special = [
            r for r in ruleset.rules if isinstance(r.when, Possibly | UnknownAnswers | Otherwise)
        ]
        """The rules that look at the screening rules (or at nothing), not at answers."""
        self.above: dict[int, tuple[int, int]] = {}
        for urgency in range(max(d.urgency for d in Disposition) + 2):
            more_urgent = [r for r in ruleset.rules if r.disposition.urgency < urgency]
            screen = [r.when for r in more_urgent if r.kind is SectionKind.SCREEN]
            other = [
                r.when
                for r in more_urgent
                if r.kind is not SectionKind.SCREEN
                and not isinstance(r.when, Possibly | UnknownAnswers | Otherwise)
            ]
            self.above[urgency] = (
                union(map(self.table.mask, screen)),
                union(map(self.table.mask, other)),
            )
        self.by_disposition = {
            d: union(s.mask for s in self.screen if s.rule.disposition is d) for d in Disposition
        }

    def firings(
        self,
        answers: Mapping[str, Value],
        kills: Kills,
        *,
        fallback: bool,
        named: bool = True,
        settling: bool = False,
    ) -> tuple[list[Firing], list[Firing]]:
        """The rules that fire on the answers whose broken clauses are `kills` (the
        fallback sections' only with `fallback`), and the screening rules left open, in
        table order. Without `named`, the rules that fire name no answers (the open ones
        always do: the unknown section counts them). With `settling`, only the screening
        rules the settled stop looks at."""
        fired: list[Firing] = []
        open_: list[Firing] = []
        alive, possible = ~kills.true, ~kills.maybe
        among = self.settling if settling else None
        for place in self._places(self.screen_mask & possible, among):
            screen = self.screen[place]
            if screen.mask & alive and not named:
                fired.append(Firing(screen.rule, ()))
                continue
            _, found = screen.traced(answers)
            firing = Firing(screen.rule, self.in_order(found))
            (fired if screen.mask & alive else open_).append(firing)
        unknowns = Unknowns(open_, self.counted_as) if open_ else _NO_UNKNOWNS
        for section in self.sections:
            if section.kind is SectionKind.UNKNOWN:
                for rule in section.rules if open_ else ():
                    if looked_at := unknowns.answers(rule):
                        fired.append(Firing(rule, self.in_order(looked_at) if named else ()))
            elif (
                section.kind is SectionKind.FALLBACK
                and fallback
                and not fired
                and self.table.mask(section.applies_when) & alive
            ):
                fired += self._fallback(section.rules, answers, alive, unknowns, named)
        return fired, open_

    def _places(self, clauses: int, among: AbstractSet[int] | None) -> list[int]:
        """The places, in table order, of the screening rules with one of these clauses
        (only those `among` these places, unless None)."""
        places: set[int] = set()
        for bit in _bits(clauses):
            places.update(self.places_of[bit])
        return sorted(places if among is None else places & among)

    def _fallback(
        self,
        rules: Iterable[Rule],
        answers: Mapping[str, Value],
        alive: int,
        unknowns: Unknowns,
        named: bool,
    ) -> list[Firing]:
        """The rules of a fallback section that fire: the first `otherwise` only when none
        before it did."""
        firings: list[Firing] = []
        for rule in rules:
            found: Iterable[str] = ()
            if isinstance(rule.when, Otherwise):
                if firings:
                    continue
            elif isinstance(rule.when, Possibly | UnknownAnswers):
                found = unknowns.answers(rule)
                if not found:
                    continue
            elif not self.table.mask(rule.when) & alive:
                continue
            elif named:
                found = traced(rule.when)(answers)[1]
            firings.append(Firing(rule, self.in_order(found) if named else ()))
        return firings

    def in_order(self, question_ids: Iterable[str]) -> tuple[str, ...]:
        """The questions once each, in the questionnaire's order."""
        return tuple(sorted(set(question_ids), key=self.order.__getitem__))

    def settles(
        self,
        answers: Mapping[str, Value],
        kills: Kills,
        unanswered: int,
        pending: AbstractSet[str],
    ) -> bool:
        """Whether the advice is settled (see `settled`): `kills` are the clauses the
        answers break with the pending questions free, `unanswered` the clauses of the
        pending questions (which the answers so far leave broken)."""
        now = Kills(kills.true | unanswered, kills.maybe | unanswered)
        if not self.settling_mask & ~now.maybe:
            return False  # no rule at the settled-stop disposition or more urgent can fire
        fired, _ = self.firings(answers, now, fallback=False, named=False, settling=True)
        most = min((f.rule.disposition.urgency for f in fired), default=None)
        if most is None or most > self.settle_at:
            return False
        return not self.could_fire_above(answers, kills, pending, most)

    def could_fire_above(
        self, answers: Mapping[str, Value], kills: Kills, pending: AbstractSet[str], urgency: int
    ) -> bool:
        """Whether a rule more urgent than `urgency` could fire once the pending questions
        are answered, whatever their answers (an upper bound: when in doubt, it could);
        `kills` are the clauses the answers break with the pending questions free.

        The one definition: the walk's settled stop and its "could the walk still stop"
        both ask it (the z3 encoding translates it, held by tests/test_verify.py).
        """
        screen, other = self.above[urgency]
        if screen & ~kills.true or other & ~kills.maybe:
            return True
        return any(
            rule.disposition.urgency < urgency
            and self._special_possible(rule, answers, kills, pending)
            for rule in self.special
        )

    def _special_possible(
        self, rule: Rule, answers: Mapping[str, Value], kills: Kills, pending: AbstractSet[str]
    ) -> bool:
        when = rule.when
        if isinstance(when, Possibly):
            return bool(self.by_disposition[when.disposition] & ~kills.maybe)
        if isinstance(when, UnknownAnswers):
            return self._unknowns_possible(answers, pending) >= when.at_least
        return True  # otherwise

    def _unknowns_possible(self, answers: Mapping[str, Value], pending: AbstractSet[str]) -> int:
        """At most how many answers could be unknowns that open screening rules."""
        could = (q for q in self.questions_screened if q in pending or answers.get(q) == UNKNOWN)
        return count_answers(could, self.counted_as)


def _conditions(ruleset: Ruleset) -> Iterator[Condition]:
    """The conditions the engine and the walk read off the table: the rules' on answers,
    the fallback sections', the questions' `ask_when`."""
    for rule in ruleset.rules:
        if not isinstance(rule.when, Possibly | UnknownAnswers | Otherwise):
            yield rule.when
    for section in ruleset.sections:
        yield section.applies_when
    for question in ruleset.questionnaire.questions:
        yield question.ask_when


def _bits(mask: int) -> Iterator[int]:
    """Each bit of a mask, as a power of two."""
    while mask:
        lowest = mask & -mask
        yield lowest
        mask ^= lowest


engine: PerObject[Ruleset, Engine] = PerObject(Engine, size=8)
"""The rule table of a ruleset, compiled once per ruleset."""


def _urgency(firing: Firing) -> int:
    return firing.rule.disposition.urgency
