"""FHIR output, validated with fhir.resources, plus the checks that library does not make."""

from __future__ import annotations

import json
import operator
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import ROOT, TODAY, adult, clinical_cases
from tests.strategies import full_answers
from tests.test_clinical_cases import case_answers
from triage.cli import app
from triage.evaluate import evaluate
from triage.formats.fhir import (
    DISPOSITION_EXTENSION,
    RULE_EXTENSION,
    SETTLED_ITEM,
    questionnaire,
    questionnaire_response,
)
from triage.loader import load_ruleset
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
    link_ids = [item["linkId"] for item in _questions(document["item"])]
    assert link_ids == list(ruleset.questionnaire.ids)
    groups = [item["linkId"] for item in document["item"] if item["type"] == "group"]
    assert groups == [g.id for g in ruleset.questionnaire.groups]
    why = [i for i in _all(document["item"]) if i["linkId"] == "osteoporosis-help"]
    assert why[0]["type"] == "display"
    assert why[0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "help"


def _all(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every item, nested ones included, in order."""
    found = []
    for item in items:
        found.append(item)
        found += _all(item.get("item", []))
    return found


def _questions(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        i
        for i in _all(items)
        if i["type"] not in ("group", "display") and i["linkId"] != SETTLED_ITEM
    ]


def test_enable_when_targets_exist_and_come_earlier(ruleset: Ruleset) -> None:
    items = _all(questionnaire(ruleset, Language.EN)["item"])  # type: ignore[arg-type]
    ids = [item["linkId"] for item in items]
    for place, item in enumerate(items):
        for condition in item.get("enableWhen", []):
            assert condition["question"] in ids, (item["linkId"], condition["question"])
            if item["type"] != "group" and condition["question"] not in ids[:place]:
                # only the siblings on the emergency screen look ahead (a stop answer)
                assert condition["operator"] == "!=", item["linkId"]


def test_answer_options_are_the_contract_values(ruleset: Ruleset) -> None:
    items = {i["linkId"]: i for i in _all(questionnaire(ruleset, Language.EN)["item"])}  # type: ignore[arg-type]
    codes = [o["valueCoding"]["code"] for o in items["duration"]["answerOption"]]
    assert codes == list(ruleset.questionnaire.question("duration").kind.values)
    assert items["age"]["type"] == "integer"


def _enabled_questions(
    answers: dict[str, Any], document: dict[str, Any] | None = None
) -> list[str]:
    """The questions FHIR R4 enables on these answers: their own enableWhen and their
    group's (a disabled group disables its items)."""
    document = document or questionnaire(load_ruleset(), Language.EN)
    enabled = []
    groups: list[dict[str, Any]] = document["item"]  # type: ignore[assignment]
    for group in groups:
        if group["type"] != "group" or not _enabled(group, answers):
            continue
        enabled += [
            i["linkId"] for i in group["item"] if i["type"] != "display" and _enabled(i, answers)
        ]
    return enabled


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
        compare = {
            "=": operator.eq,
            "<": operator.lt,
            "<=": operator.le,
            ">": operator.gt,
            ">=": operator.ge,
        }
        return bool(compare[op](answer, value))

    conditions = item.get("enableWhen", [])
    if item.get("enableBehavior") == "any":
        return any(holds(c) for c in conditions)
    return all(holds(c) for c in conditions)


@pytest.mark.parametrize(
    ("changes", "opened"),
    [
        ({}, None),
        ({"age": 40, "recent_fall": "yes", "head_injury": "yes"}, "head_injury_signs"),
        ({"age": 40, "recent_fall": "unknown"}, "osteoporosis"),
        ({"recent_hip_operation": "yes"}, "wound_problem"),
        ({"recent_hip_injection": "unknown"}, "wound_problem"),
        ({"hip_replacement": "yes"}, "wound_problem"),
        ({"age": 12, "respondent": "child", "limp": "no"}, "limp"),
        ({"age": 10, "respondent": "child", "limp": "yes"}, "child_no_weight"),
        ({"age": 17, "respondent": "child", "limp": "unknown"}, "child_no_weight"),
        ({"age": 55}, "pregnancy"),
        ({"age": 1, "respondent": "child", "limp": "no", "infant_unwell": "no"}, "infant_unwell"),
        ({"pregnancy": "under_20_weeks"}, "early_pregnancy_warning"),
        ({"pregnancy": "given_birth"}, "late_pregnancy_hip"),
        ({"respondent": "other", "age": 80}, "found_on_floor"),
        ({"painful_breathing": "unknown"}, "lung_clot_signs"),
        ({"buttock_pain": "yes"}, "inflammatory_back_pain"),
        ({"low_back_involvement": "unknown"}, "inflammatory_back_pain"),
        ({"groin_lump": "yes"}, "lump_hard_painful"),
    ],
)
def test_enable_when_asks_what_the_walk_asks(
    ruleset: Ruleset, changes: dict[str, Any], opened: str | None
) -> None:
    """On each persona the Questionnaire enables exactly the questions the walk asks, a
    follow-up the persona opens included; where the walk ends at the settled stop, the
    response's settled-stop answer disables the rest."""
    from triage.flow import reach

    answers: dict[str, Any] = {**adult(), **changes}
    for question in ruleset.questionnaire.questions:  # the follow-ups opened: answered no
        if "no" in question.kind.values:
            answers.setdefault(question.id, "no")
    walk = reach(ruleset, answers)
    assert not walk.missing
    assert opened is None or opened in walk.reached, "the persona opens its follow-up"
    response = questionnaire_response(evaluate(answers, ruleset, today=TODAY), ruleset)
    settled = [i for i in response["item"] if i["linkId"] == SETTLED_ITEM]  # type: ignore[attr-defined]
    assert bool(settled) is walk.stopped
    stop = {SETTLED_ITEM: settled[0]["answer"][0]["valueCoding"]["code"]} if settled else {}
    assert _enabled_questions({**answers, **stop}) == list(walk.reached)


def _emergency_screen(ruleset: Ruleset) -> list[str]:
    (group,) = [g for g in ruleset.questionnaire.groups if g.stop_on is not None]
    return [q.id for q in ruleset.questionnaire.questions if q.group == group.id]


def test_enable_when_stops_after_an_emergency_yes(ruleset: Ruleset) -> None:
    """After a yes the emergency screen stays whole (every sign may be ticked), and
    nothing after it is asked."""
    assert _enabled_questions({"cold_pale_leg": "yes"}) == _emergency_screen(ruleset)
    emergency = _emergency_screen(ruleset)
    after_a_no = _enabled_questions({"cold_pale_leg": "no"})
    # the whole emergency screen, then the walk goes on with who answers
    assert after_a_no[: len(emergency) + 1] == [*emergency, "respondent"]
    assert list(ruleset.questionnaire.ids[: len(emergency) + 1]) == after_a_no[: len(emergency) + 1]


def test_the_response_is_valid_fhir_and_carries_the_disposition(ruleset: Ruleset) -> None:
    document = _json("assess", "--answers", str(EXAMPLE), "--format", "fhir")
    QuestionnaireResponse.model_validate(document)
    assert document["status"] == "completed"
    assert document["questionnaire"].startswith("urn:triage:fhir:Questionnaire:hip-pain|")
    link_ids = {i["linkId"] for i in _all(questionnaire(ruleset, Language.EN)["item"])}  # type: ignore[arg-type]
    assert {item["linkId"] for item in _all(document["item"])} <= link_ids
    extensions = document["extension"]
    disposition = [e for e in extensions if e["url"] == DISPOSITION_EXTENSION]
    assert disposition[0]["valueCoding"]["code"] == "manual_therapist"
    rules = [e["valueCoding"]["code"] for e in extensions if e["url"] == RULE_EXTENSION]
    assert rules == ["persisting_or_limiting"]
    age = next(i for i in _all(document["item"]) if i["linkId"] == "age")
    assert age["answer"] == [{"valueInteger": 62}]


def _response_answers(document: dict[str, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in _all(document["item"]):
        for answer in item.get("answer", []):
            value = answer.get("valueCoding", {}).get("code", answer.get("valueInteger"))
            answers[item["linkId"]] = value
    return answers


@given(st.one_of(full_answers(), full_answers(realistic=True)))
def test_a_response_is_complete_as_its_questionnaire_says(answers: dict[str, Any]) -> None:
    """Every enabled question of the Questionnaire has an answer in the response, and no
    disabled one has: with an emergency stop, with the settled stop, or with neither."""
    ruleset = load_ruleset()
    assessment = evaluate(answers, ruleset, today=TODAY)
    response = questionnaire_response(assessment, ruleset)
    given_answers = _response_answers(response)
    enabled = _enabled_questions(given_answers)
    answered = {q for q in given_answers if q != SETTLED_ITEM}
    assert answered <= set(enabled), "no disabled question is answered"
    optional = set(_emergency_screen(ruleset))  # a checklist: an unticked sign may be left out
    assert set(enabled) - optional <= answered, "every required enabled question is answered"


def test_an_emergency_alone_is_a_complete_response() -> None:
    document = _json("assess", "--answer", "cold_pale_leg=yes", "--format", "fhir")
    QuestionnaireResponse.model_validate(document)
    answers = _response_answers(document)
    assert answers == {"cold_pale_leg": "yes"}
    assert _enabled_questions(answers) == _emergency_screen(load_ruleset())


def test_two_emergency_signs_both_survive_the_round_trip(tmp_path: Any) -> None:
    """c05: a cold, pale leg and sudden breathlessness. Both go into the response, both
    come back, and no form engine can drop one (no sign disables another)."""
    args = ["--answer", "cold_pale_leg=yes", "--answer", "breathless=yes"]
    document = _json("assess", *args, "--format", "fhir")
    answers = _response_answers(document)
    assert answers == {"cold_pale_leg": "yes", "breathless": "yes"}
    for item in _all(questionnaire(load_ruleset(), Language.EN)["item"]):  # type: ignore[arg-type]
        if item["linkId"] in answers:
            assert "enableWhen" not in item, item["linkId"]
    path = tmp_path / "response.json"
    path.write_text(json.dumps(document))
    back = json.loads(_json_of("assess", "--answers", str(path), "--format", "json"))
    assert [r["id"] for r in back["rules"]] == ["acute_ischaemia", "pulmonary_embolism"]


def test_every_clinical_case_survives_the_round_trip_through_fhir(
    tmp_path: Any, ruleset: Ruleset
) -> None:
    """case -> QuestionnaireResponse -> triage assess -> the same disposition."""
    for case in clinical_cases()["case"]:
        answers = case_answers(case, ruleset)
        path = tmp_path / "response.json"
        result = runner.invoke(
            app,
            [
                "assess",
                "-f",
                "fhir",
                "--today",
                "2026-11-26",
                *(f"--answer={k}={v}" for k, v in answers.items()),
            ],
        )
        assert result.exit_code == 0, (case["name"], result.stderr)
        QuestionnaireResponse.model_validate_json(result.stdout)
        path.write_text(result.stdout)
        back = json.loads(_json_of("assess", "--answers", str(path), "--format", "json"))
        assert back["disposition"] == case["expect"], case["name"]
        if "rules" in case:
            assert [r["id"] for r in back["rules"]] == case["rules"], case["name"]
        assert back["date"] == "2026-11-26", "authored is read back as assessed_on"


def _json_of(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_response_of_another_shape_is_refused(tmp_path: Any) -> None:
    path = tmp_path / "response.json"
    path.write_text(json.dumps({"resourceType": "QuestionnaireResponse", "item": [{"text": "x"}]}))
    result = runner.invoke(app, ["assess", "--answers", str(path)])
    assert result.exit_code == 2
    assert "linkId" in result.stderr


@pytest.mark.parametrize("first", ["yes", "no"])
def test_a_response_answering_a_link_id_twice_is_refused(tmp_path: Any, first: str) -> None:
    """An emergency 'yes' must not be dropped by a later 'no' (or the other way round)."""
    example = str(ROOT / "examples" / "early_hip_oa.json")
    document = _json("assess", "--answers", example, "--format", "fhir")
    items = next(g["item"] for g in document["item"] if "cold_pale_leg" in json.dumps(g))
    item = next(i for i in items if i["linkId"] == "cold_pale_leg")
    twice = json.loads(json.dumps(item))
    twice["answer"][0]["valueCoding"]["code"] = first
    items.insert(items.index(item), twice)
    path = tmp_path / "response.json"
    path.write_text(json.dumps(document))
    result = runner.invoke(app, ["assess", "--answers", str(path)])
    assert result.exit_code == 2, result.stdout
    assert "'cold_pale_leg' is answered twice" in result.stderr


def _response_to(tmp_path: Any, questionnaire_url: str | None) -> Any:
    document = _json("assess", "--answers", str(EXAMPLE), "--format", "fhir")
    if questionnaire_url is None:
        del document["questionnaire"]
    else:
        document["questionnaire"] = questionnaire_url
    path = tmp_path / "response.json"
    path.write_text(json.dumps(document))
    return runner.invoke(app, ["assess", "--answers", str(path), "--format", "json"])


def test_a_response_to_another_questionnaire_is_refused(tmp_path: Any) -> None:
    result = _response_to(tmp_path, "http://example.org/Questionnaire/phq9")
    assert result.exit_code == 2
    assert "answers the questionnaire 'http://example.org/Questionnaire/phq9'" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("url", "warning"),
    [
        ("urn:triage:fhir:Questionnaire:hip-pain|1999.1.1", "answers version 1999.1.1"),
        ("urn:triage:fhir:Questionnaire:hip-pain", "answers no version"),
        (None, "names no questionnaire"),
    ],
)
def test_a_response_to_another_version_is_read_with_a_warning(
    tmp_path: Any, url: str | None, warning: str
) -> None:
    result = _response_to(tmp_path, url)
    assert result.exit_code == 0
    assert f"triage: warning: the response {warning}" in result.stderr
    assert json.loads(result.stdout)["disposition"] == "manual_therapist"


def test_a_response_to_this_version_is_read_without_a_word(tmp_path: Any, ruleset: Ruleset) -> None:
    from triage.formats.fhir import QUESTIONNAIRE_URL

    result = _response_to(tmp_path, f"{QUESTIONNAIRE_URL}|{ruleset.info.version}")
    assert result.exit_code == 0
    assert result.stderr == ""


def _example_response() -> dict[str, Any]:
    example = str(ROOT / "examples" / "early_hip_oa.json")
    return _json("assess", "--answers", example, "--format", "fhir")  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"authored": "2026-12-03T25:99:99Z"}, "authored '2026-12-03T25:99:99Z' is not a FHIR"),
        ({"authored": ["2026"]}, "authored a list is not a FHIR dateTime"),
        ({"authored": "2026-02-30"}, "is not a FHIR dateTime"),
        ({"status": "entered-in-error"}, "status 'entered-in-error' is not assessed"),
        ({"status": "stopped"}, "status 'stopped' is not assessed"),
    ],
)
def test_a_response_with_a_bad_time_or_status_is_refused(
    tmp_path: Any, change: dict[str, Any], message: str
) -> None:
    path = tmp_path / "response.json"
    path.write_text(json.dumps({**_example_response(), **change}))
    result = runner.invoke(app, ["assess", "--answers", str(path)])
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr


