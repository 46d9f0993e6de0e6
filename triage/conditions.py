"""Evaluating conditions on answers, in three-valued logic.

An answer of `unknown` never makes a test true: it makes it MAYBE when some other answer
would. A test on a question without an answer (not reached) is FALSE.

A condition never negates, so it holds exactly when one of its clauses holds: a set of
answer tests that must all pass (its disjunctive normal form, `clauses`). Its three values
follow from two readings of its clauses (Kleene's logic, on a formula without negation):
TRUE when a clause holds with each `unknown` answer failing its tests; MAYBE when one holds
only with them passing; FALSE otherwise.

A `Table` compiles many conditions at once: their clauses are the bits of one integer, and
each answer marks the clauses it breaks (`Kills`). A condition's value is then read off the
clauses left alive, and a walk adds each answer's marks as it goes. The engine (rules.py)
and the walk (flow.py) decide with one such table per ruleset; `truth` and `best_case`
read a condition alone through a table of its own.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from triage.memo import PerObject
from triage.model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Condition,
    Truth,
    Value,
)

_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

MAX_CLAUSES = 200
"""The most clauses a condition may have (the loader refuses more): an `all` of `any`
parts has as many as the product of their sizes."""


def test_value(test: AnswerTest, answer: Value | None) -> Truth:
    """One test on one answer (None: not answered): the one definition of what a test
    means."""
    if answer is None:
        return Truth.FALSE
    if test.op == "in":
        if answer in test.values:
            return Truth.TRUE
        return Truth.MAYBE if answer == UNKNOWN else Truth.FALSE
    bound = test.values[0]
    ok = isinstance(answer, int) and isinstance(bound, int) and _COMPARE[test.op](answer, bound)
    return Truth.TRUE if ok else Truth.FALSE


Clause = frozenset[AnswerTest]


def clauses(condition: Condition) -> tuple[Clause, ...]:
    """The condition's clauses: it holds when every test of one of them passes. `always`
    is one clause without tests; an `any` without parts has none."""
    match condition:
        case AnswerTest():
            return (frozenset({condition}),)
        case Always():
            return (frozenset(),)
        case AnyOf(parts):
            return tuple(dict.fromkeys(c for p in parts for c in clauses(p)))
        case AllOf(parts):
            found: tuple[Clause, ...] = (frozenset(),)
            for part in parts:
                pairs = itertools.product(found, clauses(part))
                found = tuple(dict.fromkeys(a | b for a, b in pairs))
            return found
    raise TypeError(f"{type(condition).__name__} is decided by the engine, not on answers")


def clause_count(condition: Condition) -> int:
    """How many clauses the condition has at most (before equal ones are merged), counted
    without writing them out; conditions the engine decides (possibly, ...) count one."""
    match condition:
        case AnyOf(parts):
            return sum(clause_count(p) for p in parts)
        case AllOf(parts):
            count = 1
            for part in parts:
                count *= clause_count(part)
                if count > MAX_CLAUSES:
                    return count  # enough to refuse it; the product can grow very large
            return count
    return 1


class Kills(NamedTuple):
    """The clauses the answers break: `true` those that do not hold when `unknown` fails its
    tests, `maybe` those that do not hold even when it passes (the bits of a Table)."""

    true: int
    maybe: int


class Table:
    """Conditions compiled together: their clauses numbered as bits, and for each question
    the clauses that test it and, for each answer, the clauses that answer breaks."""

    def __init__(self, conditions: Iterable[Condition]) -> None:
        self.masks: dict[Condition, int] = {}
        at: dict[str, dict[AnswerTest, list[int]]] = {}  # each test's clauses, by number
        bit = 0
        for condition in conditions:
            if condition in self.masks:
                continue
            found = clauses(condition)
            self.masks[condition] = ((1 << len(found)) - 1) << bit
            for clause in found:
                for test in clause:
                    at.setdefault(test.question, {}).setdefault(test, []).append(bit)
                bit += 1
        self.tests = {
            question: {test: _mask(bits) for test, bits in tests.items()}
            for question, tests in at.items()
        }
        self.needs = {q: union(tests.values()) for q, tests in self.tests.items()}
        """For each question, the clauses that test it: broken while it has no answer."""
        self.broken: dict[str, dict[Value, Kills]] = {q: {} for q in self.tests}
        """For each question, the clauses each answer breaks, as answers come (`kill`)."""

    def mask(self, condition: Condition) -> int:
        """The bits of a condition's clauses."""
        return self.masks[condition]

    def testing(self, questions: Iterable[str]) -> int:
        """The clauses that test any of these questions."""
        return union(self.needs.get(q, 0) for q in questions)

    def kill(self, question: str, answer: Value) -> Kills:
        """The clauses an answer to a question breaks (kept in `broken`)."""
        known = self.broken.get(question)
        if known is None:
            return _NOTHING  # no clause tests this question
        found = known.get(answer)
        if found is None:
            true = maybe = 0
            for test, mask in self.tests[question].items():
                value = test_value(test, answer)
                if value is not Truth.TRUE:
                    true |= mask
                    if value is Truth.FALSE:
                        maybe |= mask
            found = Kills(true, maybe)
            if len(known) < MAX_KEPT:
                known[answer] = found
        return found

    def kills(self, answers: Mapping[str, Value], pending: AbstractSet[str] = frozenset()) -> Kills:
        """The clauses the answers break; a question without an answer breaks every clause
        that tests it, unless it is `pending` (it could still get any answer)."""
        true = maybe = 0
        for question, needs in self.needs.items():
            if question in pending:
                continue
            answer = answers.get(question)
            if answer is None:
                true |= needs
                maybe |= needs
            else:
                found = self.kill(question, answer)
                true |= found.true
                maybe |= found.maybe
        return Kills(true, maybe)


