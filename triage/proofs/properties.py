"""The safety properties `triage verify` proves, each over every complete answer set.

Each property asks the solver for a counterexample: an answer set (or a pair of them) that
breaks it. None found is a proof over the whole space, the three-valued `unknown`, the walk
and both early stops included, because encoding.Run reads the engine exactly. A
counterexample is given as answers a person can pass to `triage assess`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import z3

from triage.conditions import questions_in, truth
from triage.memo import Recent
from triage.model import (
    UNKNOWN,
    AllOf,
    AnswerTest,
    AnyOf,
    Condition,
    Disposition,
    Rule,
    Ruleset,
    SafetyNetSign,
    SectionKind,
    Truth,
    Value,
    fill,
)
from triage.proofs import TIME_LIMIT
from triage.proofs.encoding import (
    FINAL,
    Assessed,
    Changed,
    Formula,
    Run,
    Space,
    answers_of,
    size,
)

Answers = dict[str, Value]


class Finding(NamedTuple):
    """One way a property fails (or a remark): what, in English, and the answers that show
    it; `key` and `fields` name the message of MESSAGES, for the report's language."""

    message: str
    answers: Answers | None = None
    before: Answers | None = None
    after: Answers | None = None
    key: str = ""
    fields: tuple[tuple[str, str], ...] = ()


MESSAGES = {
    "no_rule_fires": "no rule fires on these answers",
    "stop_gives": "{question} = {value} gives {given}",
    "section_not_applying": "{section} does not apply, yet {given}",
    "pair": "{question}: {was} gives {given_before}, {becomes} gives {given_after}",
    "never_decides": "rule {rule} fires only together with a more urgent rule: it never "
    "decides {disposition}",
    "never_asked": "rule {rule} can never fire: its condition holds only on answers the walk "
    "never gives together: the walk never asks {questions} when {shown}",
    "never_reached": "rule {rule} can never fire: its condition holds only on answers the "
    "walk never gives together: the walk stops, or another question's answer leaves it "
    "out, before it reaches all of them when {shown}",
    "never_open": "rule {rule} can never fire: the rules it looks at never leave it open",
    "contradicts": "rule {rule} can never fire: no answers make its condition true (its "
    "tests contradict each other)",
    "question_unused": "question {question} never changes the disposition, a note or the "
    "safety net; use it in a rule or mark it `informational = true`",
    "settled_changes": "the walk stops at {stopped}, the whole walk gives {whole}",
    "incoherent_fired": "the safety net tells the person to act sooner ({signs}) on what "
    "they already reported ({shown}), yet rule {rule} fired, and the advice is {given}",
    "incoherent_not_fired": "the safety net tells the person to act sooner ({signs}) on "
    "what they already reported ({shown}), yet rule {rule} did not fire, and the advice "
    "is {given}",
    "unreachable": "rule {rule} can never fire on answers its condition accepts: the walk "
    "never asks {questions} when {shown}",
    "always_with": "rule {rule} always fires together with {other} (the same disposition, "
    "earlier in the table): it adds its reason and its meanwhile line, never a disposition "
    "of its own",
}
"""Every message of a finding or remark, in English (the JSON report and `validate`);
`triage verify`'s text report says them in its language (verify.finding_<key>)."""


def finding(
    key: str,
    answers: Answers | None = None,
    *,
    before: Answers | None = None,
    after: Answers | None = None,
    **fields: object,
) -> Finding:
    """A finding of the message `key`, its fields filled in."""
    words = {name: str(value) for name, value in fields.items()}
    return Finding(fill(MESSAGES[key], words), answers, before, after, key, tuple(words.items()))


class Result(NamedTuple):
    """A property, whether it is proved to hold, and how it fails if it does not.

    `finished` is False when the time limit ended the proof first: the property is then
    not proved (`holds` is False), and `findings` holds what was found before (a finding
    is certain, but there may be more)."""

    id: str
    holds: bool
    findings: tuple[Finding, ...]
    seconds: float
    finished: bool = True


