"""The questionnaire and the rule table as documents: JSON, JSON Schema, Markdown, Mermaid."""

from __future__ import annotations

import itertools
import re

from triage.conditions import questions_in, test_value
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
    Questionnaire,
    Ruleset,
    Section,
    SectionKind,
    Texts,
    Truth,
    Value,
)

SCHEMA_ID = "urn:triage:answers:3"


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
        entry["asked_when"] = in_words(question.ask_when, texts)
        entry["ask_when"] = as_data(question.ask_when)
    entry["text"] = texts(f"question.{question.id}.text")
    entry["why"] = texts(f"question.{question.id}.why")
    return entry


def answers_schema(ruleset: Ruleset) -> dict[str, object]:
    """A JSON Schema (2020-12) of the answers document that `triage assess` reads, which
    accepts what the program accepts: values in any letter case with ASCII white space
    around them, the aliases (Dutch words, true and false), whole numbers in range (also
    as text), `assessed_on` as a real day, a combined (version 2) id instead of its parts
    (never with one of them), a respondent only with the ages it goes with; and requires
    each answer the walk reaches (by `if`/`then` on the answers it depends on, none after a
    `yes` on the emergency screen; a part's answer also given by its combined id).

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
    for combined_id, parts in questionnaire.combined.items():
        part = questionnaire.question(parts[0])
        properties[combined_id] = {
            **_value_schema(part),
            "description": f"{combined_id} ({part.kind.id}): stands for {', '.join(parts)}",
        }
    properties["assessed_on"] = {
        "type": "string",
        "pattern": _DAY_PATTERN,
        "description": "the day the answers were given (YYYY-MM-DD); dates the assessment",
    }
    required: list[dict[str, object]] = [
        {"if": reach.reached(q), "then": reach.answered(q.id)}
        for q in questionnaire.questions
        if q.default is None and reach.checked(q)
    ]
    required += _respondent_ages(questionnaire)
    required += [
        {"if": {"required": [c]}, "then": {"not": {"anyOf": [{"required": [p]} for p in parts]}}}
        for c, parts in questionnaire.combined.items()
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "triage answers (answers contract version 3)",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "allOf": required,
    }


def _respondent_ages(questionnaire: Questionnaire) -> list[dict[str, object]]:
    """answers.RESPONDENT_AGES as if/then: a respondent that goes with some ages only."""
    from triage.answers import RESPONDENT_AGES

    if "respondent" not in questionnaire.by_id or "age" not in questionnaire.by_id:
        return []
    respondent = questionnaire.question("respondent")
    age = questionnaire.question("age").kind
    rules: list[dict[str, object]] = []
    for value, (low, high) in RESPONDENT_AGES.items():
        if value not in respondent.kind.values:
            continue
        allowed = [
            n
            for n in range(age.minimum, age.maximum + 1)
            if low <= n and (high is None or n <= high)
        ]
        rules.append(
            {
                "if": {
                    "required": ["respondent", "age"],
                    "properties": {"respondent": _value_of([value], respondent.kind)},
                },
                "then": {
                    "properties": {
                        "age": {
                            "anyOf": [
                                {"type": "integer", "enum": allowed},
                                {"type": "string", "pattern": _numbers_pattern(allowed)},
                            ]
                        }
                    }
                },
            }
        )
    return rules


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
    return _value_of(list(kind.values), kind)


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
        self.combined_of = {p: c for c, parts in questionnaire.combined.items() for p in parts}

    def answered(
        self, question_id: str, value: dict[str, object] | None = None
    ) -> dict[str, object]:
        """The question has an answer (that fits `value`): its own, or its combined id's
        for a part of a combined answer."""
        combined = self.combined_of.get(question_id)
        given: list[dict[str, object]] = []
        for answer_id in (question_id, *([combined] if combined is not None else [])):
            one: dict[str, object] = {"required": [answer_id]}
            if value is not None:
                one["properties"] = {answer_id: value}
            given.append(one)
        return given[0] if len(given) == 1 else {"anyOf": given}

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
                for q in group.questions
                if stop in q.kind.values
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
        return {"allOf": [self.reached(question), self.answered(question.id, value)]}


def _value_of(values: list[Value], kind: Kind) -> dict[str, object]:
    words = [str(v) for v in values]
    schema: dict[str, object] = {"type": "string", "pattern": _words_pattern(words, kind)}
    booleans = [b for b in (True, False) if kind.aliases.get(str(b).lower()) in words]
    return {"anyOf": [schema, {"enum": booleans}]} if booleans else schema


def _numbers(test: AnswerTest, kind: Kind) -> list[int]:
    """The numbers of a kind's range for which a test holds."""
    return [n for n in range(kind.minimum, kind.maximum + 1) if test_value(test, n) is Truth.TRUE]


