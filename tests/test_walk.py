"""The interactive walk with a scripted asker: screens, checklists, help, back, saving."""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from rich.console import Console

from tests.conftest import TODAY, adult
from triage.flow import part, screens_ahead, walked
from triage.model import UNKNOWN, Language, Ruleset, Value
from triage.terminal import interview
from triage.terminal.interview import MAX_LINES, Interview, run_walk
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
        *,
        unsure: bool = False,
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


class Step(NamedTuple):
    """One screen of a scripted walk: the questions it shows, and the answer given there."""

    questions: tuple[str, ...]
    answer: Any


def page_length(lines: int) -> int:
    """How many lines the first page of a tick list shows on a terminal of any height:
    at most MAX_LINES, in pages of even length."""
    pages = -(-lines // MAX_LINES)
    return -(-lines // pages)


def walk_steps(ruleset: Ruleset, persona: Mapping[str, Value]) -> list[Step]:
    """The screens the walk shows a persona (the answers to every question it reaches),
    each with the persona's answer to it: on a tick list (a page at a time) the lines
    ticked, or "None of these", and "I am not sure" with its follow-up for the lines that
    are unknown; the value of a question asked alone."""
    given = {**ruleset.questionnaire.defaults, **persona}
    answers: dict[str, Value] = {}
    steps: list[Step] = []
    while ahead := screens_ahead(ruleset, answers):
        screen = ahead[0]
        if not screen.checklist:
            question_id = screen.questions[0]
            steps.append(Step((question_id,), given[question_id]))
            answers[question_id] = given[question_id]
            continue
        page = screen.questions[: page_length(len(screen.questions))]
        values = {q: given[q] for q in page}
        assert set(values.values()) <= {"yes", "no", UNKNOWN}, values
        ticks = [q for q in page if values[q] == "yes"]
        unsure = [q for q in page if values[q] == UNKNOWN]
        group = next(g for g in ruleset.questionnaire.groups if g.id == screen.group)
        assert not (unsure and ticks and group.stop_on == "yes"), "asked after the advice"
        steps.append(Step(page, [*ticks, UNSURE] if unsure else ticks or NONE))
        if unsure:  # which of the lines not ticked the person is not sure about
            steps.append(Step(tuple(q for q in page if q not in ticks), unsure))
        answers.update(values)
    return steps


def script(steps: Sequence[Step]) -> list[Any]:
    """The answers of these steps, screen by screen."""
    return [step.answer for step in steps]


def at(steps: Sequence[Step], question_id: str) -> int:
    """The number (from 0) of the screen that asks this question."""
    return next(i for i, step in enumerate(steps) if question_id in step.questions)


def group_of(ruleset: Ruleset, group: str) -> list[str]:
    """The ids of a group's questions, in walk order."""
    return [q.id for q in ruleset.questionnaire.questions if q.group == group]


def parts(ruleset: Ruleset) -> int:
    """How many parts the walk has (one a group)."""
    return len(ruleset.questionnaire.groups)


# The base adult of the clinical cases (50, a settling groin pain, self-care), answering for
# themselves, and at 62 (no pregnancy question).
SELF: dict[str, Value] = {"respondent": "self"}
OLDER: dict[str, Value] = {**SELF, "age": 62}


@pytest.fixture(scope="module")
def adult_steps(ruleset: Ruleset) -> list[Step]:
    return walk_steps(ruleset, adult(**SELF))


@pytest.fixture(scope="module")
def older_steps(ruleset: Ruleset) -> list[Step]:
    return walk_steps(ruleset, adult(**OLDER))


@pytest.fixture(scope="module")
def self_care(adult_steps: list[Step]) -> list[Any]:
    """The script of the base adult's whole walk (advice: self-care)."""
    return script(adult_steps)


def _prompt(ruleset: Ruleset, step: Step) -> tuple[str, list[str]]:
    """The kind of prompt a step's screen shows, and the values it offers."""
    if isinstance(step.answer, list):
        return "checklist", [*step.questions, NONE_OF_THESE, UNSURE]
    kind = ruleset.questionnaire.question(step.questions[0]).kind
    return ("number", []) if kind.is_number else ("select", list(kind.values))


def _interview(
    ruleset: Ruleset, script: list[Any], lang: Language = Language.EN
) -> tuple[dict[str, Any], ScriptedAsker, str]:
    asker = ScriptedAsker(script)
    out = io.StringIO()
    answers = Interview(ruleset, ruleset.texts[lang], asker, Console(file=out, width=80)).run()
    assert asker.script == [], "the walk ended before the script"
    return answers, asker, out.getvalue()


def test_a_typical_adult_walk_shows_each_screen_once_part_by_part(
    ruleset: Ruleset, adult_steps: list[Step], self_care: list[Any]
) -> None:
    answers, asker, output = _interview(ruleset, self_care)
    assert [(kind, values) for kind, _, values, _ in asker.shown] == [
        _prompt(ruleset, step) for step in adult_steps
    ]
    # every question the walk reaches was asked, and nothing else
    assert answers == walked(ruleset, adult(**SELF))[1]
    total = parts(ruleset)
    assert f"Part 1 of {total}" in output
    assert f"Part {total} of {total}" in output
    assert "Question" not in output


def test_the_places_of_the_pain_are_one_tick_list_and_side_and_duration_asked_alone(
    ruleset: Ruleset, self_care: list[Any]
) -> None:
    """A checklist group's question of another kind stands on its own screen (v3 data: side
    and duration in the pain group; it made the whole group a row of yes/no questions)."""
    _, asker, _ = _interview(ruleset, self_care)
    pain = group_of(ruleset, "pain")
    places = [q for q in pain if ruleset.questionnaire.question(q).kind.is_yes_no]
    shown = [(kind, values) for kind, _, values, _ in asker.shown]
    asked = [q for q in places if q in walked(ruleset, adult(**SELF))[1]]
    where = ("checklist", [*asked[:MAX_LINES], NONE_OF_THESE, UNSURE])
    assert where in shown
    first = shown.index(where)
    side = ruleset.questionnaire.question("side").kind.values
    duration = ruleset.questionnaire.question("duration").kind.values
    assert shown[first + 1 : first + 3] == [("select", list(side)), ("select", list(duration))]


def test_checklists_group_the_warning_signs(ruleset: Ruleset, self_care: list[Any]) -> None:
    _, asker, _ = _interview(ruleset, self_care)
    kinds = [kind for kind, *_ in asker.shown]
    assert kinds[:3] == ["checklist", "select", "number"]  # emergency, who, age
    checklists = [values for kind, _, values, _ in asker.shown if kind == "checklist"]
    assert all(len(lines) <= MAX_LINES + 2 for lines in checklists)
    # "None of these" and "not sure" on every page
    assert all(lines[-2:] == [NONE_OF_THESE, UNSURE] for lines in checklists)
    warning = next(lines for lines in checklists if set(lines) & set(group_of(ruleset, "urgent")))
    assert warning[0] == "fever_or_unwell"
    assert "limp" not in warning  # only for children
    falls = next(lines for lines in checklists if "recent_fall" in lines)
    assert "wound_problem" not in falls  # only with an artificial hip or a recent procedure
    assert "stopped_walking" not in falls  # only for a helper


def test_unsure_items_become_unknown_and_the_rest_no(ruleset: Ruleset) -> None:
    rest = script(walk_steps(ruleset, adult(**SELF, cold_pale_leg=UNKNOWN)))[2:]
    answers, asker, _ = _interview(ruleset, [[UNSURE], ["cold_pale_leg"], *rest])
    assert asker.shown[1][2] == group_of(ruleset, "emergency")
    assert answers["cold_pale_leg"] == "unknown"
    assert answers["fall_cannot_bear_weight"] == "no"


def test_a_yes_on_the_emergency_screen_ends_the_walk(ruleset: Ruleset) -> None:
    answers, asker, _ = _interview(ruleset, [["leg_deformed_after_fall"]])
    assert answers == {
        **dict.fromkeys(group_of(ruleset, "emergency"), "no"),
        "leg_deformed_after_fall": "yes",
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
    steps = walk_steps(ruleset, adult(**SELF, age=40, recent_fall="yes"))
    answers, asker, _ = _interview(ruleset, script(steps))
    fall = at(steps, "recent_fall")
    assert asker.shown[fall + 1][2][:6] == [
        "fall_pain_walking",
        "head_injury",
        "anticoagulant",
        "antiplatelet",
        "osteoporosis",  # under 65
        "fall_bruise",
    ]
    assert answers["osteoporosis"] == "no"
    assert answers["anticoagulant"] == "no"


def test_back_returns_to_the_previous_question_with_its_answer(
    ruleset: Ruleset, older_steps: list[Step]
) -> None:
    age = at(older_steps, "age")
    given = script(older_steps)
    answers, asker, _ = _interview(ruleset, [*given[: age + 1], Nav.BACK, 63, *given[age + 1 :]])
    assert asker.shown[age][1] == ruleset.texts[Language.EN].voiced("self")("question.age.text")
    assert asker.shown[age + 2] == (*asker.shown[age][:3], 62)
    assert answers["age"] == 63


def test_back_keeps_ticks_of_a_checklist(ruleset: Ruleset) -> None:
    steps = walk_steps(ruleset, adult(**OLDER, hip_history="yes"))
    falls = at(steps, "hip_history")
    given = script(steps)
    answers, asker, _ = _interview(ruleset, [*given[: falls + 1], Nav.BACK, *given[falls:]])
    assert asker.shown[falls + 1][0] == "checklist"  # back was asked on the next tick list
    assert asker.shown[falls + 1][2] != asker.shown[falls][2]
    assert asker.shown[falls + 2][2] == asker.shown[falls][2]
    assert asker.shown[falls + 2][3] == ["hip_history"]
    assert answers["hip_history"] == "yes"


def test_back_on_the_first_screen_stays(ruleset: Ruleset, self_care: list[Any]) -> None:
    answers, asker, _ = _interview(ruleset, [Nav.BACK, *self_care])
    assert asker.shown[0][2] == asker.shown[1][2]
    assert answers["age"] == adult()["age"]


def test_help_explains_and_asks_again(ruleset: Ruleset, older_steps: list[Step]) -> None:
    age = at(older_steps, "age")
    given = script(older_steps)
    answers, asker, output = _interview(
        ruleset, [*given[:age], Nav.HELP, *given[age:]], Language.NL
    )
    assert asker.shown[age + 1][1] == asker.shown[age][1]  # the age, asked again
    assert "Vanaf 65 breekt een heup" in output
    assert answers["age"] == 62


def test_dutch_walk_asks_in_dutch(
    ruleset: Ruleset, adult_steps: list[Step], self_care: list[Any]
) -> None:
    _, asker, output = _interview(ruleset, self_care, Language.NL)
    age = ruleset.texts[Language.NL].voiced("self")("question.age.text")
    assert age.startswith("Hoe oud ben je")
    assert asker.shown[at(adult_steps, "age")][1] == age
    assert f"Deel 1 van {parts(ruleset)}" in output


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


def test_the_walk_ends_with_the_advice_and_offers_to_save(
    ruleset: Ruleset,
    self_care: list[Any],
) -> None:
    status, output = _run_walk(ruleset, [*self_care, False, False])
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


def test_saved_answers_replay_to_the_same_advice(
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path
) -> None:
    target = tmp_path / "answers.json"
    status, output = _run_walk(ruleset, [*self_care, False, True, str(target)])
    assert status == 0
    assert f"Saved to {target}" in output
    from triage import assess

    saved = json.loads(target.read_text())
    assert saved["assessed_on"] == TODAY.isoformat()
    replayed = assess(saved, ruleset=ruleset)
    assert replayed.disposition.value == "self_care"
    assert replayed.date == TODAY  # the replay keeps the day, and so the review date
    assert target.stat().st_mode & 0o077 == 0  # private to its owner


def test_saving_never_overwrites_without_asking(
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path
) -> None:
    target = tmp_path / "summary.md"
    target.write_text("keep me")
    script = [*self_care, True, str(target), False, str(tmp_path / "new.md"), False]
    status, _ = _run_walk(ruleset, script)
    assert status == 0
    assert target.read_text() == "keep me"
    assert (tmp_path / "new.md").read_text().startswith("# Hip pain self-check: summary")


def test_saving_to_a_missing_folder_asks_again(
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path
) -> None:
    script = [*self_care, True, str(tmp_path / "no" / "such.md"), "", False]
    status, output = _run_walk(ruleset, script)
    assert status == 0
    assert f"The folder {tmp_path / 'no'} does not exist." in output
    assert "Not saved." in output


@pytest.mark.parametrize("replace", [True, False])
def test_replacing_only_when_confirmed(
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path, replace: bool
) -> None:
    target = tmp_path / "summary.md"
    target.write_text("old")
    script = [*self_care, True, str(target), replace]
    script += [] if replace else [""]
    script.append(False)
    _run_walk(ruleset, script)
    assert (target.read_text() == "old") is not replace


def _fever(ruleset: Ruleset) -> list[Step]:
    """An adult of 62 with a fever: "call the GP now", settled after the warning signs."""
    return walk_steps(ruleset, adult(**OLDER, fever_or_unwell="yes"))


def test_a_same_day_red_flag_ends_the_walk_after_its_group(ruleset: Ruleset) -> None:
    steps = _fever(ruleset)
    answers, asker, output = _interview(ruleset, script(steps))
    assert len(asker.shown) == at(steps, "fever_or_unwell") + 1  # the warning signs: last
    assert answers["fever_or_unwell"] == "yes"
    assert "cancer_history" not in answers
    urgent, total = part(ruleset, "urgent")
    assert f"Part {urgent} of {total}" in output
    assert f"Part {urgent + 1} of {total}" not in output


def test_a_settled_walk_gives_the_advice_with_the_questions_not_asked(ruleset: Ruleset) -> None:
    status, output = _run_walk(ruleset, [*script(_fever(ruleset)), False, False])
    assert status == 0
    assert "Call the GP now" in output
    assert "the other questions were not asked" in output


def test_a_parent_is_asked_about_their_child(ruleset: Ruleset) -> None:
    child = adult(respondent="child", age=1, infant_unwell="no", limp="no")
    answers, asker, output = _interview(ruleset, script(walk_steps(ruleset, child)))
    messages = [message for _, message, _, _ in asker.shown]
    texts = ruleset.texts[Language.EN].voiced("child")
    assert texts("question.age.text") in messages
    assert texts("question.age.text").startswith("How old is your child")
    assert "About your child" in output
    assert "What is true for your child now?" in " ".join(messages)
    assert answers["infant_unwell"] == "no"  # asked under 2
    urgent = set(group_of(ruleset, "urgent"))
    warning = next(values for _, _, values, _ in asker.shown if urgent & set(values))
    assert warning[0] == "limp"  # the child's warning signs start with the limp
    assert "hip_replacement" not in answers  # only from 18


def test_a_carer_is_asked_whether_the_person_stopped_walking(ruleset: Ruleset) -> None:
    helper = adult(respondent="other", age=84, stopped_walking="yes", cannot_tell="no")
    steps = walk_steps(ruleset, helper)
    answers, asker, _ = _interview(ruleset, script(steps))
    messages = [message for _, message, _, _ in asker.shown]
    texts = ruleset.texts[Language.EN].voiced("other")
    assert texts("question.age.text") in messages
    assert texts("question.age.text").startswith("How old is the person you are helping")
    falls = next(values for _, _, values, _ in asker.shown if "recent_fall" in values)
    assert falls[:4] == ["recent_fall", "stopped_walking", "found_on_floor", "cannot_tell"]
    assert answers["stopped_walking"] == "yes"
    # settled, the GP now: after the falls (two pages), before the warning signs
    assert [values for _, _, values, _ in asker.shown][-2:] == [
        [*step.questions, NONE_OF_THESE, UNSURE] for step in steps[-2:]
    ]
    assert all(set(step.questions) <= set(group_of(ruleset, "falls")) for step in steps[-2:])
    assert not set(answers) & set(group_of(ruleset, "urgent"))


def test_enter_with_nothing_ticked_is_no_answer(
    ruleset: Ruleset,
    self_care: list[Any],
) -> None:
    answers, asker, _ = _interview(ruleset, [[], *self_care])
    assert asker.problems == [
        "Choose at least one line: a sign, 'None of these', or 'I am not sure'."
    ]
    assert answers["cold_pale_leg"] == "no"  # only after "None of these" was chosen


def test_none_of_these_goes_with_nothing_else(
    ruleset: Ruleset,
    self_care: list[Any],
) -> None:
    script = [[NONE_OF_THESE, "cold_pale_leg"], *self_care]
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
    steps = walk_steps(ruleset, adult(**OLDER, recent_fall="yes"))
    falls = at(steps, "recent_fall")
    given = script(steps)
    left = Left(Nav.BACK, ("recent_fall",))
    # back from the falls to the question before them, answered again
    _, asker, _ = _interview(ruleset, [*given[:falls], left, given[falls - 1], *given[falls:]])
    assert asker.shown[falls + 2][2] == asker.shown[falls][2]
    assert asker.shown[falls + 2][3] == ["recent_fall"]


def test_none_of_these_is_shown_again_when_coming_back(
    ruleset: Ruleset, adult_steps: list[Step], self_care: list[Any]
) -> None:
    second = at(adult_steps, "psoriasis_ibd_uveitis")  # the second page of the health list
    assert at(adult_steps, "cancer_history") == second - 1
    given = [*self_care[:second], Nav.BACK, NONE, *self_care[second:]]  # back from page 2
    _, asker, _ = _interview(ruleset, given)
    assert asker.shown[second + 1][2] == asker.shown[second - 1][2]  # page 1 again
    assert asker.shown[second + 1][3] == [NONE_OF_THESE]


def test_the_unsure_follow_up_needs_a_choice_and_back_returns_to_the_first_list(
    ruleset: Ruleset,
) -> None:
    emergency = [[UNSURE], Nav.BACK, [UNSURE], [], ["breathless"]]
    rest = script(walk_steps(ruleset, adult(**SELF, breathless=UNKNOWN)))[2:]
    answers, asker, _ = _interview(ruleset, [*emergency, *rest])
    assert asker.shown[2][3] == [UNSURE]  # back from the follow-up: the first list as it was
    assert asker.problems == ["Choose the lines you are not sure about, or type < to go back."]
    assert answers["breathless"] == "unknown"
    assert answers["cold_pale_leg"] == "no"


def test_answers_saved_under_a_toml_name_are_toml_that_replays(
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path
) -> None:
    import tomllib

    target = tmp_path / "answers.toml"
    status, output = _run_walk(ruleset, [*self_care, False, True, str(target)])
    assert status == 0
    saved = tomllib.loads(target.read_text())
    assert saved["assessed_on"] == TODAY.isoformat()
    assert f"triage assess --answers {target}" in output
    from triage import assess

    assert assess(saved, ruleset=ruleset).disposition.value == "self_care"


def test_dutch_default_file_names(
    ruleset: Ruleset,
    self_care: list[Any],
) -> None:
    asker = ScriptedAsker([*self_care, True, ""])
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
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path, name: str
) -> None:
    good = tmp_path / "ok.md"
    status, output = _run_walk(ruleset, [*self_care, True, name, str(good), False])
    assert status == 0
    assert "Type another name" in output or "Type a shorter one" in output
    assert good.exists()


def test_stopping_after_a_save_says_what_was_saved(
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path
) -> None:
    target = tmp_path / "summary.md"
    script = [*self_care, True, str(target), KeyboardInterrupt()]
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
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path, kind: str
) -> None:
    """Typing /dev/null (or a pipe's name) refuses it, asks again, and keeps the node."""
    special = _special_file(kind, tmp_path)
    good = tmp_path / "ok.md"
    status, output = _run_walk(ruleset, [*self_care, True, str(special), str(good), False])
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
    given = [
        ["breathless", UNSURE],
        True,  # "Call 112 first. ... Go on?"
        ["cold_pale_leg"],  # which of these were you not sure about
        True,
        str(summary),
        True,
        str(answers_file),
    ]
    asker = ScriptedAsker(given)
    out = io.StringIO()
    status = run_walk(
        ruleset, ruleset.texts[Language.EN], asker, Console(file=out, width=80), today=TODAY
    )
    assert status == 0
    kinds = [(kind, message) for kind, message, _, _ in asker.shown]
    assert kinds[1] == ("confirm", "Call 112 first. You can save the advice after that. Go on?")
    open_lines = [q for q in group_of(ruleset, "emergency") if q != "breathless"]
    assert asker.shown[2][2] == open_lines
    assert "Call 112 now." in out.getvalue()  # the advice came before the follow-up
    saved = json.loads(answers_file.read_text())
    assert {k: v for k, v in saved.items() if k != "assessed_on"} == {
        "breathless": "yes",
        "cold_pale_leg": "unknown",
    }
    note = summary.read_text()
    assert "- **Not sure:** cold, pale, very painful leg" in note
    texts = ruleset.texts[Language.EN]
    not_answered = [texts(f"question.{q}.short") for q in open_lines if q != "cold_pale_leg"]
    assert "cannot stand on the leg after a fall or injury" in not_answered
    assert (
        "- **Not answered (the person was not sure about one or more of these):** "
        + "; ".join(not_answered)
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


def test_the_save_question_defaults_to_yes_when_the_advice_says_take_it(
    ruleset: Ruleset,
    self_care: list[Any],
) -> None:
    asker = ScriptedAsker([*script(_fever(ruleset)), False, False])
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
    asker = ScriptedAsker([*self_care, False, False])
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
    baby = walk_steps(ruleset, adult(respondent="child", age=years, infant_unwell="no", limp="no"))
    age = at(baby, "age")
    asker = ScriptedAsker([*script(baby[:age]), typed, *script(baby[age + 1 :])])
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
    status, output = _run_walk(ruleset, [*script(_fever(ruleset)), False, False])
    assert status == 0
    assert "No more questions needed. Your answers already show what to do." in output


def test_plain_mode_gives_the_short_version_first_and_the_headline_before_saving(
    ruleset: Ruleset,
    self_care: list[Any],
) -> None:
    out = io.StringIO()
    run_walk(
        ruleset,
        ruleset.texts[Language.EN],
        ScriptedAsker([*self_care, False, False]),
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


def test_a_name_of_250_bytes_is_saved(
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path
) -> None:
    """The temporary file's name no longer grows with the name (241-255 bytes failed)."""
    target = tmp_path / ("a" * 247 + ".md")
    status, output = _run_walk(ruleset, [*self_care, True, str(target), False])
    assert status == 0
    assert target.exists()
    assert "Saved to" in output


def test_a_typed_name_is_echoed_with_its_control_characters_escaped(
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path
) -> None:
    target = tmp_path / "a\x1b[2J\u202eb.md"
    status, output = _run_walk(ruleset, [*self_care, True, str(target), False])
    assert status == 0
    assert target.exists()
    assert "\x1b" not in output
    assert "\u202e" not in output
    assert "a\\x1b[2J\\u202eb.md" in output


def test_a_file_that_cannot_be_replaced_is_not_called_a_missing_folder(
    ruleset: Ruleset, self_care: list[Any], tmp_path: Path
) -> None:
    good = tmp_path / "ok.md"
    script = [*self_care, True, "/proc/version", True, str(good), False]
    status, output = _run_walk(ruleset, script)
    assert status == 0
    assert "does not exist" not in output
    assert "/proc/version could not be saved" in " ".join(output.split())
    assert good.exists()


@pytest.mark.parametrize(
    ("started", "named"),
    [
        (".venv/bin/triage", ".venv/bin/triage"),
        ("/home/an/my tools/triage", "'/home/an/my tools/triage'"),
        ("/usr/lib/python3/site-packages/triage/__main__.py", "triage"),
    ],
)
def test_the_rerun_hint_names_the_program_as_it_was_started(
    monkeypatch: pytest.MonkeyPatch, started: str, named: str
) -> None:
    monkeypatch.setattr(sys, "argv", [started])
    assert interview._program() == named
