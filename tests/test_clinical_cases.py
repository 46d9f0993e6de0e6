"""The clinical cases of clinical_cases.toml: answers -> disposition (and rules)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import TODAY, clinical_cases
from triage import review
from triage.answers import normalize
from triage.evaluate import evaluate
from triage.flow import reach
from triage.model import Disposition, Ruleset

CASES = clinical_cases()["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], ruleset: Ruleset) -> None:
    answers = case_answers(case, ruleset)
    checked = normalize(answers, ruleset.questionnaire)
    result = evaluate(checked, ruleset, today=TODAY)
    assert result.disposition.value == case["expect"]
    if "rules" in case:
        assert [r.id for r in result.rules] == case["rules"]
    if "notes" in case:
        assert [note_id for note_id, _ in result.notes] == case["notes"]
    if "stops" in case:
        assert reach(ruleset, checked).stopped is case["stops"]


def case_answers(case: dict[str, Any], ruleset: Ruleset) -> dict[str, Any]:
    """The case's answers, as `triage review --cases` reads them."""
    return review.case_answers(case, clinical_cases()["base"], ruleset.questionnaire)


CASE_KEYS = {"name", "base", "answers", "expect", "rules", "notes", "stops"}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_is_well_formed(case: dict[str, Any], ruleset: Ruleset) -> None:
    """The case file's schema: known keys, a known base, ids and dispositions that exist."""
    assert set(case) <= CASE_KEYS, set(case) - CASE_KEYS
    assert {"name", "answers", "expect"} <= set(case)
    assert case.get("base", "adult") in clinical_cases()["base"]
    assert set(case["answers"]) <= {*ruleset.questionnaire.ids, *ruleset.questionnaire.combined}
    assert case["expect"] in {d.value for d in Disposition}
    assert set(case.get("rules", [])) <= {r.id for r in ruleset.rules}
    assert set(case.get("notes", [])) <= {n.id for n in ruleset.notes}


def test_case_names_are_unique() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))


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
