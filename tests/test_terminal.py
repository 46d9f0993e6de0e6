"""The whole program in a real pseudo-terminal, as a person uses it (pexpect)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.children import sigint_default, spawn
from tests.keys import DOWN, FIRST, NONE_OF_THESE, SECOND
from triage.loader import load_ruleset
from triage.model import Language

NONE = NONE_OF_THESE
TICK_FIRST = " \r"  # the cursor starts on the first line of a tick list
PROGRESS = r"(Part|Deel) \d+ (of|van) \d+"
RULESET = load_ruleset()
TEXTS = RULESET.texts
PROMPT_DRAWN = TEXTS[Language.EN]("ui.select_instruction").strip("()")
"""The instruction line a choice draws once its prompt runs (and reads keys): the progress
line and the advice are printed before it, so a Ctrl-C sent on seeing them could reach the
program while it sets up the prompt."""
# The emergency screen's last line in plain mode: "I am not sure", after its questions.
EMERGENCY_LINES = sum(q.group == "emergency" for q in RULESET.questionnaire.questions)
UNSURE_LAST = {
    lang: f"{EMERGENCY_LINES + 1}. {TEXTS[lang]('ui.unsure_option')}" for lang in Language
}
# The v3 walk of someone of 62 answering for themselves: the emergency screen, who answers,
# age; where (groin pain ticked), side (left), how long (under a week); then the tick
# lists of falls and treatments, signs that need a doctor soon, signs from elsewhere and
# illnesses and medicines (two pages: at most 8 lines a page); how it began (none),
# compared with a week ago (better), morning stiffness (none), and what fits the pain
# (start-up stiffness, the second line).
WHERE_SIDE_HOW_LONG = [TICK_FIRST, FIRST, FIRST]
SELF_CARE = [
    *[NONE, FIRST, "62\r"],
    *WHERE_SIDE_HOW_LONG,
    *[NONE, NONE, NONE, NONE, NONE],
    *[NONE, FIRST, FIRST, DOWN + TICK_FIRST],
]
THERAPIST = [*SELF_CARE[:5], DOWN * 5 + "\r", *SELF_CARE[6:]]  # how long: 3 months or more
# A fever at 70 (the first sign that needs a doctor soon): the walk stops, GP now.
GP_NOW = [NONE, FIRST, "70\r", *WHERE_SIDE_HOW_LONG, NONE, TICK_FIRST]
EMERGENCY = [TICK_FIRST]
HEADLINES = {
    ("emergency", "en"): "Call 112 now.",
    ("emergency", "nl"): "Bel nu 112.",
    ("gp", "en"): "Call the GP now.",
    ("gp", "nl"): "Bel nu de huisarts.",
    ("manual_therapist", "en"): "You can go directly to a manual therapist.",
    ("manual_therapist", "nl"): "Je kunt direct naar een manueel therapeut.",
    ("self_care", "en"): "You can first take care of this yourself",
    ("self_care", "nl"): "Je kunt eerst zelf aan de slag",
}
SCRIPTS = {
    "emergency": EMERGENCY,
    "gp": GP_NOW,
    "manual_therapist": THERAPIST,
    "self_care": SELF_CARE,
}
SAVE_REPORT = {"en": "Save a summary|Save the advice", "nl": "samenvatting bewaren|advies bewaren"}
CALL_FIRST = {"en": "Call 112 first", "nl": "Bel eerst 112"}
SAVE_ANSWERS = {"en": "Save the answers", "nl": "antwoorden bewaren"}


def _spawn(
    *args: str,
    lang: str = "en",
    cwd: Path | None = None,
    term: str = "xterm-256color",
    size: tuple[int, int] = (40, 100),
) -> pexpect.spawn:
    env = {
        **os.environ,
        "LANG": f"{lang}_NL.UTF-8" if lang == "nl" else "en_GB.UTF-8",
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "TERM": term,
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    env.pop("NO_COLOR", None)
    return spawn(
        sys.executable,
        ["-m", "triage", *args],
        env=env,
        cwd=cwd,
        encoding="utf-8",
        dimensions=size,
        timeout=20,
    )


def _walk(child: pexpect.spawn, keys: list[str]) -> None:
    for key in keys:
        child.expect(PROGRESS)
        child.send(key)


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("advice", list(SCRIPTS))
def test_a_full_walk_to_each_advice(advice: str, lang: str) -> None:
    child = _spawn(lang=lang)
    _walk(child, SCRIPTS[advice])
    child.expect_exact(HEADLINES[(advice, lang)])
    if advice == "emergency":
        child.expect_exact(CALL_FIRST[lang])
        child.send("\r")
    child.expect(SAVE_REPORT[lang])
    child.send(DOWN + "\r" if advice == "gp" else "\r")  # GP advice: saving is the default
    child.expect(SAVE_ANSWERS[lang])
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_stops_with_one_line_and_status_130() -> None:
    child = _spawn()
    _walk(child, [NONE])
    child.expect(PROGRESS)
    child.expect_exact(PROMPT_DRAWN)
    child.sendintr()
    child.expect_exact("Stopped. Nothing was saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")


def test_plain_mode_types_numbers_and_draws_no_boxes() -> None:
    child = _spawn("--plain", lang="nl")
    child.expect_exact(UNSURE_LAST[Language.NL])  # "Geen van deze" is 0
    output = child.before or ""
    # the self-care walk typed as numbers: 0 is "Geen van deze", 1 the first line or answer
    for line in ["0", "1", "62", "1", "1", "1", "0", "0", "0", "0", "0", "0", "1", "1", "2"]:
        child.send(line + "\r")
    child.expect_exact("Je kunt eerst zelf aan de slag")
    output += child.before or ""
    child.sendline("")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "╭" not in output
    assert "\x1b" not in output  # no colour, no cursor movement


def test_dumb_terminal_gets_plain_mode() -> None:
    child = _spawn(term="dumb")
    first = TEXTS[Language.EN]("question.fall_cannot_bear_weight.text")
    child.expect_exact("1. " + " ".join(first.split()[:4]))
    child.sendintr()
    child.expect(pexpect.EOF)


def test_saved_answers_replay_to_the_same_advice(tmp_path: Path) -> None:
    child = _spawn(cwd=tmp_path)
    _walk(child, THERAPIST)
    child.expect_exact(HEADLINES[("manual_therapist", "en")])
    child.expect(SAVE_REPORT["en"])
    child.send("\r")
    child.expect(SAVE_ANSWERS["en"])
    child.send(DOWN + "\r")  # the choices are No (default), Yes: move to Yes
    child.expect("File name")
    child.send("\x15my answers.json\r")  # Ctrl-U clears the offered name
    child.expect("Saved to")
    # The command to run them again stands on a line of its own, its path quoted, so that
    # it can be copied whole (the program started as `python -m triage`: named triage).
    child.expect_exact(TEXTS[Language.EN]("ui.saved_answers_hint"))
    path = shlex.quote(str(tmp_path / "my answers.json"))
    command = f"triage assess --answers {path} --lang en"  # the walk's language
    child.expect_exact(f"\n  {command}")
    child.expect(pexpect.EOF)
    assert [p.name for p in tmp_path.iterdir()] == ["my answers.json"]
    replay = subprocess.run(
        [sys.executable, "-m", *shlex.split(command), "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        preexec_fn=sigint_default,
    )
    assert json.loads(replay.stdout)["disposition"] == "manual_therapist"


def test_help_keeps_the_ticks_so_a_tick_still_counts() -> None:
    """The reported bug: Down, Space (a tick), ?, Enter went on as if nothing was ticked."""
    child = _spawn()
    child.expect(PROGRESS)
    child.expect_exact("enter when done")
    child.send(DOWN + " ")
    child.send("?")
    child.expect_exact("Why do we ask this?")
    child.expect_exact("enter when done")
    child.send("\r")
    child.expect_exact(HEADLINES[("emergency", "en")])
    child.expect_exact(PROMPT_DRAWN)  # the save question
    child.sendintr()
    child.expect(pexpect.EOF)


def test_enter_with_nothing_ticked_does_not_go_on() -> None:
    child = _spawn()
    child.expect(PROGRESS)
    child.expect_exact("enter when done")
    child.send("\r")
    child.expect_exact("Choose at least one line")
    child.send(NONE)
    child.expect_exact("Part 2 of")
    child.expect_exact(PROMPT_DRAWN)
    child.sendintr()
    child.expect(pexpect.EOF)


def test_a_quick_enter_says_how_to_choose_and_a_number_chooses() -> None:
    child = _spawn()
    _walk(child, [NONE])
    child.expect_exact(PROMPT_DRAWN)  # who answers: the pointer on the line that is no answer
    child.send("\r")
    child.expect_exact(TEXTS[Language.EN]("ui.select_nothing"))
    child.send("2")  # a parent or carer of a child
    asked = TEXTS[Language.EN].voiced("child")("question.age.text")
    child.expect_exact(asked.split("?")[0] + "?")
    child.sendintr()
    child.expect(pexpect.EOF)


def test_a_parent_is_asked_about_their_child_in_the_terminal() -> None:
    child = _spawn(lang="nl")
    _walk(child, [NONE, SECOND])
    asked = TEXTS[Language.NL].voiced("child")("question.age.text")
    child.expect_exact(asked.split("?")[0] + "?")
    child.sendintr()
    child.expect(pexpect.EOF)


def test_plain_mode_needs_an_explicit_choice_and_stops_on_a_same_day_sign() -> None:
    child = _spawn("--plain")
    child.expect_exact(UNSURE_LAST[Language.EN])
    child.sendline("")
    child.expect_exact("Choose at least one line")
    for line in ["0", "1", "70", "1", "1", "1", "0"]:  # none, self, 70, groin, left, a week
        child.sendline(line)  # ... and no fall or treatment
    child.expect_exact(TEXTS[Language.EN]("group.urgent.title"))
    child.expect_exact("Type the numbers that apply")
    child.sendline("1")  # fever (the first sign that needs a doctor soon): the walk stops
    child.expect_exact(HEADLINES[("gp", "en")])
    # The GP advice says to take it along: yes is the default, said in words.
    child.expect_exact("(yes or no; Enter alone is yes)")
    child.sendline("no")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
