"""The interactive walk with a scripted asker: screens, checklists, help, back, saving."""

from __future__ import annotations

import io
import json
import os
import socket
import stat
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tests.conftest import TODAY
from triage.model import Language, Ruleset
from triage.terminal.interview import UNSURE, Interview, run_walk
from triage.terminal.prompts import NONE_OF_THESE, Check, Left, Nav, Option

NONE = [NONE_OF_THESE]


class ScriptedAsker:
    """Answers prompts from a script; records every prompt it was shown."""

    def __init__(self, script: list[Any]) -> None:
        self.script = list(script)
        self.shown: list[tuple[str, str, list[str], Any]] = []
        self.problems: list[str] = []

    def _next(self, kind: str, message: str, values: list[str], default: Any) -> Any:
        self.shown.append((kind, message, values, default))
        if not self.script:
            raise AssertionError(f"no answer scripted for {kind}: {message}")
        answer = self.script.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def select(self, message: str, options: Sequence[Option], default: str | None) -> str | Nav:
        answer = self._next("select", message, [o.value for o in options], default)
        assert answer in (*[o.value for o in options], *Nav)
        return answer  # type: ignore[no-any-return]

    def checklist(
        self, message: str, options: Sequence[Option], ticked: Collection[str], check: Check
    ) -> list[str] | Left:
        while True:
            answer = self._next("checklist", message, [o.value for o in options], sorted(ticked))
            if isinstance(answer, Nav):
                return Left(answer, tuple(ticked))
            if isinstance(answer, Left):
                return answer
            problem = check(answer)
            if problem is None:
                return answer  # type: ignore[no-any-return]
            self.problems.append(problem)

    def number(self, message: str, minimum: int, maximum: int, default: int | None) -> int | Nav:
        return self._next("number", message, [], default)  # type: ignore[no-any-return]

    def text(self, message: str, default: str) -> str:
        return self._next("text", message, [], default)  # type: ignore[no-any-return]

    def confirm(self, message: str, default: bool) -> bool:
        return self._next("confirm", message, [], default)  # type: ignore[no-any-return]


ADULT_SELF_CARE: list[Any] = [
    NONE,  # emergency checklist: none of these
    "self",  # who answers
    62,  # age
    "no",  # hip replacement
    "no",  # recent injection or operation
    NONE,  # warning signs
    NONE,  # health background
    "left",  # which hip
    "yes",
    "no",
    "yes",
    "none",
    "1_to_3_weeks",
    "unchanged",
    "no",
    "no",
    "no",
]


def _interview(
    ruleset: Ruleset, script: list[Any], lang: Language = Language.EN
) -> tuple[dict[str, Any], ScriptedAsker, str]:
    asker = ScriptedAsker(script)
    out = io.StringIO()
    answers = Interview(ruleset, ruleset.texts[lang], asker, Console(file=out, width=80)).run()
    return answers, asker, out.getvalue()


def test_a_typical_adult_walk_takes_17_screens(ruleset: Ruleset) -> None:
    answers, asker, output = _interview(ruleset, ADULT_SELF_CARE)
    assert len(asker.shown) == 17
    assert answers["recent_fall"] == "no"
    assert answers["shoulder_stiffness"] == "no"
    assert answers["respondent"] == "self"
    assert "Question 1 of 17" in output
    assert "Question 17 of 17" in output


def test_checklists_group_the_warning_signs(ruleset: Ruleset) -> None:
    _, asker, _ = _interview(ruleset, ADULT_SELF_CARE)
    kinds = [kind for kind, *_ in asker.shown]
    assert kinds[:7] == [
        "checklist",
        "select",
        "number",
        "select",
        "select",
        "checklist",
        "checklist",
    ]
    warning = asker.shown[5][2]
    assert warning[0] == "recent_fall"
    assert warning[-1] == UNSURE
    assert "limp" not in warning  # only for children
    assert "wound_problem" not in warning  # only with an artificial hip


