"""Answers from scripts: reading answers documents, `id=value` strings, and checking values."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from triage.errors import AnswersError, did_you_mean
from triage.model import UNKNOWN, Kind, Question, Questionnaire, Value

MAX_DOCUMENT_BYTES = 1024 * 1024
MAX_DIGITS = 9
"""Numbers are ages: a text of more digits is refused before Python is asked to read it."""
ASSESSED_ON = "assessed_on"

SPACES = " \t\n\r\f\v"
"""The white space an answer may have around it (and between the words of `weet niet`):
ASCII only, as the answers' JSON Schema says it (catalog.answers_schema)."""
_SPACE_RUN = re.compile(f"[{SPACES}]+")
_DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""The one key of an answers document that is no question: the day the answers were given."""
HELP_IDS = "'triage questions' lists every id with its values"


def read_source(source: str, stdin: BinaryIO | None) -> bytes:
    """The bytes of an answers file, or of standard input for '-' (None: it is closed);
    at most 1 MiB."""
    if source == "-":
        if stdin is None:
            raise AnswersError("standard input is closed; give the answers with --answers FILE")
        return _limited(stdin.read(MAX_DOCUMENT_BYTES + 1), "standard input")
    path = Path(source)
    try:
        if path.is_dir():
            raise AnswersError(f"{source} is a folder; give an answers file (.json or .toml)")
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise AnswersError(
                f"{source} is larger than 1 MiB; an answers file is a small "
                "JSON object or TOML table"
            )
        with path.open("rb") as handle:
            return _limited(handle.read(MAX_DOCUMENT_BYTES + 1), source)
    except FileNotFoundError:
        raise AnswersError(
            f"{source}: no such file; give an answers file (.json or .toml), "
            "or - for standard input"
        ) from None
    except PermissionError:
        raise AnswersError(f"{source}: not allowed to read this file") from None
    except OSError as error:
        raise AnswersError(f"{source}: cannot be read ({error.strerror or error})") from None


def _limited(data: bytes, name: str) -> bytes:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise AnswersError(
            f"{name} is larger than 1 MiB; an answers document is a small JSON object or TOML table"
        )
    return data


def parse_document(data: bytes, name: str) -> dict[str, object]:
    """A JSON object or TOML table of `id = value`; by suffix, else JSON first, then TOML."""
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")  # a byte-order mark is fine
    except UnicodeDecodeError:
        raise AnswersError(
            f"{name} is not UTF-8 text; give a JSON object or a TOML table of id = value"
        ) from None
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return _json(text, name)
    if suffix == ".toml":
        return _toml(text, name)
    try:
        return _json(text, name)
    except AnswersError as json_error:
        try:
            return _toml(text, name)
        except AnswersError:
            raise json_error from None


def _json(text: str, name: str) -> dict[str, object]:
    try:
        document = json.loads(
            text, object_pairs_hook=no_duplicate_keys, parse_constant=_no_constant
        )
    except json.JSONDecodeError as error:
        raise AnswersError(
            f"{name} is not valid JSON (line {error.lineno}, column "
            f"{error.colno}: {error.msg.removesuffix(' at')}); give an object such as "
            '{"age": 67, "groin_pain": "yes"}'
        ) from None
    except RecursionError:
        raise AnswersError(f"{name} is nested too deeply; answers are a flat object") from None
    except ValueError as error:
        raise AnswersError(
            f"{name} holds a value JSON cannot read ({_unreadable(error)})"
        ) from None
    return _object(document, name)


def _toml(text: str, name: str) -> dict[str, object]:
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problem = str(error)
        if "overwrite" in problem.lower():
            problem = f"a key is given twice ({problem})"
        raise AnswersError(
            f"{name} is not valid TOML ({problem}); give lines such as "
            'age = 67 and groin_pain = "yes"'
        ) from None
    except RecursionError:
        raise AnswersError(f"{name} is nested too deeply; answers are a flat table") from None
    except ValueError as error:
        raise AnswersError(
            f"{name} holds a value TOML cannot read ({_unreadable(error)})"
        ) from None
    return _object(document, name)


def _unreadable(error: ValueError) -> str:
    """Why a value could not be read, in the reader's words, without Python's advice."""
    if "Exceeds the limit" in str(error):  # int() of thousands of digits
        return "a number of more than 4300 digits"
    return str(error)


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different (one pass: a large file costs no more)."""
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise AnswersError(f"the key {key!r} is given twice; give each answer once")
            seen.add(key)
    return document


