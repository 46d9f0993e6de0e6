"""The engine's compiled table (rules.Engine, conditions.Table): every condition as clauses
whose bits the answers break, read off as the walk goes. It is a way to skip work, never a
second reading of the rules: on the shipped rules and on edited ones, the engine walks,
decides and settles exactly as a plain reading of the table does (tests/reference.py:
every condition evaluated on its tree, every rule looked at), on complete answer sets, on
the answers the walk reaches and on walks cut off after any group."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import reference
from tests.conftest import examples
from tests.edits import RED_FLAG_TO_SELF_CARE, replace_in, six_weeks_and_a_new_question
from tests.strategies import mostly_no, value_for
from triage.errors import DataError
from triage.flow import reach, walked
from triage.loader import default_data_dir, load_ruleset
from triage.model import UNKNOWN, Question, Ruleset, Value
from triage.rules import Firing, could_settle, decide, settled

SETTLED_AT = 'settled_stop_at = "gp_within_24_hours"'
SELF_CARE_SETTLED = [
    (SETTLED_AT, 'settled_stop_at = "self_care"'),
    ("when = { unknown_answers = 3 }", 'when = { possibly = "gp_routine" }'),
]
SETTLING = 'id = "short_and_settling"\nsection = "no_red_flags"\ndisposition = '
EDITS = {
    "shipped": [],
    "six weeks and a new question": [],
    "settled stop at call_112": [(SETTLED_AT, 'settled_stop_at = "call_112"')],
    "settled stop at gp_within_days": [(SETTLED_AT, 'settled_stop_at = "gp_within_days"')],
    "settled stop at self-care, with the count of unknowns": [
        (SETTLED_AT, 'settled_stop_at = "self_care"')
    ],
    "an urgent rule across groups, settled stop at gp_within_days": [
        (SETTLED_AT, 'settled_stop_at = "gp_within_days"'),
        (
            'when = { question = "sudden_severe_pain", op = "is", value = "yes" }',
            'when = { all = [{ question = "recent_hip_operation", op = "is", value = "yes" }, '
            '{ question = "trend", op = "is", value = "worsening" }] }',
        ),
    ],
    "a count of unknowns more urgent than the settled stop": [
        ('when = { possibly = "call_112" }', "when = { unknown_answers = 2 }")
    ],
    "a possibly more urgent than the rules it looks at": [
        ('when = { possibly = "gp_immediately" }', 'when = { possibly = "gp_within_days" }')
    ],
    "a red flag at self-care, settled stop at self-care": [
        *SELF_CARE_SETTLED,
        RED_FLAG_TO_SELF_CARE,
    ],
    "and the fallback's otherwise at the therapist": [
        *SELF_CARE_SETTLED,
        RED_FLAG_TO_SELF_CARE,
        (SETTLING + '"self_care"', SETTLING + '"manual_therapist"'),
    ],
    "a screening rule that needs no answer": [
        (
            'when = { question = "sudden_severe_pain", op = "is", value = "yes" }',
            'when = { any = [{ question = "sudden_severe_pain", op = "is", value = "yes" }, '
            "{ always = true }] }",
        ),
    ],
    "no settled stop": [('settled_stop_from = "pain"', "")],
}
"""Edits of the shipped data that give the index other shapes: the settled stop at other
urgencies (with the `possibly`, the count of unknowns, `otherwise` and fallback rules that
could still fire), an urgent rule whose answers come in two groups (an `unknown` in the
first leaves it possible), a count of unknowns or a `possibly` more urgent than what it
looks at, a red flag at self-care, a rule no answer is needed for (no index then), and no
settled stop."""


def _often_unknown(question: Question) -> st.SearchStrategy[Value]:
    """Any value, with `unknown` as likely as the rest: open rules, the unknown section."""
    if UNKNOWN in question.kind.values:
        return st.one_of(st.just(UNKNOWN), value_for(question))
    return value_for(question)


def complete(ruleset: Ruleset) -> st.SearchStrategy[dict[str, Value]]:
    """Every question of the ruleset answered: at random, mostly `no`, or often `unknown`."""
    questions = ruleset.questionnaire.questions
    return st.one_of(
        *(
            st.fixed_dictionaries({q.id: pick(q) for q in questions})
            for pick in (value_for, mostly_no, _often_unknown)
        )
    )


@pytest.fixture(scope="module", params=list(EDITS))
def edited(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Ruleset:
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(Path(str(default_data_dir())), data, dirs_exist_ok=True)
    if request.param == "six weeks and a new question":
        six_weeks_and_a_new_question(data)
    replace_in(data, EDITS[request.param])
    return load_ruleset(data)


def _quiet(ruleset: Ruleset) -> dict[str, Value]:
    """Every question answered: `no`, the first value, or 40."""
    return {
        q.id: "no" if q.kind.is_yes_no else (q.kind.values or (40,))[0]
        for q in ruleset.questionnaire.questions
    }


def _named(firings: tuple[Firing, ...] | list[Firing]) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.rule.id, f.questions) for f in firings]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=examples(0.2))
@given(data=st.data())
def test_the_engine_walks_decides_and_settles_as_the_plain_reading(
    edited: Ruleset, data: st.DataObject
) -> None:
    answers = data.draw(complete(edited))
    walk = reach(edited, answers)
    assert (walk.reached, walk.missing, walk.stopped) == reference.reach(edited, answers)
    reached = dict(walk.answers)
    try:
        decision = decide(reached, edited)
        engine_says: object = (_named(decision.fired), _named(decision.open))
    except DataError as error:
        engine_says = type(error)
    plain_fired, plain_open = reference.decide(edited, reached)
    # No rule fired: the engine refuses to decide (a DataError).
    assert engine_says == ((plain_fired, plain_open) if plain_fired else DataError)
    assert decide(reached, edited, kills=walk.kills) == decide(reached, edited)
    assert settled(reached, frozenset(), edited) == reference.settled(edited, reached, frozenset())
    # Cut off after a group: the settled stop and "could it still stop" on what is pending.
    groups = edited.questionnaire.groups
    cut = data.draw(st.integers(0, len(groups) - 1))
    before = {q.id for g in groups[: cut + 1] for q in g.questions}
    so_far = {q: v for q, v in reached.items() if q in before}
    pending = frozenset(q.id for g in groups[cut + 1 :] for q in g.questions)
    assert settled(so_far, pending, edited) == reference.settled(edited, so_far, pending)
    at = edited.settings.settled_stop_at.urgency + 1
    assert could_settle(so_far, pending, edited) == reference.could_fire_above(
        edited, so_far, pending, at
    )


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=examples(0.2))
@given(data=st.data())
def test_a_walk_with_answers_left_out_reaches_what_the_plain_reading_reaches(
    edited: Ruleset, data: st.DataObject
) -> None:
    """Answers left out (missing) break the clauses of the questions after them but keep
    the settled stop open: the walk goes as far as the plain reading's."""
    answers = data.draw(complete(edited))
    left_out = data.draw(st.sets(st.sampled_from(sorted(answers)), max_size=4))
    some = {q: v for q, v in answers.items() if q not in left_out}
    walk = reach(edited, some)
    assert (walk.reached, walk.missing, walk.stopped) == reference.reach(edited, some)


