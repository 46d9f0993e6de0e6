"""The engine as a formula: the walk and the rule table of a ruleset in z3.

One `Run` is one assessment of a symbolic answer set: an integer per question (the index of
its value, or the number itself), whether the walk reaches each question (the emergency
and settled stops included), which rules fire, and the disposition. It follows flow.reach
and rules.decide line by line, in the same three-valued logic: a condition's value is a
pair of formulas (is it TRUE, is it FALSE), MAYBE when neither holds. A test of the
encoding (tests/test_verify.py) holds it to the engine on generated answer sets.

Only `triage verify` and `validate` import this module (z3 stays out of every other start).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

import z3

from triage.conditions import tests_in
from triage.model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Condition,
    Disposition,
    Kind,
    Otherwise,
    Possibly,
    Question,
    Rule,
    Ruleset,
    SectionKind,
    UnknownAnswers,
    Value,
)

Formula = Any
"""A z3 expression (z3 ships no type information)."""

_COMPARE: dict[str, Callable[[Any, Any], Formula]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class Tri(NamedTuple):
    """A three-valued condition as formulas: TRUE when `true`, FALSE when `false`, MAYBE
    when neither."""

    true: Formula
    false: Formula


TRUE = Tri(z3.BoolVal(True), z3.BoolVal(False))
FALSE = Tri(z3.BoolVal(False), z3.BoolVal(True))


class View(NamedTuple):
    """Which answers a condition sees. A question of `hidden` is not reached yet: a test
    of it is FALSE, or TRUE when `best` (conditions.best_case: it is pending). Every other
    question shows its answer if the walk reaches it."""

    hidden: frozenset[str] = frozenset()
    best: bool = False

    def how(self, question_id: str) -> str:
        """ "answer", "absent" or "pending"."""
        if question_id not in self.hidden:
            return "answer"
        return "pending" if self.best else "absent"


FINAL = View()


class Space:
    """The symbolic answers of one answer set: an integer a question."""

    def __init__(self, ruleset: Ruleset, name: str, shared: Mapping[str, Formula] = {}) -> None:
        self.ruleset = ruleset
        self.values: dict[str, Formula] = {}
        self.domain: list[Formula] = []
        for question in ruleset.questionnaire.questions:
            if question.id in shared:
                self.values[question.id] = shared[question.id]
                continue
            value = z3.Int(f"{name}.{question.id}")
            self.values[question.id] = value
            low, high = _bounds(question.kind)
            self.domain += [value >= low, value <= high]
        self.domain += self._possible_pairs()

    def _possible_pairs(self) -> list[Formula]:
        """answers.RESPONDENT_AGES: only the answer sets the program accepts, so that no
        counterexample is a "child" of 65."""
        from triage.answers import RESPONDENT_AGES

        ids = self.ruleset.questionnaire.by_id
        if "respondent" not in ids or "age" not in ids:
            return []
        kind = self.ruleset.questionnaire.question("respondent").kind
        age = self.values["age"]
        pairs = []
        for value, (low, high) in RESPONDENT_AGES.items():
            if value in kind.values:
                within = z3.And(age >= low, age <= high) if high is not None else age >= low
                pairs.append(z3.Implies(self.is_value("respondent", value), within))
        return pairs

    def is_value(self, question_id: str, value: Value) -> Formula:
        """The answer to the question is this value."""
        return self.values[question_id] == encode(self.ruleset, question_id, value)

    def decode(self, question_id: str, number: int) -> Value:
        """The contract's value of an encoded answer."""
        kind = self.ruleset.questionnaire.question(question_id).kind
        return number if kind.is_number else kind.values[number]


def encode(ruleset: Ruleset, question_id: str, value: Value) -> int:
    """The integer that stands for an answer."""
    kind = ruleset.questionnaire.question(question_id).kind
    if kind.is_number:
        assert isinstance(value, int)
        return value
    return kind.values.index(str(value))


def _bounds(kind: Kind) -> tuple[int, int]:
    if kind.is_number:
        return kind.minimum, kind.maximum
    return 0, len(kind.values) - 1


def size(ruleset: Ruleset) -> int:
    """How many complete answer sets there are."""
    total = 1
    for question in ruleset.questionnaire.questions:
        low, high = _bounds(question.kind)
        total *= high - low + 1
    return total