def _no_constant(word: str) -> object:
    raise AnswersError(f"{word} is not a valid answer value")


def _object(document: object, name: str) -> dict[str, object]:
    if not isinstance(document, dict):
        raise AnswersError(
            f"{name} should hold one object of id: value pairs, such as "
            '{"age": 67, "groin_pain": "yes"}'
        )
    return document


def parse_assignments(assignments: Iterable[str], option: str = "--answer") -> dict[str, object]:
    """`--answer id=value` strings as a mapping; later ones win."""
    parsed: dict[str, object] = {}
    for assignment in assignments:
        question_id, sep, value = assignment.partition("=")
        if not sep or not question_id.strip():
            raise AnswersError(
                f"{option} {assignment!r} should look like id=value, for "
                f"example {option} groin_pain=yes"
            )
        parsed[question_id.strip()] = value
    return parsed


RESPONDENT_AGES: Mapping[str, tuple[int, int | None]] = {"child": (0, 17), "other": (18, None)}
"""The ages a respondent goes with (`self` with any age); any other pair is bad input
(answers contract v3: a parent answers for a child under 18, a helper for an adult)."""


def impossible_pair(answers: Mapping[str, object]) -> str | None:
    """Why a respondent and an age cannot go together, or None."""
    respondent, age = answers.get("respondent"), answers.get("age")
    if not isinstance(respondent, str) or not isinstance(age, int) or isinstance(age, bool):
        return None
    ages = RESPONDENT_AGES.get(respondent)
    if ages is None or (ages[0] <= age and (ages[1] is None or age <= ages[1])):
        return None
    low, high = ages
    span = f"under {high + 1}" if high is not None else f"{low} or more"
    return (
        f"respondent = {respondent!r} goes with an age {span}, not age = {age}: one of the "
        "two answers is wrong (a parent answers for a child under 18: 'child'; someone "
        "helping an adult: 'other')"
    )


def normalize(raw: Mapping[str, object], questionnaire: Questionnaire) -> dict[str, Value]:
    """Check every given answer and return it in the contract's form; AnswersError if bad
    (an impossible pair of answers included)."""
    if is_canonical(raw, questionnaire):
        clean: dict[str, Value] = dict(raw)  # type: ignore[arg-type]  # checked just now
        if (problem := impossible_pair(clean)) is not None:
            raise AnswersError(_problems([problem], 1))
        return clean
    answers: dict[str, Value] = {}
    problems: list[str] = []  # the first SHOWN_PROBLEMS, worded; the rest only counted
    total = 0
    for key, value in raw.items():
        question_id = str.__str__(key) if isinstance(key, str) else key
        if question_id in questionnaire.combined:
            question = questionnaire.question(questionnaire.combined[question_id][0])
            try:
                answers[question_id] = normalize_value(question, value)
            except AnswersError as error:
                total += 1
                problems.append(str(error).replace(question.id, question_id, 1))
            continue
        if question_id not in questionnaire.by_id:
            total += 1
            if len(problems) < SHOWN_PROBLEMS:  # "did you mean" only for the keys shown
                problems.append(
                    f"unknown question id {question_id!r}"
                    f"{did_you_mean(str(question_id), questionnaire.ids)}"
                )
            continue
        try:
            answers[question_id] = normalize_value(questionnaire.question(question_id), value)
        except AnswersError as error:
            total += 1
            if len(problems) < SHOWN_PROBLEMS:
                problems.append(str(error))
    if (pair := impossible_pair(answers)) is not None:
        total += 1
        problems.append(pair)
    if total:
        raise AnswersError(_problems(problems, total))
    return _expand_combined(raw, answers, questionnaire)


SHOWN_PROBLEMS = 5
"""How many problems with a set of answers a message names (it counts them all)."""


