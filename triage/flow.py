"""Which questions the walk reaches, given the answers so far.

One definition for the interactive walk and the scripted assessment: groups in order, a
question only when its `ask_when` holds on the answers before it, and an early stop after
a group whose `stop_on` value was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from triage.answers import missing_message
from triage.conditions import Evaluator, evaluator, questions_in
from triage.errors import AnswersError
from triage.memo import PerObject
from triage.model import Always, Questionnaire, Truth, Value


class Reach(NamedTuple):
    """The questions the walk reaches, those of them still unanswered, and an early stop."""

    reached: tuple[str, ...]
    missing: tuple[str, ...]
    stopped: bool


def reach(questionnaire: Questionnaire, answers: Mapping[str, Value]) -> Reach:
    """Walk the questionnaire on these answers, as far as they go."""
    walk = _known_walk(questionnaire, answers)
    if walk.reached_set <= answers.keys():
        return Reach(walk.reached, (), walk.stopped)
    return Reach(walk.reached, tuple(q for q in walk.reached if q not in answers), walk.stopped)


def reached_answers(questionnaire: Questionnaire, answers: Mapping[str, Value]) -> dict[str, Value]:
    """The answers to the questions the walk reaches, in the questionnaire's order.

    AnswersError when the walk reaches a question without an answer.
    """
    reached = _known_walk(questionnaire, answers).reached
    try:
        return {q: answers[q] for q in reached}
    except KeyError:
        missing = [q for q in reached if q not in answers]
        raise AnswersError(missing_message(missing)) from None


def _known_walk(questionnaire: Questionnaire, answers: Mapping[str, Value]) -> _Walk:
    """The walk on these answers.

    Which questions are reached depends only on the answers that conditions and early
    stops look at; walks are remembered by those answers, so batches walk each kind once.
    """
    plan = _plan(questionnaire)
    key = tuple(map(answers.get, plan.deciding))
    walk = plan.walks.get(key)
    if walk is None:
        walk = _walk(plan.steps, answers)
        if len(plan.walks) >= 4096:
            plan.walks.clear()
        plan.walks[key] = walk
    return walk


class _Walk(NamedTuple):
    reached: tuple[str, ...]
    reached_set: frozenset[str]
    stopped: bool


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
            return _Walk(tuple(kept), frozenset(kept), stopped=True)
    return _Walk(tuple(reached), frozenset(reached), stopped=False)


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
        for question in questionnaire.questions:
            deciding |= set(questions_in(question.ask_when))
        # Which questions have answers matters too: an unanswered one stops nothing.
        self.deciding = tuple(sorted(deciding))
        self.walks: dict[tuple[Value | None, ...], _Walk] = {}


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
