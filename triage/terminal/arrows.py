"""Showing prompts with questionary: arrow keys, ticks, and keys for help and going back."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Collection, Sequence
from typing import Any

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.application import Application
from prompt_toolkit.application.current import get_app_or_none
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.output import Output
from questionary import Choice, Separator
from questionary.prompts.common import InquirerControl

from triage.answers import MAX_DIGITS
from triage.model import Texts
from triage.terminal.prompts import Age, Check, Left, Nav, Option, fold, parse_age

_BACK = "\0back"
_HELP = "\0help"
_NOTHING = "\0nothing"
_QMARK = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
_STYLE = questionary.Style([("qmark", "bold"), ("question", "bold"), ("instruction", "italic")])


class QuestionaryAsker:
    """An Asker drawing questionary prompts; `input`/`output` let tests drive it."""

    def __init__(
        self, texts: Texts, *, input: Input | None = None, output: Output | None = None
    ) -> None:
        self.texts = texts
        self.io: dict[str, Any] = {"input": input, "output": output}

    def select(self, message: str, options: Sequence[Option], default: str | None) -> str | Nav:
        """One of the options. Without an earlier answer the pointer starts on a line that
        is no answer, so that a quick Enter records nothing."""
        choices: list[Choice | Separator] = [
            Choice(_wrapped(o.title, indent=3), value=o.value) for o in options
        ]
        if default is None:
            choices.insert(0, Choice(self.texts("ui.select_placeholder"), value=_NOTHING))
            default = _NOTHING
        choices += [
            Separator(" "),
            Choice(self.texts("ui.why_choice"), value=_HELP),
            Choice(self.texts("ui.back"), value=_BACK),
        ]
        question = questionary.select(
            _wrapped(message, indent=2),
            choices=choices,
            default=_choice(choices, default),
            qmark=_QMARK,
            instruction=_below(self.texts("ui.select_instruction")),
            style=_STYLE,
            **self.io,
        )
        # The walk echoes the answer itself, in whole words (questionary's own summary
        # line loses words when the answer wraps).
        question.application.erase_when_done = True
        return _nav(_ask(question, choosing=True))

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
            answer = self._checkbox(message, options, ticked, pointed)
            if isinstance(answer, Left):
                return answer
            problem = check(answer)
            if problem is None:
                return answer
            # Said in a line of its own, not in a toolbar: a toolbar needs the terminal to
            # report its size, which not every terminal (or screen reader setup) does.
            print_formatted_text(FormattedText([("bold", problem)]), output=self.io["output"])
            ticked = answer

    def _checkbox(
        self,
        message: str,
        options: Sequence[Option],
        ticked: Collection[str],
        pointed: str | None,
    ) -> list[str] | Left:
        choices = [
            Choice(_wrapped(o.title, indent=5), value=o.value, checked=o.value in ticked)
            for o in options
        ]
        question = questionary.checkbox(
            _wrapped(message, indent=2),
            choices=choices,
            qmark=_QMARK,
            style=_STYLE,
            initial_choice=_choice(list(choices), pointed),
            instruction=_below(self.texts("ui.checkbox_instruction")),
            **self.io,
        )
        # questionary sums up the answer in English ("done"): the walk echoes it instead.
        question.application.erase_when_done = True
        answer = _ask(question, checklist=True)
        if isinstance(answer, Left):
            return answer
        return [str(value) for value in answer]

    def number(self, message: str, minimum: int, maximum: int, default: int | None) -> int | Nav:
        invalid = self.texts("ui.age_invalid")

        def check(text: str) -> bool | str:
            digits = text.strip()
            # The length first: int() refuses thousands of digits (a paste) with an error.
            ok = digits.isascii() and digits.isdigit() and len(digits) <= MAX_DIGITS
            return True if ok and minimum <= int(digits) <= maximum else invalid

        answer = _ask(self._typed(message, default, check))
        return answer if isinstance(answer, Nav) else int(str(answer).strip())

    def age(self, message: str, maximum: int, default: int | None) -> Age | Nav:
        def check(text: str) -> bool | str:
            parsed = parse_age(text, maximum)
            return True if isinstance(parsed, Age) else self.texts(parsed)

        answer = _ask(self._typed(message, default, check))
        if isinstance(answer, Nav):
            return answer
        parsed = parse_age(str(answer), maximum)
        return parsed if isinstance(parsed, Age) else Nav.REDRAW

    def _typed(
        self, message: str, default: int | None, check: Callable[[str], bool | str]
    ) -> questionary.Question:
        """A typed answer (a number, an age), checked as it is typed."""
        question = questionary.text(
            _wrapped(message, indent=2),
            default="" if default is None else str(default),
            validate=check,
            qmark=_QMARK,
            style=_STYLE,
            **self.io,
        )
        question.application.erase_when_done = True
        return question

    def text(self, message: str, default: str) -> str:
        return str(
            questionary.text(
                message, default=default, qmark=_QMARK, style=_STYLE, **self.io
            ).unsafe_ask()
        )

    def confirm(self, message: str, default: bool) -> bool:
        choices = [
            Choice(self.texts("ui.yes"), value="yes"),
            Choice(self.texts("ui.no"), value="no"),
        ]
        question = questionary.select(
            _wrapped(message, indent=2),
            choices=choices,
            qmark=_QMARK,
            style=_STYLE,
            default="yes" if default else "no",
            instruction=_below(self.texts("ui.select_instruction")),
            **self.io,
        )
        # questionary's summary line breaks words at the edge: say the answer ourselves.
        question.application.erase_when_done = True
        chosen = _interruptible(question).unsafe_ask() == "yes"
        said = _wrapped(f"{message} {self.texts('ui.yes' if chosen else 'ui.no')}", indent=2)
        print_formatted_text(
            FormattedText([("bold", f"{_QMARK} {said}")]), output=self.io["output"]
        )
        return bool(chosen)


def _wrapped(title: str, *, indent: int) -> str:
    """Words folded at word boundaries to the terminal, since the prompt folds them
    anywhere; later lines indented by `indent`."""
    width = max(20, shutil.get_terminal_size().columns - indent - 1)
    return f"\n{' ' * indent}".join(fold(title, width)) or title


def _below(instruction: str) -> str:
    """An instruction on a line of its own under the question, folded like it."""
    return "\n  " + _wrapped(instruction, indent=2)


def _choice(choices: list[Choice | Separator], value: str | None) -> Choice | None:
    return next(
        (
            c
            for c in choices
            if isinstance(c, Choice) and c.value == value and not isinstance(c, Separator)
        ),
        None,
    )


def _nav(answer: object) -> str | Nav:
    if isinstance(answer, Nav):
        return answer
    return {_BACK: Nav.BACK, _HELP: Nav.HELP}.get(str(answer), str(answer))


def _ask(question: questionary.Question, *, checklist: bool = False, choosing: bool = False) -> Any:
    """Ask, with `?` for help, `<` for back and Ctrl-D to stop.

    On a checklist, help and back leave with what is ticked (Left), so that no tick is
    lost; and questionary's hidden keys that tick all (`a`) or invert (`i`) do nothing,
    so that every tick is one the person made.
    """
    keys = KeyBindings()
    application = question.application

    def leave(nav: Nav) -> object:
        if not checklist:
            return nav
        control = _inquirer_control(application)
        ticked = tuple(str(c.value) for c in control.get_selected_values()) if control else ()
        pointed = control.get_pointed_at() if control else None
        return Left(nav, ticked, None if pointed is None else str(pointed.value))

    if checklist or choosing:
        # A narrower or wider terminal: leave, so that the walk draws the prompt again with
        # its words folded to the new width (prompt_toolkit would cut them off).
        def resized() -> None:
            if not application.is_done:
                application.exit(result=leave(Nav.REDRAW))

        application._on_resize = resized  # type: ignore[method-assign]

    @keys.add("?", eager=True)
    def _help(event: KeyPressEvent) -> None:
        event.app.exit(result=leave(Nav.HELP))

    @keys.add("<", eager=True)
    def _back(event: KeyPressEvent) -> None:
        event.app.exit(result=leave(Nav.BACK))

    if choosing:

        @keys.add("enter", eager=True)
        def _choose(event: KeyPressEvent) -> None:
            """Enter takes the answer pointed at; on the line that is no answer, nothing."""
            control = _inquirer_control(application)
            pointed = control.get_pointed_at() if control else None
            if pointed is None or pointed.value == _NOTHING:
                return
            if control is not None:
                control.is_answered = True
            event.app.exit(result=pointed.value)

    if checklist:

        @keys.add("a", eager=True)
        @keys.add("i", eager=True)
        def _nothing(_event: KeyPressEvent) -> None:
            """No ticking all or inverting: each tick is chosen."""

    @keys.add("c-d", eager=True)
    def _stop(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError())

    application.key_bindings = merge_key_bindings([application.key_bindings or KeyBindings(), keys])
    return _interruptible(question).unsafe_ask()


def _interruptible(question: questionary.Question) -> questionary.Question:
    """The question, ended by a SIGINT signal (kill -INT, timeout -s INT, an IDE's stop
    button) as by the Ctrl-C key (prompt_toolkit turns the signal into a key that
    questionary's lists do not bind), and by Ctrl-C inside a paste that never ends."""
    keys = KeyBindings()

    @keys.add(Keys.SIGINT, eager=True)
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt())

    application = question.application
    application.key_bindings = merge_key_bindings([application.key_bindings or KeyBindings(), keys])
    _stoppable_paste(application.input)
    return question


