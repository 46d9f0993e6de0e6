"""Answers contract version 3 at the scripted boundary: combined (version 2) ids, who answers
and the age, version 2 answers files, and the JSON output."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, TODAY, adult
from triage.answers import normalize
from triage.cli import app
from triage.errors import AnswersError
from triage.evaluate import evaluate
from triage.formats.output import assessment_json
from triage.model import Ruleset

runner = CliRunner()
EXAMPLE = ROOT / "examples" / "early_hip_oa.json"


def _assess(*options: str, answers: dict[str, object] | None = None) -> tuple[int, str, str]:
    if answers is not None:
        result = runner.invoke(
            app,
            ["assess", "--answers", "-", "--format", "json", *options],
            input=json.dumps(answers),
        )
    else:
        result = runner.invoke(
            app, ["assess", "--answers", str(EXAMPLE), "--format", "json", *options]
        )
    return result.exit_code, result.stdout, result.stderr


def test_a_combined_id_stands_for_its_parts(ruleset: Ruleset) -> None:
    answers = adult(steroid_use="no", alcohol_daily="no")
    del answers["steroid_use"], answers["alcohol_daily"]
    answers["steroids_or_alcohol"] = "yes"
    checked = normalize(answers, ruleset.questionnaire)
    assessment = evaluate(checked, ruleset, today=TODAY)
    assert [r.id for r in assessment.rules][:1] == ["avascular_necrosis"]
    output = assessment_json(assessment, ruleset)
    assert output["answers"]["steroids_or_alcohol"] == "yes"  # type: ignore[index]


def test_a_combined_id_with_one_of_its_parts_is_refused(ruleset: Ruleset) -> None:
    answers = adult(steroids_or_alcohol="no")
    with pytest.raises(AnswersError, match="steroids_or_alcohol and steroid_use"):
        normalize(answers, ruleset.questionnaire)


def test_a_part_a_child_is_not_asked_is_not_listed_as_ignored(ruleset: Ruleset) -> None:
    answers = adult(respondent="child", age=15, limp="no")
    del answers["steroid_use"], answers["alcohol_daily"]
    answers["steroids_or_alcohol"] = "no"
    assessment = evaluate(normalize(answers, ruleset.questionnaire), ruleset, today=TODAY)
    assert "alcohol_daily" not in assessment.ignored
    assert "steroid_use" in assessment.answers


def test_combined_answers_follow_their_parts_in_the_json(ruleset: Ruleset) -> None:
    checked = normalize(adult(steroid_use="unknown"), ruleset.questionnaire)
    output = assessment_json(evaluate(checked, ruleset, today=TODAY), ruleset)
    answers = output["answers"]
    assert isinstance(answers, dict)
    keys = list(answers)
    assert keys.index("steroids_or_alcohol") == keys.index("alcohol_daily") + 1
    assert answers["steroids_or_alcohol"] == "unknown"


@pytest.mark.parametrize(("respondent", "age"), [("child", 62), ("other", 12), ("child", 18)])
def test_who_answers_must_fit_the_age(respondent: str, age: int) -> None:
    status, _, stderr = _assess("--answer", f"respondent={respondent}", "--answer", f"age={age}")
    assert status == 2
    assert f"respondent = '{respondent}'" in stderr
    assert f"age = {age}" in stderr


def test_a_version_2_file_is_told_which_version_3_answers_it_lacks() -> None:
    answers = json.loads(EXAMPLE.read_text())
    for new in (
        "collapse_with_pain",
        "outer_hip_pain",
        "buttock_pain",
        "thigh_pain",
        "hip_history",
    ):
        del answers[new]
    status, _, stderr = _assess(answers=answers)
    assert status == 2
    first, probably = stderr.splitlines()[:2]
    assert "added in version 3" in first
    assert first.endswith(": collapse_with_pain")
    assert probably.startswith("probably needed too: outer_hip_pain, buttock_pain, thigh_pain")
    assert "hip_history" in probably


def test_the_json_names_schema_3() -> None:
    status, stdout, _ = _assess()
    assert status == 0
    assert json.loads(stdout)["schema"] == "triage.assessment/3"


def test_after_an_emergency_stop_the_summary_does_not_say_who_answered() -> None:
    result = runner.invoke(app, ["assess", "--answer", "cold_pale_leg=yes", "--format", "markdown"])
    assert result.exit_code == 0
    assert "Who filled this in was not asked" in result.stdout
    assert "Filled in by the person with the pain" not in result.stdout