class Proof(NamedTuple):
    """Every property of one ruleset, and remarks that are no fault."""

    results: tuple[Result, ...]
    answer_sets: int
    seconds: float
    remarks: tuple[Finding, ...] = ()

    @property
    def holds(self) -> bool:
        """Whether every property is proved to hold."""
        return all(r.holds for r in self.results)

    @property
    def finished(self) -> bool:
        """Whether every property was decided within the time limit."""
        return all(r.finished for r in self.results)


class OutOfTime(Exception):
    """The proof's time limit has passed."""


PROPERTIES = (
    "total",
    "emergency_stop",
    "red_flags_rule_out_self_care",
    "monotone",
    "unknown_is_one_step",
    "every_rule_decides",
    "every_question_counts",
    "settled_stop_sound",
    "coherent",
    "reachable",
)

_NOT_FOR_RED_FLAGS = (Disposition.MANUAL_THERAPIST, Disposition.SELF_CARE)


class Prover:
    """Properties of one ruleset, asked of one solver."""

    def __init__(self, ruleset: Ruleset, seconds: float = TIME_LIMIT) -> None:
        self.deadline = time.monotonic() + seconds
        self.ruleset = ruleset
        self.space = Space(ruleset, "a")
        self.run = Run(self.space)
        self.solver = z3.Solver()
        self.solver.add(self.space.domain)

    def counterexample(self, *formulas: Formula) -> Any | None:
        """A model of the formulas together with the space's, or None when there is none."""
        self.solver.push()
        try:
            self.solver.add(*formulas)
            if self.check(self.solver) == z3.sat:
                return self.solver.model()
            return None
        finally:
            self.solver.pop()

    def check(self, solver: Any) -> Any:
        """The solver's answer, sat or unsat, within what is left of the time limit;
        OutOfTime when none is left or the solver gives up when it runs out."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise OutOfTime
        solver.set("timeout", max(1, int(left * 1000)))
        answer = solver.check()
        if answer == z3.unknown:
            raise OutOfTime
        return answer

    def answers(self, model: Any, run: Assessed | None = None) -> Answers:
        """The reached answers of a model."""
        return answers_of(model, run or self.run)

    def name(self, urgency: Formula, model: Any) -> str:
        """The disposition a model gives, by name."""
        level = model.eval(urgency, model_completion=True).as_long()
        return list(Disposition)[level].value if level < len(Disposition) else "none"

    # --- the properties -------------------------------------------------------------------

    def total(self) -> Iterator[Finding]:
        """Every answer set gets a disposition (some rule fires)."""
        model = self.counterexample(self.run.urgency == len(Disposition))
        if model is not None:
            yield finding("no_rule_fires", self.answers(model))

    def emergency_stop(self) -> Iterator[Finding]:
        """A stop answer on a group with `stop_on` gives the most urgent disposition."""
        most = next(iter(Disposition))
        for group in self.ruleset.questionnaire.groups:
            if group.stop_on is None:
                continue
            for question in self.ruleset.questionnaire.questions:
                if question.group != group.id or group.stop_on not in question.kind.values:
                    continue
                model = self.counterexample(
                    self.run.reached[question.id],
                    self.space.is_value(question.id, group.stop_on),
                    z3.Not(self.run.is_disposition(most)),
                )
                if model is not None:
                    given = self.name(self.run.urgency, model)
                    yield finding(
                        "stop_gives",
                        self.answers(model),
                        question=question.id,
                        value=group.stop_on,
                        given=given,
                    )

    def red_flags_rule_out_self_care(self) -> Iterator[Finding]:
        """Where the fallback section applies (from age 16), a red flag's `yes` rules out
        the manual therapist and self-care; where it does not, they are never given."""
        run = self.run
        not_given = [run.is_disposition(d) for d in _NOT_FOR_RED_FLAGS]
        for section in self.ruleset.sections:
            if section.kind is not SectionKind.FALLBACK:
                continue
            applies = run.truth(section.applies_when, FINAL).true
            model = self.counterexample(z3.Not(applies), z3.Or(not_given))
            if model is not None:
                yield finding(
                    "section_not_applying",
                    self.answers(model),
                    section=section.id,
                    given=self.name(run.urgency, model),
                )
        for question_id, value in red_flags(self.ruleset):
            model = self.counterexample(
                run.reached[question_id], self.space.is_value(question_id, value), z3.Or(not_given)
            )
            if model is not None:
                yield finding(
                    "stop_gives",
                    self.answers(model),
                    question=question_id,
                    value=value,
                    given=self.name(run.urgency, model),
                )

    def monotone(self) -> Iterator[Finding]:
        """A `no` changed to `yes` or `unknown` never makes the advice less urgent."""
        for question_id in self._screening_questions():
            after = Changed(self.run, question_id)
            model = self.counterexample(
                *after.space.domain,
                self.space.is_value(question_id, "no"),
                z3.Or(
                    after.space.is_value(question_id, "yes"),
                    after.space.is_value(question_id, UNKNOWN),
                ),
                after.urgency > self.run.urgency,
            )
            if model is not None:
                yield self._pair(question_id, model, after)

    def unknown_is_one_step(self) -> Iterator[Finding]:
        """An `unknown` in place of a `yes` gives at most one step less urgent."""
        for question_id in self._screening_questions():
            after = Changed(self.run, question_id)
            model = self.counterexample(
                *after.space.domain,
                self.space.is_value(question_id, "yes"),
                after.space.is_value(question_id, UNKNOWN),
                after.urgency > self.run.urgency + 1,
            )
            if model is not None:
                yield self._pair(question_id, model, after)

    def every_rule_decides(self) -> Iterator[Finding]:
        """Every rule decides some answer set: it fires, and the advice has its disposition
        (its reason and its line on what to do in the meantime are then shown with it)."""
        run = self.run
        for rule in self.ruleset.rules:
            decides = z3.And(run.fired[rule.id], run.is_disposition(rule.disposition))
            if self.counterexample(decides) is not None:
                continue
            if self.counterexample(run.fired[rule.id]) is not None:
                yield finding("never_decides", rule=rule.id, disposition=rule.disposition.value)
                continue
            yield self._never_fires(rule)

    def _never_fires(self, rule: Rule) -> Finding:
        """Why a rule never fires: the answers of its own questions that make its
        condition true, and which of them the walk never asks there (or a stop comes
        first); or that nothing makes it true."""
        condition = self._full.truth(rule.when, FINAL).true
        model = self.counterexample(condition)
        if model is not None:
            tested = list(dict.fromkeys(questions_in(rule.when)))
            given = self._given(model, tested)
            unasked = [q for q in tested if self._never_asked(q, given)]
            shown = ", ".join(f"{q} = {v}" for q, v in given.items())
            if unasked:
                return finding(
                    "never_asked", given, rule=rule.id, questions=", ".join(unasked), shown=shown
                )
            return finding("never_reached", given, rule=rule.id, shown=shown)
        if not isinstance(rule.when, AnswerTest | AllOf | AnyOf):
            return finding("never_open", rule=rule.id)
        return finding("contradicts", rule=rule.id)

    def remarks(self) -> list[Finding]:
        """What is true but no fault: rules that always fire together with another rule of
        the same urgency earlier in the table (they add a reason, never a disposition)."""
        run = self.run
        found = []
        for index, rule in enumerate(self.ruleset.rules):
            if self.counterexample(run.deciding[rule.id]) is not None:
                continue
            if self.counterexample(run.fired[rule.id]) is None:
                continue  # it never fires: every_rule_decides says so, not a remark
            for other in self.ruleset.rules[:index]:
                same = other.disposition is rule.disposition
                if (
                    same
                    and self.counterexample(run.fired[rule.id], z3.Not(run.fired[other.id])) is None
                ):
                    found.append(finding("always_with", rule=rule.id, other=other.id))
                    break
        return found

    def every_question_counts(self) -> Iterator[Finding]:
        """Every question can change the disposition, a note or the safety net, or is
        declared informational (or chooses the texts' wording)."""
        questionnaire = self.ruleset.questionnaire
        outcomes = self.run.outcomes()
        for question in questionnaire.questions:
            if question.informational or question.id == questionnaire.voice:
                continue
            after = Changed(self.run, question.id)
            changes = z3.Or([a != after.substitute(a) for a in outcomes])
            if self.counterexample(*after.space.domain, changes) is None:
                yield finding("question_unused", question=question.id)

    def settled_stop_sound(self) -> Iterator[Finding]:
        """The settled stop never changes a disposition."""
        full = Run(self.space, settled_stop=False)
        model = self.counterexample(full.urgency != self.run.urgency)
        if model is not None:
            yield finding(
                "settled_changes",
                before=self.answers(model),
                after=self.answers(model, full),
                stopped=self.name(self.run.urgency, model),
                whole=self.name(full.urgency, model),
            )

    def coherent(self) -> Iterator[Finding]:
        """No safety-net line tells a person to act sooner on a sign they already reported
        while the advice gives them less: for each rule a sign covers, and each way its
        condition can hold, a person who answered every yes/no test of that way as it
        asks, shown a sign that covers the rule, is advised at least as urgently as the
        least urgent such sign (a more urgent sign beside it is an escalation: "if it
        gets worse"). Ages and choices are left out: the sign's line names the sign,
        not the age the rule stops at."""
        rules = {r.id: r for r in self.ruleset.rules}
        for rule_id in dict.fromkeys(c for s in self.ruleset.safety_net for c in s.covers):
            covering = [s for s in self.ruleset.safety_net if rule_id in s.covers]
            for way in ways(rules[rule_id].when):
                reported = self._reported(way)
                signs = [s for s in covering if self._may_apply(s, way)]
                if not reported or not signs:
                    continue
                model = self.counterexample(*reported, self._too_soon(signs))
                if model is not None:
                    yield self._incoherent(rule_id, way, signs, model)
                    break

    def _may_apply(self, sign: SafetyNetSign, way: tuple[AnswerTest, ...]) -> bool:
        """Whether a sign can apply to someone for whom this way of a rule holds (its
        ages and choices: a sign for those under 65 says nothing on a rule from 65)."""
        full = self._full
        others = [full.truth(t, FINAL).true for t in way if not self._is_yes_no_test(t)]
        applies = full.truth(sign.applies_when, FINAL).true
        return self.counterexample(applies, *others) is not None

    def _too_soon(self, signs: list[SafetyNetSign]) -> Formula:
        """One of the signs is shown, and every one shown is more urgent than the advice."""
        run = self.run
        shown = {s.id: z3.Not(run.truth(s.applies_when, FINAL).false) for s in signs}
        return z3.And(
            z3.Or(list(shown.values())),
            *(z3.Implies(shown[s.id], run.urgency > s.level.urgency) for s in signs),
        )

    def _is_yes_no_test(self, test: AnswerTest) -> bool:
        kind = self.ruleset.questionnaire.question(test.question).kind
        return kind.is_yes_no and test.op == "in"

    def _reported(self, way: tuple[AnswerTest, ...]) -> list[Formula]:
        """The yes/no tests of one way a condition holds, as answers the walk reached."""
        run = self.run
        return [
            z3.And(
                run.reached[t.question],
                z3.Or([self.space.is_value(t.question, v) for v in t.values]),
            )
            for t in way
            if self._is_reported_test(t)
        ]

    def _is_reported_test(self, test: AnswerTest) -> bool:
        """A test the person answers about the sign itself: a yes/no or a choice (such as
        the pregnancy), not an age (the sign's line names the sign, not the age the rule
        stops at)."""
        kind = self.ruleset.questionnaire.question(test.question).kind
        return not kind.is_number and test.op == "in"

    def _incoherent(
        self, rule_id: str, way: tuple[AnswerTest, ...], signs: list[SafetyNetSign], model: Any
    ) -> Finding:
        run = self.run
        given = self.name(run.urgency, model)
        told = [
            f"{s.id} ({s.level.value})"
            for s in signs
            if z3.is_true(
                model.eval(z3.Not(run.truth(s.applies_when, FINAL).false), model_completion=True)
            )
        ]
        answered = ", ".join(
            f"{t.question} = {'/'.join(map(str, t.values))}"
            for t in way
            if self._is_reported_test(t)
        )
        fired = z3.is_true(model.eval(run.fired[rule_id], model_completion=True))
        return finding(
            "incoherent_fired" if fired else "incoherent_not_fired",
            self.answers(model),
            signs=", ".join(told),
            shown=answered,
            rule=rule_id,
            given=given,
        )

    @functools.cached_property
    def _full(self) -> Run:
        """The rules on every answer, as if the walk asked every question."""
        return Run(self.space, walk=False)

    def reachable(self) -> Iterator[Finding]:
        """Every rule's questions are asked for the ages and answers the rule tests: for
        any answers to its questions that make its condition true, some answers to the
        other questions lead the walk to ask them all (no stop on the way)."""
        for rule in self.ruleset.rules:
            if not isinstance(rule.when, AnswerTest | AllOf | AnyOf):
                continue
            tested = list(dict.fromkeys(questions_in(rule.when)))
            model = self.counterexample(
                self._full.truth(rule.when, FINAL).true,
                self._never_reached(tested, rule.when),
            )
            if model is None:
                continue
            given = self._given(model, tested)
            unasked = [q for q in tested if self._never_asked(q, given)]
            yield finding(
                "unreachable",
                given,
                rule=rule.id,
                questions=", ".join(unasked or tested),
                shown=", ".join(f"{q} = {v}" for q, v in given.items()),
            )

    def _given(self, model: Any, questions: list[str]) -> Answers:
        """A model's answers to these questions."""
        return {
            q: self.space.decode(
                q, model.eval(self.space.values[q], model_completion=True).as_long()
            )
            for q in questions
        }

    def _never_reached(self, tested: list[str], condition: Condition) -> Formula:
        """Whatever the questions but `tested` are answered, the walk (without the settled
        stop) does not make the condition TRUE."""
        walk = self._open_walk
        rest = walk.space
        free = [v for q, v in rest.values.items() if q not in tested]
        bounds = [
            bound
            for q, v in rest.values.items()
            if q not in tested
            for bound in (v >= _low(self.ruleset, q), v <= _high(self.ruleset, q))
        ]
        same = [rest.values[q] == self.space.values[q] for q in tested]
        never = z3.ForAll(
            free, z3.Implies(z3.And(bounds), z3.Not(walk.truth(condition, FINAL).true))
        )
        return z3.And(*same, never)

    @functools.cached_property
    def _open_walk(self) -> Run:
        """A walk of answers of its own, without the settled stop: for `reachable`."""
        return Run(Space(self.ruleset, "r"), settled_stop=False)

    def _never_asked(self, question_id: str, given: Answers) -> bool:
        """Whether the walk never asks a question while these answers hold."""
        walk = self._open_walk
        check = z3.Solver()
        check.add(*walk.space.domain, walk.reached[question_id])
        check.add(*(walk.space.is_value(q, v) for q, v in given.items()))
        return bool(self.check(check) != z3.sat)

    # --- helpers ----------------------------------------------------------------------------

    def _all_answers(self, model: Any) -> Answers:
        """Every answer of a model, reached or not."""
        return {
            q: self.space.decode(q, model.eval(v, model_completion=True).as_long())
            for q, v in self.space.values.items()
        }

    def _screening_questions(self) -> list[str]:
        """The yes/no questions of the groups before the complaint's own: the emergency
        screen, the person, the warning signs and the background (every group but the
        last)."""
        questionnaire = self.ruleset.questionnaire
        last = questionnaire.groups[-1].id
        return [q.id for q in questionnaire.questions if q.kind.is_yes_no and q.group != last]

    def _pair(self, question_id: str, model: Any, after: Changed) -> Finding:
        before_answers = self.answers(model)
        after_answers = self.answers(model, after)
        return finding(
            "pair",
            before=before_answers,
            after=after_answers,
            question=question_id,
            was=before_answers.get(question_id, "-"),
            given_before=self.name(self.run.urgency, model),
            becomes=after_answers.get(question_id, "-"),
            given_after=self.name(after.urgency, model),
        )


def _low(ruleset: Ruleset, question_id: str) -> int:
    kind = ruleset.questionnaire.question(question_id).kind
    return kind.minimum if kind.is_number else 0


def _high(ruleset: Ruleset, question_id: str) -> int:
    kind = ruleset.questionnaire.question(question_id).kind
    return kind.maximum if kind.is_number else len(kind.values) - 1


def ways(condition: Condition) -> list[tuple[AnswerTest, ...]]:
    """The ways an answer condition can hold: its tests, one conjunction a way (its
    disjunctive normal form); none for a condition of another kind."""
    if isinstance(condition, AnswerTest):
        return [(condition,)]
    if isinstance(condition, AnyOf):
        return [way for part in condition.parts for way in ways(part)]
    if isinstance(condition, AllOf):
        found: list[tuple[AnswerTest, ...]] = [()]
        for part in condition.parts:
            found = [a + b for a in found for b in ways(part)]
        return found
    return []


def red_flags(ruleset: Ruleset) -> list[tuple[str, Value]]:
    """The answers that alone fire a rule of a screening section: a red flag, whoever
    answers it (whatever the rule's disposition: one that gives self-care is the fault
    this property looks for)."""
    found: list[tuple[str, Value]] = []
    for question in ruleset.questionnaire.questions:
        if not question.kind.is_yes_no:
            continue
        for rule in ruleset.screening:
            if truth(rule.when, {question.id: "yes"}) is Truth.TRUE:
                found.append((question.id, "yes"))
                break
    return found


def prove(
    ruleset: Ruleset, only: tuple[str, ...] = PROPERTIES, seconds: float = TIME_LIMIT
) -> Proof:
    """Prove the properties of a ruleset (all of them, or those named) within `seconds`; a
    proof is kept for the same questions and rules (by the SHA-256 of their files: the
    texts do not change what is proved), so `validate` and `verify` in one process, or
    data that differs only in its texts, prove once."""
    key = (ruleset.info.logic_sha256 or ruleset.info.sha256, only, seconds)
    return _proved.get(key, lambda: _prove(ruleset, only, seconds))


_proved: Recent[tuple[str, tuple[str, ...], float], Proof] = Recent(size=32)


def _prove(ruleset: Ruleset, only: tuple[str, ...], seconds: float) -> Proof:
    start = time.perf_counter()
    prover = Prover(ruleset, seconds)
    results = []
    for property_id in only:
        check: Callable[[], Iterator[Finding]] = getattr(prover, property_id)
        began = time.perf_counter()
        findings: list[Finding] = []
        finished = time.monotonic() < prover.deadline  # else not begun: nothing is left
        try:
            if finished:
                findings.extend(check())
        except OutOfTime:
            finished = False
        took = time.perf_counter() - began
        holds = finished and not findings
        results.append(Result(property_id, holds, tuple(findings), took, finished))
    try:
        remarks = tuple(prover.remarks())
    except OutOfTime:
        remarks = ()
    return Proof(tuple(results), size(ruleset), time.perf_counter() - start, remarks)
