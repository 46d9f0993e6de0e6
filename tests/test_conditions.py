"""Conditions in three-valued logic: TRUE, FALSE, and MAYBE where only unknowns keep it open."""

from __future__ import annotations

import pytest

from triage.conditions import (
    MAX_CLAUSES,
    Table,
    best_case,
    clause_count,
    clauses,
    holds,
    questions_in,
    reading,
    truth,
    witnesses,
)
from triage.model import AllOf, Always, AnswerTest, AnyOf, Otherwise, Truth

FEVER = AnswerTest("fever", "in", ("yes",))
HOT = AnswerTest("hot", "in", ("yes",))
OLD = AnswerTest("age", ">=", (65,))
EITHER = AnyOf((FEVER, HOT))
BOTH = AllOf((FEVER, HOT))


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        (FEVER, {"fever": "yes"}, Truth.TRUE),
        (FEVER, {"fever": "no"}, Truth.FALSE),
        (FEVER, {"fever": "unknown"}, Truth.MAYBE),
        (FEVER, {}, Truth.FALSE),  # not asked is not unknown
        (OLD, {"age": 65}, Truth.TRUE),
        (OLD, {"age": 64}, Truth.FALSE),
        (EITHER, {"fever": "unknown", "hot": "yes"}, Truth.TRUE),
        (EITHER, {"fever": "unknown", "hot": "no"}, Truth.MAYBE),
        (EITHER, {"fever": "no", "hot": "no"}, Truth.FALSE),
        (BOTH, {"fever": "unknown", "hot": "yes"}, Truth.MAYBE),
        (BOTH, {"fever": "unknown", "hot": "no"}, Truth.FALSE),
        (BOTH, {"fever": "yes", "hot": "yes"}, Truth.TRUE),
        (Always(), {}, Truth.TRUE),
    ],
)
def test_three_valued_truth(condition: object, answers: dict[str, object], expected: Truth) -> None:
    assert truth(condition, answers) is expected  # type: ignore[arg-type]


def test_holds_when_true_or_open() -> None:
    assert holds(FEVER, {"fever": "unknown"})
    assert not holds(FEVER, {"fever": "no"})


def test_witnesses_name_the_answers_that_give_the_value() -> None:
    assert witnesses(EITHER, {"fever": "yes", "hot": "unknown"}) == ("fever",)
    assert witnesses(EITHER, {"fever": "unknown", "hot": "unknown"}) == ("fever", "hot")
    assert witnesses(BOTH, {"fever": "yes", "hot": "no"}) == ()


def test_best_case_treats_pending_questions_as_anything() -> None:
    assert best_case(BOTH, {"fever": "yes"}, frozenset({"hot"})) is Truth.TRUE
    assert best_case(BOTH, {"fever": "no"}, frozenset({"hot"})) is Truth.FALSE
    assert best_case(BOTH, {"fever": "unknown"}, frozenset({"hot"})) is Truth.MAYBE
    assert best_case(AnyOf(()), {}, frozenset()) is Truth.FALSE


def test_a_condition_is_the_clauses_of_its_tests() -> None:
    """An `all` of an `any` gives a clause for each choice; `always` one without tests; an
    `any` without parts none."""
    mixed = AllOf((EITHER, OLD))
    assert set(clauses(mixed)) == {frozenset({FEVER, OLD}), frozenset({HOT, OLD})}
    assert clauses(AnyOf((FEVER, FEVER))) == (frozenset({FEVER}),)
    assert clauses(Always()) == (frozenset(),)
    assert clauses(AnyOf(())) == ()
    assert clause_count(AllOf((EITHER,) * 3)) == 8
    # Counted without writing them out, and no further than the limit: 2**40 is never made.
    assert MAX_CLAUSES < clause_count(AllOf((EITHER,) * 40)) <= 2 * MAX_CLAUSES


def test_a_table_breaks_clauses_as_answers_come() -> None:
    """An answer breaks the clauses its tests fail; `unknown` breaks them only for TRUE; a
    question without an answer breaks all of its clauses, unless pending."""
    mixed = AllOf((EITHER, OLD))
    table = Table([mixed, FEVER])
    mask = table.mask(mixed)
    assert reading(mask, table.kills({"fever": "yes", "age": 70})) is Truth.TRUE
    assert reading(mask, table.kills({"fever": "unknown", "age": 70})) is Truth.MAYBE
    assert reading(mask, table.kills({"fever": "yes", "age": 60})) is Truth.FALSE
    assert reading(mask, table.kills({"fever": "no", "hot": "no", "age": 70})) is Truth.FALSE
    free = table.kills({"fever": "no", "age": 70}, frozenset({"hot"}))
    assert reading(mask, free) is Truth.TRUE
    assert reading(table.mask(FEVER), free) is Truth.FALSE


def _equal(one: object, other: object) -> bool:
    return one == other


def test_conditions_of_different_forms_are_never_equal() -> None:
    assert not _equal(AllOf((FEVER, HOT)), AnyOf((FEVER, HOT)))
    assert not _equal(Always(), Otherwise())
    assert _equal(AllOf((FEVER, HOT)), AllOf((FEVER, HOT)))
    assert AllOf((FEVER, HOT)) != AnyOf((FEVER, HOT))
    assert len({AllOf((FEVER,)), AnyOf((FEVER,))}) == 2


def test_questions_in_a_condition() -> None:
    assert list(questions_in(AllOf((FEVER, AnyOf((HOT, OLD)))))) == ["fever", "hot", "age"]
