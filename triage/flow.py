"""Which questions the walk reaches, given the answers so far.

One definition for the interactive walk and the scripted assessment: groups in order, a
question only when its `ask_when` holds on the answers before it, and an early stop after
a group whose `stop_on` value was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from triage.answers import missing_message
from triage.conditions import Evaluator, evaluator, tests_in
from triage.errors import AnswersError
from triage.memo import PerObject
from triage.model import Always, Questionnaire, Test, Truth, Value


class Reach(NamedTuple):
    """The questions the walk reaches, those of them still unanswered, and an early stop."""

    reached: tuple[str, ...]
    missing: tuple[str, ...]
    stopped: bool


def reach(questionnaire: Questionnaire, answers: Mapping[str, Value]) -> Reach:
    """Walk the questionnaire on these answers, as far as they go."""
    walk = _known_walk(questionnaire, answers)
    return Reach(walk.reached, _missing(walk.reached, answers), walk.stopped)


def reached_answers(questionnaire: Questionnaire, answers: Mapping[str, Value]) -> dict[str, Value]:
    """The answers to the questions the walk reaches, in the questionnaire's order.

    AnswersError when the walk reaches a question without an answer.
    """
    reached = _known_walk(questionnaire, answers).reached
    try:
        return {q: answers[q] for q in reached}
    except KeyError:
        raise AnswersError(missing_message(_missing(reached, answers))) from None


def keep_reached(questionnaire: Questionnaire, answers: dict[str, Value]) -> None:
    """Drop, in place, the answers to questions the walk does not reach (for batches: no
    new dict, and the answers keep their own order).

    AnswersError when the walk reaches a question without an answer.
    """
    walk = _known_walk(questionnaire, answers)
    for question_id in walk.skipped:
        answers.pop(question_id, None)
    if len(answers) != len(walk.reached) and (missing := _missing(walk.reached, answers)):
        raise AnswersError(missing_message(missing))


def _missing(reached: tuple[str, ...], answers: Mapping[str, Value]) -> tuple[str, ...]:
    return tuple(q for q in reached if q not in answers)


def _known_walk(questionnaire: Questionnaire, answers: Mapping[str, Value]) -> _Walk:
    """The walk on these answers.

    Which questions are reached depends only on the answers that conditions and early
    stops look at, and of a number only on the side of each bound it is on; walks are
    remembered by those, so batches walk each kind once.
    """
    plan = _plan(questionnaire)
    key: tuple[object, ...] = tuple(map(answers.get, plan.deciding))
    for question_id, sides in plan.numbers:
        key += (sides[answers.get(question_id)],)
    walk = plan.walks.get(key)
    if walk is None:
        walk = _walk(plan.steps, answers)
        walk = plan.kinds.setdefault(walk, walk)
        if len(plan.walks) >= 16384:
            plan.walks.clear()
        plan.walks[key] = walk
    return walk


class _Walk(NamedTuple):
    reached: tuple[str, ...]
    stopped: bool
    skipped: tuple[str, ...]
    """Every question not reached."""


def _walk(steps: _Steps, answers: Mapping[str, Value]) -> _Walk:
    reached: list[str] = []
    # Conditions look only at earlier questions, so the answers less those of skipped
    # questions are what the walk knows at each question.
    known = dict(answers)
    for stop_on, questions in steps:
        start = len(reached)
        for question_id, check in questions:
            if check is None or check(known) is not Truth.FALSE:
                reached.append(question_id)
            else:
                known.pop(question_id, None)
        if stop_on is not None and any(known.get(q) == stop_on for q in reached[start:]):
            kept = reached[:start] + [q for q in reached[start:] if q in known]
            return _walked(steps, kept, stopped=True)
    return _walked(steps, reached, stopped=False)


def _walked(steps: _Steps, reached: list[str], *, stopped: bool) -> _Walk:
    every = [question_id for _, questions in steps for question_id, _ in questions]
    seen = set(reached)
    skipped = tuple(q for q in every if q not in seen)
    return _Walk(tuple(reached), stopped, skipped)


_Steps = list[tuple[str | None, list[tuple[str, Evaluator | None]]]]


class _Plan:
    """The walk worked out once per questionnaire: steps, deciding answers, known walks."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.steps: _Steps = [
            (
                group.stop_on,
                [
                    (q.id, None if isinstance(q.ask_when, Always) else evaluator(q.ask_when))
                    for q in questionnaire.questions
                    if q.group == group.id
                ],
            )
            for group in questionnaire.groups
        ]
        stopping = {g.id for g in questionnaire.groups if g.stop_on is not None}
        deciding = {q.id for q in questionnaire.questions if q.group in stopping}
        tests = [t for q in questionnaire.questions for t in tests_in(q.ask_when)]
        deciding |= {t.question for t in tests}
        # A number that only conditions look at counts by the side of each bound it is on.
        self.numbers = [
            (q.id, _Sides(q.id, tests))
            for q in questionnaire.questions
            if q.id in deciding and q.kind.is_number and q.group not in stopping
        ]
        # Which questions have answers matters too: an unanswered one stops nothing.
        self.deciding = tuple(sorted(deciding - {q for q, _ in self.numbers}))
        self.walks: dict[tuple[object, ...], _Walk] = {}
        self.kinds: dict[_Walk, _Walk] = {}


class _Sides(dict[object, object]):
    """A number as the truths of the tests on it (numbers alike in those walk alike),
    worked out when a number is first seen."""

    def __init__(self, question_id: str, tests: list[Test]) -> None:
        super().__init__()
        self.question_id = question_id
        self.checks = [evaluator(t) for t in tests if t.question == question_id]

    def __missing__(self, number: object) -> object:
        if type(number) is not int:
            return number  # unanswered (None): kept apart from every number
        sides = self[number] = tuple(check({self.question_id: number}) for check in self.checks)
        return sides


_plan: PerObject[Questionnaire, _Plan] = PerObject(_Plan, size=8)


class Screen(NamedTuple):
    """What the interactive walk shows next: one question, or a checklist of a group's."""

    group: str
    questions: tuple[str, ...]
    checklist: bool


def screens_ahead(questionnaire: Questionnaire, answers: Mapping[str, Value]) -> list[Screen]:
    """The screens the walk shows from here, as far as the answers so far tell; [] when done."""
    return _screens(questionnaire, reach(questionnaire, answers))


def _screens(questionnaire: Questionnaire, walk: Reach) -> list[Screen]:
    screens: list[Screen] = []
    if walk.stopped:
        return screens
    checklists = {g.id for g in questionnaire.groups if g.checklist}
    for question_id in walk.missing:
        question = questionnaire.question(question_id)
        ticks = question.group in checklists and question.kind.is_yes_no
        last = screens[-1] if screens else None
        if ticks and last and last.checklist and last.group == question.group:
            screens[-1] = Screen(last.group, (*last.questions, question_id), True)
        else:
            screens.append(Screen(question.group, (question_id,), ticks))
    return [s if len(s.questions) > 1 else Screen(s.group, s.questions, False) for s in screens]
