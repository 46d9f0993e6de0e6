"""The interactive walk: welcome, the questions screen by screen, the advice, saving."""

from __future__ import annotations

import datetime as dt
import errno
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from triage.answers import ASSESSED_ON
from triage.errors import Status, visible
from triage.evaluate import evaluate, voiced_texts
from triage.files import NotRegularFile, refuse_special, write_atomically
from triage.flow import Screen, screens_ahead
from triage.formats.advice import advice_document
from triage.formats.handover import to_markdown
from triage.model import UNKNOWN, Assessment, Ruleset, Texts, Value
from triage.terminal import render
from triage.terminal.prompts import NONE_OF_THESE, Asker, Left, Nav, Option, Terminated

UNSURE = "\0unsure"


class Interview:
    """Asks the questions of the walk, screen by screen, with help and a way back."""

    def __init__(self, ruleset: Ruleset, texts: Texts, asker: Asker, console: Console) -> None:
        self.ruleset = ruleset
        self.questionnaire = ruleset.questionnaire
        self.plain_texts = texts
        self.asker = asker
        self.console = console
        self.answers: dict[str, Value] = {}
        self.memory: dict[str, Value] = {}
        self.history: list[Screen] = []
        self.drafts: dict[tuple[str, ...], tuple[str, ...]] = {}
        """What was ticked on a checklist the person left with help or back."""

    def run(self) -> dict[str, Value]:
        """Every answer the walk reaches."""
        while ahead := screens_ahead(self.ruleset, self.answers):
            screen = ahead[0]
            self._header(screen, len(ahead))
            given = self._ask(screen)
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

    def _header(self, screen: Screen, ahead: int) -> None:
        number = len(self.history) + 1
        total = number + ahead - 1
        progress = self.texts("ui.progress", n=number, total=total)
        self.console.print()
        self.console.print(
            Text.assemble(
                (self.texts(f"group.{screen.group}.title"), "bold"), "  ", (progress, "dim")
            )
        )
        self.console.print(Text(self.texts("ui.help_hint"), style="dim"))

    def _ask(self, screen: Screen) -> Mapping[str, Value] | Nav:
        while True:
            given = self._checklist(screen) if screen.checklist else self._single(screen)
            if given is not Nav.HELP:
                return given
            self._why(screen)

    def _why(self, screen: Screen) -> None:
        self.console.print(Text(self.texts("ui.why_label"), style="bold"))
        for question_id in screen.questions:
            why = self.texts(f"question.{question_id}.why")
            if screen.checklist:
                why = f"{self.texts(f'question.{question_id}.short')}: {why}"
            self.console.print(Padding(Text(why), (0, 0, 0, 2)))

    def _single(self, screen: Screen) -> Mapping[str, Value] | Nav:
        question = self.questionnaire.question(screen.questions[0])
        message = self.texts(f"question.{question.id}.text")
        previous = self.memory.get(question.id)
        kind = question.kind
        answer: Value | Nav
        if kind.is_number:
            default = previous if isinstance(previous, int) else None
            answer = self.asker.number(message, kind.minimum, kind.maximum, default)
        else:
            options = [Option(self.texts(f"value.{kind.id}.{v}"), v) for v in kind.values]
            answer = self.asker.select(message, options, str(previous) if previous else None)
        return answer if isinstance(answer, Nav) else {question.id: answer}

    def _checklist(self, screen: Screen) -> Mapping[str, Value] | Nav:
        """Tick what is true; unticked lines count as no only once the person chose
        "None of these", a sign, or "I am not sure" (nothing ticked is no answer)."""
        ids = screen.questions
        intro = self.texts(f"group.{screen.group}.intro") or self.texts("ui.group_prompt")
        message = f"{intro} {self.texts('ui.unticked_no')}"
        options = [Option(self.texts(f"question.{q}.text"), q) for q in ids]
        options += [
            Option(self.texts("ui.none_of_these"), NONE_OF_THESE),
            Option(self.texts("ui.unsure_option"), UNSURE),
        ]
        while True:
            picked = self.asker.checklist(message, options, self._ticked(ids), self._first_check)
            if isinstance(picked, Left):
                self.drafts[ids] = picked.ticked
                return picked.nav
            given: dict[str, Value] = {q: "yes" if q in picked else "no" for q in ids}
            group = next(g for g in self.questionnaire.groups if g.id == screen.group)
            stops = group.stop_on is not None and group.stop_on in given.values()
            rest = [q for q in ids if given[q] == "no"]
            if UNSURE in picked and rest and not stops:
                unsure = self._unsure(rest, ids)
                if unsure is None:  # back from the follow-up: to the first list, as ticked
                    self.drafts[ids] = tuple(picked)
                    continue
                given.update(dict.fromkeys(unsure, UNKNOWN))
            self.drafts.pop(ids, None)
            return given

    def _ticked(self, ids: tuple[str, ...]) -> list[str]:
        """What a checklist shows ticked: the ticks left there, else the earlier answers."""
        if ids in self.drafts:
            return list(self.drafts[ids])
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
        while True:
            picked = self.asker.checklist(
                self.texts("ui.unsure_prompt"), options, ticked, self._unsure_check
            )
            if not isinstance(picked, Left):
                return picked
            if picked.nav is Nav.BACK:
                return None
            ticked = list(picked.ticked)
            self._why(Screen("", tuple(rest), checklist=True))


