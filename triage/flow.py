"""Which questions the walk reaches, given the answers so far.

One definition for the interactive walk and the scripted assessment: groups in order, a
question only when its `ask_when` holds on the answers before it, and an early stop after
a group whose `stop_on` value was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from triage.conditions import holds
from triage.model import Questionnaire, Value


class Reach(NamedTuple):
    """The questions the walk reaches, those of them still unanswered, and an early stop."""

    reached: tuple[str, ...]
    missing: tuple[str, ...]
    stopped: bool


def reach(questionnaire: Questionnaire, answers: Mapping[str, Value]) -> Reach:
    """Walk the questionnaire on these answers, as far as they go."""
    reached: list[str] = []
    known: dict[str, Value] = {}
    for group in questionnaire.groups:
        in_group = []
        for question in questionnaire.questions:
            if question.group == group.id and holds(question.ask_when, known):
                in_group.append(question.id)
                if question.id in answers:
                    known[question.id] = answers[question.id]
        if group.stop_on is not None and group.stop_on in (known.get(q) for q in in_group):
            reached += [q for q in in_group if q in known]
            return Reach(tuple(reached), _missing(reached, known), stopped=True)
        reached += in_group
    return Reach(tuple(reached), _missing(reached, known), stopped=False)


def _missing(reached: list[str], known: Mapping[str, Value]) -> tuple[str, ...]:
    return tuple(q for q in reached if q not in known)


class Screen(NamedTuple):
    """What the interactive walk shows next: one question, or a checklist of a group's."""

    group: str
    questions: tuple[str, ...]
    checklist: bool


def next_screen(questionnaire: Questionnaire, answers: Mapping[str, Value]) -> Screen | None:
    """The next screen of the walk, or None when it is done."""
    screens = _screens(questionnaire, reach(questionnaire, answers))
    return screens[0] if screens else None


def screens_left(questionnaire: Questionnaire, answers: Mapping[str, Value]) -> int:
    """How many screens the walk shows from here, as far as the answers so far tell."""
    return len(_screens(questionnaire, reach(questionnaire, answers)))


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
