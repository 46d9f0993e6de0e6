"""Scripted answers: documents, id=value strings and values, checked against the contract."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from triage.answers import (
    normalize,
    parse_assignments,
    parse_document,
    read_source,
)
from triage.errors import AnswersError
from triage.model import Ruleset


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("yes", "yes"),
        ("YES", "yes"),
        (" No ", "no"),
        (True, "yes"),
        (False, "no"),
        ("true", "yes"),
        ("False", "no"),
        ("ja", "yes"),
        ("Nee", "no"),
        ("weet niet", "unknown"),
        ("Weet  niet", "unknown"),
        ("unknown", "unknown"),
    ],
)
def test_tri_state_spellings(ruleset: Ruleset, given: object, expected: str) -> None:
    assert normalize({"groin_pain": given}, ruleset.questionnaire) == {"groin_pain": expected}


@pytest.mark.parametrize(("given", "expected"), [(0, 0), (120, 120), ("67", 67), (" 7 ", 7)])
def test_ages(ruleset: Ruleset, given: object, expected: int) -> None:
    assert normalize({"age": given}, ruleset.questionnaire) == {"age": expected}


@pytest.mark.parametrize(
    "given", [-1, 121, 67.5, "67.0", "unknown", True, None, [], {}, "", "sixty", "٦٧"]
)
def test_bad_ages_say_what_is_accepted(ruleset: Ruleset, given: object) -> None:
    with pytest.raises(AnswersError, match="whole number from 0 to 120"):
        normalize({"age": given}, ruleset.questionnaire)


def test_a_misspelt_id_gets_did_you_mean(ruleset: Ruleset) -> None:
    with pytest.raises(AnswersError) as error:
        normalize({"grion_pain": "yes"}, ruleset.questionnaire)
    assert "'grion_pain'" in str(error.value)
    assert "did you mean 'groin_pain'" in str(error.value)
    assert "triage questions" in str(error.value)


def test_a_misspelt_value_gets_did_you_mean(ruleset: Ruleset) -> None:
    with pytest.raises(AnswersError, match=r"did you mean 'worsening'.*use one of improving"):
        normalize({"trend": "worsenin"}, ruleset.questionnaire)


def test_ids_are_exact(ruleset: Ruleset) -> None:
    with pytest.raises(AnswersError, match="unknown question id 'Groin_Pain'"):
        normalize({"Groin_Pain": "yes"}, ruleset.questionnaire)


def test_every_problem_is_listed_at_once(ruleset: Ruleset) -> None:
    with pytest.raises(AnswersError, match="2 problems") as error:
        normalize({"age": "old", "trend": "sideways"}, ruleset.questionnaire)
    assert "age:" in str(error.value)
    assert "trend:" in str(error.value)


@pytest.mark.parametrize("value", [None, [1], {"a": 1}])
def test_null_lists_and_tables_are_never_answers(ruleset: Ruleset, value: object) -> None:
    with pytest.raises(AnswersError, match="null, lists and tables are not answers"):
        normalize({"groin_pain": value}, ruleset.questionnaire)


def test_json_and_toml_by_suffix_and_by_content() -> None:
    assert parse_document(b'{"age": 60}', "a.json") == {"age": 60}
    assert parse_document(b"age = 60\n", "a.toml") == {"age": 60}
    assert parse_document(b"age = 60\n", "standard input") == {"age": 60}
    assert parse_document(b'{"age": 60}', "answers.txt") == {"age": 60}


@pytest.mark.parametrize(
    ("data", "name", "problem"),
    [
        (b'{"age": 60, "age": 61}', "a.json", "given twice"),
        (b"age = 60\nage = 61\n", "a.toml", "given twice"),
        (b"[1, 2]", "a.json", "one object"),
        (b"{", "a.json", "not valid JSON"),
        (b"age = ", "a.toml", "not valid TOML"),
        (b"\xff\xfe", "a.json", "not UTF-8"),
        (b'{"age": NaN}', "a.json", "NaN"),
        (b"[" * 100_000, "a.json", "nested too deeply"),
        (b"not a document", "x", "not valid JSON"),
    ],
)
def test_malformed_documents(data: bytes, name: str, problem: str) -> None:
    with pytest.raises(AnswersError, match=problem):
        parse_document(data, name)


def test_a_file_over_1_mib_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (1024 * 1024 + 1))
    with pytest.raises(AnswersError, match="larger than 1 MiB"):
        read_source(str(big), io.BytesIO())
    with pytest.raises(AnswersError, match="larger than 1 MiB"):
        read_source("-", io.BytesIO(b" " * (1024 * 1024 + 1)))


def test_unreadable_sources(tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="no such file"):
        read_source(str(tmp_path / "none.json"), io.BytesIO())
    with pytest.raises(AnswersError, match="is a folder"):
        read_source(str(tmp_path), io.BytesIO())


def test_assignments() -> None:
    assert parse_assignments(["age=60", "trend=improving", "age=61"]) == {
        "age": "61",
        "trend": "improving",
    }
    assert parse_assignments(["note=a=b"]) == {"note": "a=b"}
    with pytest.raises(AnswersError, match="should look like id=value"):
        parse_assignments(["groin_pain"])
    with pytest.raises(AnswersError, match="should look like id=value"):
        parse_assignments(["=yes"])


def test_a_child_respondent_of_65_is_refused_by_the_program_and_the_schema() -> None:
    """Answers contract v3: `child` goes with an age under 18."""
    import jsonschema

    from triage.formats.catalog import answers_schema
    from triage.loader import load_ruleset

    ruleset = load_ruleset()
    with pytest.raises(AnswersError, match="respondent = 'child' goes with an age under 18"):
        normalize({"respondent": "child", "age": 65}, ruleset.questionnaire)
    with pytest.raises(AnswersError, match="not age = 18"):
        normalize({"respondent": "Child", "age": "18"}, ruleset.questionnaire)
    assert normalize({"respondent": "child", "age": 17}, ruleset.questionnaire)["age"] == 17
    validator = jsonschema.Draft202012Validator(answers_schema(ruleset))
    assert not validator.is_valid({"respondent": "child", "age": 65})
    assert not validator.is_valid({"respondent": "child", "age": "65"})