def condition_questions(
    condition: Condition, ruleset: Ruleset, texts: Texts
) -> list[dict[str, str]]:
    """Each question a condition looks at, as a clinician reviews it: its id, its wording
    (as asked of the person themselves) and when the walk asks it."""
    found = []
    for question_id in dict.fromkeys(questions_in(condition)):
        question = ruleset.questionnaire.question(question_id)
        asked = question.ask_when
        found.append(
            {
                "id": question_id,
                "text": texts(f"question.{question_id}.text"),
                "asked_when": in_words(asked, texts),
            }
        )
    return found


def rules_json(ruleset: Ruleset, language: Language = Language.EN) -> list[dict[str, object]]:
    """Every rule: id, section, conditions (in words and as data), each question it looks
    at with its wording and when it is asked, disposition, source."""
    texts = ruleset.texts[language]
    return [
        {
            "id": rule.id,
            "section": rule.section,
            "disposition": rule.disposition.value,
            "when": in_words(rule.when, texts),
            "condition": as_data(rule.when),
            "questions": condition_questions(rule.when, ruleset, texts),
            "source": rule.source,
            "reason": {
                lang.value: ruleset.texts[lang](f"rule.{rule.id}.reason", answers="…", because="…")
                for lang in Language
            },
        }
        for rule in ruleset.rules
    ]


def ruleset_json(ruleset: Ruleset, language: Language) -> dict[str, object]:
    """The whole rule table as data: the rules, notes, safety net, settings, both early
    stops, and the principle that the most urgent rule decides."""
    texts = ruleset.texts[language]
    return {
        "version": ruleset.info.version,
        "sha256": ruleset.info.sha256,
        "principle": texts("terms.principle"),
        "sections": [
            {
                "id": s.id,
                "kind": s.kind.value,
                "applies_when": in_words(s.applies_when, texts),
                "title": texts(f"section.{s.id}.title"),
            }
            for s in ruleset.sections
        ],
        "rules": rules_json(ruleset, language),
        "notes": [
            {
                "id": n.id,
                "when": in_words(n.when, texts),
                "shown_with": [d.value for d in Disposition if d in n.dispositions],
                "source": n.source,
                "text": texts(f"note.{n.id}.text"),
            }
            for n in ruleset.notes
        ],
        "safety_net": [
            {
                "id": sign.id,
                "level": sign.level.value,
                "covers": list(sign.covers),
                "applies_when": in_words(sign.applies_when, texts),
                "text": texts(f"safety_net.{sign.id}.text"),
            }
            for sign in ruleset.safety_net
        ],
        "settings": {
            "self_care_window_ends_at": ruleset.settings.self_care_window_ends_at,
            "safety_net_days": ruleset.settings.safety_net_days,
            "settled_stop_at": ruleset.settings.settled_stop_at.value,
            "review_with_gp_when": in_words(ruleset.review_with_gp, texts),
        },
        "stops": _stops(ruleset, texts),
    }


def _stops(ruleset: Ruleset, texts: Texts) -> list[str]:
    """Both early stops of the walk, in words."""
    questions = ruleset.questionnaire
    stops = [
        texts("terms.emergency_stop", value=g.stop_on, group=g.id)
        for g in questions.groups
        if g.stop_on is not None
    ]
    if questions.settled_stop_from is not None:
        stops.append(
            texts(
                "terms.settled_stop",
                group=questions.settled_stop_from,
                disposition=ruleset.settings.settled_stop_at.value,
            )
        )
    return stops


