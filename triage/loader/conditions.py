"""Parsing the conditions of the data files (`when`, `ask_when`, `applies_when`, ...),
checking every question, value and setting they name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from triage.conditions import MAX_CLAUSES, clause_count
from triage.errors import DataError, did_you_mean
from triage.loader import schema
from triage.loader.checking import (
    COMPARISONS,
    MAX_NESTING,
    OPERATORS,
    read_disposition,
    read_integer,
    read_text,
)
from triage.loader.schema import describe, keys_of
from triage.model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Condition,
    Otherwise,
    Possibly,
    Question,
    UnknownAnswers,
)


class ConditionLoader:
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
            raise self.fail(f"a condition should be a table, not {describe(raw)}")
        forms = tuple(schema.CONDITIONS)
        present = [form for form in forms if form in raw]
        if len(present) != 1:
            raise self.fail(
                f"a condition needs exactly one of: {', '.join(forms)}; "
                f"found {sorted(raw) or 'none'}"
            )
        form = present[0]
        if form in ("possibly", "unknown_answers", "otherwise") and form not in self.meta:
            raise self.fail(f"{form!r} is not allowed here")
        condition = self._loaders()[form](raw)
        if self.depth == 0 and clause_count(condition) > MAX_CLAUSES:
            raise self.fail(
                f"the condition holds in more than {MAX_CLAUSES} combinations of its tests "
                "(an 'all' multiplies the choices of its 'any' parts); write it more simply, "
                "for a rule as a few rules with the same disposition"
            )
        return condition

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
        keys_of(raw, schema.CONDITIONS[key], self.file, self.entry)
        parts = raw[key]
        if not isinstance(parts, list) or not parts:
            raise self.fail(f"{key!r} takes a non-empty list of conditions")
        if self.depth >= MAX_NESTING:
            raise self.fail(f"conditions nested more than {MAX_NESTING} deep")
        inner = ConditionLoader(
            self.file,
            self.entry,
            self.questions,
            self.settings,
            earlier_only=self.earlier_only,
            depth=self.depth + 1,
        )
        return tuple(inner.load(part) for part in parts)

    def _flag(self, raw: dict[str, Any], key: str, condition: Condition) -> Condition:
        keys_of(raw, schema.CONDITIONS[key], self.file, self.entry)
        if raw[key] is not True:
            raise self.fail(f"{key!r} can only be true")
        return condition

    def _possibly(self, raw: dict[str, Any]) -> Condition:
        keys_of(raw, schema.POSSIBLY, self.file, self.entry)
        return Possibly(read_disposition(raw["possibly"], self.file, self.entry))

    def _unknown_answers(self, raw: dict[str, Any]) -> Condition:
        keys_of(raw, schema.UNKNOWN_ANSWERS, self.file, self.entry)
        count = read_integer(raw["unknown_answers"], self.file, self.entry)
        if count < 1:
            raise self.fail("'unknown_answers' takes a number of 1 or more")
        return UnknownAnswers(count)

    def _test(self, raw: dict[str, Any]) -> Condition:
        keys_of(raw, schema.TEST, self.file, self.entry)
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
        question_id = read_text(raw, self.file, self.entry)
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
        name = read_text(raw["setting"], self.file, f"{self.entry} setting")
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
        numbers = tuple(read_integer(v, self.file, f"{self.entry} value") for v in raw_values)
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
