"""Showing prompts with questionary: arrow keys, ticks, and keys for help and going back."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, NamedTuple

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
from triage.terminal.prompts import Age, Check, Left, Nav, Option, fold, numbered, parse_age

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
        """One of the options, chosen with the arrow keys and Enter or by typing its number.
        Without an earlier answer the pointer starts on a line that is no answer: Enter
        there records nothing and says how to choose."""
        numbers = _numbers(options)
        by_number = numbers is not None
        instruction = "ui.select_instruction" if by_number else "ui.select_instruction_arrows"
        nothing = "ui.select_nothing" if by_number else "ui.select_nothing_arrows"
        choices: list[Choice | Separator] = [
            _numbered(o.title, None if numbers is None else numbers[o.value], o.value)
            for o in options
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
            instruction=_below(self.texts(instruction)),
            style=_STYLE,
            **self.io,
        )
        # The walk echoes the answer itself, in whole words (questionary's own summary
        # line loses words when the answer wraps).
        question.application.erase_when_done = True
        choosing = Choosing(numbers or {}, self.texts(nothing))
        return _nav(_ask(question, choosing=choosing))

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
        options = [Option(self.texts("ui.yes"), "yes"), Option(self.texts("ui.no"), "no")]
        numbers = _numbers(options) or {}
        question = questionary.select(
            _wrapped(message, indent=2),
            choices=[_numbered(o.title, numbers[o.value], o.value) for o in options],
            qmark=_QMARK,
            style=_STYLE,
            default="yes" if default else "no",
            instruction=_below(self.texts("ui.select_instruction")),
            **self.io,
        )
        # questionary's summary line breaks words at the edge: say the answer ourselves.
        question.application.erase_when_done = True
        _choose_by_number(question, numbers)
        chosen = _interruptible(question).unsafe_ask() == "yes"
        said = _wrapped(f"{message} {self.texts('ui.yes' if chosen else 'ui.no')}", indent=2)
        print_formatted_text(
            FormattedText([("bold", f"{_QMARK} {said}")]), output=self.io["output"]
        )
        return bool(chosen)


class Choosing(NamedTuple):
    """A single-choice prompt's keys: each answer's number (a key that chooses it at
    once), and what Enter on the line that is no answer says."""

    numbers: Mapping[str, int]
    nothing: str


def _numbers(options: Sequence[Option]) -> dict[str, int] | None:
    """Each option's number (prompts.numbered, as plain mode shows it); None when they do
    not fit one key each (0-9, once each): then the arrow keys alone choose."""
    numbers = {option.value: number for number, option in numbered(options).items()}
    fits = len(numbers) == len(options) and all(n <= 9 for n in numbers.values())
    return numbers if fits else None


def _numbered(title: str, number: int | None, value: str) -> Choice:
    """A choice, its title after its number (folded under its first word)."""
    if number is None:
        return Choice(_wrapped(title, indent=3), value=value)
    return Choice(_wrapped(f"{number}. {title}", indent=6), value=value)


def _choose_by_number(question: questionary.Question, numbers: Mapping[str, int]) -> None:
    """Let typing an answer's number choose it at once."""
    keys = KeyBindings()
    application = question.application

    def choose(value: str) -> Callable[[KeyPressEvent], None]:
        def chosen(event: KeyPressEvent) -> None:
            control = _inquirer_control(application)
            if control is not None:
                control.is_answered = True
            event.app.exit(result=value)

        return chosen

    for value, number in numbers.items():
        keys.add(str(number), eager=True)(choose(value))
    application.key_bindings = merge_key_bindings([application.key_bindings or KeyBindings(), keys])


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


def _ask(
    question: questionary.Question, *, checklist: bool = False, choosing: Choosing | None = None
) -> Any:
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

    if checklist or choosing is not None:
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

    if choosing is not None:

        @keys.add("enter", eager=True)
        def _choose(event: KeyPressEvent) -> None:
            """Enter takes the answer pointed at; on the line that is no answer, that line
            says how to choose."""
            control = _inquirer_control(application)
            pointed = control.get_pointed_at() if control else None
            if pointed is None or pointed.value == _NOTHING:
                if pointed is not None:
                    pointed.title = [("bold", choosing.nothing)]
                return
            if control is not None:
                control.is_answered = True
            event.app.exit(result=pointed.value)

        _choose_by_number(question, choosing.numbers)

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
