"""Conditions in words, for clinicians reading the rule table."""

from __future__ import annotations

from triage.model import (
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Condition,
    Otherwise,
    Possibly,
    UnknownAnswers,
)

_SYMBOLS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def in_words(condition: Condition) -> str:
    """A condition as a clinician reads it: `recent_fall is yes and (age ≥ 65 or ...)`."""
    match condition:
        case AnswerTest(question, "in", values):
            listed = ", ".join(str(v) for v in values)
            return (
                f"{question} is {listed}"
                if len(values) == 1
                else (f"{question} is one of {listed}")
            )
        case AnswerTest(question, op, values):
            return f"{question} {_SYMBOLS[op]} {values[0]}"
        case AllOf(parts):
            return " and ".join(_nested(p) for p in parts)
        case AnyOf(parts):
            return " or ".join(_nested(p) for p in parts)
        case Possibly(disposition):
            return f"a {disposition.value} rule is possibly fired (open through unknown answers)"
        case UnknownAnswers(at_least):
            return f"{at_least} or more unknown answers each leave a warning sign open"
        case Always():
            return "always"
        case Otherwise():
            return "no other rule of this section fired"
    raise TypeError(type(condition).__name__)


def _nested(condition: Condition) -> str:
    words = in_words(condition)
    return f"({words})" if isinstance(condition, AllOf | AnyOf) else words


def as_data(condition: Condition) -> object:
    """A condition as plain JSON-ready data, in the form of the rule table."""
    match condition:
        case AnswerTest(question, op, values):
            if op == "in":
                return {"question": question, "op": "in", "value": list(values)}
            return {"question": question, "op": op, "value": values[0]}
        case AllOf(parts):
            return {"all": [as_data(p) for p in parts]}
        case AnyOf(parts):
            return {"any": [as_data(p) for p in parts]}
        case Possibly(disposition):
            return {"possibly": disposition.value}
        case UnknownAnswers(at_least):
            return {"unknown_answers": at_least}
        case Always():
            return {"always": True}
        case Otherwise():
            return {"otherwise": True}
    raise TypeError(type(condition).__name__)
