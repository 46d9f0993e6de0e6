"""Plain mode: numbered choices typed as text."""

from __future__ import annotations

import io

import pytest

from triage.model import Language, Ruleset
from triage.plain import PlainAsker
from triage.prompts import Nav, Option

YES_NO = [Option("Yes", "yes"), Option("No", "no"), Option("I don't know", "unknown")]


def _asker(
    ruleset: Ruleset, typed: str, language: Language = Language.EN
) -> tuple[PlainAsker, io.StringIO]:
    out = io.StringIO()
    return PlainAsker(ruleset.texts[language], io.StringIO(typed), out), out


def test_select_by_number(ruleset: Ruleset) -> None:
    asker, out = _asker(ruleset, "2\n")
    assert asker.select("Groin pain?", YES_NO, None) == "no"
    assert "  1. Yes\n  2. No\n  3. I don't know\n" in out.getvalue()
    assert "\x1b" not in out.getvalue()


def test_a_wrong_number_is_asked_again(ruleset: Ruleset) -> None:
    asker, out = _asker(ruleset, "7\nyes\n3\n")
    assert asker.select("Groin pain?", YES_NO, None) == "unknown"
    assert out.getvalue().count("Please type one of the numbers") == 2


@pytest.mark.parametrize(("typed", "nav"), [("?\n", Nav.HELP), ("<\n", Nav.BACK)])
def test_help_and_back(ruleset: Ruleset, typed: str, nav: Nav) -> None:
    assert _asker(ruleset, typed)[0].select("Q", YES_NO, None) is nav
    assert _asker(ruleset, typed)[0].checklist("Q", YES_NO, ()) is nav
    assert _asker(ruleset, typed)[0].number("Age", 0, 120, None) is nav


def test_checklist_numbers(ruleset: Ruleset) -> None:
    assert _asker(ruleset, "3 1\n")[0].checklist("Q", YES_NO, ()) == ["unknown", "yes"]
    assert _asker(ruleset, "0\n")[0].checklist("Q", YES_NO, ["yes"]) == []
    assert _asker(ruleset, "\n")[0].checklist("Q", YES_NO, ["no"]) == ["no"]
    assert _asker(ruleset, "\n")[0].checklist("Q", YES_NO, ()) == []


def test_age(ruleset: Ruleset) -> None:
    asker, out = _asker(ruleset, "abc\n121\n64\n", Language.NL)
    assert asker.number("Hoe oud ben je?", 0, 120, None) == 64
    assert out.getvalue().count("heel getal van 0 tot en met 120") == 2


def test_confirm_in_dutch(ruleset: Ruleset) -> None:
    assert _asker(ruleset, "ja\n", Language.NL)[0].confirm("Bewaren?", False) is True
    assert _asker(ruleset, "n\n", Language.NL)[0].confirm("Bewaren?", True) is False
    assert _asker(ruleset, "\n", Language.NL)[0].confirm("Bewaren?", True) is True


def test_end_of_input_stops(ruleset: Ruleset) -> None:
    with pytest.raises(EOFError):
        _asker(ruleset, "")[0].select("Q", YES_NO, None)
