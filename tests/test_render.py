"""The result on a screen: what matters most fits the first 80x24 screen."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tests.conftest import TODAY, adult
from triage.evaluate import evaluate
from triage.formats.advice import advice_document
from triage.model import Ruleset
from triage.terminal import render


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"duration": "6_to_12_weeks", "trend": "worsening", "daily_activities_limited": "yes"},
        {"fever_or_unwell": "yes"},
        {
            "age": 70,
            "recent_fall": "yes",
            "anticoagulant": "yes",
            "head_injury": "yes",
            "fall_pain_walking": "yes",
        },
    ],
    ids=["self-care", "therapist", "same day", "fall on blood thinners"],
)
def test_headline_meanwhile_and_reasons_fit_the_first_80x24_screen(
    ruleset: Ruleset, changes: dict[str, object]
) -> None:
    result = evaluate(adult(**changes), ruleset, today=TODAY)  # type: ignore[arg-type]
    document = advice_document(result, ruleset)
    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(render.advice(document))
    lines = out.getvalue().splitlines()
    why = next(i for i, line in enumerate(lines) if line == "Why this advice")
    after_why = next(
        (i for i, line in enumerate(lines) if i > why and line and line[0] not in "• "), len(lines)
    )
    assert lines.index("Until then") < why
    assert after_why <= 24, "\n".join(lines[:after_why])
    assert document.headline.split(".")[0] in "\n".join(lines[:5])
