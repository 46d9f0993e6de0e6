"""A person at a terminal, for the screen tests: the whole program in a pseudo-terminal,
its output drawn on a terminal emulator (pyte), each screen read and answered as a person
with a given story would answer it.

A persona is a story in the contract's ids (`{"respondent": "child", "age": "9 months",
"limp": "yes"}`): a yes/no line not named counts as no, a choice not named takes its first
answer. The driver finds on the screen which question or lines are shown (by their texts in
the data), so that the tests survive a change of the questions.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import pexpect
import pyte

from tests.children import spawn
from tests.keys import DOWN, ENTER, SPACE
from triage.model import Language, Ruleset, Texts

Story = Mapping[str, object]


@dataclass
class Snapshot:
    """One screen as the person saw it when the program waited for them."""

    kind: str  # checklist, select, age, save, other
    rows: list[str]
    part: int | None

    @property
    def text(self) -> str:
        return "\n".join(self.rows)


@dataclass
class Session:
    """The program in a pseudo-terminal of `columns` x `lines`, drawn by pyte."""

    ruleset: Ruleset
    language: Language
    columns: int
    lines: int
    plain: bool = False
    snapshots: list[Snapshot] = field(default_factory=list)
    raw: str = ""

    def __post_init__(self) -> None:
        self.screen = pyte.Screen(self.columns, self.lines)
        self.stream = pyte.Stream(self.screen)
        env = {
            **os.environ,
            "LANG": "nl_NL.UTF-8" if self.language is Language.NL else "en_GB.UTF-8",
            "LC_ALL": "",
            "LC_MESSAGES": "",
            "TERM": "xterm-256color",
            "PROMPT_TOOLKIT_NO_CPR": "1",
            "COLUMNS": "",
            "LINES": "",
        }
        env.pop("NO_COLOR", None)
        args = ["-m", "triage", *(["--plain"] if self.plain else [])]
        self.child = spawn(
            sys.executable,
            args,
            env=env,
            encoding="utf-8",
            dimensions=(self.lines, self.columns),
            timeout=30,
        )
        self.child.delaybeforesend = None  # the driver waits for each screen instead

    # --- reading the screen -------------------------------------------------------------

    def _pump(self) -> None:
        """Read what the program wrote so far (waiting up to the timeout for something)."""
        chunk = self.child.read_nonblocking(65536, timeout=self.child.timeout)
        self.raw += chunk
        self.stream.feed(chunk.replace("\n", "\r\n") if self.plain else chunk)

    def rows(self) -> list[str]:
        return list(self.screen.display)

    def wait_for(self, ready: re.Pattern[str]) -> str:
        """Read until the screen (arrow mode) or the output (plain) matches `ready`."""
        while True:
            seen = self.raw if self.plain else "\n".join(self.rows())
            if ready.search(_flat(seen[-6000:] if self.plain else seen)):
                return seen
            self._pump()

    def send(self, keys: str) -> None:
        if self.plain:
            self.raw_mark = len(self.raw)
        self.child.send(keys)

    def close(self) -> int:
        self.child.expect(pexpect.EOF)
        self.raw += self.child.before or ""
        self.child.close()
        return int(self.child.exitstatus or 0)


def _flat(text: str) -> str:
    """Text with every run of white space one space: a wrapped text reads as written."""
    return " ".join(text.split())


def part_of(text: str, texts: Texts) -> int | None:
    """The last part number the screen shows ("Part 3 of 5")."""
    template = texts("ui.screens.progress")
    pattern = re.escape(template.split("{n}")[0]) + r"(\d+)"
    found = re.findall(pattern, _flat(text))
    return int(found[-1]) if found else None


def full_rows(rows: list[str]) -> Iterator[tuple[int, str]]:
    """Rows whose last column holds a letter or a digit: the terminal broke the line there,
    in the middle of a word or right after one (the program wraps at the width minus 1).
    Box borders may fill the width."""
    for number, row in enumerate(rows):
        if row and row[-1].isalnum():
            yield number, row


_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def _stripped(raw: str) -> str:
    return _ESCAPE.sub("", raw)


@dataclass
class Person:
    """Answers each screen from a story (see the module's docstring)."""

    session: Session
    story: Story
    answered: list[str] = field(default_factory=list)

    @property
    def ruleset(self) -> Ruleset:
        return self.session.ruleset

    def texts(self) -> Texts:
        voice = self.ruleset.questionnaire.voice
        texts = self.ruleset.texts[self.session.language]
        who = self.story.get(voice, "self") if voice in self.answered else None
        return texts.voiced(str(who) if who is not None else None)

    def value(self, question_id: str) -> str:
        """The story's answer to a question: named, else no, else the first answer."""
        kind = self.ruleset.questionnaire.question(question_id).kind
        given = self.story.get(question_id)
        if given is not None:
            return str(given)
        return "no" if kind.is_yes_no else kind.values[0]

    def shown_questions(self, text: str) -> list[str]:
        """The questions whose texts the screen shows, in the order shown."""
        flat = _flat(text)
        texts = self.texts()
        found = []
        for question in self.ruleset.questionnaire.questions:
            words = _flat(texts(f"question.{question.id}.text"))
            at = flat.rfind(words)
            if at >= 0:
                found.append((at, question.id))
        return [q for _, q in sorted(found)]


def confirm_messages(texts: Texts) -> list[str]:
    return [
        texts("ui.screens.save_advice"),
        texts("ui.save_report"),
        texts("ui.save_answers"),
        texts("ui.screens.call_112_first"),
    ]


POINTER = "\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}"


def _arrow_prompt(person: Person, mark: int) -> str | None:
    """Which prompt the screen shows, once it is drawn whole after `mark`; None if none."""
    session = person.session
    texts = person.texts()
    rows = session.rows()
    shown = [_flat(r) for r in rows if r.strip()]
    if not shown:
        return None
    last, screen = shown[-1], _flat("\n".join(rows))
    new = _flat(_stripped(session.raw[mark:]))
    started = part_of(new, texts) is not None
    confirm = next((m for m in confirm_messages(texts) if _flat(m) in new), None)
    choosing = _flat(texts("ui.select_instruction")) in screen
    answer = re.sub(r"^\d\. ", "", last.lstrip(POINTER + " "))  # "2. No": its number first
    if confirm is not None and choosing and answer == _flat(texts("ui.no")):
        return "call_112" if confirm == texts("ui.screens.call_112_first") else "save"
    after_112 = _flat(texts("ui.screens.unsure_after_112"))
    instruction = _flat(texts("ui.checkbox_instruction"))
    if after_112 in new and instruction in screen:
        return "unsure_after_112"
    if _flat(texts("ui.unsure_prompt")) in new and instruction in screen:
        return "unsure"
    if not started:
        return None
    if last.endswith(_flat(texts("ui.unsure_option"))):
        return "checklist"
    if last.endswith(_flat(texts("ui.back"))):
        return "select"
    age = next(q for q in person.ruleset.questionnaire.questions if q.kind.id == "age")
    if screen.endswith(_flat(texts(f"question.{age.id}.text"))):
        return "age"
    return None


def _tick(count: int, ticked: list[int], none_at: int | None = None) -> str:
    """Keys that tick the lines at these places (the cursor starts on the first), then
    Enter; `none_at` is ticked when nothing else is."""
    keys, at = "", 0
    for place in sorted(ticked) or ([none_at] if none_at is not None else []):
        keys += DOWN * (place - at) + SPACE
        at = place
    return keys + ENTER


def _arrow_keys(person: Person, kind: str, rows: list[str]) -> str:
    text = "\n".join(rows)
    if kind in ("save", "call_112"):
        pointed = next(_flat(r) for r in rows if POINTER in r)
        on_yes = _flat(person.texts()("ui.yes")) in pointed
        if kind == "call_112":
            return ENTER if on_yes else DOWN + ENTER
        return DOWN + ENTER if on_yes else ENTER
    if kind == "age":
        person.answered.append("age")
        return f"{person.story.get('age', 40)}{ENTER}"
    ids = person.shown_questions(text.split(_flat(person.texts()("ui.unticked_no")))[-1])
    if kind in ("checklist",):
        person.answered += ids
        yes = [i for i, q in enumerate(ids) if person.value(q) == "yes"]
        unsure = [q for q in ids if person.value(q) == "unknown"]
        ticks = yes + ([len(ids) + 1] if unsure else [])
        return _tick(len(ids) + 2, ticks, none_at=len(ids))
    if kind in ("unsure", "unsure_after_112"):
        return _tick(len(ids), [i for i, q in enumerate(ids) if person.value(q) == "unknown"])
    question = person.shown_questions(text)[-1]
    person.answered.append(question)
    kind_values = person.ruleset.questionnaire.question(question).kind.values
    return DOWN * (kind_values.index(person.value(question)) + 1) + ENTER


def walk_arrows(person: Person, until: Callable[[Snapshot], bool] | None = None) -> int:
    """Answer every screen in arrow mode, keeping a snapshot of each; the exit status.
    With `until`: stop at the first screen it holds for, unanswered (status -1)."""
    session, mark = person.session, 0
    while True:
        kind = next_prompt(person, mark)
        if kind is None:
            return session.close()
        rows = session.rows()
        snapshot = Snapshot(kind, rows, part_of("\n".join(rows), person.texts()))
        session.snapshots.append(snapshot)
        if until is not None and until(snapshot):
            return -1
        keys = _arrow_keys(person, kind, rows)
        mark = len(session.raw)
        session.send(keys)


def next_prompt(person: Person, mark: int) -> str | None:
    """Wait for the next prompt drawn after `mark` (its kind); None at the end."""
    while True:
        try:
            kind = _arrow_prompt(person, mark)
            if kind is not None:
                return kind
            person.session._pump()
        except pexpect.EOF:
            return None


_NUMBERED = re.compile(r"^ {2}(\d+)\. (.*)$")


def _plain_prompt(person: Person, mark: int) -> str | None:
    """Which prompt plain mode waits at (its last line, without a line end); None if
    it is still writing."""
    out = _stripped(person.session.raw)
    if len(out) <= mark or out.endswith("\n"):
        return None
    last = out.rsplit("\n", 1)[-1]
    texts = person.texts()
    if last.startswith(texts("ui.plain_checkbox")):
        return "checklist"
    if last.startswith(texts("ui.plain_choose")):
        return "select"
    said = _flat(out[-400:])  # a yes-or-no question with its hint may fold over lines
    if any(said.endswith(_flat(f"({hint}):")) for hint in _confirm_hints(texts)):
        first = texts("ui.screens.call_112_first")
        call = said.rfind(_flat(first))
        save = max(said.rfind(_flat(m)) for m in confirm_messages(texts) if m != first)
        if max(call, save) >= 0:
            return "call_112" if call > save else "save"
    age = next(q for q in person.ruleset.questionnaire.questions if q.kind.id == "age")
    asked = _flat(texts(f"question.{age.id}.text"))
    if _flat(out[-2 * len(asked) :]).endswith(asked):  # a long question is folded
        return "age"
    return None


def _confirm_hints(texts: Texts) -> list[str]:
    """What plain mode says after a yes-or-no question: the words, and what Enter gives."""
    yes, no = texts("ui.yes").lower(), texts("ui.no").lower()
    return [texts("ui.plain_confirm", yes=yes, no=no, default=d) for d in (yes, no)]


def _plain_list(chunk: str) -> dict[int, str]:
    """The numbered lines of a list, continuation rows joined."""
    found: dict[int, str] = {}
    number = None
    for line in chunk.split("\n"):
        match = _NUMBERED.match(line)
        if match:
            number = int(match.group(1))
            found[number] = match.group(2)
        elif number is not None and line.startswith("    ") and line.strip():
            found[number] += " " + line.strip()
        else:
            number = None
    return found


def _plain_line(person: Person, kind: str, chunk: str) -> str:
    texts = person.texts()
    if kind == "call_112":
        return "\r"
    if kind == "save":
        return texts("ui.no") + "\r"
    if kind == "age":
        person.answered.append("age")
        return f"{person.story.get('age', 40)}\r"
    listed = _plain_list(chunk)
    if kind == "select":
        question = person.shown_questions(chunk)[-1]
        person.answered.append(question)
        values = person.ruleset.questionnaire.question(question).kind.values
        return f"{values.index(person.value(question)) + 1}\r"
    by_text = {
        _flat(texts(f"question.{q.id}.text")): q.id for q in person.ruleset.questionnaire.questions
    }
    lines = {n: by_text[_flat(t)] for n, t in listed.items() if _flat(t) in by_text}
    unsure_step = _flat(texts("ui.unsure_prompt")) in _flat(chunk) or _flat(
        texts("ui.screens.unsure_after_112")
    ) in _flat(chunk)
    if unsure_step:
        picked = [n for n, q in lines.items() if person.value(q) == "unknown"]
        return " ".join(map(str, picked)) + "\r"
    person.answered += list(lines.values())
    yes = [n for n, q in lines.items() if person.value(q) == "yes"]
    if any(person.value(q) == "unknown" for q in lines.values()):
        yes.append(max(listed))  # "I am not sure" is the last number
    return (" ".join(map(str, yes)) or "0") + "\r"


def walk_plain(person: Person) -> int:
    """Answer every prompt in plain mode, keeping what was written before each; the exit
    status."""
    session, mark = person.session, 0
    while True:
        try:
            kind = _plain_prompt(person, mark)
            if kind is None:
                session._pump()
                continue
        except pexpect.EOF:
            return session.close()
        out = _stripped(session.raw)
        chunk = out[mark:]
        session.snapshots.append(Snapshot(kind, chunk.split("\n"), part_of(chunk, person.texts())))
        mark = len(out)
        session.send(_plain_line(person, kind, chunk))
