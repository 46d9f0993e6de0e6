"""Loading the data folder: questionnaire, rule table and texts, checked as they load."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from triage.errors import DataError, DataErrors, did_you_mean, each_error, visible
from triage.model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Condition,
    Contact,
    Disposition,
    Group,
    Kind,
    Language,
    Note,
    Otherwise,
    Possibly,
    Question,
    Questionnaire,
    Rule,
    Ruleset,
    RulesetInfo,
    SafetyNetSign,
    Section,
    SectionKind,
    Settings,
    Texts,
    TextValue,
    UnknownAnswers,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

QUESTIONS_FILE = "questions.toml"
RULES_FILE = "rules.toml"
MAX_FILE_BYTES = 1024 * 1024
DATA_FILES = (QUESTIONS_FILE, RULES_FILE, *(f"lang/{lang.value}.toml" for lang in Language))
"""Every file of a data folder the loader reads."""
MAX_NUMBER = 10_000
"""The largest range a number kind may span (ages go to 120)."""
MAX_NESTING = 20
"""How deeply conditions may nest (all inside any inside all ...), and text tables."""
MAX_DIGITS = 9
"""The most digits a number in the data may have (ages and days need three)."""
COMPARISONS = ("<", "<=", ">", ">=")
SAFETY_NET_LEVELS = (
    Disposition.CALL_112,
    Disposition.GP_IMMEDIATELY,
    Disposition.GP_WITHIN_24_HOURS,
)
OPERATORS = ("is", "in", *COMPARISONS)

TEXT_FAMILIES = ("language.", "ui.", "result.", "about.", "verify.", "terms.", "review.")
"""The texts the program itself shows (not those of a question, rule or note): whatever
keys of these families the language files hold, every language holds (tests check that
the code uses exactly these keys)."""


SNAPSHOT = Path(__file__).resolve().parent / "_snapshot.pickle"
"""The shipped data, loaded and checked when the wheel was built (absent in a checkout)."""


class _Mistakes:
    """Mistakes found so far: each entry of a data file is checked on its own, so that one
    run reports every mistake, not only the first."""

    def __init__(self) -> None:
        self.found: list[DataError] = []

    @contextlib.contextmanager
    def entry(self) -> Iterator[None]:
        """Check one entry: a mistake in it is kept, and the checking goes on."""
        try:
            yield
        except DataError as error:
            self.found += each_error(error)

    def fail(self) -> NoReturn:
        """Raise the mistakes found: there is at least one."""
        self.raise_found()
        raise AssertionError("no mistake to report")

    def raise_found(self) -> None:
        """Raise the mistakes found, if any (one as itself, several as DataErrors)."""
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise DataErrors(self.found)


def default_data_dir() -> Traversable:
    """The data folder shipped with the package (or beside it, in a source checkout)."""
    here = Path(__file__).resolve().parent
    for folder in (here / "data", here.parent / "data"):
        if folder.is_dir():
            return folder
    from importlib.resources import files

    return files("triage") / "data"


def load_ruleset(data_dir: Traversable | None = None) -> Ruleset:
    """Load and check a data folder; raise DataError naming the file and entry at fault.

    The shipped data is checked when the wheel is built; while its files are byte for byte
    the ones checked then (same SHA-256), the checked result is used as it is.
    """
    root = default_data_dir() if data_dir is None else data_dir
    if not root.is_dir():
        raise DataError(
            str(root), "", "not a folder (a data folder holds questions.toml, rules.toml and lang/)"
        )
    contents = dict(_read_folder(root))
    sha256 = _sha256(contents)
    if sha256 in _checked:  # these very files, checked before in this process
        return _checked[sha256]
    checked = _snapshot(sha256) if data_dir is None else None
    if checked is None:
        checked = check(contents, sha256)
    if len(_checked) >= 8:
        _checked.clear()
    _checked[sha256] = checked
    return checked


def program_texts(language: Language) -> Texts:
    """The program's own texts (those of the shipped data), for the words a data folder
    under test must never supply: the verdicts of `verify` and `validate`."""
    return load_ruleset().texts[language]


_checked: dict[str, Ruleset] = {}
"""Rulesets checked in this process, by the SHA-256 of their files (the Python API and
the tests load the same data many times)."""


def check(contents: Mapping[str, bytes], sha256: str) -> Ruleset:
    """Parse and check every file of a data folder (relative path -> bytes); DataErrors
    for every mistake found (a later file is checked only when those it builds on load)."""
    mistakes = _Mistakes()
    docs: dict[str, dict[str, Any]] = {}
    for name in DATA_FILES:
        with mistakes.entry():
            docs[name] = _parse(contents, name)
    questionnaire = None
    if QUESTIONS_FILE in docs:
        with mistakes.entry():
            questionnaire = _load_questionnaire(docs[QUESTIONS_FILE])
    if questionnaire is None or RULES_FILE not in docs:
        mistakes.fail()
    with mistakes.entry():
        table = _RulesLoader(docs[RULES_FILE], questionnaire).load()
    mistakes.raise_found()
    texts = {lang: docs[f"lang/{lang.value}.toml"] for lang in Language}
    ruleset = Ruleset(
        questionnaire=questionnaire,
        sections=table.sections,
        notes=table.notes,
        safety_net=table.safety_net,
        settings=table.settings,
        texts={},
        info=RulesetInfo(version=table.version, sha256=sha256),
        review_with_gp=table.review_with_gp,
        contacts=table.contacts,
    )
    return _with_texts(ruleset, texts)


def _snapshot(sha256: str) -> Ruleset | None:
    """The snapshot taken at build time, if it is of exactly these files."""
    if not SNAPSHOT.is_file():
        return None
    try:  # the C unpickler alone: importing pickle.py too costs most of a millisecond
        from _pickle import loads
    except ImportError:  # not CPython
        from pickle import loads
    try:
        ruleset = loads(SNAPSHOT.read_bytes())  # our own file, from the wheel
    except Exception:  # a stale or foreign snapshot: check the files
        return None
    if isinstance(ruleset, Ruleset) and ruleset.info.sha256 == sha256:
        return ruleset
    return None


def snapshot_bytes(data_dir: Traversable) -> bytes:
    """A checked snapshot of a data folder, for the wheel (see hatch_build.py)."""
    import pickle

    contents = dict(_read_folder(data_dir))
    return pickle.dumps(check(contents, _sha256(contents)), protocol=pickle.HIGHEST_PROTOCOL)


# --- Files --------------------------------------------------------------------------------


def _read_folder(folder: Traversable) -> Iterator[tuple[str, bytes]]:
    """The files the loader reads (questions, rules and a text file per language), at
    most MAX_FILE_BYTES each (read no further than that). Nothing else in the folder is
    read, so that what else it holds (other files, links, loops) costs nothing."""
    for name in DATA_FILES:
        entry = folder.joinpath(*name.split("/"))
        try:
            if not entry.is_file():
                if entry.is_dir():
                    raise DataError(name, "", "is a folder; it should be a TOML file")
                continue  # missing: the checks say so, with what the folder should hold
            with entry.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise DataError(name, "", f"cannot be read ({error.strerror})") from None
        if len(data) > MAX_FILE_BYTES:
            raise DataError(name, "", "larger than 1 MiB; data files are small TOML files")
        yield name, data


def _sha256(contents: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(contents):
        digest.update(name.encode() + b"\0" + str(len(contents[name])).encode() + b"\0")
        digest.update(contents[name])
    return digest.hexdigest()


def _parse(contents: Mapping[str, bytes], name: str) -> dict[str, Any]:
    import tomllib

    if name not in contents:
        raise DataError(name, "", "missing from the data folder")
    try:
        return tomllib.loads(contents[name].decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(name, "", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise DataError(name, "", f"not valid TOML: {error}") from None
    except RecursionError:
        raise DataError(name, "", "nested too deeply to be read") from None
    except ValueError:  # tomllib refuses an integer of more than 4300 digits this way
        raise DataError(name, "", "not valid TOML: a number with too many digits") from None


def _table(
    raw: object, file: str, entry: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Check that `raw` is a table with these keys and no others."""
    if not isinstance(raw, dict):
        raise DataError(file, entry, f"should be a table, not {_describe(raw)}")
    allowed = required + optional
    for key in raw:
        if key not in allowed:
            raise DataError(
                file,
                entry,
                f"unknown key {key!r}{did_you_mean(key, allowed)}; allowed: {', '.join(allowed)}",
            )
    for key in required:
        if key not in raw:
            raise DataError(file, entry, f"missing key {key!r}")
    return raw