def rules_markdown(ruleset: Ruleset, language: Language, *, wording: bool = False) -> str:
    """The rule table as Markdown: a table per section, then the notes, the safety net,
    the settings and the early stops; with `wording`, each condition is followed by the
    wording of its questions and when each is asked."""
    texts = ruleset.texts[language]
    lines = [
        f"# {texts('terms.rules_title', version=ruleset.info.version)}",
        "",
        texts("terms.data_hash", hash=f"`{ruleset.info.sha256}`"),
        "",
        texts("terms.principle"),
        "",
    ]
    head = [
        texts(k) for k in ("terms.rule", "terms.fires_when", "terms.disposition", "terms.source")
    ]
    for section in ruleset.sections:
        lines += [f"## {texts(f'section.{section.id}.title')}", ""]
        if not isinstance(section.applies_when, Always):
            condition = in_words(section.applies_when, texts)
            lines += [texts("terms.only_when", condition=condition), ""]
        lines += _table(
            head,
            [
                [r.id, _when_cell(r.when, ruleset, texts, wording), r.disposition.value, r.source]
                for r in section.rules
            ],
        )
    lines += [f"## {texts('terms.notes_heading')}", ""]
    lines += _table(
        [texts(k) for k in ("terms.note", "terms.fires_when", "terms.shown_with", "terms.source")],
        [
            [
                n.id,
                in_words(n.when, texts),
                ", ".join(d.value for d in Disposition if d in n.dispositions),
                n.source,
            ]
            for n in ruleset.notes
        ],
    )
    lines += [f"## {texts('terms.safety_net_heading')}", ""]
    lines += _table(
        [texts(k) for k in ("terms.sign", "terms.level", "terms.covers", "terms.applies_when")],
        [
            [s.id, s.level.value, ", ".join(s.covers), in_words(s.applies_when, texts)]
            for s in ruleset.safety_net
        ],
    )
    settings = ruleset.settings
    lines += [f"## {texts('terms.settings_heading')}", ""]
    lines += [
        f"- {texts('terms.setting_window', value=f'`{settings.self_care_window_ends_at}`')}",
        f"- {texts('terms.setting_days', value=f'`{settings.safety_net_days}`')}",
        f"- {texts('terms.setting_review', condition=in_words(ruleset.review_with_gp, texts))}",
        "",
        f"## {texts('terms.stops_heading')}",
        "",
        *(f"- {stop}" for stop in _stops(ruleset, texts)),
        "",
    ]
    return "\n".join(lines)


def _when_cell(condition: Condition, ruleset: Ruleset, texts: Texts, wording: bool) -> str:
    """A condition in words; with `wording`, then each question's wording and when it is
    asked, a line each (<br>, as Markdown tables allow no line breaks)."""
    words = in_words(condition, texts)
    if not wording:
        return words
    lines = [words] + [
        f"• {q['id']}: “{_one_line(q['text'])}” ({texts('terms.asked_when')}: {q['asked_when']})"
        for q in condition_questions(condition, ruleset, texts)
    ]
    return "<br>".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return [*lines, ""]


def rules_mermaid(ruleset: Ruleset, language: Language) -> str:
    """The decision flow as a Mermaid flowchart a clinician can read: each section a
    subgraph, its rules grouped by disposition with their conditions in words, the
    dispositions from the most to the least urgent, and the principle and stops as a note.

    Node ids are made of the data's ids with a prefix (s_, r_, d_), so that no id can be
    one of mermaid's keywords (`end`, `graph`, ...).
    """
    texts = ruleset.texts[language]
    lines = ["flowchart LR", f'    answers(["{_label(texts("terms.mermaid_answers"))}"])']
    for section in ruleset.sections:
        lines += _section_subgraph(ruleset, section, texts)
    lines.append('    subgraph dispositions[" "]')
    lines.append("        direction TB")
    for number, disposition in enumerate(Disposition, start=1):
        headline = _label(texts(f"disposition.{disposition.value}.headline"))
        lines.append(f'        d_{disposition.value}["{number}. {disposition.value}: {headline}"]')
    levels = [f"d_{d.value}" for d in Disposition]
    lines += [f"        {a} ~~~ {b}" for a, b in itertools.pairwise(levels)]
    lines.append("    end")
    notes = [texts("terms.principle"), *_stops(ruleset, texts)]
    lines.append('    note["' + "<br/>".join(_label(n) for n in notes) + '"]')
    return "\n".join(lines) + "\n"


def _section_subgraph(ruleset: Ruleset, section: Section, texts: Texts) -> list[str]:
    title = texts(f"section.{section.id}.title")
    if section.kind is SectionKind.FALLBACK:
        scope = texts("terms.mermaid_fallback", condition=in_words(section.applies_when, texts))
    else:
        scope = texts("terms.mermaid_checked")
    lines = [
        f'    subgraph s_{section.id}["{_label(f"{title} ({scope})")}"]',
        "        direction TB",
    ]
    edges = []
    for disposition in Disposition:
        rules = [r for r in section.rules if r.disposition is disposition]
        if not rules:
            continue
        node = f"r_{section.id}_{disposition.value}"
        listed = "<br/>".join(_label(f"{r.id}: {in_words(r.when, texts)}") for r in rules)
        lines.append(f'        {node}["{listed}"]')
        edges.append(f"    {node} --> d_{disposition.value}")
    lines.append("    end")
    return [*lines, f"    answers --> s_{section.id}", *edges]


def _label(text: str) -> str:
    """Text for a quoted mermaid label: #, quotes and angle brackets as mermaid's entity
    codes (# first: a text's own "#lt;" would otherwise become a "<")."""
    return (
        text.replace("#", "#35;")
        .replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
    )