def test_an_unknown_that_leaves_an_urgent_rule_possible_keeps_the_walk_going(
    data_copy: Path,
) -> None:
    """An urgent rule whose answers come in two groups, the first answered `unknown`: until
    the second is answered the rule could still be possible, so a `possibly` rule above the
    settled disposition could fire, and the walk does not stop (rules.Engine.could_fire_above)."""
    replace_in(data_copy, EDITS["an urgent rule across groups, settled stop at gp_within_days"])
    ruleset = load_ruleset(data_copy)
    answers = _quiet(ruleset) | {
        "recent_hip_operation": UNKNOWN,
        "cancer_history": "yes",
        "trend": "worsening",
    }
    assert not reach(ruleset, answers).stopped, "the walk goes on to the trend"
    decision = decide(walked(ruleset, answers)[1], ruleset)
    assert [f.rule.id for f in decision.fired][:2] == ["unknown_urgent", "malignancy"]


def test_unknowns_of_less_urgent_rules_can_settle_through_a_count_of_unknowns(
    data_copy: Path,
) -> None:
    """A count of unknowns more urgent than the settled stop fires on unknowns that open
    only less urgent rules: the walk must look, and stop (Engine.settles)."""
    replace_in(data_copy, EDITS["a count of unknowns more urgent than the settled stop"])
    ruleset = load_ruleset(data_copy)
    answers = _quiet(ruleset) | {"cancer_history": UNKNOWN, "weight_loss_or_night_sweats": UNKNOWN}
    walk = reach(ruleset, answers)
    assert walk.stopped, "two unknowns fire the count of unknowns: the advice is settled"
    assert decide(dict(walk.answers), ruleset).fired[0].rule.id == "unknown_emergency"


def test_an_unknown_of_a_less_urgent_rule_can_settle_through_a_possibly(data_copy: Path) -> None:
    """A `possibly` at the settled stop that looks at less urgent rules fires on an unknown
    that opens only those: the settled stop must look at them (Engine.settling)."""
    replace_in(data_copy, EDITS["a possibly more urgent than the rules it looks at"])
    ruleset = load_ruleset(data_copy)
    answers = _quiet(ruleset) | {"cancer_history": UNKNOWN}
    walk = reach(ruleset, answers)
    assert walk.stopped, "the unknown fires the possibly at the settled stop"
    assert decide(dict(walk.answers), ruleset).fired[0].rule.id == "unknown_urgent"