def _list_of_tables(doc: Mapping[str, Any], key: str, file: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise DataError(file, key, f"should be a list of [[{key}]] tables")
    return value


def _entry(raw: object, what: str, index: int) -> str:
    """How an entry is named in messages: by its id where it has one, else by position."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{what} {raw['id']!r}"
    return f"{what} #{index + 1}"


def _text(raw: object, file: str, entry: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise DataError(file, entry, f"should be a non-empty text, not {_describe(raw)}")
    return data_text(raw)


def data_text(raw: str) -> str:
    """A text of the data folder as every output shows it: control and format characters
    (escape sequences, line breaks, bidirectional overrides) as visible escapes, so that
    the data under test can neither draw on the terminal nor break out of a Markdown table;
    the one place where data texts are made safe to show."""
    return visible(raw, breaks=False)


def _identifier(raw: object, file: str, entry: str) -> str:
    text = _text(raw, file, entry)
    if not text.replace("_", "").isalnum() or not text.isascii():
        raise DataError(file, entry, f"{text!r} is not an id (letters, digits and _ only)")
    return text


def _integer(raw: object, file: str, entry: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise DataError(file, entry, f"should be a whole number, not {_describe(raw)}")
    if abs(raw) >= 10**MAX_DIGITS:
        raise DataError(file, entry, f"a number of more than {MAX_DIGITS} digits")
    return raw


def _switch(table: Mapping[str, Any], key: str, file: str, entry: str) -> bool:
    """An optional true/false entry of a table (false when left out)."""
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise DataError(file, f"{entry} {key}", "should be true or false")
    return value


def _describe(raw: object) -> str:
    return {
        dict: "a table",
        list: "a list",
        str: "a text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(raw), type(raw).__name__)


def _unique(ids: list[str], file: str, what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise DataError(file, f"{what} {item!r}", "defined twice")
        seen.add(item)


# --- The questionnaire ----------------------------------------------------------------------


def _load_questionnaire(doc: dict[str, Any]) -> Questionnaire:
    file = QUESTIONS_FILE
    _table(doc, file, "", ("questionnaire", "kind", "group", "question"), ("combined",))
    header = _table(
        doc["questionnaire"],
        file,
        "[questionnaire]",
        ("version",),
        ("voice", "settled_stop_from"),
    )
    kinds = _load_kinds(doc["kind"])
    groups = tuple(_load_group(raw, i) for i, raw in enumerate(_list_of_tables(doc, "group", file)))
    _unique([g.id for g in groups], file, "group")
    questions: list[Question] = []
    mistakes = _Mistakes()
    for index, raw in enumerate(_list_of_tables(doc, "question", file)):
        with mistakes.entry():
            questions.append(_load_question(raw, index, kinds, groups, questions))
    mistakes.raise_found()
    _unique([q.id for q in questions], file, "question")
    _check_group_order(questions, groups)
    _check_screens(questions)
    return Questionnaire.of(
        _text(header["version"], file, "[questionnaire] version"),
        groups,
        tuple(questions),
        voice=_voice(header, questions),
        settled_stop_from=_settled_stop_from(header, groups),
        combined=_load_combined(doc, questions),
    )


def _load_combined(doc: dict[str, Any], questions: list[Question]) -> dict[str, tuple[str, ...]]:
    """The [[combined]] answers: a version 2 id that stands for two or more yes/no parts."""
    file = QUESTIONS_FILE
    by_id = {q.id: q for q in questions}
    combined: dict[str, tuple[str, ...]] = {}
    taken: set[str] = set()
    for index, raw in enumerate(
        _list_of_tables(doc, "combined", file) if "combined" in doc else []
    ):
        table = _table(raw, file, _entry(raw, "combined", index), ("id", "parts"))
        combined_id = _identifier(table["id"], file, _entry(raw, "combined", index))
        entry = f"combined {combined_id!r}"
        if combined_id in by_id or combined_id in combined:
            raise DataError(file, entry, "the id is already a question or a combined answer")
        parts = table["parts"]
        if (
            not isinstance(parts, list)
            or len(parts) < 2
            or not all(isinstance(p, str) for p in parts)
        ):
            raise DataError(file, f"{entry} parts", "should list two or more question ids")
        for part in parts:
            if part not in by_id:
                raise DataError(
                    file, f"{entry} parts", f"unknown question {part!r}{did_you_mean(part, by_id)}"
                )
            if not by_id[part].kind.is_yes_no or part in taken:
                raise DataError(
                    file,
                    f"{entry} parts",
                    f"{part!r} should be a yes/no question of one combined answer",
                )
            taken.add(part)
        combined[combined_id] = tuple(parts)
    return combined


def _voice(header: Mapping[str, Any], questions: list[Question]) -> str | None:
    """The question whose answer chooses the texts' wording: a question with a list of
    values, none of them `unknown`."""
    if "voice" not in header:
        return None
    entry = "[questionnaire] voice"
    voice = _text(header["voice"], QUESTIONS_FILE, entry)
    by_id = {q.id: q for q in questions}
    if voice not in by_id:
        raise DataError(
            QUESTIONS_FILE, entry, f"unknown question {voice!r}{did_you_mean(voice, by_id)}"
        )
    kind = by_id[voice].kind
    if kind.is_number or UNKNOWN in kind.values:
        raise DataError(
            QUESTIONS_FILE, entry, f"{voice!r} should have a list of values without 'unknown'"
        )
    return voice


def _settled_stop_from(header: Mapping[str, Any], groups: tuple[Group, ...]) -> str | None:
    if "settled_stop_from" not in header:
        return None
    entry = "[questionnaire] settled_stop_from"
    group = _text(header["settled_stop_from"], QUESTIONS_FILE, entry)
    ids = [g.id for g in groups]
    if group not in ids:
        raise DataError(QUESTIONS_FILE, entry, f"unknown group {group!r}{did_you_mean(group, ids)}")
    return group


def _load_kinds(raw: object) -> dict[str, Kind]:
    file = QUESTIONS_FILE
    if not isinstance(raw, dict) or not raw:
        raise DataError(file, "[kind]", "should hold at least one [kind.<id>] table")
    kinds = {}
    for kind_id, body in raw.items():
        entry = f"[kind.{kind_id}]"
        table = _table(
            body, file, entry, (), ("values", "aliases", "ordered", "minimum", "maximum")
        )
        kinds[kind_id] = _load_kind(kind_id, table, entry)
    return kinds


def _load_kind(kind_id: str, table: dict[str, Any], entry: str) -> Kind:
    file = QUESTIONS_FILE
    if "values" not in table:
        minimum = _integer(table.get("minimum"), file, f"{entry} minimum")
        maximum = _integer(table.get("maximum"), file, f"{entry} maximum")
        if minimum > maximum:
            raise DataError(file, entry, "minimum is larger than maximum")
        if maximum - minimum > MAX_NUMBER:
            raise DataError(file, entry, f"a range of more than {MAX_NUMBER} numbers")
        return Kind(id=kind_id, aliases={}, minimum=minimum, maximum=maximum)
    values = table["values"]
    if not isinstance(values, list) or not values:
        raise DataError(file, f"{entry} values", "should be a non-empty list of values")
    checked = tuple(_identifier(v, file, f"{entry} values") for v in values)
    _unique(list(checked), file, f"{entry} value")
    aliases = table.get("aliases", {})
    if not isinstance(aliases, dict):
        raise DataError(file, f"{entry} aliases", "should be a table of alias = value")
    for alias, target in aliases.items():
        if target not in checked:
            raise DataError(
                file,
                f"{entry} aliases",
                f"{alias!r} stands for {target!r}, "
                f"which is not a value{did_you_mean(str(target), checked)}",
            )
    ordered = _switch(table, "ordered", file, entry)
    given = {a.lower(): t for a, t in aliases.items()}
    return Kind(
        id=kind_id, values=checked, aliases=_spreadsheet_words(given, checked), ordered=ordered
    )


def _spreadsheet_words(aliases: dict[str, str], values: tuple[str, ...]) -> dict[str, str]:
    """A kind's aliases, and the words a Dutch spreadsheet writes for them: "weet niet" for
    every kind's `unknown`, WAAR and ONWAAR wherever true and false are aliases. The data's
    own aliases win."""
    words = dict(aliases)
    if UNKNOWN in values:
        words.setdefault("weet niet", UNKNOWN)
    for spreadsheet, meaning in (("waar", "true"), ("onwaar", "false")):
        if meaning in aliases:
            words.setdefault(spreadsheet, aliases[meaning])
    return words


def _load_group(raw: object, index: int) -> Group:
    entry = _entry(raw, "group", index)
    table = _table(raw, QUESTIONS_FILE, entry, ("id",), ("stop_on", "checklist"))
    stop_on = table.get("stop_on")
    checklist = _switch(table, "checklist", QUESTIONS_FILE, entry)
    return Group(
        id=_identifier(table["id"], QUESTIONS_FILE, entry),
        stop_on=None if stop_on is None else _text(stop_on, QUESTIONS_FILE, entry),
        checklist=checklist,
    )


def _load_question(
    raw: object,
    index: int,
    kinds: Mapping[str, Kind],
    groups: tuple[Group, ...],
    earlier: list[Question],
) -> Question:
    file = QUESTIONS_FILE
    table = _table(
        raw,
        file,
        _entry(raw, "question", index),
        ("id", "group", "kind"),
        ("ask_when", "default", "informational", "added_in", "screen"),
    )
    question_id = _identifier(table["id"], file, _entry(raw, "question", index))
    entry = f"question {question_id!r}"
    kind_id = _text(table["kind"], file, entry)
    if kind_id not in kinds:
        raise DataError(file, entry, f"unknown kind {kind_id!r}{did_you_mean(kind_id, kinds)}")
    group_ids = [g.id for g in groups]
    if table["group"] not in group_ids:
        raise DataError(
            file,
            entry,
            f"unknown group {table['group']!r}{did_you_mean(str(table['group']), group_ids)}",
        )
    ask_when: Condition = Always()
    if "ask_when" in table:
        lookup = {q.id: q for q in earlier}
        ask_when = _ConditionLoader(
            file, f"{entry} ask_when", lookup, None, earlier_only=True
        ).load(table["ask_when"])
    default = table.get("default")
    if default is not None and default not in kinds[kind_id].values:
        raise DataError(
            file,
            f"{entry} default",
            f"{default!r} is not a value of kind {kind_id}"
            f"{did_you_mean(str(default), kinds[kind_id].values)}",
        )
    informational = _switch(table, "informational", file, entry)
    added_in = _text(table["added_in"], file, f"{entry} added_in") if "added_in" in table else None
    screen = table.get("screen")
    return Question(
        id=question_id,
        group=table["group"],
        kind=kinds[kind_id],
        ask_when=ask_when,
        default=default,
        informational=informational,
        added_in=added_in,
        screen=None if screen is None else _identifier(screen, file, f"{entry} screen"),
    )


def _check_group_order(questions: list[Question], groups: tuple[Group, ...]) -> None:
    order = [g.id for g in groups]
    for previous, question in itertools.pairwise(questions):
        if order.index(question.group) < order.index(previous.group):
            raise DataError(
                QUESTIONS_FILE,
                f"question {question.id!r}",
                f"its group {question.group!r} comes before the previous "
                "question's; keep each group's questions together, in group order",
            )
    for group in groups:
        if group.stop_on is not None:
            for question in questions:
                if question.group == group.id and group.stop_on not in question.kind.values:
                    raise DataError(
                        QUESTIONS_FILE,
                        f"group {group.id!r}",
                        f"stop_on {group.stop_on!r} is not a value of question {question.id!r}",
                    )


def _check_screens(questions: list[Question]) -> None:
    """A screen's questions stand next to each other, in one group."""
    seen: dict[str, Question] = {}
    previous: Question | None = None
    for question in questions:
        screen = question.screen
        if screen is not None and screen in seen:
            first = seen[screen]
            if first.group != question.group:
                raise DataError(
                    QUESTIONS_FILE,
                    f"question {question.id!r} screen",
                    f"screen {screen!r} is in group {first.group!r} already; "
                    "a screen shows questions of one group",
                )
            if previous is None or previous.screen != screen:
                raise DataError(
                    QUESTIONS_FILE,
                    f"question {question.id!r} screen",
                    f"screen {screen!r} was used before, not right above this question; "
                    "a screen's questions stand next to each other",
                )
        if screen is not None:
            seen.setdefault(screen, question)
        previous = question


# --- Conditions -------------------------------------------------------------------------------


class _ConditionLoader:
    """Turns a condition table into a Condition, checking every name and value."""

    def __init__(
        self,
        file: str,
        entry: str,
        questions: Mapping[str, Question],
        settings: Mapping[str, object] | None,
        *,
        earlier_only: bool = False,
        meta: tuple[str, ...] = (),
        depth: int = 0,
    ) -> None:
        self.file = file
        self.entry = entry
        self.questions = questions
        self.settings = settings or {}
        self.earlier_only = earlier_only
        self.meta = meta
        self.depth = depth

    def fail(self, problem: str) -> DataError:
        return DataError(self.file, self.entry, problem)

    def load(self, raw: object) -> Condition:
        if not isinstance(raw, dict):
            raise self.fail(f"a condition should be a table, not {_describe(raw)}")
        forms = ("question", "all", "any", "possibly", "unknown_answers", "always", "otherwise")
        present = [form for form in forms if form in raw]
        if len(present) != 1:
            raise self.fail(
                f"a condition needs exactly one of: {', '.join(forms)}; "
                f"found {sorted(raw) or 'none'}"
            )
        form = present[0]
        if form in ("possibly", "unknown_answers", "otherwise") and form not in self.meta:
            raise self.fail(f"{form!r} is not allowed here")
        return self._loaders()[form](raw)

    def _loaders(self) -> dict[str, Callable[[dict[str, Any]], Condition]]:
        return {
            "question": self._test,
            "all": lambda raw: AllOf(self._parts(raw, "all")),
            "any": lambda raw: AnyOf(self._parts(raw, "any")),
            "possibly": self._possibly,
            "unknown_answers": self._unknown_answers,
            "always": lambda raw: self._flag(raw, "always", Always()),
            "otherwise": lambda raw: self._flag(raw, "otherwise", Otherwise()),
        }

    def _parts(self, raw: dict[str, Any], key: str) -> tuple[Condition, ...]:
        _table(raw, self.file, self.entry, (key,))
        parts = raw[key]
        if not isinstance(parts, list) or not parts:
            raise self.fail(f"{key!r} takes a non-empty list of conditions")
        if self.depth >= MAX_NESTING:
            raise self.fail(f"conditions nested more than {MAX_NESTING} deep")
        inner = _ConditionLoader(
            self.file,
            self.entry,
            self.questions,
            self.settings,
            earlier_only=self.earlier_only,
            depth=self.depth + 1,
        )
        return tuple(inner.load(part) for part in parts)

    def _flag(self, raw: dict[str, Any], key: str, condition: Condition) -> Condition:
        _table(raw, self.file, self.entry, (key,))
        if raw[key] is not True:
            raise self.fail(f"{key!r} can only be true")
        return condition

    def _possibly(self, raw: dict[str, Any]) -> Condition:
        _table(raw, self.file, self.entry, ("possibly",))
        return Possibly(_disposition(raw["possibly"], self.file, self.entry))

    def _unknown_answers(self, raw: dict[str, Any]) -> Condition:
        _table(raw, self.file, self.entry, ("unknown_answers",))
        count = _integer(raw["unknown_answers"], self.file, self.entry)
        if count < 1:
            raise self.fail("'unknown_answers' takes a number of 1 or more")
        return UnknownAnswers(count)

    def _test(self, raw: dict[str, Any]) -> Condition:
        _table(raw, self.file, self.entry, ("question", "op"), ("value", "setting"))
        question = self._question(raw["question"])
        op = raw["op"]
        if op not in OPERATORS:
            raise self.fail(
                f"unknown op {op!r}{did_you_mean(str(op), OPERATORS)}; "
                f"allowed: {', '.join(OPERATORS)}"
            )
        value = self._value_of(raw)
        if question.kind.is_number:
            return self._number_test(question, op, value)
        return self._choice_test(question, op, value)

    def _question(self, raw: object) -> Question:
        question_id = _text(raw, self.file, self.entry)
        if question_id not in self.questions:
            where = " before this one" if self.earlier_only else ""
            raise self.fail(
                f"unknown question {question_id!r}{where}"
                f"{did_you_mean(question_id, self.questions)}"
            )
        return self.questions[question_id]

    def _value_of(self, raw: dict[str, Any]) -> object:
        if ("value" in raw) == ("setting" in raw):
            raise self.fail("a test needs either 'value' or 'setting'")
        if "value" in raw:
            return raw["value"]
        name = _text(raw["setting"], self.file, f"{self.entry} setting")
        if name not in self.settings:
            raise self.fail(f"unknown setting {name!r}{did_you_mean(str(name), self.settings)}")
        question = self.questions.get(str(raw.get("question")))
        value = self.settings[name]
        if question is not None and question.kind.values and value not in question.kind.values:
            raise DataError(
                self.file,
                f"[settings] {name}",
                f"{value!r} is not a value of {question.id}, which {self.entry} compares it "
                f"with{did_you_mean(str(value), question.kind.values)}; allowed: "
                f"{', '.join(v for v in question.kind.values if v != UNKNOWN)}",
            )
        return value

    def _number_test(self, question: Question, op: str, value: object) -> Condition:
        kind = question.kind
        raw_values = value if op == "in" and isinstance(value, list) else [value]
        numbers = tuple(_integer(v, self.file, f"{self.entry} value") for v in raw_values)
        for number in numbers:
            if not kind.minimum <= number <= kind.maximum + 1:
                raise self.fail(
                    f"{number} is outside {question.id}'s range {kind.minimum}-{kind.maximum}"
                )
        if op in COMPARISONS:
            return AnswerTest(question.id, op, numbers)
        return AnswerTest(question.id, "in", numbers)

    def _choice_test(self, question: Question, op: str, value: object) -> Condition:
        kind = question.kind
        if op == "in":
            if not isinstance(value, list) or not value:
                raise self.fail("op 'in' takes a non-empty list of values")
            return AnswerTest(question.id, "in", tuple(self._choice(question, v) for v in value))
        choice = self._choice(question, value)
        if op == "is":
            return AnswerTest(question.id, "in", (choice,))
        if not kind.ordered or choice == UNKNOWN:
            raise self.fail(
                f"op {op!r} needs an ordered kind and a value other than 'unknown'; "
                f"{question.id} is of kind {kind.id}"
            )
        ordered = [v for v in kind.values if v != UNKNOWN]
        rank = ordered.index(choice)
        keep: dict[str, Callable[[int], bool]] = {
            "<": lambda i: i < rank,
            "<=": lambda i: i <= rank,
            ">": lambda i: i > rank,
            ">=": lambda i: i >= rank,
        }
        return AnswerTest(question.id, "in", tuple(v for i, v in enumerate(ordered) if keep[op](i)))

    def _choice(self, question: Question, value: object) -> str:
        if value not in question.kind.values:
            raise self.fail(
                f"{value!r} is not a value of {question.id}"
                f"{did_you_mean(str(value), question.kind.values)}; allowed: "
                f"{', '.join(question.kind.values)}"
            )
        return str(value)


def _disposition(raw: object, file: str, entry: str) -> Disposition:
    names = [d.value for d in Disposition]
    if raw not in names:
        raise DataError(
            file,
            entry,
            f"unknown disposition {raw!r}"
            f"{did_you_mean(str(raw), names)}; allowed: {', '.join(names)}",
        )
    return Disposition(raw)


# --- The rule table ---------------------------------------------------------------------------


class RuleTable(NamedTuple):
    """Everything rules.toml holds, checked."""

    version: str
    settings: Settings
    sections: tuple[Section, ...]
    """The sections, each holding its rules."""
    rules: tuple[Rule, ...]
    notes: tuple[Note, ...]
    safety_net: tuple[SafetyNetSign, ...]
    review_with_gp: Condition
    contacts: tuple[Contact, ...] = ()


class _RulesLoader:
    """Loads rules.toml against a questionnaire."""

    file = RULES_FILE

    def __init__(self, doc: dict[str, Any], questionnaire: Questionnaire) -> None:
        _table(
            doc,
            self.file,
            "",
            ("ruleset", "settings", "section", "rule"),
            ("note", "safety_net", "review", "contact"),
        )
        self.doc = doc
        self.questionnaire = questionnaire
        self.questions = questionnaire.by_id
        self.broken: set[str] = set()
        """The ids of rules with a mistake (reported once, where it is)."""
        self.out_of_order = False
        """Whether two rules stand out of order (the fallback check then waits)."""

    def load(self) -> RuleTable:
        header = _table(self.doc["ruleset"], self.file, "[ruleset]", ("version",))
        settings = self._settings()
        self.settings_map: dict[str, object] = {
            "self_care_window_ends_at": settings.self_care_window_ends_at
        }
        mistakes = _Mistakes()
        sections = self._sections()
        rules = self._rules(sections, mistakes)
        sections = tuple(
            Section(s.id, s.kind, s.applies_when, tuple(r for r in rules if r.section == s.id))
            for s in sections
        )
        if not self.out_of_order:  # one mistake in the order at a time, as it was found
            with mistakes.entry():
                self._check_fallbacks(sections)
        notes = self._notes(mistakes)
        safety_net = self._safety_net(rules, mistakes)
        with mistakes.entry():
            review = self._review()
        contacts = self._contacts(rules, mistakes)
        mistakes.raise_found()
        return RuleTable(
            version=_text(header["version"], self.file, "[ruleset] version"),
            settings=settings,
            sections=sections,
            rules=rules,
            notes=notes,
            safety_net=safety_net,
            review_with_gp=review,
            contacts=contacts,
        )

    def _contacts(self, rules: tuple[Rule, ...], mistakes: _Mistakes) -> tuple[Contact, ...]:
        """The [[contact]] entries: who to call first for some rules or dispositions."""
        if "contact" not in self.doc:
            return ()
        known = {r.id for r in rules} | {d.value for d in Disposition}
        contacts: list[Contact] = []
        for index, raw in enumerate(_list_of_tables(self.doc, "contact", self.file)):
            with mistakes.entry():
                where = _entry(raw, "contact", index)
                table = _table(raw, self.file, where, ("id", "for"), ("when", "first"))
                contact_id = _identifier(table["id"], self.file, where)
                entry = f"contact {contact_id!r}"
                targets = table["for"]
                if (
                    not isinstance(targets, list)
                    or not targets
                    or not all(isinstance(t, str) and t in known for t in targets)
                ):
                    raise DataError(
                        self.file, f"{entry} for", "should list rule ids or dispositions"
                    )
                when = (
                    self._condition(table["when"], f"{entry} when") if "when" in table else Always()
                )
                first = _switch(table, "first", self.file, entry)
                contacts.append(Contact(contact_id, frozenset(targets), when, first))
        with mistakes.entry():
            _unique([c.id for c in contacts], self.file, "contact")
        return tuple(contacts)

    def _review(self) -> Condition:
        if "review" not in self.doc:
            return AnyOf(())  # never
        table = _table(self.doc["review"], self.file, "[review]", ("gp_when",))
        return self._condition(table["gp_when"], "[review] gp_when")

    def _condition(self, raw: object, entry: str, meta: tuple[str, ...] = ()) -> Condition:
        return _ConditionLoader(
            self.file, entry, self.questions, self.settings_map, meta=meta
        ).load(raw)

    def _settings(self) -> Settings:
        entry = "[settings]"
        table = _table(
            self.doc["settings"],
            self.file,
            entry,
            ("self_care_window_ends_at", "safety_net_days"),
            ("settled_stop_at",),
        )
        # Which values the window may take is checked where a rule's test uses it, against
        # that question's values (no question id is named here).
        window = _identifier(
            table["self_care_window_ends_at"], self.file, f"{entry} self_care_window_ends_at"
        )
        days = _integer(table["safety_net_days"], self.file, f"{entry} safety_net_days")
        if not 1 <= days <= 365:
            raise DataError(self.file, f"{entry} safety_net_days", "should be 1 to 365 days")
        stop_at = Disposition.GP_IMMEDIATELY
        if "settled_stop_at" in table:
            stop_at = _disposition(table["settled_stop_at"], self.file, f"{entry} settled_stop_at")
        return Settings(
            self_care_window_ends_at=window, safety_net_days=days, settled_stop_at=stop_at
        )

    def _sections(self) -> tuple[Section, ...]:
        sections = []
        for index, raw in enumerate(_list_of_tables(self.doc, "section", self.file)):
            entry = _entry(raw, "section", index)
            table = _table(raw, self.file, entry, ("id", "kind"), ("applies_when",))
            section_id = _identifier(table["id"], self.file, entry)
            kinds = [k.value for k in SectionKind]
            if table["kind"] not in kinds:
                raise DataError(
                    self.file,
                    f"section {section_id!r}",
                    f"unknown kind {table['kind']!r}; allowed: {', '.join(kinds)}",
                )
            applies: Condition = Always()
            if "applies_when" in table:
                applies = self._condition(table["applies_when"], f"section {section_id!r}")
            sections.append(Section(section_id, SectionKind(table["kind"]), applies))
        _unique([s.id for s in sections], self.file, "section")
        return tuple(sections)

    def _rules(self, sections: tuple[Section, ...], mistakes: _Mistakes) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        tables = _list_of_tables(self.doc, "rule", self.file)
        by_id = {s.id: s for s in sections}
        for index, raw in enumerate(tables):
            before = len(mistakes.found)
            with mistakes.entry():
                rules.append(self._rule(raw, index, by_id))
            if len(mistakes.found) > before and isinstance(raw, dict):
                self.broken.add(str(raw.get("id")))  # named by signs: no second mistake
        if not tables:
            raise DataError(self.file, "", "has no [[rule]] rows")
        with mistakes.entry():
            _unique([r.id for r in rules], self.file, "rule")
        before = len(mistakes.found)
        with mistakes.entry():
            self._check_order(rules, sections)
        self.out_of_order = len(mistakes.found) > before
        return tuple(rules)

    def _rule(self, raw: object, index: int, sections: Mapping[str, Section]) -> Rule:
        first = _entry(raw, "rule", index)
        table = _table(
            raw,
            self.file,
            first,
            ("id", "section", "disposition", "source", "when"),
            ("meanwhile", "meanwhile_instead"),
        )
        rule_id = _identifier(table["id"], self.file, first)
        entry = f"rule {rule_id!r}"
        section = _text(table["section"], self.file, f"{entry} section")
        if section not in sections:
            raise DataError(
                self.file,
                entry,
                f"unknown section {section!r}{did_you_mean(str(section), sections)}",
            )
        kind = sections[section].kind
        meta = {
            SectionKind.SCREEN: (),
            SectionKind.UNKNOWN: ("possibly", "unknown_answers"),
            SectionKind.FALLBACK: ("possibly", "otherwise"),
        }[kind]
        return Rule(
            id=rule_id,
            section=section,
            disposition=_disposition(table["disposition"], self.file, entry),
            source=_text(table["source"], self.file, f"{entry} source"),
            when=self._condition(table["when"], f"{entry} when", meta),
            meanwhile=(
                _identifier(table["meanwhile"], self.file, f"{entry} meanwhile")
                if "meanwhile" in table
                else None
            ),
            meanwhile_instead=_switch(table, "meanwhile_instead", self.file, entry),
            kind=kind,
        )

    def _check_order(self, rules: list[Rule], sections: tuple[Section, ...]) -> None:
        order = [s.id for s in sections]
        for before, rule in itertools.pairwise(rules):
            key_before = (order.index(before.section), before.disposition.urgency)
            if (order.index(rule.section), rule.disposition.urgency) < key_before:
                raise DataError(
                    self.file,
                    f"rules {before.id!r} and {rule.id!r}",
                    f"out of order: {before.id!r} ({before.section}, "
                    f"{before.disposition.value}) comes before {rule.id!r} ({rule.section}, "
                    f"{rule.disposition.value}); rows run section by section, and within a "
                    "section from the most to the least urgent disposition: move one of "
                    "the two, or check its disposition",
                )

    def _check_fallbacks(self, sections: tuple[Section, ...]) -> None:
        for section in sections:
            if section.kind is SectionKind.FALLBACK:
                own = section.rules
                if not own or not isinstance(own[-1].when, Otherwise):
                    raise DataError(
                        self.file,
                        f"section {section.id!r}",
                        "a fallback section ends with a rule whose condition is "
                        "{ otherwise = true }, so that it always decides",
                    )

    def _notes(self, mistakes: _Mistakes) -> tuple[Note, ...]:
        notes: list[Note] = []
        for index, raw in enumerate(_list_of_tables(self.doc, "note", self.file)):
            with mistakes.entry():
                notes.append(self._note(raw, index))
        with mistakes.entry():
            _unique([n.id for n in notes], self.file, "note")
        return tuple(notes)

    def _note(self, raw: object, index: int) -> Note:
        table = _table(raw, self.file, _entry(raw, "note", index), ("id", "source", "with", "when"))
        note_id = _identifier(table["id"], self.file, _entry(raw, "note", index))
        entry = f"note {note_id!r}"
        shown_with = table["with"]
        if not isinstance(shown_with, list) or not shown_with:
            raise DataError(self.file, f"{entry} with", "should list dispositions")
        return Note(
            id=note_id,
            source=_text(table["source"], self.file, f"{entry} source"),
            dispositions=frozenset(_disposition(d, self.file, f"{entry} with") for d in shown_with),
            when=self._condition(table["when"], f"{entry} when"),
        )

    def _safety_net(
        self, rules: tuple[Rule, ...], mistakes: _Mistakes
    ) -> tuple[SafetyNetSign, ...]:
        signs: list[SafetyNetSign] = []
        for index, raw in enumerate(_list_of_tables(self.doc, "safety_net", self.file)):
            with mistakes.entry():
                signs.append(self._sign(raw, index, rules))
        with mistakes.entry():
            _unique([s.id for s in signs], self.file, "safety_net")
        covered = {rule_id for sign in signs for rule_id in sign.covers}
        for rule in rules:
            urgent = rule.disposition in (Disposition.CALL_112, Disposition.GP_IMMEDIATELY)
            if (
                urgent
                and isinstance(rule.when, AnswerTest | AllOf | AnyOf)
                and rule.id not in covered
                and not mistakes.found  # a sign with a mistake may be the one that covers it
            ):
                mistakes.found.append(
                    DataError(
                        self.file,
                        f"rule {rule.id!r}",
                        f"a {rule.disposition} rule needs a [[safety_net]] sign that "
                        "covers it, so that every result says when to act at once",
                    )
                )
        return tuple(signs)

    def _sign(self, raw: object, index: int, rules: tuple[Rule, ...]) -> SafetyNetSign:
        table = _table(
            raw,
            self.file,
            _entry(raw, "safety_net", index),
            ("id", "level", "covers"),
            ("applies_when",),
        )
        sign_id = _identifier(table["id"], self.file, _entry(raw, "safety_net", index))
        entry = f"safety_net {sign_id!r}"
        level = _disposition(table["level"], self.file, f"{entry} level")
        if level not in SAFETY_NET_LEVELS:
            raise DataError(
                self.file,
                f"{entry} level",
                f"should be one of {', '.join(SAFETY_NET_LEVELS)}",
            )
        covers = table["covers"]
        rule_ids = [r.id for r in rules]
        if (
            not isinstance(covers, list)
            or not covers
            or not all(isinstance(c, str) for c in covers)
        ):
            raise DataError(self.file, f"{entry} covers", "should list rule ids")
        for rule_id in covers:
            if rule_id not in rule_ids and rule_id not in self.broken:
                raise DataError(
                    self.file,
                    f"{entry} covers",
                    f"unknown rule {rule_id!r}{did_you_mean(str(rule_id), rule_ids)}",
                )
        applies: Condition = Always()
        if "applies_when" in table:
            applies = self._condition(table["applies_when"], f"{entry} applies_when")
        return SafetyNetSign(sign_id, level, tuple(covers), applies)


# --- Texts ---------------------------------------------------------------------------------


def _with_texts(ruleset: Ruleset, docs: Mapping[Language, dict[str, Any]]) -> Ruleset:
    required = _program_text_keys(docs) | _data_text_keys(ruleset)
    optional = required | _because_keys(ruleset) | _screen_help_keys(ruleset.questionnaire)
    allowed = optional | _voiced_keys(ruleset.questionnaire, optional)
    mistakes = _Mistakes()
    loaded: dict[Language, dict[str, TextValue]] = {}
    for lang, doc in docs.items():
        with mistakes.entry():
            loaded[lang] = _flatten_texts(doc, f"lang/{lang.value}.toml")
    mistakes.raise_found()
    for lang, entries in loaded.items():
        file = f"lang/{lang.value}.toml"
        for key in sorted(required - entries.keys()):
            mistakes.found.append(
                DataError(file, key, "missing text (every language needs every text)")
            )
        for key in sorted(entries.keys() - allowed):
            mistakes.found.append(
                DataError(
                    file,
                    key,
                    "unknown text key (no question, rule or screen uses "
                    f"it){did_you_mean(key, allowed)}",
                )
            )
    with mistakes.entry():
        _check_same_variants(loaded)
    mistakes.found += _field_mistakes(loaded)
    mistakes.raise_found()
    texts = {lang: Texts(lang, entries) for lang, entries in loaded.items()}
    return replace(ruleset, texts=texts)


def _program_text_keys(docs: Mapping[Language, dict[str, Any]]) -> set[str]:
    """The texts the program shows: those of TEXT_FAMILIES in any language file (every
    language then needs them all), and each disposition's and advice group's."""
    keys = {
        key
        for lang, doc in docs.items()
        for key in _flatten_texts(doc, f"lang/{lang.value}.toml")
        if key.startswith(TEXT_FAMILIES) and not key.endswith(("_child", "_other"))
    }
    keys |= {
        f"disposition.{d.value}.{field}"
        for d in Disposition
        for field in ("headline", "urgency", "meanwhile")
    }
    keys |= {f"advice.{d.advice.value}.points" for d in Disposition}
    return keys


def _because_keys(ruleset: Ruleset) -> set[str]:
    """The lines a rule's reason may give for each answer it names ({because})."""
    from triage.conditions import questions_in

    return {f"rule.{r.id}.because.{q}" for r in ruleset.rules for q in questions_in(r.when)}


def _screen_help_keys(questionnaire: Questionnaire) -> set[str]:
    """The optional help text of each named screen (what `?` says about the whole screen)."""
    return {f"screen.{screen}.help" for screen in questionnaire.screens}


def _voiced_keys(questionnaire: Questionnaire, required: set[str]) -> set[str]:
    """The variants a text may have for the answers of the voice question (K_child)."""
    if questionnaire.voice is None:
        return set()
    voice = questionnaire.question(questionnaire.voice)
    return {f"{key}_{value}" for key in required for value in voice.kind.values}


def _check_same_variants(loaded: Mapping[Language, Mapping[str, TextValue]]) -> None:
    """Every language has the same texts, variants included."""
    reference: set[str] | None = None
    for lang, entries in loaded.items():
        if reference is None:
            reference = set(entries)
            continue
        for key in sorted(reference ^ entries.keys()):
            file = f"lang/{lang.value}.toml"
            problem = "missing here" if key in reference else "only in this language"
            raise DataError(file, key, f"a wording variant {problem}; every language has the same")


def _data_text_keys(ruleset: Ruleset) -> set[str]:
    questionnaire = ruleset.questionnaire
    keys = {
        f"question.{q.id}.{f}" for q in questionnaire.questions for f in ("text", "short", "why")
    }
    keys |= {f"group.{g.id}.{f}" for g in questionnaire.groups for f in ("title", "intro")}
    keys |= {f"combined.{c}.short" for c in questionnaire.combined}
    keys |= {f"screen.{screen}.title" for screen in questionnaire.screens}
    keys |= {f"value.{q.kind.id}.{v}" for q in questionnaire.questions for v in q.kind.values}
    keys |= {f"section.{s.id}.title" for s in ruleset.sections}
    keys |= {f"rule.{r.id}.reason" for r in ruleset.rules}
    keys |= {f"note.{n.id}.text" for n in ruleset.notes}
    keys |= {f"safety_net.{s.id}.text" for s in ruleset.safety_net}
    keys |= {f"meanwhile.{r.meanwhile}.text" for r in ruleset.rules if r.meanwhile}
    keys |= {f"contact.{c.id}.text" for c in ruleset.contacts}
    return keys


def _flatten_texts(doc: Mapping[str, Any], file: str, prefix: str = "") -> dict[str, TextValue]:
    if prefix.count(".") >= MAX_NESTING:
        raise DataError(file, prefix.rstrip("."), f"tables nested more than {MAX_NESTING} deep")
    entries: dict[str, TextValue] = {}
    for key, value in doc.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            entries.update(_flatten_texts(value, file, f"{name}."))
        elif isinstance(value, str):
            entries[name] = data_text(value)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            entries[name] = tuple(data_text(v) for v in value)
        else:
            raise DataError(
                file, name, f"should be a text or a list of texts, not {_describe(value)}"
            )
    return entries


def _field_mistakes(loaded: Mapping[Language, Mapping[str, TextValue]]) -> list[DataError]:
    """Every language uses the same {fields} in the same text. Where they differ, the file
    to blame is the one whose fields differ from the shipped data's (the one that was
    edited); for a text the shipped data lacks, each file names the fields of the other."""
    mistakes = _Mistakes()
    fields: dict[str, dict[Language, set[str]]] = {}
    for lang, entries in loaded.items():
        for key, value in entries.items():
            with mistakes.entry():
                fields.setdefault(key, {})[lang] = _fields(value, f"lang/{lang.value}.toml", key)
    shipped: dict[str, set[str]] | None = None  # read only when languages disagree
    for key, by_language in fields.items():
        if len({frozenset(f) for f in by_language.values()}) <= 1:
            continue
        if shipped is None:
            shipped = _shipped_fields()
        reference = shipped.get(key)
        for lang, found in by_language.items():
            if reference is not None and found == reference:
                continue
            others = sorted(
                {f for other, f2 in by_language.items() if other is not lang for f in f2}
            )
            expected = sorted(reference) if reference is not None else others
            mistakes.found.append(
                DataError(
                    f"lang/{lang.value}.toml",
                    key,
                    f"uses the fields {sorted(found)} where the text should use {expected} "
                    "(as every language does)",
                )
            )
    return mistakes.found


def _shipped_fields() -> dict[str, set[str]]:
    """The {fields} of each English text of the shipped data (an edited copy is compared
    with it), or nothing when it cannot be read."""
    import tomllib

    try:
        with open(Path(str(default_data_dir())) / "lang" / "en.toml", "rb") as handle:
            entries = _flatten_texts(tomllib.load(handle), "lang/en.toml")
        return {key: _fields(value, "lang/en.toml", key) for key, value in entries.items()}
    except (OSError, ValueError, DataError):
        return {}


def _fields(value: TextValue, file: str, key: str) -> set[str]:
    import string

    texts = (value,) if isinstance(value, str) else value
    fields: set[str] = set()
    try:
        for text in texts:
            for _, name, spec, conversion in string.Formatter().parse(text):
                if name is None:
                    continue
                if not name.isidentifier() or not name.islower() or spec or conversion:
                    raise DataError(
                        file,
                        key,
                        f"{{{name}{'!' + conversion if conversion else ''}"
                        f"{':' + spec if spec else ''}}} is not a field: a text may only "
                        "name a field, such as {date}, without dots, brackets, ! or :",
                    )
                fields.add(name)
    except ValueError as error:
        raise DataError(
            file, key, f"braces do not match ({error}); write {{{{ for a brace"
        ) from None
    for text in texts:  # {because:} and {because!} parse as {because}, but are shown raw
        odd = _ODD_FIELD.search(text.replace("{{", "").replace("}}", ""))
        if odd:
            raise DataError(
                file,
                key,
                f"{odd[0]} is not a field: a text may only name a field, such as {{date}}",
            )
    return fields


_ODD_FIELD = re.compile(r"\{[^{}]*[:!][^{}]*\}")
"""A field with an empty format spec or conversion, which string.Formatter lets pass."""