class Run:
    """One assessment of the answers of `space`: the walk, the rules that fire, the
    disposition. Without `settled_stop` the walk never stops because the advice is settled
    (to prove that stop sound); without `walk` every question counts as reached (to tell a
    condition that contradicts itself from one the walk never reaches)."""

    def __init__(self, space: Space, *, settled_stop: bool = True, walk: bool = True) -> None:
        self.space = space
        self.ruleset = ruleset = space.ruleset
        self.screen = ruleset.screening
        self.reached: dict[str, Formula] = {}
        self._truths: dict[tuple[Condition, View], Tri] = {}
        self.stopped_after: dict[str, Formula] = {}
        if walk:
            self._walk(settled_stop)
        else:
            self.reached = {q: z3.BoolVal(True) for q in ruleset.questionnaire.ids}
        final = self._firings(FINAL, fallback=True)
        self.fired: dict[str, Formula] = final
        self.urgency = _minimum_urgency(ruleset.rules, final)
        self.deciding = _deciding(ruleset.rules, final)

    # --- the walk (flow.reach) -----------------------------------------------------------

    def _walk(self, settled_stop: bool) -> None:
        questionnaire = self.ruleset.questionnaire
        order = {q: i for i, q in enumerate(questionnaire.ids)}
        stopped: Formula = z3.BoolVal(False)
        settling = False
        for group in questionnaire.groups:
            in_group = group.questions
            for question in in_group:
                self.reached[question.id] = z3.And(
                    z3.Not(stopped), z3.Not(self._asked_when(question, order).false)
                )
            ids_after = frozenset(
                q.id for later in questionnaire.groups_after(group.id) for q in later.questions
            )
            stop = self._emergency(group.stop_on, in_group)
            settling = settling or group.id == questionnaire.settled_stop_from
            if settled_stop and settling and ids_after:
                stop = z3.Or(stop, self._settled(ids_after))
            stopped = z3.Or(stopped, stop)
            self.stopped_after[group.id] = stopped

    def _asked_when(self, question: Question, order: Mapping[str, int]) -> Tri:
        place = order[question.id]
        return self.truth(question.ask_when, View(frozenset(q for q in order if order[q] >= place)))

    def _emergency(self, stop_on: str | None, questions: Sequence[Question]) -> Formula:
        if stop_on is None:
            return z3.BoolVal(False)
        return z3.Or(
            [
                z3.And(self.reached[q.id], self.space.is_value(q.id, stop_on))
                for q in questions
                if stop_on in q.kind.values
            ]
        )

    def _settled(self, pending: frozenset[str]) -> Formula:
        """rules.settled after a group: the questions of later groups are pending."""

        seen, best = View(pending), View(pending, best=True)
        fired = self._firings(seen, fallback=False)
        limit = self.ruleset.settings.settled_stop_at.urgency
        possible = {r.id: self._possible(r, best, pending) for r in self.ruleset.rules}
        cases = []
        for urgency in range(limit + 1):
            at = _any_at(self.ruleset.rules, fired, urgency)
            above = [_any_at(self.ruleset.rules, fired, u) for u in range(urgency)]
            higher = [possible[r.id] for r in self.ruleset.rules if r.disposition.urgency < urgency]
            cases.append(z3.And(at, z3.Not(z3.Or(above)), z3.Not(z3.Or(higher))))
        return z3.Or(cases)

    def _possible(self, rule: Rule, best: View, pending: frozenset[str]) -> Formula:
        """rules.Engine.could_fire_above for one rule: could it fire, whatever the pending
        answers."""
        when = rule.when
        if rule.kind is SectionKind.SCREEN:
            return self.truth(when, best).true
        if isinstance(when, Possibly):
            return z3.Or(
                [
                    z3.Not(self.truth(r.when, best).false)
                    for r in self.screen
                    if r.disposition is when.disposition
                ]
            )
        if isinstance(when, UnknownAnswers):
            asked = {test.question for r in self.screen for test in tests_in(r.when)}
            could = {
                q: z3.BoolVal(True)
                if q in pending
                else z3.And(self.reached[q], self._is_unknown(q))
                for q in sorted(asked)
            }
            return self._count(could) >= when.at_least
        if isinstance(when, Otherwise):
            return z3.BoolVal(True)
        return z3.Not(self.truth(when, best).false)

    # --- the rule table (rules._firings) -------------------------------------------------

    def _firings(self, seen: View, *, fallback: bool) -> dict[str, Formula]:
        """Whether each rule fires (rules._firings on the answers `seen` shows)."""
        values = {r.id: self.truth(r.when, seen) for r in self.screen}
        fired: dict[str, Formula] = {r.id: values[r.id].true for r in self.screen}
        open_ = {
            r.id: z3.And(z3.Not(v.true), z3.Not(v.false))
            for r in self.screen
            for v in [values[r.id]]
        }
        named = self._named(values, seen)
        for section in self.ruleset.sections:
            rules = section.rules
            if section.kind is SectionKind.UNKNOWN:
                for rule in rules:
                    fired[rule.id] = self._unknown_fires(rule, open_, named)
            elif section.kind is SectionKind.FALLBACK:
                nothing_yet = z3.Not(z3.Or(list(fired.values())))
                applies = self.truth(section.applies_when, seen).true
                checked = z3.And(nothing_yet, applies, z3.BoolVal(fallback))
                before: list[Formula] = []
                for rule in rules:
                    if isinstance(rule.when, Otherwise):
                        fires = z3.And(checked, z3.Not(z3.Or(before)))
                    elif isinstance(rule.when, Possibly | UnknownAnswers):
                        fires = z3.And(checked, self._unknown_fires(rule, open_, named))
                    else:
                        fires = z3.And(checked, self.truth(rule.when, seen).true)
                    fired[rule.id] = fires
                    before.append(fires)
        for rule in self.ruleset.rules:
            fired.setdefault(rule.id, z3.BoolVal(False))
        return fired

    def _unknown_fires(
        self, rule: Rule, open_: Mapping[str, Formula], named: Mapping[str, Formula]
    ) -> Formula:
        """rules.Unknowns.answers is not empty."""
        when = rule.when
        if isinstance(when, Possibly):
            return z3.Or([open_[r.id] for r in self.screen if r.disposition is when.disposition])
        if isinstance(when, UnknownAnswers):
            return self._count(named) >= when.at_least
        return z3.BoolVal(False)

    def _count(self, unknown: Mapping[str, Formula]) -> Formula:
        """How many of these answers are unknown (rules.Unknowns.count): the parts of a
        combined answer count as one."""
        answers: dict[str, list[Formula]] = {}
        for question_id, formula in unknown.items():
            answers.setdefault(self.ruleset.questionnaire.counted_as(question_id), []).append(
                formula
            )
        return z3.Sum([*(z3.If(z3.Or(f), 1, 0) for f in answers.values()), z3.IntVal(0)])

    def _named(self, values: Mapping[str, Tri], seen: View) -> dict[str, Formula]:
        """Each question some open screening rule names (its MAYBE tests reached through
        MAYBE parts, as conditions.traced names them)."""
        named: dict[str, list[Formula]] = {}
        for rule in self.screen:
            for question_id, names in self._names(rule.when, seen).items():
                named.setdefault(question_id, []).append(names)
        return {q: z3.Or(found) for q, found in named.items()}

    def _names(self, condition: Condition, seen: View) -> dict[str, Formula]:
        """For each question: the condition is MAYBE and names it."""
        value = self.truth(condition, seen)
        maybe = z3.And(z3.Not(value.true), z3.Not(value.false))
        if isinstance(condition, AnswerTest):
            return {condition.question: maybe}
        if isinstance(condition, AllOf | AnyOf):
            names: dict[str, list[Formula]] = {}
            for part in condition.parts:
                for question_id, formula in self._names(part, seen).items():
                    names.setdefault(question_id, []).append(formula)
            return {q: z3.And(maybe, z3.Or(found)) for q, found in names.items()}
        return {}

    # --- conditions (conditions.truth and best_case) -------------------------------------

    def truth(self, condition: Condition, seen: View) -> Tri:
        """The condition's three-valued value on the answers `seen` shows."""
        key = (condition, seen)
        found = self._truths.get(key)
        if found is None:
            found = self._truths[key] = self._truth(condition, seen)
        return found

    def _truth(self, condition: Condition, seen: View) -> Tri:
        match condition:
            case AnswerTest(question, op, values):
                return self._test(question, op, values, seen.how(question))
            case AllOf(parts):
                found = [self.truth(p, seen) for p in parts]
                return Tri(z3.And([f.true for f in found]), z3.Or([f.false for f in found]))
            case AnyOf(parts):
                found = [self.truth(p, seen) for p in parts]
                return Tri(z3.Or([f.true for f in found]), z3.And([f.false for f in found]))
            case Always():
                return TRUE
        raise TypeError(f"{type(condition).__name__} is decided by the engine, not on answers")

    def _test(self, question_id: str, op: str, values: tuple[Value, ...], how: str) -> Tri:
        if how == "pending":
            return TRUE
        if how == "absent":
            return FALSE
        reached = self.reached[question_id]
        answer = self.space.values[question_id]
        if op != "in":
            holds = z3.And(reached, _COMPARE[op](answer, values[0]))
            return Tri(holds, z3.Not(holds))
        true = z3.And(reached, z3.Or([self.space.is_value(question_id, v) for v in values]))
        kind = self.ruleset.questionnaire.question(question_id).kind
        if UNKNOWN in values or UNKNOWN not in kind.values:
            return Tri(true, z3.Not(true))
        maybe = z3.And(reached, self._is_unknown(question_id))
        return Tri(true, z3.Not(z3.Or(true, maybe)))

    def _is_unknown(self, question_id: str) -> Formula:
        kind = self.ruleset.questionnaire.question(question_id).kind
        if UNKNOWN not in kind.values:
            return z3.BoolVal(False)
        return self.space.is_value(question_id, UNKNOWN)

    # --- what a person sees besides the disposition --------------------------------------

    def is_disposition(self, disposition: Disposition) -> Formula:
        """The disposition is this one."""
        return self.urgency == disposition.urgency

    def outcomes(self) -> list[Formula]:
        """What the advice shows that answers can change: the disposition, each note, each
        safety-net sign, and whether the self-care review goes to the GP."""
        ruleset = self.ruleset
        shown = [self.urgency]
        for note in ruleset.notes:
            in_result = z3.Or([self.is_disposition(d) for d in note.dispositions])
            shown.append(z3.And(in_result, self.truth(note.when, FINAL).true))
        shown += [z3.Not(self.truth(s.applies_when, FINAL).false) for s in ruleset.safety_net]
        shown.append(self.truth(ruleset.review_with_gp, FINAL).true)
        return shown


