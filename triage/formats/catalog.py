"""The questionnaire and the rule table as documents: JSON, JSON Schema, Markdown, Mermaid."""

from __future__ import annotations

from collections.abc import Iterator

from triage.formats.describe import as_data, in_words
from triage.model import Always, Disposition, Language, Question, Ruleset, SectionKind, Texts

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
    """A JSON Schema (2020-12) of the answers document that `triage assess` reads."""
    properties: dict[str, object] = {}
    for question in ruleset.questionnaire.questions:
        kind = question.kind
        if kind.is_number:
            schema: dict[str, object] = {
                "anyOf": [
                    {"type": "integer", "minimum": kind.minimum, "maximum": kind.maximum},
                    {"type": "string", "pattern": "^\\s*[0-9]+\\s*$"},
                ]
            }
        else:
            schema = {"enum": [*kind.values, *kind.aliases]}
            if "true" in kind.aliases:
                schema = {"anyOf": [schema, {"type": "boolean"}]}
        schema["description"] = f"{question.id} ({kind.id}); other letter case is accepted too"
        properties[question.id] = schema
    properties["assessed_on"] = {
        "type": "string",
        "pattern": "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*$",
        "description": "the day the answers were given (YYYY-MM-DD); dates the assessment",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "triage answers (answers contract version 2)",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


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