_PASTE_STOPPER = "_triage_paste_stopper"


def _stoppable_paste(source: Input) -> None:
    """Let Ctrl-C end a paste that never ends: after a paste start (ESC [200~) without its
    end, prompt_toolkit's parser swallows every key, Ctrl-C included, until the end mark.
    A Ctrl-C in that state drops the unfinished paste (nothing of it is answered) and
    stops the walk as Ctrl-C does. The parser, shared by the prompts, is wrapped once."""
    parser = getattr(source, "vt100_parser", None)
    if parser is None or getattr(parser, _PASTE_STOPPER, False):
        return
    feed = parser.feed

    def feed_or_stop(data: str) -> None:
        if getattr(parser, "_in_bracketed_paste", False) and "\x03" in data:
            parser._in_bracketed_paste = False
            parser._paste_buffer = ""
            app = get_app_or_none()
            if app is not None and app.is_running and app.future and not app.future.done():
                app.exit(exception=KeyboardInterrupt())
            return
        feed(data)

    parser.feed = feed_or_stop
    setattr(parser, _PASTE_STOPPER, True)


def _inquirer_control(application: Application[Any]) -> InquirerControl | None:
    """The control that holds a list prompt's pointer and ticks."""
    for window in application.layout.find_all_windows():
        if isinstance(window.content, InquirerControl):
            return window.content
    return None