def test_unsure_items_become_unknown_and_the_rest_no(ruleset: Ruleset) -> None:
    script = [[UNSURE], ["cold_pale_leg"], *ADULT_SELF_CARE[1:]]
    answers, asker, _ = _interview(ruleset, script)
    assert asker.shown[1][2] == [
        "fall_cannot_bear_weight",
        "leg_deformed_after_fall",
        "cold_pale_leg",
        "breathless",
    ]
    assert answers["cold_pale_leg"] == "unknown"
    assert answers["fall_cannot_bear_weight"] == "no"


def test_a_yes_on_the_emergency_screen_ends_the_walk(ruleset: Ruleset) -> None:
    answers, asker, _ = _interview(ruleset, [["leg_deformed_after_fall", UNSURE]])
    assert answers == {
        "fall_cannot_bear_weight": "no",
        "leg_deformed_after_fall": "yes",
        "cold_pale_leg": "no",
        "breathless": "no",
    }
    assert len(asker.shown) == 1  # no follow-up for the unsure ones: 112 now


def test_follow_up_questions_appear_after_their_checklist(ruleset: Ruleset) -> None:
    script = [NONE, "self", 40, "no", "no", ["recent_fall"], NONE, NONE, *ADULT_SELF_CARE[7:]]
    answers, asker, _ = _interview(ruleset, script)
    assert asker.shown[6][2] == [
        "osteoporosis",
        "anticoagulant",
        "head_injury",
        "fall_pain_walking",
        NONE_OF_THESE,
        UNSURE,
    ]
    assert answers["osteoporosis"] == "no"
    assert answers["anticoagulant"] == "no"


def test_back_returns_to_the_previous_question_with_its_answer(ruleset: Ruleset) -> None:
    script = [NONE, "self", 62, Nav.BACK, 63, *ADULT_SELF_CARE[3:]]
    answers, asker, _ = _interview(ruleset, script)
    assert asker.shown[4] == ("number", "How old are you?", [], 62)
    assert answers["age"] == 63


def test_back_keeps_ticks_of_a_checklist(ruleset: Ruleset) -> None:
    script = [
        *ADULT_SELF_CARE[:5],
        ["rest_pain_after_training"],
        Nav.BACK,
        ["rest_pain_after_training"],
        *ADULT_SELF_CARE[6:],
    ]
    answers, asker, _ = _interview(ruleset, script)
    assert asker.shown[6][2] != asker.shown[5][2]  # back was asked on the next checklist
    assert asker.shown[7][2] == asker.shown[5][2]
    assert asker.shown[7][3] == ["rest_pain_after_training"]
    assert answers["rest_pain_after_training"] == "yes"


def test_back_on_the_first_screen_stays(ruleset: Ruleset) -> None:
    answers, asker, _ = _interview(ruleset, [Nav.BACK, *ADULT_SELF_CARE])
    assert asker.shown[0][2] == asker.shown[1][2]
    assert answers["age"] == 62


def test_help_explains_and_asks_again(ruleset: Ruleset) -> None:
    script = [NONE, "self", Nav.HELP, 62, *ADULT_SELF_CARE[3:]]
    answers, _, output = _interview(ruleset, script, Language.NL)
    assert "Waarom vragen we dit?" in output
    assert "Vanaf 65 breekt een heup" in output
    assert answers["age"] == 62


def test_dutch_walk_asks_in_dutch(ruleset: Ruleset) -> None:
    _, asker, output = _interview(ruleset, ADULT_SELF_CARE, Language.NL)
    assert asker.shown[2][1] == "Hoe oud ben je?"
    assert "Vraag 1 van 17" in output


def _run_walk(ruleset: Ruleset, script: list[Any]) -> tuple[int, str]:
    out = io.StringIO()
    status = run_walk(
        ruleset,
        ruleset.texts[Language.EN],
        ScriptedAsker(script),
        Console(file=out, width=80),
        today=TODAY,
    )
    return status, out.getvalue()