def test_answers_hidden_under_the_settled_stop_item_are_refused(tmp_path: Any) -> None:
    document = _example_response()
    hidden = {"linkId": "cold_pale_leg", "answer": [{"valueCoding": {"code": "yes"}}]}
    document["item"].insert(0, {"linkId": SETTLED_ITEM, "item": [hidden]})
    path = tmp_path / "response.json"
    path.write_text(json.dumps(document))
    result = runner.invoke(app, ["assess", "--answers", str(path)])
    assert result.exit_code == 2
    assert f"the item {SETTLED_ITEM} holds no items of questions" in result.stderr


def test_a_response_with_a_good_time_is_dated_by_it(tmp_path: Any) -> None:
    path = tmp_path / "response.json"
    path.write_text(json.dumps({**_example_response(), "authored": "2026-11-26T10:00:00+01:00"}))
    result = json.loads(_json_of("assess", "--answers", str(path), "--format", "json"))
    assert result["date"] == "2026-11-26"


def test_the_python_api_reads_a_response_as_the_command_line_does(ruleset: Ruleset) -> None:
    """`triage.assess` takes a QuestionnaireResponse too: its answers, and its day."""
    from triage import assess
    from triage.formats.fhir import QUESTIONNAIRE_URL

    document = _json("assess", "--answers", str(EXAMPLE), "--format", "fhir", "--today", str(TODAY))
    document["questionnaire"] = f"{QUESTIONNAIRE_URL}|{ruleset.info.version}"
    result = assess(document, ruleset=ruleset)
    expected = _json("assess", "--answers", str(EXAMPLE), "--format", "json", "--today", str(TODAY))
    assert result.disposition.value == expected["disposition"]
    assert [r.id for r in result.rules] == [r["id"] for r in expected["rules"]]
    assert result.date == TODAY, "authored dates the assessment"


def test_the_python_api_warns_and_refuses_in_the_command_line_s_words(
    tmp_path: Any, ruleset: Ruleset
) -> None:
    from triage import assess
    from triage.api import TriageWarning
    from triage.errors import AnswersError

    document = _json("assess", "--answers", str(EXAMPLE), "--format", "fhir")
    del document["questionnaire"]
    said = _response_to(tmp_path, None).stderr.removeprefix("triage: warning: ").strip()
    with pytest.warns(TriageWarning) as warned:
        result = assess(document, ruleset=ruleset)
    assert [str(w.message) for w in warned] == [said]
    assert result.disposition.value == "manual_therapist"
    document["questionnaire"] = "http://example.org/Questionnaire/phq9"
    refused = _response_to(tmp_path, document["questionnaire"]).stderr
    with pytest.raises(AnswersError) as error:
        assess(document, ruleset=ruleset)
    assert refused == f"triage: error: {error.value}\n"
