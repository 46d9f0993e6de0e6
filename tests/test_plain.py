"""Plain mode: numbered choices typed as text."""

from __future__ import annotations

import io
import os

import pytest

from triage.model import Language, Ruleset
from triage.terminal.plain import PlainAsker
from triage.terminal.prompts import NONE_OF_THESE, Left, Nav, Option

YES_NO = [Option("Yes", "yes"), Option("No", "no"), Option("I don't know", "unknown")]
SIGNS = [
    Option("Fever", "fever_or_unwell"),
    Option("Red hip", "hot_swollen_hip"),
    Option("None of these", NONE_OF_THESE),
]


def _any(_: object) -> None:
    return None


def _some(picked: object) -> str | None:
    return None if picked else "Choose at least one line."


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
    asker, out = _asker(ruleset, "7\nmaybe\n3\n")
    assert asker.select("Groin pain?", YES_NO, None) == "unknown"
    assert out.getvalue().count("Please type one of the numbers") == 2


@pytest.mark.parametrize(("typed", "nav"), [("?\n", Nav.HELP), ("<\n", Nav.BACK)])
def test_help_and_back(ruleset: Ruleset, typed: str, nav: Nav) -> None:
    assert _asker(ruleset, typed)[0].select("Q", YES_NO, None) is nav
    assert _asker(ruleset, typed)[0].checklist("Q", SIGNS, ["hot_swollen_hip"], _any) == Left(
        nav, ("hot_swollen_hip",)
    )
    assert _asker(ruleset, typed)[0].number("Age", 0, 120, None) is nav


def test_checklist_numbers(ruleset: Ruleset) -> None:
    assert _asker(ruleset, "2 1\n")[0].checklist("Q", SIGNS, (), _some) == [
        "hot_swollen_hip",
        "fever_or_unwell",
    ]
    assert _asker(ruleset, "0\n")[0].checklist("Q", SIGNS, ["fever_or_unwell"], _some) == [
        NONE_OF_THESE
    ]
    assert _asker(ruleset, "\n")[0].checklist("Q", SIGNS, ["hot_swollen_hip"], _some) == [
        "hot_swollen_hip"
    ]


def test_the_lines_chosen_are_said_back_in_one_line_without_doubled_stops(
    ruleset: Ruleset,
) -> None:
    sentences = [Option("The hip is hot.", "hot_swollen_hip"), Option("Fever.", "fever_or_unwell")]
    asker, out = _asker(ruleset, "1 2\n")
    assert asker.checklist("Q", sentences, (), _some) == ["hot_swollen_hip", "fever_or_unwell"]
    assert "Your answer: The hip is hot; Fever\n" in out.getvalue()


def test_the_lines_one_is_not_sure_about_are_said_back_as_not_sure(ruleset: Ruleset) -> None:
    """The follow-up to "I am not sure" asks which lines; what is said back is that the
    person is not sure about them (not "Your answer:", which reads as a yes), and the list
    is counted without calling its lines true."""
    asker, out = _asker(ruleset, "2\n")
    assert asker.checklist("Not sure?", SIGNS[:2], (), _some, unsure=True) == ["hot_swollen_hip"]
    said = out.getvalue()
    assert "Not sure about: Red hip" in said
    assert "Your answer" not in said
    assert "Type the numbers you are not sure about (2 lines):" in said
    assert "true" not in said


def test_a_long_yes_or_no_question_keeps_its_hint_whole_on_a_line_of_its_own(
    ruleset: Ruleset,
) -> None:
    long = "Save the advice, to take with you or read out to the doctor on the phone?"
    asker, out = _asker(ruleset, "\n")
    assert asker.confirm(long, True) is True
    asked, hint, *_ = out.getvalue().split("\n")
    assert asked == long
    assert hint.startswith("(yes or no; Enter alone is yes): "), hint


def test_a_file_name_says_in_words_what_enter_gives(ruleset: Ruleset) -> None:
    asker, out = _asker(ruleset, "\n")
    assert asker.text("File name", "hip-advice.md") == "hip-advice.md"
    assert "Enter alone gives: hip-advice.md\nFile name: " in out.getvalue()
    assert "[" not in out.getvalue()
    empty, said = _asker(ruleset, "\n")
    assert empty.text("Note", "") == ""
    assert "Enter alone" not in said.getvalue(), "nothing to say where Enter gives nothing"


def test_an_empty_line_with_nothing_chosen_is_asked_again(ruleset: Ruleset) -> None:
    asker, out = _asker(ruleset, "\n0\n")  # "None of these" is always 0
    assert asker.checklist("Q", SIGNS, (), _some) == [NONE_OF_THESE]
    assert "Choose at least one line." in out.getvalue()
    assert "Your answer: None of these" in out.getvalue()


def test_a_follow_up_keeps_the_numbers_of_the_first_list(ruleset: Ruleset) -> None:
    rest = [Option("Red hip", "hot_swollen_hip", 2), Option("Scar", "wound_problem", 5)]
    asker, out = _asker(ruleset, "5\n")
    assert asker.checklist("Unsure?", rest, (), _some) == ["wound_problem"]
    assert "  2. Red hip\n  5. Scar\n" in out.getvalue()


