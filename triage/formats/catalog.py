"""The questionnaire and the rule table as documents: JSON, JSON Schema, Markdown, Mermaid."""

from __future__ import annotations

import re
from collections.abc import Iterator

from triage.conditions import evaluator
from triage.formats.describe import as_data, in_words
from triage.model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Condition,
    Disposition,
    Group,
    Kind,
    Language,
    Question,
    Ruleset,
    SectionKind,
    Texts,
    Truth,
    Value,
)

SCHEMA_ID = "urn:triage:answers:2"


def questions_json(ruleset: Ruleset, language: Language) -> list[dict[str, object]]:
    """Every question with its kind, values, condition and texts."""
    texts = ruleset.texts[language]
    return [_question(q, texts) for q in ruleset.questionnaire.questions]


def _question(question: Question, texts: Texts) -> dict[str, object]:
    kind = question.kind
    entry: dict[str, object] = {"id": question.id, "group": question.group, "kind": kind.id}
    if kind.is_number:
        entry.update(minimum=kind.minimum, maximum=kind.maximum)
    else:
        entry["values"] = list(kind.values)
        entry["labels"] = {v: texts(f"value.{kind.id}.{v}") for v in kind.values}
    if not isinstance(question.ask_when, Always):
        entry["asked_when"] = in_words(question.ask_when)
        entry["ask_when"] = as_data(question.ask_when)
    entry["text"] = texts(f"question.{question.id}.text")
    entry["why"] = texts(f"question.{question.id}.why")
    return entry


def answers_schema(ruleset: Ruleset) -> dict[str, object]:
    """A JSON Schema (2020-12) of the answers document that `triage assess` reads, which
    accepts what the program accepts: values in any letter case with ASCII white space
    around them, the aliases (Dutch words, true and false), whole numbers in range (also
    as text), `assessed_on` as a real day; and requires each answer the walk reaches (by
    `if`/`then` on the answers it depends on, none after a `yes` on the emergency screen).

    One gap, on the safe side: from the group after the settled stop's first group on,
    whether the walk goes on depends on the rules, which a schema cannot follow; so it
    requires no answer there, and `triage assess` names any it still needs.
    """
    questionnaire = ruleset.questionnaire
    reach = _Reach(ruleset)
    properties: dict[str, object] = {
        q.id: {**_value_schema(q), "description": f"{q.id} ({q.kind.id})"}
        for q in questionnaire.questions
    }
    properties["assessed_on"] = {
        "type": "string",
        "pattern": _DAY_PATTERN,
        "description": "the day the answers were given (YYYY-MM-DD); dates the assessment",
    }
    required = [
        {"if": reach.reached(q), "then": {"required": [q.id]}}
        for q in questionnaire.questions
        if q.default is None and reach.checked(q)
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "triage answers (answers contract version 2)",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "allOf": required,
    }


_W = "[ \\t\\n\\r\\f\\v]"
"""The white space the program allows around an answer (answers.SPACES)."""


def _value_schema(question: Question) -> dict[str, object]:
    kind = question.kind
    if kind.is_number:
        return {
            "anyOf": [
                {"type": "integer", "minimum": kind.minimum, "maximum": kind.maximum},
                {"type": "string", "pattern": _number_pattern(kind.minimum, kind.maximum)},
            ]
        }
    words: dict[str, object] = {"type": "string", "pattern": _words_pattern(kind.values, kind)}
    booleans = [b for b in (True, False) if str(b).lower() in kind.aliases]
    if not booleans:
        return words
    return {"anyOf": [words, {"enum": booleans}]}


def _words_pattern(values: tuple[str, ...] | list[str], kind: Kind) -> str:
    """The values, and the aliases that mean them, in any letter case and spacing."""
    words = [
        w for w in (*kind.values, *kind.aliases) if w in values or kind.aliases.get(w) in values
    ]
    return f"^{_W}*(?:" + "|".join(_any_case(w) for w in words) + f"){_W}*$"


def _any_case(word: str) -> str:
    parts = []
    for char in word:
        if char.isalpha():
            parts.append(f"[{char.lower()}{char.upper()}]")
        elif char == " ":
            parts.append(f"{_W}+")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _number_pattern(low: int, high: int) -> str:
    """Whole numbers from low to high as text: digits with leading zeros and spaces."""
    return _numbers_pattern(list(range(low, high + 1)))


def _numbers_pattern(numbers: list[int]) -> str:
    """These whole numbers as text: digits with leading zeros, and spaces around them."""
    alternatives = "|".join(str(n) for n in sorted(numbers, reverse=True))
    return f"^{_W}*0*(?:{alternatives}){_W}*$"


_YEAR = "(?:19[0-9]{2}|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])"
_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_LEAP_YEAR = "(?:(?:19|[2-9][0-9])(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[3579][26])00)"
_DAY_PATTERN = f"^{_W}*(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29){_W}*$"
"""A real day from 1900-01-01 to 9998-12-31 (answers.check_day), leap days included."""


