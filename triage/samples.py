"""Sample answer sets of a loaded ruleset, run through the engine and rendered (the smoke
test of `triage validate`), and the numbers the rules test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from triage.conditions import tests_in
from triage.flow import walked
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


SAMPLE_WORK = 2_000_000
"""How many answers the smoke test may decide in all (samples x questions): ten times what
the shipped data needs, so that a data folder of thousands of questions is sampled evenly
instead of taking hours (the work of each sample grows with the questions too)."""


class Variation(NamedTuple):
    """A sample answer set: every question at its first value, the number question at
    `number`, and the question of `change` (if any) at its value."""

    number_question: str
    number: int
    change: tuple[str, Value] | None = None


def variations(ruleset: Ruleset) -> list[Variation]:
    """For each sample number (the ages around every bound): every question at its first
    value (no), then each other value; in that order."""
    questions = ruleset.questionnaire.questions
    found: list[Variation] = []
    for question_id, numbers in sample_numbers(ruleset).items():
        for number in numbers:
            found.append(Variation(question_id, number))
            for question in questions:
                for value in question.kind.values[1:] if not question.kind.is_number else ():
                    found.append(Variation(question_id, number, (question.id, value)))
                if question.kind.values and "no" in question.kind.values:
                    found.append(Variation(question_id, number, (question.id, "yes")))
    return found


def samples(ruleset: Ruleset, work: int | None = None) -> Iterator[dict[str, Value]]:
    """The sample answer sets of `variations`; with a `work` budget (answers decided in
    all), every n-th of them, evenly spread, where all would exceed it."""
    questions = ruleset.questionnaire.questions
    first = {q.id: _first(q) for q in questions}
    chosen = variations(ruleset)
    if work is not None:
        chosen = chosen[:: sample_step(len(chosen), len(questions), work)]
    for variation in chosen:
        base = first | {variation.number_question: variation.number}
        yield base if variation.change is None else base | dict([variation.change])


def sample_step(count: int, questions: int, work: int) -> int:
    """Every how many samples the smoke test decides one, within `work` answers in all."""
    return max(1, -(-count * max(questions, 1) // work))


def _first(question: Question) -> Value:
    kind = question.kind
    if kind.is_number:
        return kind.minimum
    return "no" if "no" in kind.values else kind.values[0]


class Smoke(NamedTuple):
    """What the smoke test decided: `decided` of the `possible` sample answer sets (all of
    them, unless the data is too large for the budget)."""

    decided: int
    possible: int


def smoke_test(ruleset: Ruleset) -> Smoke:
    """Decide the samples (all, or an even spread within SAMPLE_WORK), and show one result
    of each disposition in every language as a person and a clinician would read it.
    Raises DataError where no rule decides."""
    count = 0
    shown: dict[Disposition, dict[str, Value]] = {}
    for answers in samples(ruleset, SAMPLE_WORK):
        disposition = decide(walked(ruleset, answers)[1], ruleset).disposition
        shown.setdefault(disposition, answers)
        count += 1
    _show(ruleset, list(shown.values()))
    return Smoke(count, len(variations(ruleset)))


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