def test_yes_and_no_words_are_understood_in_dutch(ruleset: Ruleset) -> None:
    options = [Option("Ja", "yes"), Option("Nee", "no"), Option("Weet ik niet", "unknown")]
    assert _asker(ruleset, "nee\n", Language.NL)[0].select("Q", options, None) == "no"
    assert _asker(ruleset, "Weet ik niet\n", Language.NL)[0].select("Q", options, None) == (
        "unknown"
    )


def test_the_chosen_answer_is_echoed_and_an_earlier_one_marked_in_words(ruleset: Ruleset) -> None:
    asker, out = _asker(ruleset, "\n")
    assert asker.select("Groin pain?", YES_NO, "no") == "no"
    assert "  2. No (chosen before)" in out.getvalue()
    assert "Your answer: No" in out.getvalue()
    assert "(*)" not in out.getvalue()


def test_unicode_digits_are_asked_again(ruleset: Ruleset) -> None:
    asker, out = _asker(ruleset, "\u00b2\n\u2460\n1\n")
    assert asker.select("Groin pain?", YES_NO, None) == "yes"
    assert out.getvalue().count("Please type one of the numbers") == 2


def test_age(ruleset: Ruleset) -> None:
    asker, out = _asker(ruleset, "abc\n121\n64\n", Language.NL)
    assert asker.number("Hoe oud ben je?", 0, 120, None) == 64
    assert out.getvalue().count("heel getal van 0 tot en met 120") == 2


def test_confirm_in_dutch(ruleset: Ruleset) -> None:
    assert _asker(ruleset, "ja\n", Language.NL)[0].confirm("Bewaren?", False) is True
    assert _asker(ruleset, "n\n", Language.NL)[0].confirm("Bewaren?", True) is False
    assert _asker(ruleset, "\n", Language.NL)[0].confirm("Bewaren?", True) is True


def test_a_yes_or_no_says_in_words_what_enter_gives(ruleset: Ruleset) -> None:
    """A screen reader does not say capitals: the answer Enter gives is said in words, and
    a wrong word asks for yes or no, not for a number."""
    asker, out = _asker(ruleset, "maybe\n\n")
    assert asker.confirm("Save?", False) is False
    assert "Save? (yes or no; Enter alone is no)" in out.getvalue()
    assert "Please type yes or no." in out.getvalue()
    assert "NO" not in out.getvalue()
    assert out.getvalue().endswith("Your answer: No\n"), "the answer is said back"
    dutch, said = _asker(ruleset, "\n", Language.NL)
    assert dutch.confirm("Bewaren?", True) is True
    assert "Bewaren? (ja of nee; alleen Enter is ja)" in said.getvalue()


def test_end_of_input_stops(ruleset: Ruleset) -> None:
    with pytest.raises(EOFError):
        _asker(ruleset, "")[0].select("Q", YES_NO, None)


def test_a_question_mark_is_not_followed_by_a_colon(ruleset: Ruleset) -> None:
    asker, out = _asker(ruleset, "64\n")
    assert asker.number("How old are you?", 0, 120, None) == 64
    assert "How old are you? " in out.getvalue()
    assert "?:" not in out.getvalue()


def test_a_byte_that_is_not_utf8_is_asked_again_not_a_crash(ruleset: Ruleset) -> None:
    """A Latin-1 'café' typed at a prompt, then a file name with it, as a real terminal
    gives them (a UTF-8 stream that would refuse the byte)."""
    typed = io.TextIOWrapper(io.BytesIO(b"caf\xe9\n2\ncaf\xe9.md\n"), encoding="utf-8")
    out = io.StringIO()
    asker = PlainAsker(ruleset.texts[Language.EN], typed, out)
    assert asker.select("Groin pain?", YES_NO, None) == "no"
    assert "Please type one of the numbers" in out.getvalue()
    name = asker.text("File name", "x.md")
    assert os.fsencode(name) == b"caf\xe9.md"


def test_thousands_of_digits_are_asked_again(ruleset: Ruleset) -> None:
    asker, out = _asker(ruleset, "9" * 5000 + "\n" + "1" * 5000 + "\n62\n")
    assert asker.number("How old are you?", 0, 120, None) == 62
    assert out.getvalue().count("Please type the age") == 2
    asker, out = _asker(ruleset, "1" * 5000 + "\n1\n")
    assert asker.select("Groin pain?", YES_NO, None) == "yes"
    asker, out = _asker(ruleset, "1" * 5000 + "\n1\n")
    assert asker.checklist("Q", SIGNS, (), _some) == ["fever_or_unwell"]


def test_a_question_mark_and_a_number_asks_why_that_line_is_asked(ruleset: Ruleset) -> None:
    asker, _ = _asker(ruleset, "? 2\n")
    assert asker.checklist("Q", SIGNS, (), _some) == Left(Nav.HELP, (), "hot_swollen_hip")
