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
    Texts,
    UnknownAnswers,
)

_SYMBOLS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


def in_words(condition: Condition, texts: Texts) -> str:
    """A condition as a clinician reads it, in the texts' language:
    `recent_fall is yes and (age ≥ 65 or ...)`."""
    match condition:
        case AnswerTest(question, "in", values):
            listed = ", ".join(str(v) for v in values)
            verb = texts("terms.is") if len(values) == 1 else texts("terms.one_of")
            return f"{question} {verb} {listed}"
        case AnswerTest(question, op, values):
            return f"{question} {_SYMBOLS[op]} {values[0]}"
        case AllOf(parts):
            return f" {texts('terms.and')} ".join(_nested(p, texts) for p in parts)
        case AnyOf(parts):
            return f" {texts('terms.or')} ".join(_nested(p, texts) for p in parts)
        case Possibly(disposition):
            return texts("terms.possibly", disposition=disposition.value)
        case UnknownAnswers(at_least):
            return texts("terms.unknown_answers", count=at_least)
        case Always():
            return texts("terms.always")
        case Otherwise():
            return texts("terms.otherwise")
    raise TypeError(type(condition).__name__)


def _nested(condition: Condition, texts: Texts) -> str:
    words = in_words(condition, texts)
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
