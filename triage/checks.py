"""Checks that a loaded ruleset decides: sample answer sets run through the engine."""

from __future__ import annotations

from collections.abc import Iterator

from triage.flow import reached_answers
from triage.model import Question, Ruleset, Value
from triage.rules import decide

SAMPLE_AGES = (0, 9, 12, 17, 18, 44, 45, 50, 64, 65, 90, 120)


def samples(ruleset: Ruleset) -> Iterator[dict[str, Value]]:
    """For each sample age: every question at its first value (no), then each other value."""
    questions = ruleset.questionnaire.questions
    for age in SAMPLE_AGES:
        base = {q.id: _first(q) for q in questions} | {"age": age}
        yield base
        for question in questions:
            for value in question.kind.values[1:] if not question.kind.is_number else ():
                yield base | {question.id: value}
            if question.kind.values and "no" in question.kind.values:
                yield base | {question.id: "yes"}


def _first(question: Question) -> Value:
    kind = question.kind
    if kind.is_number:
        return kind.minimum
    return "no" if "no" in kind.values else kind.values[0]


def smoke_test(ruleset: Ruleset) -> int:
    """Decide every sample; the number decided. Raises DataError where no rule decides."""
    count = 0
    for answers in samples(ruleset):
        decide(reached_answers(ruleset, answers), ruleset)
        count += 1
    return count
