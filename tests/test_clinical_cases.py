"""The clinical cases of clinical_cases.toml: answers -> disposition (and rules)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import TODAY, clinical_cases
from triage.answers import normalize
from triage.model import Ruleset
from triage.rules import evaluate

CASES = clinical_cases()["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], ruleset: Ruleset) -> None:
    answers = dict(clinical_cases()["base"][case.get("base", "adult")])
    answers.update(case["answers"])
    result = evaluate(normalize(answers, ruleset.questionnaire), ruleset, today=TODAY)
    assert result.disposition.value == case["expect"]
    if "rules" in case:
        assert [r.id for r in result.rules] == case["rules"]


def test_every_rule_fires_in_some_case(ruleset: Ruleset) -> None:
    fired = {rule for case in CASES for rule in case.get("rules", [])}
    missing = {r.id for r in ruleset.rules} - fired
    assert not missing, f"rules without a clinical case: {sorted(missing)}"


def test_every_disposition_has_a_case() -> None:
    expected = {case["expect"] for case in CASES}
    assert expected == {
        "call_112",
        "gp_immediately",
        "gp_within_24_hours",
        "gp_within_days",
        "gp_routine",
        "manual_therapist",
        "self_care",
    }
