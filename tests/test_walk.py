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
from triage.terminal.interview import Interview, run_walk
from triage.terminal.prompts import (
    NONE_OF_THESE,
    UNSURE,
    Age,
    Check,
    Left,
    Nav,
    Option,
    parse_age,
)

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
        self,
        message: str,
        options: Sequence[Option],
        ticked: Collection[str],
        check: Check,
        pointed: str | None = None,
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

    def age(self, message: str, maximum: int, default: int | None) -> Age | Nav:
        answer = self._next("number", message, [], default)
        if isinstance(answer, Nav | Age):
            return answer
        if isinstance(answer, int):
            return Age(answer)
        parsed = parse_age(str(answer), maximum)
        assert isinstance(parsed, Age), parsed
        return parsed

    def text(self, message: str, default: str) -> str:
        return self._next("text", message, [], default)  # type: ignore[no-any-return]

    def confirm(self, message: str, default: bool) -> bool:
        return self._next("confirm", message, [], default)  # type: ignore[no-any-return]


# The tick lists show at most 8 lines a page: the warning signs and the health background
# of a 62-year-old are two pages each.
PERSON: list[Any] = [
    NONE,  # emergency checklist: none of these
    "self",  # who answers
    62,  # age
    "no",  # hip replacement
    "no",  # recent injection or operation
]
WARNINGS = [NONE, NONE]
BACKGROUND = [NONE, NONE]
ADULT_SELF_CARE: list[Any] = [
    *PERSON,
    *WARNINGS,
    *BACKGROUND,
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


COMPLAINT = ADULT_SELF_CARE[len(PERSON) + 4 :]


def test_a_typical_adult_walk_takes_19_screens_in_5_parts(ruleset: Ruleset) -> None:
    answers, asker, output = _interview(ruleset, ADULT_SELF_CARE)
    assert len(asker.shown) == 19
    assert answers["recent_fall"] == "no"
    assert answers["shoulder_stiffness"] == "no"
    assert answers["respondent"] == "self"
    assert "Part 1 of 5" in output
    assert "Part 5 of 5" in output
    assert "Question" not in output


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
    assert all(len(lines) <= 8 + 2 for kind, _, lines, _ in asker.shown if kind == "checklist")
    warning = asker.shown[5][2] + asker.shown[6][2]
    assert warning[0] == "recent_fall"
    assert warning.count(UNSURE) == 2  # "None of these" and "not sure" on every page
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
    answers, asker, _ = _interview(ruleset, [["leg_deformed_after_fall"]])
    assert answers == {
        "fall_cannot_bear_weight": "no",
        "leg_deformed_after_fall": "yes",
        "cold_pale_leg": "no",
        "breathless": "no",
    }
    assert len(asker.shown) == 1


def test_a_yes_with_not_sure_on_the_emergency_screen_leaves_the_rest_unanswered(
    ruleset: Ruleset,
) -> None:
    """Contract rule 5 (attack report fault 5): 112 at once, the other lines never no."""
    answers, asker, _ = _interview(ruleset, [["leg_deformed_after_fall", UNSURE]])
    assert answers == {"leg_deformed_after_fall": "yes"}
    assert len(asker.shown) == 1  # nothing between the tick and the advice


def test_follow_up_questions_appear_after_their_checklist(ruleset: Ruleset) -> None:
    script = [NONE, "self", 40, "no", "no", ["recent_fall"], NONE, NONE, *BACKGROUND, *COMPLAINT]
    answers, asker, _ = _interview(ruleset, script)
    assert asker.shown[6][2][:4] == [
        "osteoporosis",
        "anticoagulant",
        "head_injury",
        "fall_pain_walking",
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
        *PERSON,
        NONE,
        ["rest_pain_after_training"],
        Nav.BACK,
        ["rest_pain_after_training"],
        *ADULT_SELF_CARE[len(PERSON) + 2 :],
    ]
    answers, asker, _ = _interview(ruleset, script)
    assert asker.shown[7][2] != asker.shown[6][2]  # back was asked on the next checklist
    assert asker.shown[8][2] == asker.shown[6][2]
    assert asker.shown[8][3] == ["rest_pain_after_training"]
    assert answers["rest_pain_after_training"] == "yes"


def test_back_on_the_first_screen_stays(ruleset: Ruleset) -> None:
    answers, asker, _ = _interview(ruleset, [Nav.BACK, *ADULT_SELF_CARE])
    assert asker.shown[0][2] == asker.shown[1][2]
    assert answers["age"] == 62


def test_help_explains_and_asks_again(ruleset: Ruleset) -> None:
    script = [NONE, "self", Nav.HELP, 62, *ADULT_SELF_CARE[3:]]
    answers, _, output = _interview(ruleset, script, Language.NL)
    assert "Vanaf 65 breekt een heup" in output
    assert answers["age"] == 62


def test_dutch_walk_asks_in_dutch(ruleset: Ruleset) -> None:
    _, asker, output = _interview(ruleset, ADULT_SELF_CARE, Language.NL)
    assert asker.shown[2][1] == "Hoe oud ben je?"
    assert "Deel 1 van 5" in output


def _run_walk(ruleset: Ruleset, script: list[Any]) -> tuple[int, str]:
    out = io.StringIO()
    status = run_walk(
        ruleset,
        ruleset.texts[Language.EN],
        ScriptedAsker(script),
        Console(file=out, width=80),
        today=TODAY,
        size=lambda: (80, 10_000),  # pages of 8 lines at most, whatever the height
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
    script = [*PERSON, ["fever_or_unwell"], NONE]
    answers, asker, output = _interview(ruleset, script)
    assert len(asker.shown) == 7  # emergency, 4 about the person, 2 pages of warning signs
    assert answers["fever_or_unwell"] == "yes"
    assert "cancer_history" not in answers
    assert "Part 3 of 5" in output
    assert "Part 4 of 5" not in output


def test_a_settled_walk_gives_the_advice_with_the_questions_not_asked(ruleset: Ruleset) -> None:
    status, output = _run_walk(ruleset, [*PERSON, ["fever_or_unwell"], NONE, False, False])
    assert status == 0
    assert "Call the GP now" in output
    assert "the other questions were not asked" in output


def test_a_parent_is_asked_about_their_child(ruleset: Ruleset) -> None:
    script = [NONE, "child", 1, "no", "no", "no", NONE, NONE, NONE, NONE]
    answers, asker, output = _interview(ruleset, script + COMPLAINT)
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
    script = [Left(Nav.HELP, ("cold_pale_leg",), "breathless"), ["cold_pale_leg"]]
    answers, asker, output = _interview(ruleset, script)
    assert "very short of breath" in output.lower()  # why the line under the cursor is asked
    assert asker.shown[1][3] == ["cold_pale_leg"]  # the tick is still there
    assert answers["cold_pale_leg"] == "yes"


def test_back_keeps_the_ticks_of_the_screen_left(ruleset: Ruleset) -> None:
    script = [
        *PERSON,
        Left(Nav.BACK, ("recent_fall",)),
        "no",  # the recent injection again
        ["recent_fall"],
        NONE,  # the fall's follow-ups
        *ADULT_SELF_CARE[len(PERSON) + 1 :],
    ]
    _, asker, _ = _interview(ruleset, script)
    assert asker.shown[7][3] == ["recent_fall"]


def test_none_of_these_is_shown_again_when_coming_back(ruleset: Ruleset) -> None:
    script = [*ADULT_SELF_CARE[:6], Nav.BACK, NONE, *ADULT_SELF_CARE[6:]]  # back from page 2
    _, asker, _ = _interview(ruleset, script)
    assert asker.shown[7][3] == [NONE_OF_THESE]


def test_the_unsure_follow_up_needs_a_choice_and_back_returns_to_the_first_list(
    ruleset: Ruleset,
) -> None:
    script = [[UNSURE], Nav.BACK, [UNSURE], [], ["breathless"]]
    answers, asker, _ = _interview(ruleset, [*script, *ADULT_SELF_CARE[1:]])
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
    run_walk(
        ruleset,
        ruleset.texts[Language.NL],
        asker,
        Console(file=out),
        today=TODAY,
        size=lambda: (80, 10_000),
    )
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


def test_112_with_not_sure_asks_after_the_advice_and_the_summary_says_not_answered(
    ruleset: Ruleset, tmp_path: Path
) -> None:
    """Attack report fault 5 / contract rule 5: a tick and "I am not sure" on the emergency
    screen; the follow-up after the advice marks one line unknown; the others get no
    answer, are listed as not asked, and the summary says the person was not sure."""
    summary, answers_file = tmp_path / "summary.md", tmp_path / "answers.json"
    script = [
        ["breathless", UNSURE],
        True,  # "Call 112 first. ... Go on?"
        ["cold_pale_leg"],  # which of these were you not sure about
        True,
        str(summary),
        True,
        str(answers_file),
    ]
    asker = ScriptedAsker(script)
    out = io.StringIO()
    status = run_walk(
        ruleset, ruleset.texts[Language.EN], asker, Console(file=out, width=80), today=TODAY
    )
    assert status == 0
    kinds = [(kind, message) for kind, message, _, _ in asker.shown]
    assert kinds[1] == ("confirm", "Call 112 first. You can save the advice after that. Go on?")
    assert asker.shown[2][2] == [
        "fall_cannot_bear_weight",
        "leg_deformed_after_fall",
        "cold_pale_leg",
    ]
    assert "Call 112 now." in out.getvalue()  # the advice came before the follow-up
    saved = json.loads(answers_file.read_text())
    assert {k: v for k, v in saved.items() if k != "assessed_on"} == {
        "breathless": "yes",
        "cold_pale_leg": "unknown",
    }
    note = summary.read_text()
    assert "- **Not sure:** cold, pale, very painful leg" in note
    assert (
        "- **Not answered (the person was not sure about one or more of these):** "
        "cannot stand on the leg after a fall; leg shorter or turned after a fall"
    ) in note
    assert "Absent: -" in note


def test_112_with_not_sure_may_skip_the_follow_up(ruleset: Ruleset) -> None:
    asker = ScriptedAsker([["breathless", UNSURE], True, [], False, False])
    out = io.StringIO()
    run_walk(ruleset, ruleset.texts[Language.EN], asker, Console(file=out, width=80), today=TODAY)
    assert [kind for kind, *_ in asker.shown] == [
        "checklist",
        "confirm",
        "checklist",
        "confirm",
        "confirm",
    ]


def test_the_save_question_defaults_to_yes_when_the_advice_says_take_it(ruleset: Ruleset) -> None:
    asker = ScriptedAsker([*PERSON, ["fever_or_unwell"], NONE, False, False])
    out = io.StringIO()
    run_walk(
        ruleset,
        ruleset.texts[Language.EN],
        asker,
        Console(file=out, width=80),
        today=TODAY,
        size=lambda: (80, 10_000),
    )
    save = next(s for s in asker.shown if s[0] == "confirm")
    assert save[1] == "Save the advice, to take with you or read out?"
    assert save[3] is True
    asker = ScriptedAsker([*ADULT_SELF_CARE, False, False])
    run_walk(
        ruleset,
        ruleset.texts[Language.EN],
        asker,
        Console(file=io.StringIO()),
        today=TODAY,
        size=lambda: (80, 10_000),
    )
    assert next(s for s in asker.shown if s[0] == "confirm")[3] is False


@pytest.mark.parametrize(
    ("typed", "years", "echo"),
    [
        ("9 months", 0, "0 years (9 months)"),
        ("9 maanden", 0, "0 years (9 months)"),
        ("9mnd", 0, "0 years (9 months)"),
        ("14 Months", 1, "1 years (14 months)"),
    ],
)
def test_an_age_in_months_under_2_records_whole_years(
    ruleset: Ruleset, typed: str, years: int, echo: str
) -> None:
    script = [NONE, "child", typed, "no", "no", "no", NONE, NONE, NONE, NONE, *COMPLAINT]
    asker = ScriptedAsker(script)
    out = io.StringIO()
    answers = Interview(
        ruleset, ruleset.texts[Language.EN], asker, Console(file=out, width=80), echo=True
    ).run()
    assert answers["age"] == years
    assert f"age: {echo}" in out.getvalue()


@pytest.mark.parametrize("typed", ["24 months", "30 maanden"])
def test_24_months_or_more_is_refused_asking_for_years(typed: str) -> None:
    from triage.terminal.prompts import parse_age

    assert parse_age(typed, 120) == "ui.screens.age_months_too_many"
    assert parse_age("sixty", 120) == "ui.screens.age_invalid_months"
    assert parse_age(" 63 ", 120) == Age(63)


@pytest.mark.parametrize(
    ("who", "wrong", "right", "why"),
    [
        ("child", 40, 12, "You answer for a child under 18, but the age is 40."),
        ("other", 12, 84, "You help another adult, but the age is 12."),
    ],
)
def test_an_age_that_does_not_fit_who_answers_is_asked_again(
    ruleset: Ruleset, who: str, wrong: int, right: int, why: str
) -> None:
    asker = ScriptedAsker([NONE, who, wrong, right, KeyboardInterrupt()])
    out = io.StringIO()
    interview = Interview(ruleset, ruleset.texts[Language.EN], asker, Console(file=out, width=80))
    with pytest.raises(KeyboardInterrupt):
        interview.run()
    assert why in " ".join(out.getvalue().split())
    assert interview.answers["age"] == right


def test_plain_mode_explains_a_line_by_its_number_and_the_screen_on_question_mark(
    ruleset: Ruleset,
) -> None:
    script = [Left(Nav.HELP, (), "breathless"), Left(Nav.HELP, (), None), NONE, KeyboardInterrupt()]
    out = io.StringIO()
    interview = Interview(
        ruleset, ruleset.texts[Language.EN], ScriptedAsker(script), Console(file=out, width=80)
    )
    with pytest.raises(KeyboardInterrupt):
        interview.run()
    said = " ".join(out.getvalue().split())
    assert ruleset.texts[Language.EN]("question.breathless.why") in said
    assert "Type ? and a line's number, such as ? 2, to read why we ask it." in said


def test_a_walk_that_ends_early_says_so(ruleset: Ruleset) -> None:
    status, output = _run_walk(ruleset, [*PERSON, ["fever_or_unwell"], NONE, False, False])
    assert status == 0
    assert "No more questions needed. Your answers already show what to do." in output


def test_plain_mode_gives_the_short_version_first_and_the_headline_before_saving(
    ruleset: Ruleset,
) -> None:
    out = io.StringIO()
    run_walk(
        ruleset,
        ruleset.texts[Language.EN],
        ScriptedAsker([*ADULT_SELF_CARE, False, False]),
        Console(file=out, width=80),
        plain=True,
        today=TODAY,
    )
    said = out.getvalue()
    short, full = said.index("Your advice"), said.index("The full advice follows.")
    assert short < full
    assert said.rindex("You can first take care of this yourself") > said.index(
        "not a diagnosis", full
    )


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
