"""Checks that a loaded ruleset decides: sample answer sets run through the engine."""

from __future__ import annotations

from collections.abc import Iterator

from triage.conditions import tests_in
from triage.flow import reached_answers
from triage.model import Disposition, Language, Question, Ruleset, Value
from triage.rules import decide


def numbers_tested(ruleset: Ruleset, question_id: str) -> set[int]:
    """The numbers any condition of the data compares a number question (the age) with."""
    conditions = [r.when for r in ruleset.rules] + [s.applies_when for s in ruleset.sections]
    conditions += [q.ask_when for q in ruleset.questionnaire.questions]
    conditions += [n.when for n in ruleset.notes] + [s.applies_when for s in ruleset.safety_net]
    return {
        value
        for condition in conditions
        for test in tests_in(condition)
        if test.question == question_id
        for value in test.values
        if isinstance(value, int)
    }


def sample_numbers(ruleset: Ruleset) -> dict[str, list[int]]:
    """For each number question (the age): the numbers on both sides of every bound the
    data tests it against, and the ends of its range."""
    samples: dict[str, list[int]] = {}
    for question in ruleset.questionnaire.questions:
        kind = question.kind
        if kind.is_number:
            near = {n + step for n in numbers_tested(ruleset, question.id) for step in (-1, 0, 1)}
            near |= {kind.minimum, kind.maximum}
            samples[question.id] = sorted(n for n in near if kind.minimum <= n <= kind.maximum)
    return samples


def samples(ruleset: Ruleset) -> Iterator[dict[str, Value]]:
    """For each sample number (the ages around every bound): every question at its first
    value (no), then each other value."""
    questions = ruleset.questionnaire.questions
    for question_id, numbers in sample_numbers(ruleset).items():
        for number in numbers:
            base = {q.id: _first(q) for q in questions} | {question_id: number}
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
    """Decide every sample, and show one result of each disposition in every language as
    a person and a clinician would read it; the number decided. Raises DataError where no
    rule decides."""
    count = 0
    shown: dict[Disposition, dict[str, Value]] = {}
    for answers in samples(ruleset):
        disposition = decide(reached_answers(ruleset, answers), ruleset).disposition
        shown.setdefault(disposition, answers)
        count += 1
    _show(ruleset, list(shown.values()))
    return count


def _show(ruleset: Ruleset, answer_sets: list[dict[str, Value]]) -> None:
    """Every text those results use, filled in: what validate accepts, assess can show."""
    from triage.evaluate import evaluate
    from triage.formats.advice import advice_document
    from triage.formats.handover import to_markdown

    for answers in answer_sets:
        for language in Language:
            result = evaluate(answers, ruleset, language=language)
            advice_document(result, ruleset)
            to_markdown(result, ruleset)