def test_the_walk_ends_with_the_advice_and_offers_to_save(ruleset: Ruleset) -> None:
    status, output = _run_walk(ruleset, [*ADULT_SELF_CARE, False, False])
    assert status == 0
    assert "You can first take care of this yourself" in output
    assert "10 December 2026" in output
    assert "not a diagnosis" in output


def test_interrupting_exits_130_with_one_line(ruleset: Ruleset) -> None:
    status, output = _run_walk(ruleset, [NONE, KeyboardInterrupt()])
    assert status == 130
    assert output.rstrip().endswith("Stopped. Nothing was saved.")
    status, _ = _run_walk(ruleset, [NONE, EOFError()])
    assert status == 130


def test_saved_answers_replay_to_the_same_advice(ruleset: Ruleset, tmp_path: Path) -> None:
    target = tmp_path / "answers.json"
    status, output = _run_walk(ruleset, [*ADULT_SELF_CARE, False, True, str(target)])
    assert status == 0
    assert f"Saved to {target}" in output
    from triage import assess

    saved = json.loads(target.read_text())
    assert saved["assessed_on"] == TODAY.isoformat()
    replayed = assess(saved, ruleset=ruleset)
    assert replayed.disposition.value == "self_care"
    assert replayed.date == TODAY  # the replay keeps the day, and so the review date
    assert target.stat().st_mode & 0o077 == 0  # private to its owner


