"""Evaluating conditions on answers, in three-valued logic.

An answer of `unknown` never makes a test true: it makes it MAYBE when some other answer
would. A test on a question without an answer (not reached) is FALSE.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

from triage.model import UNKNOWN, AllOf, Always, AnyOf, Condition, Test, Truth, Value

_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def truth(condition: Condition, answers: Mapping[str, Value]) -> Truth:
    """TRUE, FALSE, or MAYBE where only answers of `unknown` keep it from being TRUE."""
    match condition:
        case Test():
            return _test(condition, answers)
        case AllOf(parts):
            return min((truth(p, answers) for p in parts), key=lambda t: t.value)
        case AnyOf(parts):
            return max((truth(p, answers) for p in parts), key=lambda t: t.value)
        case Always():
            return Truth.TRUE
    raise TypeError(f"{type(condition).__name__} is decided by the engine, not on answers")


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
            return [question] if _test(condition, answers) is want else []
        case AllOf(parts) | AnyOf(parts):
            return [
                q for p in parts if truth(p, answers) is want for q in _witnesses(p, answers, want)
            ]
    return []


def _test(test: Test, answers: Mapping[str, Value]) -> Truth:
    answer = answers.get(test.question)
    if answer is None:
        return Truth.FALSE
    if test.op == "in":
        if answer in test.values:
            return Truth.TRUE
        return Truth.MAYBE if answer == UNKNOWN else Truth.FALSE
    if isinstance(answer, int) and isinstance(test.values[0], int):
        return Truth.TRUE if _COMPARE[test.op](answer, test.values[0]) else Truth.FALSE
    return Truth.FALSE
