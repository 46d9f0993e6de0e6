"""The output JSON of an assessment (`triage assess --format json`) and its JSON Schema;
the Markdown handover note is in handover.py, the answers' schema in catalog.py."""

from __future__ import annotations

import json
from typing import Any

from triage.answers import with_combined
from triage.model import Assessment, Ruleset

SCHEMA = "triage.assessment/3"


def assessment_json(assessment: Assessment, ruleset: Ruleset) -> dict[str, object]:
    """The JSON object of the answers contract, with the advice in words beside it."""
    from triage.evaluate import voiced_texts

    texts = voiced_texts(ruleset, assessment.language, assessment.answers)
    net = assessment.safety_net
    return {
        "schema": SCHEMA,
        "disposition": assessment.disposition.value,
        "advice": assessment.advice.value,
        "rules": [
            {
                "id": r.id,
                "disposition": r.disposition.value,
                "reason": r.reason,
                "section": r.section,
                "answers": list(r.questions),
            }
            for r in assessment.rules
        ],
        "ruleset": {"version": assessment.ruleset.version, "sha256": assessment.ruleset.sha256},
        "language": assessment.language.value,
        "headline": texts(f"disposition.{assessment.disposition.value}.headline"),
        "notes": [{"id": note_id, "text": text} for note_id, text in assessment.notes],
        "meanwhile": list(assessment.meanwhile),
        "safety_net": {
            "call_112": list(net.call_112),
            "gp_immediately": list(net.gp_immediately),
            "gp_today": list(net.gp_today),
            "review_date": net.review_date.isoformat() if net.review_date else None,
            "review_with": "gp" if net.review_with_gp else "manual_therapist",
        },
        "ignored": list(assessment.ignored),
        "not_asked": list(assessment.not_asked),
        "answers": with_combined(assessment.answers, ruleset.questionnaire),
        "date": assessment.date.isoformat(),
        **_contact(assessment),
    }


def _contact(assessment: Assessment) -> dict[str, object]:
    """The optional `contact` field: who to call first, and for which rule or disposition."""
    if assessment.contact is None:
        return {}
    target, text = assessment.contact
    return {"contact": {"for": target, "text": text}}


def to_json(assessment: Assessment, ruleset: Ruleset) -> str:
    """The JSON output as one line of text."""
    return json.dumps(assessment_json(assessment, ruleset))


def assessment_schema(ruleset: Ruleset) -> dict[str, object]:
    """A JSON Schema (2020-12) of the JSON that `triage assess --format json` writes."""
    from triage.model import Advice, Disposition, Language

    ids = list(ruleset.questionnaire.ids)
    texts = {"type": "array", "items": {"type": "string"}}
    ids_of = {"type": "array", "items": {"enum": ids}, "uniqueItems": True}
    rule = _object(
        id={"enum": [r.id for r in ruleset.rules]},
        disposition={"enum": [d.value for d in Disposition]},
        reason={"type": "string"},
        section={"enum": [s.id for s in ruleset.sections]},
        answers=ids_of,
    )
    day = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    answer = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    body: dict[str, Any] = {
        **_object(
            schema={"const": SCHEMA},
            disposition={"enum": [d.value for d in Disposition]},
            advice={"enum": [a.value for a in Advice]},
            rules={"type": "array", "items": rule, "minItems": 1},
            ruleset=_object(
                version={"type": "string"},
                sha256={"type": "string", "pattern": "^[0-9a-f]{64}$"},
            ),
            language={"enum": [lang.value for lang in Language]},
            headline={"type": "string"},
            notes={
                "type": "array",
                "items": _object(
                    id={"enum": [n.id for n in ruleset.notes]}, text={"type": "string"}
                ),
            },
            meanwhile=texts,
            safety_net=_object(
                call_112=texts,
                gp_immediately=texts,
                gp_today=texts,
                review_date={"anyOf": [day, {"type": "null"}]},
                review_with={"enum": ["gp", "manual_therapist"]},
            ),
            ignored=ids_of,
            not_asked=ids_of,
            answers={
                "type": "object",
                "propertyNames": {"enum": [*ids, *ruleset.questionnaire.combined]},
                "additionalProperties": answer,
            },
            date=day,
        ),
    }
    # Optional (not in "required"): who to call first, for some results.
    body["properties"]["contact"] = _object(
        **{"for": {"enum": [*(r.id for r in ruleset.rules), *(d.value for d in Disposition)]}},
        text={"type": "string"},
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:triage:assessment:3",
        "title": "triage assessment (answers contract version 3)",
        **body,
    }


def _object(**properties: object) -> dict[str, Any]:
    """An object with exactly these properties, each required."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
