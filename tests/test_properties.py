"""Properties that hold for every answer set."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import TODAY
from tests.strategies import RED_FLAG_ITEMS, full_answers
from triage.evaluate import evaluate
from triage.loader import load_ruleset
from triage.model import Disposition, SectionKind, Value

RULESET = load_ruleset()
SCREEN = {s.id for s in RULESET.sections if s.kind is SectionKind.SCREEN}
NOT_FOR_RED_FLAGS = {Disposition.MANUAL_THERAPIST, Disposition.SELF_CARE}


def partial_answers() -> st.SearchStrategy[dict[str, Value]]:
    """Valid answers to some of the questions."""
    return full_answers().flatmap(
        lambda answers: st.sets(st.sampled_from(sorted(answers))).map(
            lambda kept: {q: v for q, v in answers.items() if q in kept}
        )
    )


def _assess(answers: dict[str, Value]) -> Disposition:
    return evaluate(answers, RULESET, today=TODAY).disposition


@given(full_answers())
def test_exactly_one_disposition_and_the_most_urgent_rule_decides(
    answers: dict[str, Value],
) -> None:
    result = evaluate(answers, RULESET, today=TODAY)
    assert result.rules, "some rule always fires"
    assert result.disposition is min((r.disposition for r in result.rules), key=lambda d: d.urgency)
    urgencies = [r.disposition.urgency for r in result.rules]
    assert urgencies == sorted(urgencies)


@given(full_answers(), st.sampled_from(RED_FLAG_ITEMS), st.sampled_from(["yes", "unknown"]))
def test_a_red_flag_never_makes_the_advice_less_urgent(
    answers: dict[str, Value], item: str, worse: str
) -> None:
    answers[item] = "no"
    before = _assess(answers)
    answers[item] = worse
    after = _assess(answers)
    assert after.urgency <= before.urgency, f"{item}={worse}: {before} -> {after}"


@given(st.one_of(full_answers(ages=(16, 120)), full_answers(ages=(16, 120), realistic=True)))
def test_from_16_a_red_flag_rules_out_the_therapist_and_self_care(
    answers: dict[str, Value],
) -> None:
    result = evaluate(answers, RULESET, today=TODAY)
    if any(r.section in SCREEN for r in result.rules):
        assert result.disposition not in NOT_FOR_RED_FLAGS


@given(st.one_of(full_answers(ages=(0, 15)), full_answers(ages=(0, 15), realistic=True)))
def test_a_child_under_16_always_sees_a_doctor(answers: dict[str, Value]) -> None:
    assert _assess(answers) not in NOT_FOR_RED_FLAGS


@given(full_answers(ages=(16, 17), realistic=True))
def test_16_and_17_year_olds_never_get_self_care(answers: dict[str, Value]) -> None:
    assert _assess(answers) is not Disposition.SELF_CARE


@given(full_answers(ages=(0, 1), realistic=True))
def test_a_baby_or_toddler_sees_the_gp_within_24_hours_at_least(answers: dict[str, Value]) -> None:
    assert _assess(answers).urgency <= Disposition.GP_WITHIN_24_HOURS.urgency


NO_SETTLED_STOP = RULESET.replace(
    questionnaire=RULESET.questionnaire.replace(settled_stop_from=None)
)


@given(st.one_of(full_answers(), full_answers(realistic=True)))
def test_the_settled_stop_never_changes_a_disposition(answers: dict[str, Value]) -> None:
    """The stopped walk's disposition equals the full walk's, whatever the answers to the
    questions it left out (the generated answers give every question some value)."""
    from hypothesis import event

    from triage.flow import reach

    stopped = evaluate(answers, RULESET, today=TODAY)
    full = evaluate(answers, NO_SETTLED_STOP, today=TODAY)
    walk = reach(RULESET, answers)
    event(f"stopped early: {walk.stopped}")
    assert stopped.disposition is full.disposition
    if walk.stopped and stopped.disposition is not Disposition.CALL_112:
        assert stopped.disposition.urgency <= RULESET.settings.settled_stop_at.urgency
        assert stopped.not_asked, "the questions left out are listed as not asked"
        assert not set(stopped.not_asked) & set(walk.reached)


EMERGENCY = [q.id for q in RULESET.questionnaire.questions if q.group == "emergency"]


@given(full_answers(realistic=True), st.sampled_from(EMERGENCY))
def test_a_yes_on_the_emergency_screen_always_gives_112(
    answers: dict[str, Value], sign: str
) -> None:
    answers[sign] = "yes"
    assert _assess(answers) is Disposition.CALL_112


@given(full_answers())
def test_self_care_always_has_a_review_date_the_settings_days_on(answers: dict[str, Value]) -> None:
    result = evaluate(answers, RULESET, today=TODAY)
    has_date = result.safety_net.review_date is not None
    assert has_date == (result.disposition is Disposition.SELF_CARE)
    if has_date:
        days = RULESET.settings.safety_net_days
        assert (result.safety_net.review_date - TODAY).days == days  # type: ignore[operator]
    assert result.safety_net.call_112, "every result says when to call 112"


@given(full_answers())
def test_a_fired_rule_names_answers_that_fire_its_tests(answers: dict[str, Value]) -> None:
    from triage.conditions import tests_in, truth, witnesses
    from triage.flow import walked
    from triage.model import Truth

    used = walked(RULESET, answers)[1]
    for rule in RULESET.rules:
        if rule.section not in SCREEN:
            continue
        found = truth(rule.when, used)
        named = witnesses(rule.when, used)
        assert bool(named) == (found is not Truth.FALSE), rule.id
        for question in named:
            assert any(
                truth(test, used) is found
                for test in tests_in(rule.when)
                if test.question == question
            ), (rule.id, question)


@given(st.one_of(partial_answers(), full_answers(realistic=True)), st.data())
def test_every_condition_read_off_the_table_has_its_plain_value(
    answers: dict[str, Value], data: st.DataObject
) -> None:
    """Each condition of the rules and the walk, read off the engine's table (the clauses
    the answers break), has the value Kleene's logic gives its tree: also with some
    questions pending (their tests can still pass), and one condition alone (conditions.
    truth, best_case)."""
    from tests import reference
    from triage.conditions import best_case, reading, truth
    from triage.rules import engine

    table = engine(RULESET).table
    pending = data.draw(st.frozensets(st.sampled_from(RULESET.questionnaire.ids), max_size=12))
    kills, free = table.kills(answers), table.kills(answers, pending)
    for condition, mask in table.masks.items():
        plain = reference.truth(condition, answers)
        assert reading(mask, kills) is plain is truth(condition, answers), condition
        at_best = reference.truth(condition, answers, pending)
        assert reading(mask, free) is at_best, condition
        assert best_case(condition, answers, pending) is at_best, condition
