"""Hypothesis strategies for answer sets."""

from __future__ import annotations

from hypothesis import strategies as st

from triage.loader import load_ruleset
from triage.model import Question, Value

QUESTIONNAIRE = load_ruleset().questionnaire


def value_for(question: Question) -> st.SearchStrategy[Value]:
    """Any valid value for the question."""
    kind = question.kind
    if kind.is_number:
        return st.integers(kind.minimum, kind.maximum)
    return st.sampled_from(kind.values)


def mostly_no(question: Question) -> st.SearchStrategy[Value]:
    """Any valid value, but mostly `no` for a yes/no question: answer sets like real ones,
    where most warning signs are absent and every disposition comes up."""
    if question.kind.is_yes_no:
        return st.sampled_from(["no"] * 12 + ["yes", "unknown"])
    return value_for(question)


def full_answers(
    *, ages: tuple[int, int] | None = None, realistic: bool = False
) -> st.SearchStrategy[dict[str, Value]]:
    """A valid answer for every question (the walk ignores the ones it does not reach);
    `ages` bounds the age (both ends included)."""
    pick = mostly_no if realistic else value_for
    fields = {q.id: pick(q) for q in QUESTIONNAIRE.questions}
    if ages is not None:
        fields["age"] = st.integers(*ages)
    return st.fixed_dictionaries(fields).map(possible)


def possible(answers: dict[str, Value]) -> dict[str, Value]:
    """An answer set the program accepts: a respondent that cannot go with the age (a
    "child" of 65) becomes `self`."""
    from triage.answers import impossible_pair

    if impossible_pair(answers) is not None:
        return {**answers, "respondent": "self"}
    return answers


RED_FLAG_GROUPS = ("emergency", "warning", "background")
RED_FLAG_ITEMS = tuple(
    q.id for q in QUESTIONNAIRE.questions if q.group in RED_FLAG_GROUPS and q.kind.id == "tri_state"
)
