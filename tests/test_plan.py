"""The batch's compiled plan decides as the walk and the rule table do (flow.walked,
then rules.decide): the same disposition and the same rules, in the same order, on the
shipped rules and on edited ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.edits import RED_FLAG_TO_SELF_CARE, replace_in, six_weeks_and_a_new_question
from tests.strategies import mostly_no, value_for
from triage.batch.cases import Case, Job, decide_case
from triage.batch.plan import CompiledPlan, plan_for
from triage.errors import TriageError
from triage.flow import reach, walked
from triage.loader import default_data_dir, load_ruleset
from triage.model import UNKNOWN, Disposition, Question, Ruleset, Value
from triage.rules import decide

RULESET = load_ruleset()

Outcome = tuple[Disposition, tuple[str, ...]] | type[TriageError]


def _engine(answers: dict[str, Value], ruleset: Ruleset) -> Outcome:
    try:
        decision = decide(walked(ruleset, answers)[1], ruleset)
    except TriageError as error:
        return type(error)
    return decision.disposition, tuple(f.rule.id for f in decision.fired)


def _plan(answers: dict[str, Value], ruleset: Ruleset) -> Outcome:
    plan = plan_for(ruleset)
    assert plan is not None, "the plan covers this rule table"
    try:
        return plan.decide(answers)
    except TriageError as error:
        return type(error)


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


@settings(max_examples=2000)
@given(complete(RULESET))
def test_the_plan_decides_as_the_walk_and_the_rule_table(answers: dict[str, Value]) -> None:
    assert _plan(answers, RULESET) == _engine(answers, RULESET)


SETTLED_AT = 'settled_stop_at = "gp_within_24_hours"'
SELF_CARE_SETTLED = [
    (SETTLED_AT, 'settled_stop_at = "self_care"'),
    ("when = { unknown_answers = 3 }", 'when = { possibly = "gp_routine" }'),
]
"""The settled stop at self-care, with the count of unknowns made a `possibly` (which the
plan can write at any urgency)."""
SETTLING = 'id = "short_and_settling"\nsection = "no_red_flags"\ndisposition = '
EDITS = {
    "six weeks and a new question": [],
    "settled stop at call_112": [(SETTLED_AT, 'settled_stop_at = "call_112"')],
    "settled stop at gp_within_days": [(SETTLED_AT, 'settled_stop_at = "gp_within_days"')],
    "an urgent rule across groups, settled stop at gp_within_days": [
        (SETTLED_AT, 'settled_stop_at = "gp_within_days"'),
        (
            'when = { question = "sudden_severe_pain", op = "is", value = "yes" }',
            'when = { all = [{ question = "recent_hip_operation", op = "is", value = "yes" }, '
            '{ question = "trend", op = "is", value = "worsening" }] }',
        ),
    ],
    "settled stop at self-care, no count of unknowns": SELF_CARE_SETTLED,
    "a red flag at self-care, settled stop at self-care": [
        *SELF_CARE_SETTLED,
        RED_FLAG_TO_SELF_CARE,
    ],
    "and the fallback's otherwise at the therapist": [
        *SELF_CARE_SETTLED,
        RED_FLAG_TO_SELF_CARE,
        (SETTLING + '"self_care"', SETTLING + '"manual_therapist"'),
    ],
    "no settled stop": [('settled_stop_from = "pain"', "")],
}
"""Edits of the shipped data that give the plan other shapes to write: more urgencies for
the settled stop (with the `possibly`, `otherwise` and fallback rules that could still
fire), an urgent rule whose answers come in two groups (an `unknown` in the first leaves it
possible), a red flag at self-care (so that the fallback's rules, and its `otherwise`, are
more urgent than a rule that settles), and no settled stop at all."""


@pytest.fixture(scope="module", params=list(EDITS))
def edited(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Ruleset:
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(Path(str(default_data_dir())), data, dirs_exist_ok=True)
    if request.param == "six weeks and a new question":
        six_weeks_and_a_new_question(data)
    replace_in(data, EDITS[request.param])
    return load_ruleset(data)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_plan_follows_edits_of_the_data(edited: Ruleset, data: st.DataObject) -> None:
    answers = data.draw(complete(edited))
    assert _plan(answers, edited) == _engine(answers, edited)


def test_a_rule_table_the_plan_does_not_cover_is_decided_by_the_engine(data_copy: Path) -> None:
    """A count of unknown answers that can settle the walk needs the unknowns' names: the
    plan leaves such a table to the engine, and a batch still decides every case."""
    replace_in(data_copy, [(SETTLED_AT, 'settled_stop_at = "gp_routine"')])
    ruleset = load_ruleset(data_copy)
    assert plan_for(ruleset) is None
    answers: dict[str, Value] = {
        q.id: UNKNOWN if UNKNOWN in q.kind.values else (q.kind.values or (40,))[0]
        for q in ruleset.questionnaire.questions
    }
    result = decide_case(Case(1, "all unknown", dict(answers), None), Job(ruleset))
    assert (result.disposition, result.rules) == _engine(answers, ruleset)


def test_the_plan_is_readable_python() -> None:
    """The source a reviewer can read: a line per question read, none for a question twice."""
    source = CompiledPlan(RULESET).source
    for question in RULESET.questionnaire.ids:
        assert source.count(f"a[{question!r}]") == 1, question
    assert source.startswith("def walk(a):")


def test_an_unknown_that_leaves_an_urgent_rule_possible_keeps_the_walk_going(
    data_copy: Path,
) -> None:
    """An urgent rule whose answers come in two groups, the first answered `unknown`: until
    the second is answered the rule could still be possible, so a `possibly` rule above the
    settled disposition could fire, and the walk does not stop (rules.could_fire_above)."""
    replace_in(data_copy, EDITS["an urgent rule across groups, settled stop at gp_within_days"])
    ruleset = load_ruleset(data_copy)
    answers: dict[str, Value] = {
        q.id: "no" if q.kind.is_yes_no else (q.kind.values or (40,))[0]
        for q in ruleset.questionnaire.questions
    }
    answers |= {"recent_hip_operation": UNKNOWN, "cancer_history": "yes", "trend": "worsening"}
    walk = reach(ruleset, answers)
    assert not walk.stopped, "the walk goes on to the trend"
    outcome = _engine(answers, ruleset)
    assert outcome[1][:2] == ("unknown_urgent", "malignancy")  # type: ignore[index]
    assert _plan(answers, ruleset) == outcome
