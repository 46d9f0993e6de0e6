"""The interactive walk: welcome, the questions screen by screen, the advice, saving."""

from __future__ import annotations

import datetime as dt
import errno
import json
import shlex
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from rich.console import Console, Group
from rich.text import Text

from triage.answers import ASSESSED_ON
from triage.errors import Status, visible
from triage.evaluate import evaluate, voiced_texts
from triage.files import NotRegularFile, refuse_special, write_atomically
from triage.flow import Screen, part, screens_ahead
from triage.formats.advice import AdviceDocument, advice_document
from triage.formats.handover import to_markdown
from triage.model import UNKNOWN, Assessment, Disposition, Ruleset, Texts, Value
from triage.terminal import render
from triage.terminal.prompts import (
    NONE_OF_THESE,
    UNSURE,
    Asker,
    Left,
    Nav,
    Option,
    Terminated,
    age_words,
    fold,
)

MAX_LINES = 8
"""The most lines a tick list shows at once (design: heading, hints and the last two lines
stay on an 80x24 screen)."""


class Interview:
    """Asks the questions of the walk, screen by screen, with help and a way back.

    `echo`: say each answer after it is given (the arrow-key prompts erase themselves;
    plain prompts say it themselves). `size`: the terminal's columns and rows, asked each
    time (a tick list longer than fits is shown in pages, each under the same heading).
    """

    def __init__(
        self,
        ruleset: Ruleset,
        texts: Texts,
        asker: Asker,
        console: Console,
        *,
        echo: bool = False,
        size: Callable[[], tuple[int, int]] | None = None,
    ) -> None:
        self.ruleset = ruleset
        self.questionnaire = ruleset.questionnaire
        self.plain_texts = texts
        self.asker = asker
        self.console = console
        self.echo = echo
        self.size = size
        self.answers: dict[str, Value] = {}
        self.memory: dict[str, Value] = {}
        self.history: list[Screen] = []
        self.drafts: dict[tuple[str, ...], tuple[str, ...]] = {}
        """What was ticked on a checklist the person left with help or back."""
        self.pointed: dict[tuple[str, ...], str | None] = {}
        """Where the cursor was on a checklist the person left with help."""
        self.carried: set[str] = set()
        """The lines ticked on a tick list that a new terminal size cut into other pages."""
        self.drawn: list[_Line] = []
        """The heading on the screen when the terminal's size changed (drawn again only
        when it folds differently)."""
        self.hinting: str | None = None
        """The part whose heading on the screen holds the help hint."""
        self.hinted: set[str] = set()
        """The parts whose first screen said how to get help and go back."""
        self.months: int | None = None
        """The age in months, when it was typed in months."""
        self.unsure_after_stop: tuple[str, ...] = ()
        """The emergency lines left open by a tick with "I am not sure": asked after the
        advice (contract: nothing stands between the tick and the 112 advice)."""

    def run(self) -> dict[str, Value]:
        """Every answer the walk reaches."""
        while ahead := screens_ahead(self.ruleset, self.answers):
            screen = self._page(ahead[0])
            given = self._ask(screen, ahead[0])
            if given is Nav.REDRAW:  # a tick list cut into pages again for the new size
                continue
            if given is Nav.BACK:
                self._back()
            elif isinstance(given, dict):
                self.answers.update(given)
                self.memory.update(given)
                self.history.append(screen)
        return self.answers

    @property
    def texts(self) -> Texts:
        """The texts, worded for whoever answers once the walk knows who that is."""
        voice = self.questionnaire.voice
        return self.plain_texts.voiced(self.answers.get(voice) if voice else None)

    def _back(self) -> None:
        if self.history:
            for question_id in self.history.pop().questions:
                self.answers.pop(question_id, None)

    def _columns_rows(self) -> tuple[int, int]:
        if self.size is None:  # plain mode: the width to fold to, no screen height to fit
            return shutil.get_terminal_size((80, 24)).columns, 10_000
        return self.size()

    def _page(self, screen: Screen) -> Screen:
        """The first page of a tick list: at most MAX_LINES lines, and only as many as fit
        the terminal with the heading, the prompt and the last two lines."""
        if not screen.checklist or len(screen.questions) <= 1:
            return screen
        columns, rows = self._columns_rows()
        width = columns - 1
        texts = self.texts
        # blank, progress, title, help (up to 3), prompt, instruction, the two last lines,
        # and a free row for a message.
        used = 6 + len(fold(self._prompt(screen, more=True), width - 2)) + 1 + 2 + 1
        fit = 0
        for question_id in screen.questions[:MAX_LINES]:
            used += len(fold(texts(f"question.{question_id}.text"), width - 5))
            if fit and used > rows:
                break
            fit += 1
        # Pages of even length (18 lines: 6, 6, 6; 9 lines: 5, 4).
        pages = -(-len(screen.questions) // fit)
        return screen._replace(questions=screen.questions[: -(-len(screen.questions) // pages)])

    def _heading(self, screen: Screen, help_text: str | None, hint: bool) -> list[_Line]:
        """The part of the walk (never going back unless the person does), the screen's
        title, and either the line under the cursor explained or, with `hint`, how to get
        help and go back: its lines, folded to the terminal, after a blank line."""
        texts = self.texts
        number, total = part(self.ruleset, screen.group)
        title = texts(f"group.{screen.group}.title")
        progress = texts("ui.screens.progress", n=number, total=total, part=title)
        bar = "\N{BLACK SQUARE}" * number + "\N{WHITE SQUARE}" * (total - number)
        lines = [("", ""), *self._folded(f"{progress}  {bar}" if self.size else progress, "bold")]
        if screen.screen is not None:
            lines += self._folded(texts(f"screen.{screen.screen}.title"), "bold")
        if help_text:
            lines += self._folded(f"{texts('ui.why_label')} {help_text}", "italic", indent=2)
        elif hint:
            lines += self._folded(texts("ui.help_hint"), "dim")
        return lines

    def _folded(self, text: str, style: str = "", *, indent: int = 0) -> list[_Line]:
        """A text folded between words to the terminal (never to its last column)."""
        width = self._columns_rows()[0] - 1
        return [(line, style) for line in fold(text, width, indent)]

    def _say(self, text: str, style: str = "", *, indent: int = 0) -> None:
        """A text folded between words to the terminal, shown."""
        self._show(self._folded(text, style, indent=indent))

    def _show(self, lines: list[_Line]) -> None:
        for line, style in lines:
            self.console.print(Text(line, style=style), soft_wrap=True)

    def _erase(self, lines: int) -> None:
        """Take back the last `lines` lines drawn (a heading folded again for a new width),
        so that a resize leaves no second copy of it. Arrow mode only; a terminal that
        folded those lines again itself keeps what is above them."""
        if lines and self.size is not None and self.console.is_terminal:
            self.console.file.write(f"\x1b[{lines}F\x1b[J")
            self.console.file.flush()

    def _ask(self, screen: Screen, whole: Screen) -> Mapping[str, Value] | Nav:
        """The answers of a screen (a page of `whole`), or where the person goes instead."""
        help_text: str | None = None
        hint = screen.group not in self.hinted or self.hinting == screen.group
        self.hinted.add(screen.group)
        while True:
            _fit(self.console, self._columns_rows()[0])
            heading = self._heading(screen, help_text, hint)
            if heading != self.drawn:  # new, or folded differently at the new width
                self._erase(len(self.drawn))
                self._show(heading)
            self.drawn, self.hinting = heading, screen.group if hint else None
            more = len(screen.questions) < len(whole.questions)
            given = self._checklist(screen, more) if screen.checklist else self._single(screen)
            if given is Nav.REDRAW:
                if self._page(whole) != screen:  # cut again: fewer lines fit, or more
                    self._carry(screen.questions)
                    return given
                continue
            self.drawn, self.hinting, hint = [], None, False
            if given is not Nav.HELP:
                return given
            help_text = self._why(screen)

    def _why(self, screen: Screen) -> str:
        """What `?` says: why the line under the cursor is asked, else why the screen is."""
        texts = self.texts
        pointed = self.pointed.get(screen.questions) if screen.checklist else None
        question_id = pointed if pointed in screen.questions else None
        if not screen.checklist:
            question_id = screen.questions[0]
        if question_id is not None:
            why = texts(f"question.{question_id}.why")
            if screen.checklist:
                why = f"{texts(f'question.{question_id}.short')}: {why}"
            return why
        if screen.screen is not None and texts.has(f"screen.{screen.screen}.help"):
            return texts(f"screen.{screen.screen}.help")
        if self.size is None:  # plain mode: "? 3" explains line 3
            return texts("ui.screens.help_on_line_plain")
        return texts("ui.screens.help_on_line")

    def _single(self, screen: Screen) -> Mapping[str, Value] | Nav:
        question = self.questionnaire.question(screen.questions[0])
        message = self.texts(f"question.{question.id}.text")
        previous = self.memory.get(question.id)
        kind = question.kind
        answer: Value | Nav
        if kind.id == "age":
            return self._age(question.id, message, previous)
        if kind.is_number:
            default = previous if isinstance(previous, int) else None
            answer = self.asker.number(message, kind.minimum, kind.maximum, default)
            shown = str(answer)
        else:
            options = [Option(self.texts(f"value.{kind.id}.{v}"), v) for v in kind.values]
            answer = self.asker.select(message, options, str(previous) if previous else None)
            shown = self.texts(f"value.{kind.id}.{answer}") if not isinstance(answer, Nav) else ""
        if isinstance(answer, Nav):
            return answer
        self._echo(self.texts(f"question.{question.id}.short"), shown)
        return {question.id: answer}

    def _age(
        self, question_id: str, message: str, previous: Value | None
    ) -> Mapping[str, Value] | Nav:
        """The age in years (or months under 2), asked again when it does not fit who
        answers: a parent answers for a child under 18, a helper for an adult."""
        maximum = self.questionnaire.question(question_id).kind.maximum
        default = previous if isinstance(previous, int) else None
        while True:
            age = self.asker.age(message, maximum, default)
            if isinstance(age, Nav):
                return age
            self._echo(self.texts(f"question.{question_id}.short"), age_words(age, self.texts))
            voice = self.questionnaire.voice
            who = self.answers.get(voice) if voice else None
            problem = None
            if who == "child" and age.years >= 18:
                problem = "ui.screens.age_adult_for_parent"
            elif who == "other" and age.years < 18:
                problem = "ui.screens.age_too_young_for_helper"
            if problem is None:
                self.months = age.months
                return {question_id: age.years}
            self._say(self.texts(problem, age=age.years), "bold")
            default = None

    def _echo(self, label: str, answer: str) -> None:
        """The answer said once, in whole words (arrow mode: the prompt erased itself)."""
        if self.echo:
            self._say(f"{ECHO} {label.rstrip('?:')}: {answer}", indent=2)

    def _prompt(self, screen: Screen, *, more: bool = False) -> str:
        """A tick list's question; with `more`, that its page is not the last."""
        intro = self.texts(f"group.{screen.group}.intro") or self.texts("ui.group_prompt")
        prompt = f"{intro} {self.texts('ui.unticked_no')}"
        return f"{prompt} {self.texts('ui.more_lines')}" if more else prompt

    def _checklist(self, screen: Screen, more: bool = False) -> Mapping[str, Value] | Nav:
        """Tick what is true; unticked lines count as no only once the person chose
        "None of these", a sign, or "I am not sure" (nothing ticked is no answer)."""
        ids = screen.questions
        message = self._prompt(screen, more=more)
        options = [
            Option(self.texts(f"question.{q}.text"), q, short=self.texts(f"question.{q}.short"))
            for q in ids
        ]
        # On a page with more after it, "None of these" is of this page only: it says so.
        none = "ui.none_of_these_here" if more else "ui.none_of_these"
        options += [
            Option(self.texts(none), NONE_OF_THESE),
            Option(self.texts("ui.unsure_option"), UNSURE),
        ]
        while True:
            picked = self.asker.checklist(
                message, options, self._ticked(ids), self._first_check, self.pointed.get(ids)
            )
            if isinstance(picked, Left):
                self.drafts[ids] = picked.ticked
                self.pointed[ids] = picked.pointed
                return picked.nav
            given: dict[str, Value] = {q: "yes" if q in picked else "no" for q in ids}
            group = next(g for g in self.questionnaire.groups if g.id == screen.group)
            stops = group.stop_on is not None and group.stop_on in given.values()
            rest = [q for q in ids if given[q] == "no"]
            if UNSURE in picked and rest and stops:
                # Nothing stands between the tick and the advice; the lines left open get
                # no answer (never no) and are asked about after the advice.
                given = {q: value for q, value in given.items() if value != "no"}
                self.unsure_after_stop = tuple(rest)
            elif UNSURE in picked and rest:
                unsure = self._unsure(rest, ids)
                if unsure is None:  # back from the follow-up: to the first list, as ticked
                    self.drafts[ids] = tuple(picked)
                    continue
                given.update(dict.fromkeys(unsure, UNKNOWN))
            self.drafts.pop(ids, None)
            self.carried.difference_update(ids)
            self._echo_ticks(screen, options, picked)
            return given

    def _echo_ticks(self, screen: Screen, options: Sequence[Option], picked: Sequence[str]) -> None:
        """The ticks in one row: their short labels, or how many when they do not fit."""
        title = (
            self.texts(f"screen.{screen.screen}.title")
            if screen.screen
            else self.texts(f"group.{screen.group}.title")
        )
        shorts = [o.short or o.title for o in options if o.value in picked]
        said = "; ".join(shorts)
        width = self._columns_rows()[0] - 1
        if len(shorts) > 1 and len(f"{ECHO} {title}: {said}") > width:
            said = self.texts("ui.screens.echo_ticked", count=len(shorts))
        self._echo(title, said)

    def _carry(self, ids: tuple[str, ...]) -> None:
        """Keep the lines ticked on a page that is cut again (a new terminal size), for
        whichever page shows them. "None of these" and "I am not sure" are not kept:
        they were said of the lines of that page."""
        self.pointed.pop(ids, None)
        self.carried.update(q for q in self.drafts.pop(ids, ()) if q in ids)

    def _ticked(self, ids: tuple[str, ...]) -> list[str]:
        """What a checklist shows ticked: the ticks left there, else those carried from a
        page cut again, else the earlier answers."""
        if ids in self.drafts:
            return list(self.drafts[ids])
        if carried := [q for q in ids if q in self.carried]:
            return carried
        answered = [self.memory[q] for q in ids if q in self.memory]
        ticked = [q for q in ids if self.memory.get(q) == "yes"]
        if UNKNOWN in answered:
            ticked.append(UNSURE)
        elif answered and len(answered) == len(ids) and not ticked:
            ticked.append(NONE_OF_THESE)
        return ticked

    def _first_check(self, picked: Sequence[str]) -> str | None:
        if not picked:
            return self.texts("ui.choose_one")
        if NONE_OF_THESE in picked and len(picked) > 1:
            return self.texts("ui.none_alone")
        return None

    def _unsure_check(self, picked: Sequence[str]) -> str | None:
        return None if picked else self.texts("ui.choose_unsure")

    def _unsure(self, rest: list[str], ids: tuple[str, ...]) -> list[str] | None:
        """Which of the lines left unticked the person is not sure about (in plain mode
        with the numbers of the first list); None when they go back to the first list."""
        options = [Option(self.texts(f"question.{q}.text"), q, ids.index(q) + 1) for q in rest]
        ticked = [q for q in rest if self.memory.get(q) == UNKNOWN]
        pointed: str | None = None
        while True:
            picked = self.asker.checklist(
                self.texts("ui.unsure_prompt"),
                options,
                ticked,
                self._unsure_check,
                pointed,
                unsure=True,
            )
            if not isinstance(picked, Left):
                return picked
            if picked.nav is Nav.BACK:
                return None
            ticked, pointed = list(picked.ticked), picked.pointed
            if picked.nav is Nav.HELP:
                shown = Screen("", tuple(rest), checklist=True)
                self.pointed[shown.questions] = pointed
                self._say(self._why(shown), "italic", indent=2)

    def unsure_after_advice(self) -> dict[str, Value]:
        """After a 112 stop with "I am not sure": which open lines the person was not sure
        about (may be skipped: then none). The lines marked: unknown."""
        rest = list(self.unsure_after_stop)
        if not rest:
            return {}
        options = [Option(self.texts(f"question.{q}.text"), q) for q in rest]
        picked = self.asker.checklist(
            self.texts("ui.screens.unsure_after_112"),
            options,
            [],
            lambda _picked: None,
            unsure=True,
        )
        if isinstance(picked, Left):
            return {}
        return dict.fromkeys((q for q in rest if q in picked), UNKNOWN)


ECHO = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"


def run_walk(
    ruleset: Ruleset,
    texts: Texts,
    asker: Asker,
    console: Console,
    *,
    plain: bool = False,
    today: dt.date | None = None,
    size: Callable[[], tuple[int, int]] | None = None,
) -> int:
    """The whole interactive session; the exit status. `size` gives the terminal's
    columns and rows (arrow mode; None: the terminal's own)."""
    saved: list[Path] = []
    try:
        screen_size = None if plain else (size or _terminal_size)
        _fit(console, (screen_size or _terminal_size)()[0])
        _welcome(texts, console, plain=plain)
        interview = Interview(ruleset, texts, asker, console, echo=not plain, size=screen_size)
        answers = interview.run()
        assessment = evaluate(answers, ruleset, language=texts.language, today=today)
        document = advice_document(assessment, ruleset, months=interview.months)
        _fit(console, (screen_size or _terminal_size)()[0])
        console.print()
        if assessment.not_asked:
            early = voiced_texts(ruleset, texts.language, answers)("ui.screens.early_stop")
            console.print(Text(early))
        _show_advice(document, console, plain=plain, rows=screen_size()[1] if screen_size else 0)
        if assessment.disposition is Disposition.CALL_112:
            # Nothing before the call; then the open "not sure" lines, then saving.
            if not asker.confirm(texts("ui.screens.call_112_first"), default=True):
                return Status.DONE
            marked = interview.unsure_after_advice()
            if marked:
                answers = {**answers, **marked}
                assessment = evaluate(answers, ruleset, language=texts.language, today=today)
            if interview.unsure_after_stop:  # the headline again, above the save question
                console.print(render.brief_headline(document.brief, document.advice, plain=plain))
        unsure = tuple(q for q in interview.unsure_after_stop if q in assessment.not_asked)
        _offer_saves(assessment, ruleset, asker, console, saved, unsure)
    except (KeyboardInterrupt, EOFError, Terminated) as stop:
        console.print()
        if saved:
            paths = ", ".join(str(p) for p in saved)
            console.print(Text(texts("ui.interrupted_saved", paths=paths)), soft_wrap=True)
        else:
            console.print(texts("ui.interrupted"))
        return stop.status if isinstance(stop, Terminated) else Status.INTERRUPTED
    return Status.DONE


_Line = tuple[str, str]
"""A line of text, and its style."""


def _fit(console: Console, columns: int) -> None:
    """Draw to one column less than the terminal has: a line as wide as the terminal
    makes some terminals wrap it, and a screen reader reads a broken word."""
    console.width = max(columns - 1, render.MIN_WIDTH)


def _terminal_size() -> tuple[int, int]:
    size = shutil.get_terminal_size()
    return size.columns, size.lines


def _show_advice(document: AdviceDocument, console: Console, *, plain: bool, rows: int) -> None:
    """The advice: in arrow mode the full text and then the short version, which fits the
    last screen with the save question; in plain mode the short version first."""
    texts_full = render.advice(document, plain=plain)
    if plain:
        console.print(render.brief(document.brief, document.advice, plain=True))
        console.print()
        console.print(document.brief.full_follows)
        console.print(texts_full)
        console.print(render.headline(document, plain=True))
        return
    console.print(texts_full)
    budget = rows - 5 if rows else 10_000  # the save question: prompt, hint, two answers
    for signs in (3, 2, 1, 0):
        short = render.brief(document.brief, document.advice, signs=signs)
        lines = console.render_lines(Group(short, Text(document.brief.scroll_up)), pad=False)
        if len(lines) <= budget or signs == 0:
            break
    console.print(short)
    console.print(Text(document.brief.scroll_up, style="dim"))


def _welcome(texts: Texts, console: Console, *, plain: bool) -> None:
    body = Text.assemble(texts("ui.welcome"), "\n\n", (texts("ui.disclaimer"), "bold"))
    console.print(render.titled(body, texts("ui.title"), plain=plain))


def _offer_saves(
    assessment: Assessment,
    ruleset: Ruleset,
    asker: Asker,
    console: Console,
    saved: list[Path],
    unsure: tuple[str, ...] = (),
) -> None:
    """Offer the summary and the answers as files; `saved` gets every file written. When
    the advice asks the person to take the summary along, saving it is the default."""
    texts = voiced_texts(ruleset, assessment.language, assessment.answers)
    stamp = assessment.date.isoformat()
    take = advice_document(assessment, ruleset).take_summary
    question = texts("ui.screens.save_advice") if take else texts("ui.save_report")
    if asker.confirm(question, default=take):
        summary = to_markdown(assessment, ruleset, at=dt.datetime.now(), unsure=unsure)
        name = texts("ui.save_report_name", date=stamp)
        written = _save(lambda _path: summary, name, texts, asker, console)
        saved += [written] if written else []
        if written and take:
            console.print(Text(texts("ui.screens.saved_take"), style="bold"), soft_wrap=True)
    if asker.confirm(texts("ui.save_answers"), default=False):
        answers = {ASSESSED_ON: stamp, **assessment.answers}
        name = texts("ui.save_answers_name", date=stamp)
        written = _save(lambda path: answers_file(answers, path), name, texts, asker, console)
        if written:
            saved.append(written)
            # The command on a line of its own, the path quoted, so that it can be copied
            # whole (a long path wraps at the screen's edge only: soft wrap); in the walk's
            # language, which the answers file does not hold.
            path = shlex.quote(str(written))
            command = f"{_program()} assess --answers {path} --lang {assessment.language}"
            console.print(Text(texts("ui.saved_answers_hint")), soft_wrap=True)
            console.print(Text("  " + visible(command)), soft_wrap=True)


def _program() -> str:
    """The command as the person started it (such as .venv/bin/triage), so that the rerun
    hint works where they are; `triage` when it was started some other way."""
    started = sys.argv[0] if sys.argv else ""
    return shlex.quote(started) if Path(started).name == "triage" else "triage"


def answers_file(answers: Mapping[str, object], path: Path) -> str:
    """The saved answers as a file `triage assess --answers` reads: TOML for a .toml name,
    JSON otherwise."""
    if path.suffix.lower() == ".toml":
        import tomli_w

        return tomli_w.dumps(dict(answers))
    return json.dumps(dict(answers), indent=2) + "\n"


def _save(
    content: Callable[[Path], str], default: str, texts: Texts, asker: Asker, console: Console
) -> Path | None:
    """Ask for a file name until the file is written (its path) or the person gives none."""
    while True:
        name = asker.text(texts("ui.save_where"), default).strip()
        if not name:
            console.print(texts("ui.not_saved"))
            return None
        try:
            path = Path(name).expanduser()
            refuse_special(path)  # never ask to replace a device, a pipe or a socket
            replace = path.exists()
            if replace and not asker.confirm(
                texts("ui.save_exists", path=visible(str(path))), default=False
            ):
                continue
            written = write_atomically(path, content(path), replace=replace)
        except (ValueError, RuntimeError):  # a NUL in the name, ~user unknown
            problem = texts("ui.save_bad_name", name=visible(name))
        except OSError as error:
            problem = _file_problem(Path(name), error, texts)
        else:
            saved = texts("ui.saved", path=visible(str(written)))
            console.print(Text(saved, style="bold"), soft_wrap=True)
            return written
        console.print(Text(problem, style="bold"), soft_wrap=True)


def _file_problem(typed: Path, error: OSError, texts: Texts) -> str:
    """What went wrong with a file, in plain words (the name as typed, its control
    characters shown as escapes)."""
    path = Path(visible(str(typed)))
    if isinstance(error, FileNotFoundError) and typed.expanduser().parent.is_dir():
        reason = error.strerror or type(error).__name__  # /proc/version: not a missing folder
        return texts("ui.save_failed", path=path, reason=reason)
    if isinstance(error, IsADirectoryError):
        return texts("ui.save_is_folder", path=path)
    if isinstance(error, NotRegularFile):
        return texts("ui.save_not_a_file", path=path)
    if isinstance(error, FileNotFoundError):
        return texts("ui.save_no_folder", folder=path.parent)
    if isinstance(error, PermissionError):
        return texts("ui.save_not_allowed", path=path)
    if error.errno == errno.ENAMETOOLONG:
        return texts("ui.save_name_too_long")
    if error.errno == errno.ENOSPC:
        return texts("ui.save_disk_full")
    return texts("ui.save_failed", path=path, reason=error.strerror or type(error).__name__)