class Changed:
    """The assessment of a run's answers with one answer replaced by a fresh one: the run's
    formulas with that answer substituted (z3.substitute). Two assessments that differ in
    one answer are then one answer set and one change, which the solver decides faster than
    two answer sets tied together answer by answer."""

    def __init__(self, run: Run, question_id: str) -> None:
        self.run = run
        values = run.space.values
        shared = {q: v for q, v in values.items() if q != question_id}
        self.space = Space(run.ruleset, "b", shared)
        self._pair = (values[question_id], self.space.values[question_id])
        self.urgency = self.substitute(run.urgency)

    def substitute(self, formula: Formula) -> Formula:
        """The formula of the run, on the changed answer."""
        return z3.substitute(formula, self._pair)

    @functools.cached_property
    def reached(self) -> dict[str, Formula]:
        """Whether the walk reaches each question, on the changed answer."""
        return {q: self.substitute(f) for q, f in self.run.reached.items()}


class Assessed(Protocol):
    """A Run or a Changed run: answers, and the questions the walk reaches."""

    @property
    def space(self) -> Space: ...

    @property
    def reached(self) -> Mapping[str, Formula]: ...


def _any_at(rules: Sequence[Rule], fired: Mapping[str, Formula], urgency: int) -> Formula:
    return z3.Or([fired[r.id] for r in rules if r.disposition.urgency == urgency])


