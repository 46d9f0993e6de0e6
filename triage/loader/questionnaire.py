"""Loading questions.toml: the kinds, the groups holding their questions, the questionnaire."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from triage.errors import DataError, did_you_mean
from triage.loader import schema
from triage.loader.checking import (
    MAX_NUMBER,
    Mistakes,
    check_unique,
    entry_name,
    list_of_tables,
    read_id,
    read_integer,
    read_switch,
    read_text,
)
from triage.loader.conditions import ConditionLoader
from triage.loader.reading import QUESTIONS_FILE
from triage.loader.schema import keys_of
from triage.model import UNKNOWN, Always, Condition, Group, Kind, Question, Questionnaire


def load_questionnaire(doc: dict[str, Any]) -> Questionnaire:
    file = QUESTIONS_FILE
    keys_of(doc, schema.QUESTIONS, file, "")
    header = keys_of(doc["questionnaire"], schema.QUESTIONNAIRE, file, "[questionnaire]")
    kinds = _load_kinds(doc["kind"])
    groups = tuple(_load_group(raw, i) for i, raw in enumerate(list_of_tables(doc, "group", file)))
    check_unique([g.id for g in groups], file, "group")
    questions: list[Question] = []
    mistakes = Mistakes()
    for index, raw in enumerate(list_of_tables(doc, "question", file)):
        with mistakes.entry():
            questions.append(_load_question(raw, index, kinds, groups, questions))
    mistakes.raise_found()
    check_unique([q.id for q in questions], file, "question")
    _check_group_order(questions, groups)
    _check_screens(questions)
    return Questionnaire.of(
        read_text(header["version"], file, "[questionnaire] version"),
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
    for index, raw in enumerate(list_of_tables(doc, "combined", file) if "combined" in doc else []):
        table = keys_of(raw, schema.COMBINED, file, entry_name(raw, "combined", index))
        combined_id = read_id(table["id"], file, entry_name(raw, "combined", index))
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
    voice = read_text(header["voice"], QUESTIONS_FILE, entry)
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
    group = read_text(header["settled_stop_from"], QUESTIONS_FILE, entry)
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
        table = keys_of(body, schema.KIND, file, entry)
        kinds[kind_id] = _load_kind(kind_id, table, entry)
    return kinds


def _load_kind(kind_id: str, table: dict[str, Any], entry: str) -> Kind:
    file = QUESTIONS_FILE
    if "values" not in table:
        minimum = read_integer(table.get("minimum"), file, f"{entry} minimum")
        maximum = read_integer(table.get("maximum"), file, f"{entry} maximum")
        if minimum > maximum:
            raise DataError(file, entry, "minimum is larger than maximum")
        if maximum - minimum > MAX_NUMBER:
            raise DataError(file, entry, f"a range of more than {MAX_NUMBER} numbers")
        return Kind(id=kind_id, aliases={}, minimum=minimum, maximum=maximum)
    values = table["values"]
    if not isinstance(values, list) or not values:
        raise DataError(file, f"{entry} values", "should be a non-empty list of values")
    checked = tuple(read_id(v, file, f"{entry} values") for v in values)
    check_unique(list(checked), file, f"{entry} value")
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
    ordered = read_switch(table, "ordered", file, entry)
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
    entry = entry_name(raw, "group", index)
    table = keys_of(raw, schema.GROUP, QUESTIONS_FILE, entry)
    stop_on = table.get("stop_on")
    checklist = read_switch(table, "checklist", QUESTIONS_FILE, entry)
    return Group(
        id=read_id(table["id"], QUESTIONS_FILE, entry),
        stop_on=None if stop_on is None else read_text(stop_on, QUESTIONS_FILE, entry),
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
    table = keys_of(raw, schema.QUESTION, file, entry_name(raw, "question", index))
    question_id = read_id(table["id"], file, entry_name(raw, "question", index))
    entry = f"question {question_id!r}"
    kind_id = read_text(table["kind"], file, entry)
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
        ask_when = ConditionLoader(file, f"{entry} ask_when", lookup, None, earlier_only=True).load(
            table["ask_when"]
        )
    default = table.get("default")
    if default is not None and default not in kinds[kind_id].values:
        raise DataError(
            file,
            f"{entry} default",
            f"{default!r} is not a value of kind {kind_id}"
            f"{did_you_mean(str(default), kinds[kind_id].values)}",
        )
    informational = read_switch(table, "informational", file, entry)
    added_in = (
        read_text(table["added_in"], file, f"{entry} added_in") if "added_in" in table else None
    )
    screen = table.get("screen")
    return Question(
        id=question_id,
        group=table["group"],
        kind=kinds[kind_id],
        ask_when=ask_when,
        default=default,
        informational=informational,
        added_in=added_in,
        screen=None if screen is None else read_id(screen, file, f"{entry} screen"),
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