def _expand_combined(
    raw: Mapping[str, object], answers: dict[str, Value], questionnaire: Questionnaire
) -> dict[str, Value]:
    """A combined (version 2) id stands for its parts: each part gets its answer. Giving the
    combined id together with a part is bad input that names both."""
    given = [c for c in questionnaire.combined if c in raw]
    if not given:
        return answers
    problems: list[str] = []
    for combined_id in given:
        value = answers.pop(combined_id)
        parts = questionnaire.combined[combined_id]
        both = [p for p in parts if p in raw]
        if both:
            problems.append(
                f"{combined_id} and {', '.join(both)}: give either {combined_id} or its parts "
                f"({', '.join(parts)}), not both"
            )
        answers.update(dict.fromkeys(parts, value))
    if problems:
        raise AnswersError(_problems(problems, len(problems)))
    return answers


def with_combined(answers: Mapping[str, Value], questionnaire: Questionnaire) -> dict[str, Value]:
    """The answers with each combined (version 2) answer whose parts were asked: yes when a
    part is yes, unknown when none is yes and one is unknown, no otherwise."""
    result: dict[str, Value] = {}
    for question_id, value in answers.items():
        result[question_id] = value
        for combined_id, parts in questionnaire.combined.items():
            if question_id == _last_given(parts, answers):
                given = {answers[p] for p in parts if p in answers}
                result[combined_id] = next(v for v in ("yes", UNKNOWN, "no") if v in given)
    return result


def _last_given(parts: tuple[str, ...], answers: Mapping[str, Value]) -> str | None:
    """The last part of a combined answer that has an answer: the combined one follows it."""
    return next((p for p in reversed(parts) if p in answers), None)


_PLAIN = (str, int)


def is_canonical(
    raw: Mapping[str, object], questionnaire: Questionnaire, *, plain: bool = False
) -> bool:
    """Whether every answer is already in the contract's form (the quick path for batches).

    `plain`: the keys and texts are known to be plain str (JSON and CSV give no subclass).
    """
    try:
        if not questionnaire.canonical.issuperset(raw.items()):
            return False
    except TypeError:  # an unhashable value, such as a list: the slow path names it
        return False
    # Equal is not enough: a subclass of str or int (with its own methods) is rebuilt by
    # the slow path into a plain value.
    if not plain and (
        not all(type(k) is str for k in raw) or not all(type(v) in _PLAIN for v in raw.values())
    ):
        return False
    # True == 1 and 1.0 == 1 as set members: numbers must really be whole numbers.
    for question_id in questionnaire.numbers:  # noqa: SIM110 (quicker than all())
        if type(raw.get(question_id, 0)) is not int:
            return False
    return True


def _problems(shown: list[str], total: int) -> str:
    more = f"\n  ... and {total - len(shown)} more" if total > len(shown) else ""
    lines = "\n".join(f"  - {p}" for p in shown)
    noun = "problem" if total == 1 else "problems"
    return f"{total} {noun} with the answers:\n{lines}{more}\n({HELP_IDS})"


def normalize_value(question: Question, value: object) -> Value:
    """One answer in the contract's form, or AnswersError saying what is accepted."""
    if value is None or isinstance(value, dict | list):
        raise AnswersError(
            f"{question.id}: null, lists and tables are not answers; {accepted(question.kind)}"
        )
    if question.kind.is_number:
        return _number(question, value)
    return _choice(question, value)


def _number(question: Question, value: object) -> int:
    kind = question.kind
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = int.__index__(value)  # a plain int, whatever the type
    elif isinstance(value, float) and value.is_integer() and abs(value) < 10**MAX_DIGITS:
        number = int(value)  # 62.0 or 6.2e1 in JSON: a whole number, as JSON Schema says
    elif (
        isinstance(value, str)
        and (text := str.__str__(value).strip(SPACES)).isascii()
        and text.isdigit()
    ):
        digits = text.lstrip("0") or "0"
        number = int(digits) if len(digits) <= MAX_DIGITS else None
    if number is None or not kind.minimum <= number <= kind.maximum:
        shown = shown_value(value)
        raise AnswersError(f"{question.id}: {shown} is not accepted; {accepted(kind)}")
    return number