class _Reach:
    """When the walk reaches a question, as JSON Schema: its condition holds (or may hold:
    an answer of unknown counts) on answers the walk reached, and no stop came before."""

    def __init__(self, ruleset: Ruleset) -> None:
        questionnaire = ruleset.questionnaire
        self.questionnaire = questionnaire
        groups = [g.id for g in questionnaire.groups]
        self.place = {g: i for i, g in enumerate(groups)}
        start = questionnaire.settled_stop_from
        self.last_checked = self.place[start] if start is not None else len(groups)
        self.stops = [g for g in questionnaire.groups if g.stop_on is not None]

    def checked(self, question: Question) -> bool:
        """Whether the schema can tell if the walk reaches the question."""
        return self.place[question.group] <= self.last_checked

    def reached(self, question: Question) -> dict[str, object]:
        # A stop ends the walk after its group: the group's unanswered questions, and
        # every later one, are not needed.
        parts: list[dict[str, object]] = [
            {"not": self._stopped(group)}
            for group in self.stops
            if self.place[group.id] <= self.place[question.group]
        ]
        if not isinstance(question.ask_when, Always):
            parts.append(self._holds(question.ask_when))
        return {"allOf": parts} if parts else {}

    def _stopped(self, group: Group) -> dict[str, object]:
        stop = str(group.stop_on)
        return {
            "anyOf": [
                {
                    "required": [q.id],
                    "properties": {q.id: _value_of([stop], q.kind)},
                }
                for q in self.questionnaire.questions
                if q.group == group.id and stop in q.kind.values
            ]
        }

    def _holds(self, condition: Condition) -> dict[str, object]:
        """The condition is TRUE or MAYBE, on answers the walk reached."""
        if isinstance(condition, AllOf):
            return {"allOf": [self._holds(p) for p in condition.parts]}
        if isinstance(condition, AnyOf):
            return {"anyOf": [self._holds(p) for p in condition.parts]}
        if isinstance(condition, AnswerTest):
            return self._test(condition)
        return {}

    def _test(self, test: AnswerTest) -> dict[str, object]:
        question = self.questionnaire.question(test.question)
        kind = question.kind
        if kind.is_number:
            numbers = _numbers(test, kind)
            value: dict[str, object] = {
                "anyOf": [
                    {"type": "integer", "enum": numbers},
                    {"type": "string", "pattern": _numbers_pattern(numbers)},
                ]
            }
        else:
            holding = [*test.values, *([UNKNOWN] if UNKNOWN in kind.values else [])]
            value = _value_of(holding, kind)
        return {
            "allOf": [
                self.reached(question),
                {"required": [question.id], "properties": {question.id: value}},
            ]
        }


def _value_of(values: list[Value], kind: Kind) -> dict[str, object]:
    words = [str(v) for v in values]
    schema: dict[str, object] = {"type": "string", "pattern": _words_pattern(words, kind)}
    booleans = [b for b in (True, False) if kind.aliases.get(str(b).lower()) in words]
    return {"anyOf": [schema, {"enum": booleans}]} if booleans else schema


def _numbers(test: AnswerTest, kind: Kind) -> list[int]:
    """The numbers of a kind's range for which a test holds."""
    check = evaluator(test)
    return [
        n for n in range(kind.minimum, kind.maximum + 1) if check({test.question: n}) is Truth.TRUE
    ]


def rules_json(ruleset: Ruleset) -> list[dict[str, object]]:
    """Every rule: id, section, conditions (in words and as data), disposition, source."""
    return [
        {
            "id": rule.id,
            "section": rule.section,
            "disposition": rule.disposition.value,
            "when": in_words(rule.when),
            "condition": as_data(rule.when),
            "source": rule.source,
            "reason": {
                lang.value: ruleset.texts[lang](f"rule.{rule.id}.reason", answers="…", because="…")
                for lang in Language
            },
        }
        for rule in ruleset.rules
    ]


def rules_markdown(ruleset: Ruleset, language: Language) -> str:
    """The rule table as Markdown, a table per section."""
    texts = ruleset.texts[language]
    lines = [
        f"# Rule table {ruleset.info.version}",
        "",
        f"SHA-256 of the data: `{ruleset.info.sha256}`",
        "",
    ]
    for section in ruleset.sections:
        lines += [f"## {texts(f'section.{section.id}.title')}", ""]
        if not isinstance(section.applies_when, Always):
            lines += [f"Only when {in_words(section.applies_when)} and no earlier rule fired.", ""]
        lines += ["| rule | fires when | disposition | source |", "| --- | --- | --- | --- |"]
        for rule in (r for r in ruleset.rules if r.section == section.id):
            cells = [rule.id, in_words(rule.when), rule.disposition.value, rule.source]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    lines += ["When several rules fire, the most urgent decides.", ""]
    return "\n".join(lines)


def rules_mermaid(ruleset: Ruleset, language: Language) -> str:
    """The decision flow as a Mermaid flowchart: every section and where its rules lead."""
    texts = ruleset.texts[language]
    lines = ["flowchart TD", '    answers(["Answers"])']
    for section in ruleset.sections:
        title = _label(texts(f"section.{section.id}.title"))
        lines.append(f'    {section.id}{{"{title}"}}')
        edge = ""
        if section.kind is SectionKind.FALLBACK:
            edge = f'|"no rule above fired, {_label(in_words(section.applies_when))}"|'
        lines.append(f"    answers -->{edge} {section.id}")
        lines += list(_outcomes(ruleset, section.id))
    for disposition in Disposition:
        headline = _label(texts(f"disposition.{disposition.value}.headline"))
        lines.append(f'    {disposition.value}["{disposition.value}: {headline}"]')
    lines.append('    note["When several rules fire, the most urgent decides."]')
    return "\n".join(lines) + "\n"


def _outcomes(ruleset: Ruleset, section_id: str) -> Iterator[str]:
    for disposition in Disposition:
        ids = [
            r.id for r in ruleset.rules if r.section == section_id and r.disposition is disposition
        ]
        if ids:
            yield f'    {section_id} -->|"{_label(", ".join(ids))}"| {disposition.value}'


def _label(text: str) -> str:
    return text.replace('"', "'").replace("|", "/")
