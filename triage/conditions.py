"""Evaluating conditions on answers, in three-valued logic.

An answer of `unknown` never makes a test true: it makes it MAYBE when some other answer
would. A test on a question without an answer (not reached) is FALSE.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping

from triage.memo import PerObject
from triage.model import UNKNOWN, AllOf, Always, AnyOf, Condition, Test, Truth, Value

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
        case Test(question, "in", values):
            return _membership(question, frozenset(values))
        case Test(question, op, values):
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


def holds(condition: Condition, answers: Mapping[str, Value]) -> bool:
    """True or possibly true: when in doubt, ask (and warn)."""
    return truth(condition, answers) is not Truth.FALSE


def witnesses(condition: Condition, answers: Mapping[str, Value]) -> tuple[str, ...]:
    """The questions whose answers give the condition its value (TRUE or MAYBE)."""
    found = truth(condition, answers)
    if found is Truth.FALSE:
        return ()
    return tuple(dict.fromkeys(_witnesses(condition, answers, found)))


def _witnesses(condition: Condition, answers: Mapping[str, Value], want: Truth) -> list[str]:
    match condition:
        case Test(question=question):
            return [question] if truth(condition, answers) is want else []
        case AllOf(parts) | AnyOf(parts):
            return [
                q for p in parts if truth(p, answers) is want for q in _witnesses(p, answers, want)
            ]
    return []


def tests_in(condition: Condition) -> Iterator[Test]:
    """The tests of answers a condition is made of."""
    if isinstance(condition, Test):
        yield condition
    elif isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from tests_in(part)


def questions_in(condition: Condition) -> Iterator[str]:
    """The questions a condition looks at."""
    return (test.question for test in tests_in(condition))
