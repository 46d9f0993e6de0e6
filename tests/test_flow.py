"""Which screens the walk shows: the optional `screen` key of a question, loaded, checked and
used, tried on an edited copy of the data (the shipped questions may not use it yet)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from triage.errors import DataError
from triage.flow import screens_ahead
from triage.loader import load_ruleset
from triage.model import Language, Ruleset, Value
from triage.terminal.interview import Interview

NERVES = ("leg_weakness", "saddle_numbness", "bladder_bowel_change")  # in the data's order
# Two yes/no questions of a group that is no checklist (asked when the pregnancy is unsure).
AFTER_BIRTH = ("early_pregnancy_warning", "late_pregnancy_hip")

_TEXTS = {
    "en": '\n[screen.nerves]\ntitle = "Nerves and bladder"\n'
    '[screen.pregnant]\ntitle = "During the pregnancy or since the birth"\n'
    'help = "Some signs need a midwife or doctor soon."\n',
    "nl": '\n[screen.nerves]\ntitle = "Zenuwen en blaas"\n'
    '[screen.pregnant]\ntitle = "Tijdens de zwangerschap of sinds de bevalling"\n'
    'help = "Sommige tekenen vragen snel om een verloskundige of arts."\n',
}


def _put_on_screen(data: Path, screen: str, ids: tuple[str, ...]) -> None:
    questions = data / "questions.toml"
    text = questions.read_text()
    for question_id in ids:
        line = f'id = "{question_id}"\n'
        assert line in text, question_id
        text = text.replace(line, f'{line}screen = "{screen}"\n', 1)
    questions.write_text(text)


def _with_screens(data: Path, *, texts: bool = True) -> Path:
    _put_on_screen(data, "nerves", NERVES)
    _put_on_screen(data, "pregnant", AFTER_BIRTH)
    if texts:
        for lang, added in _TEXTS.items():
            path = data / "lang" / f"{lang}.toml"
            path.write_text(path.read_text() + added)
    return data


def _quiet(ruleset: Ruleset, question_id: str) -> Value:
    """An adult of 40 answering for themselves, with nothing to report."""
    kind = ruleset.questionnaire.question(question_id).kind
    if kind.id == "age":
        return 40
    return "no" if kind.is_yes_no else kind.values[0]


def _up_to(ruleset: Ruleset, group: str, **given: Value) -> dict[str, Value]:
    """The answers of a walk up to the first screen of `group` (`given`, else quiet)."""
    answers: dict[str, Value] = {}
    while (ahead := screens_ahead(ruleset, answers)) and ahead[0].group != group:
        for question_id in ahead[0].questions:
            answers[question_id] = given.get(question_id, _quiet(ruleset, question_id))
    assert ahead, f"the walk never reached {group}"
    return answers


def _ahead(ruleset: Ruleset, **answers: Value) -> list[tuple[str | None, tuple[str, ...], bool]]:
    shown = screens_ahead(ruleset, answers)
    return [(s.screen, s.questions, s.checklist) for s in shown]


def _in_group(ruleset: Ruleset, group: str, answers: dict[str, Value]) -> list[str]:
    """The questions of `group` the walk reaches on these answers, in order."""
    shown = screens_ahead(ruleset, answers)
    return [q for screen in shown if screen.group == group for q in screen.questions]


def test_without_the_key_a_group_keeps_its_one_checklist(ruleset: Ruleset) -> None:
    assert ruleset.questionnaire.screens == ()
    group = ruleset.questionnaire.question(NERVES[0]).group
    first = screens_ahead(ruleset, _up_to(ruleset, group))[0]
    assert first.group == group
    assert first.checklist
    assert first.screen is None
    assert set(NERVES) <= set(first.questions)


def test_a_choice_in_a_checklist_group_is_a_screen_of_its_own(ruleset: Ruleset) -> None:
    """The places of the pain are one tick list; which side and how long are asked one by
    one after it (they were asked one by one with every place, not ticked)."""
    questionnaire = ruleset.questionnaire
    answers: dict[str, Value] = {}
    seen = 0
    while ahead := screens_ahead(ruleset, answers):
        screen = ahead[0]
        kinds = [questionnaire.question(q).kind for q in screen.questions]
        if screen.checklist:
            assert all(k.is_yes_no for k in kinds), screen
        else:
            assert len(screen.questions) == 1, screen
        seen += screen.checklist
        for question_id in screen.questions:
            answers[question_id] = _quiet(ruleset, question_id)
    assert seen >= len([g for g in questionnaire.groups if g.checklist])
    places = screens_ahead(ruleset, _up_to(ruleset, "pain"))
    assert places[0].checklist
    assert places[1].questions == ("side",)


def test_questions_of_one_screen_are_shown_together_under_its_title(data_copy: Path) -> None:
    ruleset = load_ruleset(_with_screens(data_copy))
    assert ruleset.questionnaire.screens == ("pregnant", "nerves")
    group = ruleset.questionnaire.question(NERVES[0]).group
    answers = _up_to(ruleset, group)
    reached = _in_group(ruleset, group, answers)
    before = tuple(reached[: reached.index(NERVES[0])])
    after = tuple(reached[reached.index(NERVES[-1]) + 1 :])
    assert before, reached
    assert after, reached
    shown = _ahead(ruleset, **answers)
    assert shown[0] == (None, before, len(before) > 1)
    assert shown[1] == ("nerves", NERVES, True)
    assert shown[2] == (None, after, len(after) > 1)
    # a group that is no checklist: two yes/no questions on one screen are a tick list
    unsure = _up_to(ruleset, "pain", pregnancy="unknown")
    del unsure[AFTER_BIRTH[0]], unsure[AFTER_BIRTH[1]]
    assert ("pregnant", AFTER_BIRTH, True) in _ahead(ruleset, **unsure)
    out = io.StringIO()
    asker: Any = _Stop()
    interview = Interview(ruleset, ruleset.texts[Language.NL], asker, Console(file=out))
    interview.answers.update(answers)
    with pytest.raises(_Stopped):
        interview.run()
    assert "Zenuwen en blaas" not in out.getvalue()  # the lines before it come first
    interview.answers.update(dict.fromkeys(before, "no"))
    with pytest.raises(_Stopped):
        interview.run()
    assert "Zenuwen en blaas" in out.getvalue()


def test_a_screen_needs_its_title_in_every_language(data_copy: Path) -> None:
    with pytest.raises(DataError, match=r"screen\.nerves\.title: missing text"):
        load_ruleset(_with_screens(data_copy, texts=False))


def test_a_screen_stands_together_in_one_group(data_copy: Path) -> None:
    _put_on_screen(data_copy, "apart", (NERVES[0], NERVES[2]))  # NERVES[1] between them
    with pytest.raises(DataError, match="not right above this question"):
        load_ruleset(data_copy)


def test_a_screen_keeps_to_one_group(data_copy: Path) -> None:
    _put_on_screen(data_copy, "across", ("walking_calf_pain", "groin_lump", "side"))
    with pytest.raises(DataError, match="a screen shows questions of one group"):
        load_ruleset(data_copy)


class _Stopped(Exception):
    pass


class _Stop:
    """An asker that stops at the first prompt (the screen's heading is drawn by then)."""

    def __getattr__(self, name: str) -> object:
        def stop(*_args: object, **_kwargs: object) -> None:
            raise _Stopped

        return stop
