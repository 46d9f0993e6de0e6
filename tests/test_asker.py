"""The questionary prompts, driven through prompt_toolkit's pipe input."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from tests.keys import BACKSPACE, CTRL_C, CTRL_D, DOWN, ENTER
from triage.model import Language, Ruleset
from triage.terminal.arrows import QuestionaryAsker
from triage.terminal.prompts import NONE_OF_THESE, Left, Nav, Option

YES_NO = [Option("Yes", "yes"), Option("No", "no"), Option("I don't know", "unknown")]
SIGNS = [
    Option("Fever", "fever_or_unwell"),
    Option("Red hip", "hot_swollen_hip"),
    Option("None of these", NONE_OF_THESE),
    Option("Not sure", "unsure"),
]


def _any(_: object) -> None:
    return None


def _some(picked: object) -> str | None:
    return None if picked else "Choose at least one line."


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


@pytest.fixture
def ask(ruleset: Ruleset, pipe: PipeInput) -> Callable[[str, Language], QuestionaryAsker]:
    def make(keys: str, language: Language = Language.EN) -> QuestionaryAsker:
        pipe.send_text(keys)
        return QuestionaryAsker(ruleset.texts[language], input=pipe, output=DummyOutput())

    return make


def test_select_with_arrow_keys(ask: Callable[..., QuestionaryAsker]) -> None:
    assert ask(DOWN * 2 + ENTER).select("Groin pain?", YES_NO, None) == "no"


def test_select_dont_know(ask: Callable[..., QuestionaryAsker]) -> None:
    assert ask(DOWN * 3 + ENTER).select("Groin pain?", YES_NO, None) == "unknown"


def test_a_quick_enter_records_no_answer(ask: Callable[..., QuestionaryAsker]) -> None:
    # The pointer starts on "Choose an answer:", which Enter does not take (it says how to
    # choose instead: tests/test_terminal.py).
    assert ask(ENTER + DOWN + ENTER).select("Groin pain?", YES_NO, None) == "yes"


def test_typing_a_number_chooses_that_answer_at_once(ask: Callable[..., QuestionaryAsker]) -> None:
    assert ask("2").select("Groin pain?", YES_NO, None) == "no"
    assert ask("3").select("Groin pain?", YES_NO, "yes") == "unknown"
    assert ask("2").confirm("Save the advice?", True) is False
    assert ask("1").confirm("Save the advice?", False) is True


def test_a_number_plain_mode_gives_an_answer_is_its_key(
    ask: Callable[..., QuestionaryAsker],
) -> None:
    numbered = [Option("Left", "left", 1), Option("None of these", NONE_OF_THESE)]
    assert ask("0").select("Which side?", numbered, None) == NONE_OF_THESE
    assert ask("9" + "1").select("Which side?", numbered, None) == "left"  # 9 is no answer


def test_answers_beyond_one_key_each_are_chosen_with_the_arrows(
    ask: Callable[..., QuestionaryAsker],
) -> None:
    many = [Option(f"Answer {n}", f"a{n}") for n in range(1, 12)]  # 10 and 11: two keys
    assert ask("2" + DOWN + ENTER).select("Which?", many, None) == "a1"


def test_select_starts_at_the_previous_answer(ask: Callable[..., QuestionaryAsker]) -> None:
    assert ask(ENTER).select("Groin pain?", YES_NO, "unknown") == "unknown"


@pytest.mark.parametrize(("keys", "nav"), [("?", Nav.HELP), ("<", Nav.BACK)])
def test_keys_for_help_and_back(ask: Callable[..., QuestionaryAsker], keys: str, nav: Nav) -> None:
    assert ask(keys).select("Groin pain?", YES_NO, None) is nav
    assert ask(keys).checklist("Tick", SIGNS, (), _any) == Left(nav, (), "fever_or_unwell")
    assert ask(keys).number("Age?", 0, 120, None) is nav


def test_help_and_back_are_also_choices(ask: Callable[..., QuestionaryAsker]) -> None:
    # after the line that is no answer and the three answers: a separator, "why", "back"
    assert ask(DOWN * 4 + ENTER).select("Groin pain?", YES_NO, None) is Nav.HELP
    assert ask(DOWN * 5 + ENTER).select("Groin pain?", YES_NO, None) is Nav.BACK


def test_checklist_ticks(ask: Callable[..., QuestionaryAsker]) -> None:
    answer = ask(" " + DOWN * 3 + " " + ENTER).checklist("Tick", SIGNS, (), _some)
    assert answer == ["fever_or_unwell", "unsure"]


def test_enter_with_nothing_ticked_does_not_leave_the_checklist(
    ask: Callable[..., QuestionaryAsker],
) -> None:
    answer = ask(ENTER + DOWN * 2 + " " + ENTER).checklist("Tick", SIGNS, (), _some)
    assert answer == [NONE_OF_THESE]


def test_checklist_keeps_earlier_ticks(ask: Callable[..., QuestionaryAsker]) -> None:
    answer = ask(ENTER).checklist("Tick", SIGNS, ["hot_swollen_hip"], _some)
    assert answer == ["hot_swollen_hip"]


@pytest.mark.parametrize(("key", "nav"), [("?", Nav.HELP), ("<", Nav.BACK)])
def test_help_and_back_leave_with_the_ticks(
    ask: Callable[..., QuestionaryAsker], key: str, nav: Nav
) -> None:
    answer = ask(" " + DOWN + " " + key).checklist("Tick", SIGNS, (), _some)
    # and with the line under the cursor, which help explains and the list starts on again
    assert answer == Left(nav, ("fever_or_unwell", "hot_swollen_hip"), "hot_swollen_hip")


def test_a_checklist_starts_on_the_line_it_was_left_on(
    ask: Callable[..., QuestionaryAsker],
) -> None:
    answer = ask(" " + ENTER).checklist("Tick", SIGNS, (), _some, "hot_swollen_hip")
    assert answer == ["hot_swollen_hip"]


def test_no_hidden_keys_tick_everything_or_invert(ask: Callable[..., QuestionaryAsker]) -> None:
    answer = ask("a" + "i" + DOWN * 2 + " " + ENTER).checklist("Tick", SIGNS, (), _some)
    assert answer == [NONE_OF_THESE]


def test_age_checked_in_the_prompt(ask: Callable[..., QuestionaryAsker]) -> None:
    asker = ask("130" + ENTER + BACKSPACE * 3 + "67" + ENTER)
    assert asker.number("Age?", 0, 120, None) == 67


def test_age_keeps_the_earlier_answer(ask: Callable[..., QuestionaryAsker]) -> None:
    assert ask(ENTER).number("Age?", 0, 120, 45) == 45


def test_confirm_in_dutch(ask: Callable[..., QuestionaryAsker]) -> None:
    assert ask(ENTER, Language.NL).confirm("Bewaren?", default=True) is True
    assert ask(DOWN + ENTER, Language.NL).confirm("Bewaren?", default=True) is False


def test_text_with_default(ask: Callable[..., QuestionaryAsker]) -> None:
    assert ask(ENTER).text("File", "hip.md") == "hip.md"


def test_ctrl_c_and_ctrl_d_stop(ask: Callable[..., QuestionaryAsker]) -> None:
    with pytest.raises(KeyboardInterrupt):
        ask(CTRL_C).select("Groin pain?", YES_NO, None)
    with pytest.raises(EOFError):
        ask(CTRL_D).checklist("Tick", SIGNS, (), _any)


def test_dutch_instructions(
    ruleset: Ruleset, pipe: PipeInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    import questionary

    texts = ruleset.texts[Language.NL]
    captured: dict[str, Any] = {}
    real = questionary.checkbox

    def spy(*args: Any, **kwargs: Any) -> Any:
        captured.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(questionary, "checkbox", spy)
    pipe.send_text(ENTER)
    QuestionaryAsker(texts, input=pipe, output=DummyOutput()).checklist("Vink", SIGNS, (), _any)
    assert captured["instruction"].strip() == "(spatie om aan te vinken, enter als je klaar bent)"


def test_unicode_digits_are_refused_at_the_age(ask: Callable[..., QuestionaryAsker]) -> None:
    asker = ask("\u00b2" + ENTER + BACKSPACE + "\u2460" + ENTER + BACKSPACE + "67" + ENTER)
    assert asker.number("Age?", 0, 120, None) == 67


def test_thousands_of_digits_pasted_at_the_age_are_refused(
    ask: Callable[..., QuestionaryAsker],
) -> None:
    """int() refuses more than 4300 digits with an error, which the prompt showed as a
    traceback ("Unhandled exception in event loop")."""
    asker = ask("9" * 5000 + ENTER + "\x15" + "67" + ENTER)  # Ctrl-U clears the line
    assert asker.number("Age?", 0, 120, None) == 67


PASTE_START = "\x1b[200~"


@pytest.mark.parametrize("prompt", ["checklist", "select", "confirm"])
def test_ctrl_c_ends_a_paste_that_never_ends(
    ask: Callable[..., QuestionaryAsker], prompt: str
) -> None:
    """After a paste start without its end, every key was swallowed, Ctrl-C included."""
    asker = ask(PASTE_START + DOWN + " " + ENTER + CTRL_C)
    prompts: dict[str, Callable[[], object]] = {
        "checklist": lambda: asker.checklist("Tick", SIGNS, (), _any),
        "select": lambda: asker.select("Groin pain?", YES_NO, None),
        "confirm": lambda: asker.confirm("Save?", default=False),
    }
    with pytest.raises(KeyboardInterrupt):
        prompts[prompt]()


def test_a_whole_paste_still_answers_nothing_by_itself(
    ask: Callable[..., QuestionaryAsker],
) -> None:
    asker = ask(PASTE_START + " \r" + "\x1b[201~" + DOWN + ENTER)
    assert asker.select("Groin pain?", YES_NO, None) == "yes"