def run_walk(
    ruleset: Ruleset,
    texts: Texts,
    asker: Asker,
    console: Console,
    *,
    plain: bool = False,
    today: dt.date | None = None,
) -> int:
    """The whole interactive session; the exit status."""
    saved: list[Path] = []
    try:
        _welcome(texts, console, plain=plain)
        answers = Interview(ruleset, texts, asker, console).run()
        assessment = evaluate(answers, ruleset, language=texts.language, today=today)
        document = advice_document(assessment, ruleset)
        console.print()
        console.print(render.advice(document, plain=plain))
        # The headline again, so that it is on the screen when the walk asks about saving.
        console.print(render.headline(document, plain=plain))
        _offer_saves(assessment, ruleset, asker, console, saved)
    except (KeyboardInterrupt, EOFError, Terminated) as stop:
        console.print()
        if saved:
            paths = ", ".join(str(p) for p in saved)
            console.print(Text(texts("ui.interrupted_saved", paths=paths)), soft_wrap=True)
        else:
            console.print(texts("ui.interrupted"))
        return stop.status if isinstance(stop, Terminated) else Status.INTERRUPTED
    return Status.DONE


def _welcome(texts: Texts, console: Console, *, plain: bool) -> None:
    body = Text.assemble(texts("ui.welcome"), "\n\n", (texts("ui.disclaimer"), "bold"))
    console.print(render.titled(body, texts("ui.title"), plain=plain))


def _offer_saves(
    assessment: Assessment, ruleset: Ruleset, asker: Asker, console: Console, saved: list[Path]
) -> None:
    """Offer the summary and the answers as files; `saved` gets every file written."""
    texts = voiced_texts(ruleset, assessment.language, assessment.answers)
    stamp = assessment.date.isoformat()
    if asker.confirm(texts("ui.save_report"), default=False):
        summary = to_markdown(assessment, ruleset, at=dt.datetime.now())
        name = texts("ui.save_report_name", date=stamp)
        written = _save(lambda _path: summary, name, texts, asker, console)
        saved += [written] if written else []
    if asker.confirm(texts("ui.save_answers"), default=False):
        answers = {ASSESSED_ON: stamp, **assessment.answers}
        name = texts("ui.save_answers_name", date=stamp)
        written = _save(lambda path: answers_file(answers, path), name, texts, asker, console)
        if written:
            saved.append(written)
            hint = texts("ui.saved_answers_hint", path=written)
            console.print(Text(hint), soft_wrap=True)


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