def test_saving_never_overwrites_without_asking(ruleset: Ruleset, tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("keep me")
    script = [*ADULT_SELF_CARE, True, str(target), False, str(tmp_path / "new.md"), False]
    status, _ = _run_walk(ruleset, script)
    assert status == 0
    assert target.read_text() == "keep me"
    assert (tmp_path / "new.md").read_text().startswith("# Hip pain self-check: summary")


def test_saving_to_a_missing_folder_asks_again(ruleset: Ruleset, tmp_path: Path) -> None:
    script = [*ADULT_SELF_CARE, True, str(tmp_path / "no" / "such.md"), "", False]
    status, output = _run_walk(ruleset, script)
    assert status == 0
    assert f"The folder {tmp_path / 'no'} does not exist." in output
    assert "Not saved." in output


@pytest.mark.parametrize("replace", [True, False])
def test_replacing_only_when_confirmed(ruleset: Ruleset, tmp_path: Path, replace: bool) -> None:
    target = tmp_path / "summary.md"
    target.write_text("old")
    script = [*ADULT_SELF_CARE, True, str(target), replace]
    script += [] if replace else [""]
    script.append(False)
    _run_walk(ruleset, script)
    assert (target.read_text() == "old") is not replace


def test_a_same_day_red_flag_ends_the_walk_after_its_group(ruleset: Ruleset) -> None:
    script = [*ADULT_SELF_CARE[:5], ["fever_or_unwell"]]
    answers, asker, output = _interview(ruleset, script)
    assert len(asker.shown) == 6  # the emergency screen, 4 about the person, the warning signs
    assert answers["fever_or_unwell"] == "yes"
    assert "cancer_history" not in answers
    assert "Question 6 of 17" in output  # the most that could still come, until the tick


def test_a_settled_walk_gives_the_advice_with_the_questions_not_asked(ruleset: Ruleset) -> None:
    status, output = _run_walk(ruleset, [*ADULT_SELF_CARE[:5], ["fever_or_unwell"], False, False])
    assert status == 0
    assert "Call the GP now" in output
    assert "the other questions were not asked" in output


def test_a_parent_is_asked_about_their_child(ruleset: Ruleset) -> None:
    script = [NONE, "child", 1, "no", "no", "no", NONE, NONE]
    answers, asker, output = _interview(ruleset, script + ADULT_SELF_CARE[7:])
    messages = [message for _, message, _, _ in asker.shown]
    assert "How old is your child?" in messages
    assert "About your child" in output
    assert any(m.startswith("What is true for your child now?") for m in messages)
    assert answers["infant_unwell"] == "no"  # asked under 2


def test_a_carer_is_asked_whether_the_person_stopped_walking(ruleset: Ruleset) -> None:
    script = [NONE, "other", 84, "no", "yes", "no"]
    answers, asker, _ = _interview(ruleset, script)
    messages = [message for _, message, _, _ in asker.shown]
    assert "How old is the person you are helping?" in messages
    assert any(m.startswith("Has the person you are helping recently stopped") for m in messages)
    assert answers["stopped_walking"] == "yes"
    assert len(asker.shown) == 6  # settled: the GP now, before the warning signs


def test_enter_with_nothing_ticked_is_no_answer(ruleset: Ruleset) -> None:
    answers, asker, _ = _interview(ruleset, [[], *ADULT_SELF_CARE])
    assert asker.problems == [
        "Choose at least one line: a sign, 'None of these', or 'I am not sure'."
    ]
    assert answers["cold_pale_leg"] == "no"  # only after "None of these" was chosen


def test_none_of_these_goes_with_nothing_else(ruleset: Ruleset) -> None:
    script = [[NONE_OF_THESE, "cold_pale_leg"], *ADULT_SELF_CARE]
    answers, asker, _ = _interview(ruleset, script)
    assert asker.problems == ["'None of these' cannot go together with other lines."]
    assert answers["cold_pale_leg"] == "no"


def test_help_on_a_checklist_keeps_the_ticks(ruleset: Ruleset) -> None:
    script = [Left(Nav.HELP, ("cold_pale_leg",)), ["cold_pale_leg"]]
    answers, asker, output = _interview(ruleset, script)
    assert "Why do we ask this?" in output
    assert asker.shown[1][3] == ["cold_pale_leg"]  # the tick is still there
    assert answers["cold_pale_leg"] == "yes"


def test_back_keeps_the_ticks_of_the_screen_left(ruleset: Ruleset) -> None:
    script = [
        *ADULT_SELF_CARE[:5],
        Left(Nav.BACK, ("rest_pain_after_training",)),
        "no",  # the recent injection again
        ["rest_pain_after_training"],
        *ADULT_SELF_CARE[6:],
    ]
    _, asker, _ = _interview(ruleset, script)
    assert asker.shown[7][3] == ["rest_pain_after_training"]


def test_none_of_these_is_shown_again_when_coming_back(ruleset: Ruleset) -> None:
    script = [*ADULT_SELF_CARE[:6], Nav.BACK, NONE, *ADULT_SELF_CARE[6:]]
    _, asker, _ = _interview(ruleset, script)
    assert asker.shown[7][3] == [NONE_OF_THESE]


def test_the_unsure_follow_up_needs_a_choice_and_back_returns_to_the_first_list(
    ruleset: Ruleset,
) -> None:
    script = [[UNSURE], Nav.BACK, [UNSURE], [], ["breathless"]]
    answers, asker, _ = _interview(ruleset, [*script, *ADULT_SELF_CARE[1:5]])
    assert asker.shown[2][3] == [UNSURE]  # back from the follow-up: the first list as it was
    assert asker.problems == ["Choose the lines you are not sure about, or type < to go back."]
    assert answers["breathless"] == "unknown"
    assert answers["cold_pale_leg"] == "no"


def test_answers_saved_under_a_toml_name_are_toml_that_replays(
    ruleset: Ruleset, tmp_path: Path
) -> None:
    import tomllib

    target = tmp_path / "answers.toml"
    status, output = _run_walk(ruleset, [*ADULT_SELF_CARE, False, True, str(target)])
    assert status == 0
    saved = tomllib.loads(target.read_text())
    assert saved["assessed_on"] == TODAY.isoformat()
    assert f"triage assess --answers {target}" in output
    from triage import assess

    assert assess(saved, ruleset=ruleset).disposition.value == "self_care"


def test_dutch_default_file_names(ruleset: Ruleset) -> None:
    asker = ScriptedAsker([*ADULT_SELF_CARE, True, ""])
    asker.script.append(False)
    out = io.StringIO()
    run_walk(ruleset, ruleset.texts[Language.NL], asker, Console(file=out), today=TODAY)
    defaults = [default for kind, _, _, default in asker.shown if kind == "text"]
    assert defaults == [f"heupadvies-{TODAY.isoformat()}.md"]


@pytest.mark.parametrize(
    "name",
    ["~nosuchuser_triage/r.md", "bad\0name.md", "x" * 300 + ".md"],
    ids=["user", "nul", "long"],
)
def test_a_name_that_cannot_be_a_file_is_asked_again(
    ruleset: Ruleset, tmp_path: Path, name: str
) -> None:
    good = tmp_path / "ok.md"
    status, output = _run_walk(ruleset, [*ADULT_SELF_CARE, True, name, str(good), False])
    assert status == 0
    assert "Type another name" in output or "Type a shorter one" in output
    assert good.exists()


def test_stopping_after_a_save_says_what_was_saved(ruleset: Ruleset, tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    script = [*ADULT_SELF_CARE, True, str(target), KeyboardInterrupt()]
    status, output = _run_walk(ruleset, script)
    assert status == 130
    assert f"Stopped. Saved before that: {target}" in " ".join(output.split())
    assert "Nothing was saved" not in output


def _special_file(kind: str, folder: Path) -> Path:
    """A FIFO, a socket, or a symbolic link to a FIFO in `folder`."""
    path = folder / kind
    if kind == "socket":
        with socket.socket(socket.AF_UNIX) as bound:
            bound.bind(str(path))
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        os.mkfifo(folder / "target")
        path.symlink_to(folder / "target")
    return path


@pytest.mark.parametrize("kind", ["fifo", "socket", "link_to_fifo"])
def test_saving_never_replaces_a_device_pipe_or_socket(
    ruleset: Ruleset, tmp_path: Path, kind: str
) -> None:
    """Typing /dev/null (or a pipe's name) refuses it, asks again, and keeps the node."""
    special = _special_file(kind, tmp_path)
    good = tmp_path / "ok.md"
    status, output = _run_walk(ruleset, [*ADULT_SELF_CARE, True, str(special), str(good), False])
    assert status == 0
    assert "is not a regular file" in " ".join(output.split())
    assert not stat.S_ISREG(os.stat(special).st_mode)
    assert good.exists()


def test_a_name_of_250_bytes_is_saved(ruleset: Ruleset, tmp_path: Path) -> None:
    """The temporary file's name no longer grows with the name (241-255 bytes failed)."""
    target = tmp_path / ("a" * 247 + ".md")
    status, output = _run_walk(ruleset, [*ADULT_SELF_CARE, True, str(target), False])
    assert status == 0
    assert target.exists()
    assert "Saved to" in output


def test_a_typed_name_is_echoed_with_its_control_characters_escaped(
    ruleset: Ruleset, tmp_path: Path
) -> None:
    target = tmp_path / "a\x1b[2J\u202eb.md"
    status, output = _run_walk(ruleset, [*ADULT_SELF_CARE, True, str(target), False])
    assert status == 0
    assert target.exists()
    assert "\x1b" not in output
    assert "\u202e" not in output
    assert "a\\x1b[2J\\u202eb.md" in output


def test_a_file_that_cannot_be_replaced_is_not_called_a_missing_folder(
    ruleset: Ruleset, tmp_path: Path
) -> None:
    good = tmp_path / "ok.md"
    script = [*ADULT_SELF_CARE, True, "/proc/version", True, str(good), False]
    status, output = _run_walk(ruleset, script)
    assert status == 0
    assert "does not exist" not in output
    assert "/proc/version could not be saved" in " ".join(output.split())
    assert good.exists()
