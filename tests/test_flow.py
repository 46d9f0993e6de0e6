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

NERVES = ("saddle_numbness", "bladder_bowel_change", "leg_weakness")
WHERE = ("groin_pain", "pain_radiates_to_knee")

_TEXTS = {
    "en": '\n[screen.nerves]\ntitle = "Nerves and bladder"\n'
    '[screen.where]\ntitle = "Where is the pain?"\n'
    'help = "Where it hurts tells where it comes from."\n',
    "nl": '\n[screen.nerves]\ntitle = "Zenuwen en blaas"\n'
    '[screen.where]\ntitle = "Waar zit de pijn?"\n'
    'help = "Waar het pijn doet, zegt waar het vandaan komt."\n',
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
    _put_on_screen(data, "where", WHERE)
    if texts:
        for lang, added in _TEXTS.items():
            path = data / "lang" / f"{lang}.toml"
            path.write_text(path.read_text() + added)
    return data


def _ahead(ruleset: Ruleset, **answers: Value) -> list[tuple[str | None, tuple[str, ...], bool]]:
    shown = screens_ahead(ruleset, answers)
    return [(s.screen, s.questions, s.checklist) for s in shown]


def test_without_the_key_a_group_keeps_its_one_checklist(ruleset: Ruleset) -> None:
    assert ruleset.questionnaire.screens == ()
    answers: dict[str, Value] = {
        "fall_cannot_bear_weight": "no",
        "leg_deformed_after_fall": "no",
        "cold_pale_leg": "no",
        "breathless": "no",
        "respondent": "self",
        "age": 40,
        "hip_replacement": "no",
        "recent_hip_procedure": "no",
    }
    first = screens_ahead(ruleset, answers)[0]
    assert first.group == "warning"
    assert first.checklist
    assert first.screen is None
    assert set(NERVES) <= set(first.questions)


def test_questions_of_one_screen_are_shown_together_under_its_title(data_copy: Path) -> None:
    ruleset = load_ruleset(_with_screens(data_copy))
    assert ruleset.questionnaire.screens == ("nerves", "where")
    answers: dict[str, Value] = {
        "fall_cannot_bear_weight": "no",
        "leg_deformed_after_fall": "no",
        "cold_pale_leg": "no",
        "breathless": "no",
        "respondent": "self",
        "age": 40,
        "hip_replacement": "no",
        "recent_hip_procedure": "no",
    }
    shown = _ahead(ruleset, **answers)
    assert shown[0] == (None, ("recent_fall",), False)  # alone: one line is no tick list
    assert shown[1] == ("nerves", NERVES, True)
    assert shown[2][0] is None
    assert "fever_or_unwell" in shown[2][1]
    # a group that is no checklist: two yes/no questions on one screen are a tick list
    assert ("where", WHERE, True) in shown
    out = io.StringIO()
    asker: Any = _Stop()
    interview = Interview(ruleset, ruleset.texts[Language.NL], asker, Console(file=out))
    interview.answers.update(answers)
    with pytest.raises(_Stopped):
        interview.run()
    assert "Zenuwen en blaas" not in out.getvalue()  # recent_fall comes first
    interview.answers["recent_fall"] = "no"
    with pytest.raises(_Stopped):
        interview.run()
    assert "Zenuwen en blaas" in out.getvalue()


def test_a_screen_needs_its_title_in_every_language(data_copy: Path) -> None:
    with pytest.raises(DataError, match=r"screen\.nerves\.title: missing text"):
        load_ruleset(_with_screens(data_copy, texts=False))


def test_a_screen_stands_together_in_one_group(data_copy: Path) -> None:
    _put_on_screen(data_copy, "apart", ("saddle_numbness", "leg_weakness"))
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
