"""The model holds its links (groups their questions, sections their rules, a rule its
section's kind) and its indexes follow its fields: they are never passed in, so a changed
copy cannot keep stale ones."""

from __future__ import annotations

import pickle
import tomllib

import pytest

from tests.conftest import DATA
from triage.loader import load_ruleset, snapshot_bytes
from triage.model import AllOf, AnswerTest, AnyOf, Disposition, Rule, Ruleset, SectionKind


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
    smaller = questionnaire.replace(groups=(first.replace(questions=kept), *rest))
    gone = first.questions[0].id
    assert gone not in smaller.by_id
    assert gone not in smaller.ids
    assert all(pair[0] != gone for pair in smaller.canonical)
    assert gone in questionnaire.by_id  # the original is untouched
    assert len(smaller.questions) == len(questionnaire.questions) - 1


def test_a_changed_ruleset_has_the_rules_of_its_own_sections(ruleset: Ruleset) -> None:
    first, *rest = ruleset.sections
    fewer = ruleset.replace(sections=(first.replace(rules=()), *rest))
    assert not {r.id for r in first.rules} & {r.id for r in fewer.rules}
    assert not {r.id for r in first.rules} & {r.id for r in fewer.screening}


def test_the_indexes_cannot_be_passed_in() -> None:
    with pytest.raises(TypeError, match="by_id: not a field of Questionnaire"):
        load_ruleset().questionnaire.replace(by_id={})


def test_conditions_of_different_forms_are_never_equal_nor_share_a_hash_bucket_by_parts() -> None:
    test = AnswerTest("fever", "in", ("yes",))
    assert AllOf((test,)) != AnyOf((test,))
    assert len({AllOf((test,)), AnyOf((test,))}) == 2
    assert AllOf((test,)) == AllOf((AnswerTest("fever", "in", ("yes",)),))


def test_the_wheel_snapshot_of_the_data_loads_equal_to_the_data() -> None:
    snapshot = pickle.loads(snapshot_bytes(DATA))
    assert snapshot == load_ruleset(DATA)
    assert snapshot.questionnaire.by_id == load_ruleset(DATA).questionnaire.by_id
    assert [r.kind for r in snapshot.rules] == [r.kind for r in load_ruleset(DATA).rules]


def test_a_model_value_cannot_change_in_place(ruleset: Ruleset) -> None:
    rule = ruleset.rules[0]
    with pytest.raises(AttributeError, match="frozen"):
        rule.disposition = Disposition.SELF_CARE
    with pytest.raises(AttributeError, match="frozen"):
        del ruleset.questionnaire.by_id
    assert ruleset.rules[0].disposition is not Disposition.SELF_CARE


def test_equal_values_hash_alike_and_keep_their_hash_out_of_a_pickle() -> None:
    first = AnyOf((AnswerTest("fever", "in", ("yes",)), AnswerTest("age", ">=", (65,))))
    again = AnyOf((AnswerTest("fever", "in", ("yes",)), AnswerTest("age", ">=", (65,))))
    assert first == again
    assert hash(first) == hash(again)
    hash(first)  # kept now: a string's hash is not the same in another process
    state = first.__getstate__()
    assert state == (first.parts,)
    copy = pickle.loads(pickle.dumps(first))
    assert copy == first
    assert hash(copy) == hash(first)
    assert repr(copy) == (
        "AnyOf(parts=(AnswerTest(question='fever', op='in', values=('yes',)), "
        "AnswerTest(question='age', op='>=', values=(65,))))"
    )


def test_a_rule_matches_by_position_without_its_sections_kind(ruleset: Ruleset) -> None:
    rule = ruleset.rules[0]
    match rule:
        case Rule(rule_id, section, disposition):
            assert (rule_id, section, disposition) == (rule.id, rule.section, rule.disposition)
        case _:
            pytest.fail("a rule did not match by position")
    assert rule.replace(kind=SectionKind.FALLBACK).kind is SectionKind.FALLBACK
    assert rule.replace(kind=SectionKind.FALLBACK) != rule
