"""validate's report: each check, what it checked, its verdict; ok only for what was proved."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import PROOF_SECONDS
from tests.edits import RED_FLAG_TO_SELF_CARE, replace_in
from triage.errors import Status
from triage.model import Ruleset
from triage.validation import Verdict, validate


def test_the_shipped_data_passes_every_check_it_names(ruleset: Ruleset) -> None:
    pytest.importorskip("z3")
    report = validate(None, PROOF_SECONDS)
    assert [(c.name, c.verdict) for c in report.checks] == [
        ("load", Verdict.PASSED),
        ("lint", Verdict.PASSED),
        ("properties", Verdict.PASSED),
    ]
    assert f"{len(ruleset.rules)} rules" in report.checks[0].checked
    assert report.passed
    assert report.status is Status.DONE
    assert report.conclusion.startswith("ok:")


def test_without_the_solver_the_report_does_not_pass(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A red flag sent to self-care: the checks that ran find nothing, the proof did not
    run, so the report neither passes nor says ok."""
    replace_in(data_copy, [RED_FLAG_TO_SELF_CARE])
    for name in [m for m in sys.modules if m.startswith(("triage.proofs", "z3"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "z3", None)
    report = validate(data_copy)
    properties = report.checks[-1]
    assert properties.verdict is Verdict.NOT_RUN
    assert "NOT PROVED" in properties.checked
    assert not report.mistakes
    assert not report.passed
    assert report.status is Status.FAILED_CHECK
    assert report.conclusion.startswith("not ok:")


def test_data_that_does_not_load_is_one_failed_check_with_every_mistake(
    data_copy: Path,
) -> None:
    with (data_copy / "rules.toml").open("a") as rules:
        rules.write("garbage = [\n")
    report = validate(data_copy)
    assert [(c.name, c.verdict) for c in report.checks] == [("load", Verdict.FAILED)]
    assert report.mistakes == ("rules.toml: not valid TOML: Invalid value (at end of document)",)
    assert report.status is Status.BAD_INPUT
    assert not report.loads
