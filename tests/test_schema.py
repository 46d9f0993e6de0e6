"""One contract, one schema: the answers' JSON Schema accepts what `triage assess` accepts,
and the assessment's JSON Schema describes what it writes."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import TODAY, adult, clinical_cases
from tests.strategies import QUESTIONNAIRE, full_answers
from tests.test_clinical_cases import case_answers
from triage.answers import RESPONDENT_AGES, normalize, split_assessed_on
from triage.cli import app
from triage.errors import AnswersError, MissingAnswers
from triage.evaluate import evaluate
from triage.flow import walked
from triage.formats.catalog import answers_schema
from triage.formats.output import assessment_json, assessment_schema
from triage.loader import load_ruleset
from triage.model import UNKNOWN, Ruleset

RULESET = load_ruleset()
ANSWERS = jsonschema.Draft202012Validator(answers_schema(RULESET))
ASSESSMENT = jsonschema.Draft202012Validator(assessment_schema(RULESET))
runner = CliRunner()


def _program_accepts(document: dict[str, Any], ruleset: Ruleset = RULESET) -> str:
    """'yes', 'no', or 'later' (missing answers only after the settled stop's group)."""
    try:
        answers, _ = split_assessed_on(document)
        walked(ruleset, normalize(answers, ruleset.questionnaire))[1]
    except MissingAnswers as error:
        return "later" if all(_after_settling(q) for q in error.missing) else "no"
    except AnswersError:
        return "no"
    return "yes"


def _after_settling(question_id: str) -> bool:
    groups = [g.id for g in QUESTIONNAIRE.groups]
    start = groups.index(str(QUESTIONNAIRE.settled_stop_from))
    return groups.index(QUESTIONNAIRE.question(question_id).group) > start


RESPONDENTS = list(QUESTIONNAIRE.question("respondent").kind.values)

SPACES = st.sampled_from(["", " ", "  ", "\t", "\n", "\u3000", "\x1c", "\xa0"])


@st.composite
def spelled(draw: st.DrawFn, value: Any) -> Any:
    """A value as people and programs write it: other case, spaces, aliases, numbers as
    text or with a fraction, or something else altogether."""
    how = draw(st.sampled_from(["as is", "case", "spaces", "number", "other"]))
    if how == "as is":
        return value
    if how == "case" and isinstance(value, str):
        return "".join(draw(st.sampled_from([c.lower(), c.upper()])) for c in value)
    if how == "spaces":
        return draw(SPACES) + str(value) + draw(SPACES)
    if how == "number" and isinstance(value, int):
        return draw(st.sampled_from([float(value), value + 0.5, str(value), -value, value * 10]))
    return draw(
        st.one_of(
            st.booleans(),
            st.none(),
            st.integers(-5, 200),
            st.sampled_from(
                ["ja", "Nee", "weet  niet", "WEET NIET", "maybe", "\u212aa", "", "1e2"]
            ),
            st.floats(allow_nan=False),
        )
    )


DAYS = st.sampled_from(
    [
        "2026-12-03",
        " 2026-12-03 ",
        "2024-02-29",
        "2000-02-29",
        "1900-02-29",
        "2027-02-29",
        "2026-02-30",
        "2026-04-31",
        "1899-12-31",
        "9998-12-31",
        "9999-01-01",
        "20261203",
        "2026-W49-4",
        "2026-12-3",
        "\u3000" + "2026-12-03",
    ]
)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """Answers documents near the contract: complete ones with some answers respelled,
    dropped or added; a combined (version 2) id instead of its parts or with them; any
    respondent with any age."""
    document: dict[str, Any] = dict(draw(st.one_of(full_answers(), full_answers(realistic=True))))
    for combined_id, parts in QUESTIONNAIRE.combined.items():
        how = draw(st.sampled_from(["parts", "parts", "combined", "both"]))
        if how != "parts":
            document[combined_id] = draw(st.sampled_from(["yes", "no", UNKNOWN]))
        if how == "combined":
            for part in parts:
                document.pop(part, None)
    if draw(st.integers(0, 3)) == 0:
        document["respondent"] = draw(st.sampled_from(RESPONDENTS))
    for question_id in draw(st.lists(st.sampled_from(list(document)), max_size=4)):
        document[question_id] = draw(spelled(document[question_id]))
    for question_id in draw(st.lists(st.sampled_from(list(document)), max_size=3)):
        document.pop(question_id, None)
    if draw(st.integers(0, 3)) == 0:  # a few answers only: the stops and conditions decide
        kept = draw(st.sets(st.sampled_from(list(document)), max_size=8))
        document = {k: v for k, v in document.items() if k in kept}
    if draw(st.booleans()):
        document["assessed_on"] = draw(DAYS)
    if draw(st.integers(0, 9)) == 0:
        document[draw(st.sampled_from(["grion_pain", "Age", "id"]))] = "yes"
    return document


@given(documents())
def test_the_answers_schema_accepts_what_the_program_accepts(document: dict[str, Any]) -> None:
    program = _program_accepts(document)
    schema = ANSWERS.is_valid(document)
    if program == "later":
        assert schema, "the schema requires nothing after the settled stop's group"
    else:
        assert schema is (program == "yes"), (program, list(ANSWERS.iter_errors(document))[:2])


@pytest.mark.parametrize(
    ("changes", "valid"),
    [
        ({"fever_or_unwell": "YES"}, True),
        ({"fever_or_unwell": " Ja "}, True),
        ({"fever_or_unwell": "weet  niet"}, True),
        ({"fever_or_unwell": True}, True),
        ({"age": 62.0}, True),
        ({"age": 4.5e1}, True),
        ({"age": " 062 "}, True),
        ({"age": 62.5}, False),
        ({"age": "999"}, False),
        ({"age": True}, False),
        ({"fever_or_unwell": "\u3000yes"}, False),
        ({"assessed_on": "2026-02-30"}, False),
    ],
)
def test_the_issues_examples(changes: dict[str, Any], valid: bool) -> None:
    document = {**adult(), **changes}
    assert ANSWERS.is_valid(document) is valid
    assert (_program_accepts(document) == "yes") is valid


def _everything(**changes: Any) -> dict[str, Any]:
    """The base adult, every question the base leaves open answered no, with changes."""
    document: dict[str, Any] = adult()
    for question in QUESTIONNAIRE.questions:
        if "no" in question.kind.values:
            document.setdefault(question.id, "no")
    return {**document, **changes}


@pytest.mark.parametrize("combined_id", list(QUESTIONNAIRE.combined))
def test_a_combined_id_stands_for_its_parts_but_never_goes_with_one(combined_id: str) -> None:
    """A version 2 file gives the combined id: valid, for the schema as for the program;
    the combined id with any of its parts is refused by both."""
    parts = QUESTIONNAIRE.combined[combined_id]
    without_parts = {k: v for k, v in _everything().items() if k not in parts}
    for value in ("yes", "No", "weet niet", False):
        document = {**without_parts, combined_id: value}
        assert ANSWERS.is_valid(document), (combined_id, value)
        assert _program_accepts(document) == "yes", (combined_id, value)
    assert not ANSWERS.is_valid({**without_parts, combined_id: "maybe"})
    for part in parts:
        document = {**without_parts, combined_id: "no", part: "no"}
        assert not ANSWERS.is_valid(document), part
        assert _program_accepts(document) == "no", part


def _pairs() -> list[tuple[str, int, bool]]:
    """Each respondent of answers.RESPONDENT_AGES at the edges of its ages, and just
    outside them."""
    age = QUESTIONNAIRE.question("age").kind
    pairs = []
    for respondent, (low, high) in RESPONDENT_AGES.items():
        top = age.maximum if high is None else high
        pairs += [(respondent, low, True), (respondent, top, True)]
        pairs += [
            (respondent, n, False) for n in (low - 1, top + 1) if age.minimum <= n <= age.maximum
        ]
    return pairs


@pytest.mark.parametrize(("respondent", "age", "valid"), _pairs())
def test_a_respondent_goes_with_its_ages_only(respondent: str, age: int, valid: bool) -> None:
    for given_age in (age, f" {age} "):
        document = _everything(respondent=respondent, age=given_age)
        assert ANSWERS.is_valid(document) is valid, (respondent, given_age)
        assert (_program_accepts(document) != "no") is valid, (respondent, given_age)


def test_the_schema_requires_by_condition() -> None:
    assert not ANSWERS.is_valid({})
    assert ANSWERS.is_valid({"cold_pale_leg": "yes"}), "the emergency stop needs nothing more"
    assert ANSWERS.is_valid({"cold_pale_leg": "JA"})
    child = {**adult(age=12)}
    child.pop("limp", None)
    assert _program_accepts(child) != "yes"


def test_every_clinical_case_and_every_assessment_fits_the_schemas() -> None:
    for case in clinical_cases()["case"]:
        answers = case_answers(case, RULESET)
        assert ANSWERS.is_valid(answers), case["name"]
        checked = normalize(answers, RULESET.questionnaire)
        result = assessment_json(evaluate(checked, RULESET, today=TODAY), RULESET)
        errors = list(ASSESSMENT.iter_errors(result))
        assert not errors, (case["name"], errors[:1])


def test_the_assessment_schema_from_the_command_line() -> None:
    result = runner.invoke(app, ["assess", "--format", "schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"]["const"] == "triage.assessment/3"
    output = json.loads(
        runner.invoke(app, ["assess", "-f", "json", "--answer", "cold_pale_leg=yes"]).stdout
    )
    assert jsonschema.Draft202012Validator(schema).is_valid(output)
    assert not jsonschema.Draft202012Validator(schema).is_valid(
        {**output, "disposition": "go_home"}
    )
