"""Evaluating conditions on answers, in three-valued logic.

An answer of `unknown` never makes a test true: it makes it MAYBE when some other answer
would. A test on a question without an answer (not reached) is FALSE.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet

from triage.memo import PerObject
from triage.model import UNKNOWN, AllOf, Always, AnswerTest, AnyOf, Condition, Truth, Value

_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


Evaluator = Callable[[Mapping[str, Value]], Truth]


def truth(condition: Condition, answers: Mapping[str, Value]) -> Truth:
    """TRUE, FALSE, or MAYBE where only answers of `unknown` keep it from being TRUE."""
    return evaluator(condition)(answers)


def _build(condition: Condition) -> Evaluator:
    """The condition as a function of the answers."""
    match condition:
        case AnswerTest(question, "in", values):
            return _membership(question, frozenset(values))
        case AnswerTest(question, op, values):
            return _comparison(question, _COMPARE[op], values[0])
        case AllOf(parts):
            return _all([_build(p) for p in parts])
        case AnyOf(parts):
            return _any([_build(p) for p in parts])
        case Always():
            return lambda _answers: Truth.TRUE
    raise TypeError(f"{type(condition).__name__} is decided by the engine, not on answers")


evaluator: PerObject[Condition, Evaluator] = PerObject(_build, size=4096)
"""The condition as a function of the answers, built once per condition."""


def _membership(question: str, values: frozenset[Value]) -> Evaluator:
    def test(answers: Mapping[str, Value]) -> Truth:
        answer = answers.get(question)
        if answer is None:
            return Truth.FALSE
        if answer in values:
            return Truth.TRUE
        return Truth.MAYBE if answer == UNKNOWN else Truth.FALSE

    return test


def _comparison(question: str, compare: Callable[[int, int], bool], bound: Value) -> Evaluator:
    def test(answers: Mapping[str, Value]) -> Truth:
        answer = answers.get(question)
        ok = isinstance(answer, int) and isinstance(bound, int) and compare(answer, bound)
        return Truth.TRUE if ok else Truth.FALSE

    return test


def _all(parts: list[Evaluator]) -> Evaluator:
    return _join(parts, decides=Truth.FALSE, otherwise=Truth.TRUE)


def _any(parts: list[Evaluator]) -> Evaluator:
    return _join(parts, decides=Truth.TRUE, otherwise=Truth.FALSE)


def _join(parts: list[Evaluator], *, decides: Truth, otherwise: Truth) -> Evaluator:
    """all (a FALSE part decides) or any (a TRUE part decides); else MAYBE wins."""

    def test(answers: Mapping[str, Value]) -> Truth:
        found = otherwise
        for part in parts:
            value = part(answers)
            if value is decides:
                return value
            if value is Truth.MAYBE:
                found = value
        return found

    return test


def best_case(
    condition: Condition, answers: Mapping[str, Value], pending: AbstractSet[str]
) -> Truth:
    """The most a condition can become once the `pending` questions are answered, whatever
    their answers: a test of a pending question can still become TRUE. (Conditions never
    negate, so the parts' best cases give the whole's; for an `all` whose parts need
    different answers to one pending question this is an upper bound.)"""
    return best(condition)(answers, pending)


BestCase = Callable[[Mapping[str, Value], AbstractSet[str]], Truth]


def _build_best(condition: Condition) -> BestCase:
    """The condition's best case (see best_case) as a function of the answers and the
    pending questions."""
    match condition:
        case AnswerTest(question=question):
            check = evaluator(condition)
            return lambda answers, pending: Truth.TRUE if question in pending else check(answers)
        case AllOf(parts):
            return _best_join([_build_best(p) for p in parts], Truth.FALSE, Truth.TRUE)
        case AnyOf(parts):
            return _best_join([_build_best(p) for p in parts], Truth.TRUE, Truth.FALSE)
    check = evaluator(condition)
    return lambda answers, _pending: check(answers)


def _best_join(parts: list[BestCase], decides: Truth, otherwise: Truth) -> BestCase:
    """all (a FALSE part decides) or any (a TRUE part decides); else MAYBE wins."""

    def test(answers: Mapping[str, Value], pending: AbstractSet[str]) -> Truth:
        found = otherwise
        for part in parts:
            value = part(answers, pending)
            if value is decides:
                return value
            if value is Truth.MAYBE:
                found = value
        return found

    return test


best: PerObject[Condition, BestCase] = PerObject(_build_best, size=4096)
"""The condition's best case as a function, built once per condition."""


def holds(condition: Condition, answers: Mapping[str, Value]) -> bool:
    """True or possibly true: when in doubt, ask (and warn)."""
    return truth(condition, answers) is not Truth.FALSE


def witnesses(condition: Condition, answers: Mapping[str, Value]) -> tuple[str, ...]:
    """The questions whose answers give the condition its value (TRUE or MAYBE)."""
    return tuple(dict.fromkeys(traced(condition)(answers)[1]))


Traced = Callable[[Mapping[str, Value]], tuple[Truth, tuple[str, ...]]]


def _build_traced(condition: Condition) -> Traced:
    """The condition as a function giving its value and the questions that give it.

    Those are the tests of that same value reached through parts of that same value; a
    FALSE condition names none.
    """
    match condition:
        case AnswerTest(question=question):
            return _traced_test(evaluator(condition), (question,))
        case AllOf(parts):
            return _traced_join([_build_traced(p) for p in parts], Truth.FALSE, Truth.TRUE)
        case AnyOf(parts):
            return _traced_join([_build_traced(p) for p in parts], Truth.TRUE, Truth.FALSE)
        case Always():
            return lambda _answers: (Truth.TRUE, ())
    raise TypeError(f"{type(condition).__name__} is decided by the engine, not on answers")


traced: PerObject[Condition, Traced] = PerObject(_build_traced, size=4096)
"""The condition as a function giving its value and its witnesses, built once per condition."""


def _traced_test(check: Evaluator, question: tuple[str]) -> Traced:
    def test(answers: Mapping[str, Value]) -> tuple[Truth, tuple[str, ...]]:
        value = check(answers)
        return value, (() if value is Truth.FALSE else question)

    return test


def _traced_join(parts: list[Traced], decides: Truth, otherwise: Truth) -> Traced:
    def test(answers: Mapping[str, Value]) -> tuple[Truth, tuple[str, ...]]:
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

    return test


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
