"""The whole program in a real pseudo-terminal, as a person uses it (pexpect)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.keys import DOWN, FIRST, NONE_OF_THESE, SECOND

NONE = NONE_OF_THESE
PROGRESS = r"(Part|Deel) \d+ (of|van) \d+"
# side, groin pain, knee, start-up stiffness, morning stiffness, duration, trend, overload,
# low back, daily activities.
COMPLAINT = [FIRST, FIRST, SECOND, FIRST, FIRST, FIRST, FIRST, SECOND, SECOND, SECOND]
# emergency, who answers, age, artificial hip, recent injection; then the warning signs and
# the health background, two pages of tick lists each (at most 8 lines a page)
PERSON = [NONE, FIRST, "62\r", SECOND, SECOND]
SELF_CARE = [*PERSON, NONE, NONE, NONE, NONE, *COMPLAINT]
THERAPIST = [*SELF_CARE[:14], DOWN * 5 + "\r", *SELF_CARE[15:]]  # duration: 3 months or more
# A fall at 70 (the first warning sign), no other fall signs: the walk stops, GP now.
GP_NOW = [NONE, FIRST, "70\r", SECOND, SECOND, " \r", NONE, NONE]
EMERGENCY = [" \r"]
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
    return pexpect.spawn(
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
    child.sendintr()
    child.expect_exact("Stopped. Nothing was saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")


def test_plain_mode_types_numbers_and_draws_no_boxes() -> None:
    child = _spawn("--plain", lang="nl")
    child.expect_exact("5. Ik weet het niet zeker")  # "Geen van deze" is 0
    output = child.before or ""
    for line in [
        "0\r",
        "1\r",
        "62\r",
        "2\r",
        "2\r",
        "0\r",
        "0\r",
        "0\r",
        "0\r",
        "1\r",
        "1\r",
        "2\r",
        "1\r",
        "1\r",
        "2\r",
        "2\r",
        "2\r",
        "2\r",
        "2\r",
    ]:
        child.send(line)
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
    child.expect_exact("1. After a fall or accident")
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
    child.send("\r")  # the offered name
    child.expect("Saved to")
    child.expect(pexpect.EOF)
    saved = list(tmp_path.glob("hip-answers-*.json"))
    assert len(saved) == 1
    replay = subprocess.run(
        [sys.executable, "-m", "triage", "assess", "--answers", str(saved[0]), "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
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
    child.sendintr()
    child.expect(pexpect.EOF)


def test_a_parent_is_asked_about_their_child_in_the_terminal() -> None:
    child = _spawn(lang="nl")
    _walk(child, [NONE, SECOND])
    child.expect_exact("Hoe oud is je kind?")
    child.sendintr()
    child.expect(pexpect.EOF)


def test_plain_mode_needs_an_explicit_choice_and_stops_on_a_same_day_sign() -> None:
    child = _spawn("--plain")
    child.expect_exact("5. I am not sure")
    child.sendline("")
    child.expect_exact("Choose at least one line")
    for line in ["0", "1", "70", "2", "2"]:  # none, self, 70, no hip, no injection
        child.sendline(line)
    child.expect_exact("Type the numbers that apply")
    child.sendline("5")  # fever (the fifth warning sign)
    child.expect_exact("Your answer:")
    child.expect_exact("Type the numbers that apply")
    child.sendline("0")  # the second page of warning signs: none
    child.expect_exact(HEADLINES[("gp", "en")])
    child.expect_exact("(YES/no)")  # the GP advice says to take it along: yes is the default
    child.sendline("no")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
