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


def full_answers(*, adult: bool | None = None) -> st.SearchStrategy[dict[str, Value]]:
    """A valid answer for every question (the walk ignores the ones it does not reach)."""
    fields = {q.id: value_for(q) for q in QUESTIONNAIRE.questions}
    if adult is True:
        fields["age"] = st.integers(18, 120)
    elif adult is False:
        fields["age"] = st.integers(0, 17)
    return st.fixed_dictionaries(fields)


RED_FLAG_GROUPS = ("emergency", "warning", "background")
RED_FLAG_ITEMS = tuple(
    q.id for q in QUESTIONNAIRE.questions if q.group in RED_FLAG_GROUPS and q.kind.id == "tri_state"
)
