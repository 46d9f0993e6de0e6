"""The contract's JSON output (the Markdown handover note is in handover.py)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from triage.model import Assessment, Ruleset

if TYPE_CHECKING:
    pass

SCHEMA = "triage.assessment/2"


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
                "answers": list(r.answers),
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
        "answers": dict(assessment.answers),
        "date": assessment.date.isoformat(),
    }


def to_json(assessment: Assessment, ruleset: Ruleset) -> str:
    """The JSON output as one line of text."""
    return json.dumps(assessment_json(assessment, ruleset))
