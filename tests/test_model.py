"""The model holds its links (groups their questions, sections their rules, a rule its
section's kind) and its indexes follow its fields: they are never passed in, so a changed
copy cannot keep stale ones."""

from __future__ import annotations

import dataclasses
import pickle
import tomllib

import pytest

from tests.conftest import DATA
from triage.loader import load_ruleset, snapshot_bytes
from triage.model import AllOf, AnswerTest, AnyOf, Ruleset


def _table(name: str) -> dict[str, list[dict[str, object]]]:
    with (DATA / name).open("rb") as handle:
        return tomllib.load(handle)


def test_each_group_holds_the_questions_that_name_it_in_file_order(ruleset: Ruleset) -> None:
    rows = _table("questions.toml")["question"]
    for group in ruleset.questionnaire.groups:
        assert [q.id for q in group.questions] == [r["id"] for r in rows if r["group"] == group.id]
        assert {q.group for q in group.questions} <= {group.id}
    assert ruleset.questionnaire.ids == tuple(r["id"] for r in rows)


def test_each_section_holds_its_rules_and_each_rule_knows_its_kind(ruleset: Ruleset) -> None:
    rows = _table("rules.toml")["rule"]
    kinds = {str(s["id"]): str(s["kind"]) for s in _table("rules.toml")["section"]}
    for section in ruleset.sections:
        assert [r.id for r in section.rules] == [
            x["id"] for x in rows if x["section"] == section.id
        ]
        assert all(r.section == section.id and r.kind is section.kind for r in section.rules)
    assert [r.id for r in ruleset.rules] == [x["id"] for x in rows]  # table order, flat
    assert {r.id for r in ruleset.screening} == {
        str(x["id"]) for x in rows if kinds[str(x["section"])] == "screen"
    }


def test_a_changed_questionnaire_has_indexes_of_its_own_questions(ruleset: Ruleset) -> None:
    questionnaire = ruleset.questionnaire
    first, *rest = questionnaire.groups
    kept = first.questions[1:]
    smaller = dataclasses.replace(
        questionnaire, groups=(dataclasses.replace(first, questions=kept), *rest)
    )
    gone = first.questions[0].id
    assert gone not in smaller.by_id
    assert gone not in smaller.ids
    assert all(pair[0] != gone for pair in smaller.canonical)
    assert gone in questionnaire.by_id  # the original is untouched
    assert len(smaller.questions) == len(questionnaire.questions) - 1


def test_a_changed_ruleset_has_the_rules_of_its_own_sections(ruleset: Ruleset) -> None:
    first, *rest = ruleset.sections
    fewer = dataclasses.replace(ruleset, sections=(dataclasses.replace(first, rules=()), *rest))
    assert not {r.id for r in first.rules} & {r.id for r in fewer.rules}
    assert not {r.id for r in first.rules} & {r.id for r in fewer.screening}


def test_the_indexes_cannot_be_passed_in() -> None:
    with pytest.raises(ValueError, match="init=False"):
        dataclasses.replace(load_ruleset().questionnaire, by_id={})


def test_conditions_of_different_forms_are_never_equal_nor_share_a_hash_bucket_by_parts() -> None:
    test = AnswerTest("fever", "in", ("yes",))
    assert AllOf((test,)) != AnyOf((test,))  # type: ignore[comparison-overlap]
    assert len({AllOf((test,)), AnyOf((test,))}) == 2
    assert AllOf((test,)) == AllOf((AnswerTest("fever", "in", ("yes",)),))


def test_the_wheel_snapshot_of_the_data_loads_equal_to_the_data() -> None:
    snapshot = pickle.loads(snapshot_bytes(DATA))
    assert snapshot == load_ruleset(DATA)
    assert snapshot.questionnaire.by_id == load_ruleset(DATA).questionnaire.by_id
    assert [r.kind for r in snapshot.rules] == [r.kind for r in load_ruleset(DATA).rules]