def _choice(question: Question, value: object) -> str:
    kind = question.kind
    word = str(value).lower() if isinstance(value, bool) else value
    if isinstance(word, str) and str.__str__(word).isascii():  # values are ASCII words
        word = " ".join(_SPACE_RUN.split(str.__str__(word).strip(SPACES))).lower()
        if word in kind.values:
            return word
        if word in kind.aliases:
            return kind.aliases[word]
    hint = did_you_mean(word, [*kind.values, *kind.aliases]) if isinstance(word, str) else ""
    shown = shown_value(value)
    raise AnswersError(f"{question.id}: {shown} is not accepted{hint}; {accepted(kind)}")


def shown_value(value: object) -> str:
    """A value from a file as a message shows it: as written, at most 40 characters."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        return f"a number of more than {MAX_DIGITS} digits"
    if isinstance(value, float) and not math.isfinite(value):  # 1e999 reads as infinity
        return "a number too large to read"
    if isinstance(value, bool | int | float):
        text = json.dumps(value)
    elif isinstance(value, dt.datetime):  # TOML dates and times: as written
        text = f"the date and time {value.isoformat()}"
    elif isinstance(value, dt.date):
        text = f"the date {value.isoformat()}"
    elif isinstance(value, dt.time):
        text = f"the time {value.isoformat()}"
    elif isinstance(value, str):
        text = repr(value)
    else:
        text = f"a {type(value).__name__}"  # never a Python repr of an object
    return text if len(text) <= 40 else text[:37] + "..."


def accepted(kind: Kind) -> str:
    """What a question of this kind accepts, in words."""
    if kind.is_number:
        return f"give a whole number from {kind.minimum} to {kind.maximum}"
    values = ", ".join(kind.values)
    aliases = ", ".join(kind.aliases)
    also = f" (also {aliases})" if aliases else ""
    return f"use one of {values}{also}"


def missing_message(
    missing: Iterable[str], *, new_in_version: str | None = None, probably: Iterable[str] = ()
) -> str:
    """The error for answers the walk needs but did not get; for answers written for
    version 2 of the contract, which version 3 questions they lack."""
    ids = list(missing)
    plural = "s" if len(ids) > 1 else ""
    if new_in_version is None:
        return (
            f"missing answers for {len(ids)} question{plural} the walk reaches: {_id_list(ids)}"
            f"\n(add them to the answers; {HELP_IDS})"
        )
    more = list(probably)
    also = f"\nprobably needed too: {_id_list(more)}" if more else ""
    return (
        f"answers for questions added in version {new_in_version} are missing (the answers may "
        f"have been written for an earlier version): {_id_list(ids)}{also}"
        f"\n(add them to the answers; {HELP_IDS})"
    )


def _id_list(ids: list[str]) -> str:
    return ", ".join(ids[:12]) + (f" and {len(ids) - 12} more" if len(ids) > 12 else "")


def split_assessed_on(raw: Mapping[str, object]) -> tuple[dict[str, object], dt.date | None]:
    """The answers without `assessed_on`, and that date (None when not given).

    AnswersError when it is not a date of the form YYYY-MM-DD.
    """
    answers = dict(raw)
    if ASSESSED_ON not in answers:
        return answers, None
    value = answers.pop(ASSESSED_ON)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):  # a time: no day
        return answers, check_day(value, ASSESSED_ON)
    if isinstance(value, str) and _DAY.fullmatch(text := str.__str__(value).strip(SPACES)):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return answers, check_day(day, ASSESSED_ON)
    raise AnswersError(
        f"{ASSESSED_ON}: {shown_value(value)} is not accepted; give the date the answers were "
        "given as YYYY-MM-DD, for example 2026-12-03"
    )


FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(9998, 12, 31)


def check_day(day: dt.date, what: str) -> dt.date:
    """A day an assessment can be dated on (its review date must fit in the calendar)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise AnswersError(
            f"{what}: {day.isoformat()} is out of range; give a day from "
            f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
        )
    return day