def _minimum_urgency(rules: Sequence[Rule], fired: Mapping[str, Formula]) -> Formula:
    """The urgency of the most urgent rule that fires; len(Disposition) when none does."""
    urgency: Formula = z3.IntVal(len(Disposition))
    for level in reversed(Disposition):
        urgency = z3.If(_any_at(rules, fired, level.urgency), level.urgency, urgency)
    return urgency


def _deciding(rules: Sequence[Rule], fired: Mapping[str, Formula]) -> dict[str, Formula]:
    """Each rule is the one that decides: it fires, and no rule before it in the order
    decide() sorts by (urgency, then the table) does."""
    ranked = sorted(enumerate(rules), key=lambda pair: (pair[1].disposition.urgency, pair[0]))
    deciding: dict[str, Formula] = {}
    earlier: list[Formula] = []
    for _, rule in ranked:
        deciding[rule.id] = z3.And(fired[rule.id], z3.Not(z3.Or(earlier)))
        earlier.append(fired[rule.id])
    return deciding


def answers_of(model: Any, run: Assessed) -> dict[str, Value]:
    """The answers of a solver's model that the walk reaches, in walk order: what a person
    would pass to `triage assess`."""
    answers: dict[str, Value] = {}
    for question_id, value in run.space.values.items():
        if z3.is_true(model.eval(run.reached[question_id], model_completion=True)):
            number = model.eval(value, model_completion=True).as_long()
            answers[question_id] = run.space.decode(question_id, number)
    return answers