def reading(mask: int, kills: Kills) -> Truth:
    """The value of the condition whose clauses are the bits of `mask`, once the clauses
    `kills` names are broken: TRUE when one holds with `unknown` failing, MAYBE when one
    holds only with `unknown` passing."""
    if mask & ~kills.true:
        return Truth.TRUE
    return Truth.MAYBE if mask & ~kills.maybe else Truth.FALSE


MAX_KEPT = 1000
"""The most answers to one question a table keeps the broken clauses of (a question of
numbers has one entry per number given)."""
_NOTHING = Kills(0, 0)


def _mask(bits: list[int]) -> int:
    """The integer with these bits set, built in one pass (not one bit at a time)."""
    flags = bytearray(bits[-1] // 8 + 1)
    for bit in bits:
        flags[bit >> 3] |= 1 << (bit & 7)
    return int.from_bytes(flags, "little")


def union(masks: Iterable[int]) -> int:
    """The bits of all these masks."""
    found = 0
    for mask in masks:
        found |= mask
    return found


def _own_table(condition: Condition) -> tuple[Table, int]:
    table = Table([condition])
    return table, table.masks[condition]


_alone: PerObject[Condition, tuple[Table, int]] = PerObject(_own_table, size=4096)
"""A condition's own table, and the bits of its clauses, built once per condition."""


def truth(condition: Condition, answers: Mapping[str, Value]) -> Truth:
    """TRUE, FALSE, or MAYBE where only answers of `unknown` keep it from being TRUE."""
    table, mask = _alone(condition)
    return reading(mask, table.kills(answers))


def best_case(
    condition: Condition, answers: Mapping[str, Value], pending: AbstractSet[str]
) -> Truth:
    """The most a condition can become once the `pending` questions are answered, whatever
    their answers: a test of a pending question can still pass. (Each test is read on its
    own, so for an `all` whose parts need different answers to one pending question this
    is an upper bound.)"""
    table, mask = _alone(condition)
    return reading(mask, table.kills(answers, pending))


def holds(condition: Condition, answers: Mapping[str, Value]) -> bool:
    """True or possibly true: when in doubt, ask (and warn)."""
    return truth(condition, answers) is not Truth.FALSE


def witnesses(condition: Condition, answers: Mapping[str, Value]) -> tuple[str, ...]:
    """The questions whose answers give the condition its value (TRUE or MAYBE)."""
    return tuple(dict.fromkeys(traced(condition)(answers)[1]))


Traced = Callable[[Mapping[str, Value]], tuple[Truth, tuple[str, ...]]]


def _build_traced(condition: Condition) -> Traced:
    """The condition as a function giving its value and the questions that give it: the
    explanation of a value (the engine reads the value off its table; the tests hold the
    two to each other).

    Those are the tests of that same value reached through parts of that same value; a
    FALSE condition names none.
    """
    match condition:
        case AnswerTest(question=question):
            return _traced_test(condition, (question,))
        case AllOf(parts):
            return _traced_join([_build_traced(p) for p in parts], Truth.FALSE, Truth.TRUE)
        case AnyOf(parts):
            return _traced_join([_build_traced(p) for p in parts], Truth.TRUE, Truth.FALSE)
        case Always():
            return lambda _answers: (Truth.TRUE, ())
    raise TypeError(f"{type(condition).__name__} is decided by the engine, not on answers")


traced: PerObject[Condition, Traced] = PerObject(_build_traced, size=4096)
"""The condition as a function giving its value and its witnesses, built once per condition."""


def _traced_test(test: AnswerTest, question: tuple[str]) -> Traced:
    def trace(answers: Mapping[str, Value]) -> tuple[Truth, tuple[str, ...]]:
        value = test_value(test, answers.get(test.question))
        return value, (() if value is Truth.FALSE else question)

    return trace


def _traced_join(parts: list[Traced], decides: Truth, otherwise: Truth) -> Traced:
    def trace(answers: Mapping[str, Value]) -> tuple[Truth, tuple[str, ...]]:
        results = [part(answers) for part in parts]
        values = [value for value, _ in results]  # not a set: Enum hashing is slow
        found = otherwise
        if decides in values:
            found = decides
        elif Truth.MAYBE in values:
            found = Truth.MAYBE
        if found is Truth.FALSE:
            return found, ()
        return found, tuple(q for value, named in results if value is found for q in named)

    return trace


def tests_in(condition: Condition) -> Iterator[AnswerTest]:
    """The tests of answers a condition is made of."""
    if isinstance(condition, AnswerTest):
        yield condition
    elif isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from tests_in(part)


def questions_in(condition: Condition) -> Iterator[str]:
    """The questions a condition looks at."""
    return (test.question for test in tests_in(condition))
