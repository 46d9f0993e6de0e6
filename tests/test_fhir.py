"""FHIR output, validated with fhir.resources, plus the checks that library does not make."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from typer.testing import CliRunner

from tests.conftest import ROOT, adult
from triage.cli import app
from triage.formats.fhir import DISPOSITION_EXTENSION, RULE_EXTENSION, questionnaire
from triage.model import Language, Ruleset

runner = CliRunner()
EXAMPLE = ROOT / "examples" / "early_hip_oa.json"


def _json(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_questionnaire_is_valid_fhir(lang: str, ruleset: Ruleset) -> None:
    document = _json("questions", "--format", "fhir", "--lang", lang)
    Questionnaire.model_validate(document)
    assert document["language"] == lang
    link_ids = [item["linkId"] for item in document["item"]]
    assert link_ids == list(ruleset.questionnaire.ids)
    assert len(set(link_ids)) == len(link_ids)


def test_enable_when_targets_exist_and_come_earlier(ruleset: Ruleset) -> None:
    items = questionnaire(ruleset, Language.EN)["item"]
    assert isinstance(items, list)
    seen: list[str] = []
    for item in items:
        for condition in item.get("enableWhen", []):
            assert condition["question"] in seen, (item["linkId"], condition["question"])
        seen.append(item["linkId"])


def test_answer_options_are_the_contract_values(ruleset: Ruleset) -> None:
    items = {i["linkId"]: i for i in questionnaire(ruleset, Language.EN)["item"]}  # type: ignore[attr-defined]
    codes = [o["valueCoding"]["code"] for o in items["duration"]["answerOption"]]
    assert codes == list(ruleset.questionnaire.question("duration").kind.values)
    assert items["age"]["type"] == "integer"


def _enabled(item: dict[str, Any], answers: dict[str, Any]) -> bool:
    """FHIR R4 enableWhen with enableBehavior all, on coded and integer answers."""

    def holds(condition: dict[str, Any]) -> bool:
        answer = answers.get(condition["question"])
        op = condition["operator"]
        if op == "exists":
            return (answer is not None) is condition["answerBoolean"]
        if op == "!=":
            return bool(answer != condition["answerCoding"]["code"])
        if answer is None:
            return False
        value = condition.get("answerInteger", condition.get("answerCoding", {}).get("code"))
        return {"=": answer == value, "<": answer < value, ">=": answer >= value}[op]  # type: ignore[no-any-return]

    conditions = item.get("enableWhen", [])
    if item.get("enableBehavior") == "any":
        return any(holds(c) for c in conditions)
    return all(holds(c) for c in conditions)


NO_FALL_SIGNS = {"anticoagulant": "no", "head_injury": "no", "fall_pain_walking": "no"}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"age": 40, "recent_fall": "yes", "osteoporosis": "no", **NO_FALL_SIGNS},
        {"age": 40, "recent_fall": "unknown", "osteoporosis": "no", **NO_FALL_SIGNS},
        {"recent_hip_procedure": "yes", "wound_problem": "no"},
        {"hip_replacement": "yes", "wound_problem": "no"},
        {"age": 12, "limp": "no"},
        {"age": 70, "shoulder_stiffness": "yes", "new_headache_jaw_vision": "no"},
        {
            "low_back_involvement": "unknown",
            "pain_below_knee_or_tingling": "no",
            "inflammatory_back_pain": "no",
        },
    ],
)
def test_enable_when_asks_what_the_walk_asks(ruleset: Ruleset, changes: dict[str, Any]) -> None:
    from triage.flow import reach

    answers = {**adult(), **changes}
    walk = reach(ruleset, answers)
    items = questionnaire(ruleset, Language.EN)["item"]
    enabled = [i["linkId"] for i in items if _enabled(i, answers)]  # type: ignore[attr-defined]
    assert enabled == list(walk.reached)


def test_enable_when_stops_after_an_emergency_yes(ruleset: Ruleset) -> None:
    items = questionnaire(ruleset, Language.EN)["item"]
    answers = {"cold_pale_leg": "yes"}
    enabled = [i["linkId"] for i in items if _enabled(i, answers)]  # type: ignore[attr-defined]
    assert enabled == [
        "fall_cannot_bear_weight",
        "leg_deformed_after_fall",
        "cold_pale_leg",
        "breathless",
    ]


def test_the_response_is_valid_fhir_and_carries_the_disposition(ruleset: Ruleset) -> None:
    document = _json("assess", "--answers", str(EXAMPLE), "--format", "fhir")
    QuestionnaireResponse.model_validate(document)
    assert document["status"] == "completed"
    assert document["questionnaire"].startswith("urn:triage:fhir:Questionnaire:hip-pain|")
    link_ids = {i["linkId"] for i in questionnaire(ruleset, Language.EN)["item"]}  # type: ignore[attr-defined]
    assert {item["linkId"] for item in document["item"]} <= link_ids
    extensions = document["extension"]
    disposition = [e for e in extensions if e["url"] == DISPOSITION_EXTENSION]
    assert disposition[0]["valueCoding"]["code"] == "manual_therapist"
    rules = [e["valueCoding"]["code"] for e in extensions if e["url"] == RULE_EXTENSION]
    assert rules == ["persisting_or_limiting"]
    age = next(i for i in document["item"] if i["linkId"] == "age")
    assert age["answer"] == [{"valueInteger": 62}]
