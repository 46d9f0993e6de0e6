"""Validating a data folder: each check, what it checked, and its verdict, in a report.

A check never says "ok" about what it did not check: the report passes only when every
check ran and passed (without the solver, the safety properties are not proved, and the
report does not pass). The words come from the program, never from the data under test.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from triage.errors import DataError, Status, TriageError, each_error
from triage.model import Ruleset
from triage.proofs import TIME_LIMIT

if TYPE_CHECKING:
    from triage.proofs.properties import Proof

INSTALL_SOLVER = "install the z3 solver with pip install z3-solver (hip-triage brings it)"
"""How to get the solver, said where a proof could not be made."""


class Verdict(StrEnum):
    """What a check found."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not run"


@dataclass(frozen=True)
class Check:
    """One check of a data folder: its name, what it checked in a line (empty when it has
    nothing to say beyond its mistakes), its verdict and its mistakes, a line each; for a
    check that did not run, what to do so that it can."""

    name: str
    checked: str
    verdict: Verdict
    mistakes: tuple[str, ...] = ()
    remedy: str = ""


@dataclass(frozen=True)
class Report:
    """The checks of a data folder, in the order they ran, and the verdict on them all."""

    checks: tuple[Check, ...]

    @property
    def mistakes(self) -> tuple[str, ...]:
        """Every mistake found, check by check."""
        return tuple(m for check in self.checks for m in check.mistakes)

    @property
    def loads(self) -> bool:
        """Whether the data loaded (the other checks ran on it)."""
        return self.checks[0].verdict is Verdict.PASSED

    @property
    def passed(self) -> bool:
        """Whether every check ran and passed."""
        return all(check.verdict is Verdict.PASSED for check in self.checks)

    @property
    def status(self) -> Status:
        """The exit status: 0 fine, 1 a mistake in data that loads (or a check that could
        not run), 2 data that does not load."""
        if not self.loads:
            return Status.BAD_INPUT
        return Status.DONE if self.passed else Status.FAILED_CHECK

    @property
    def conclusion(self) -> str:
        """The last word on data that loads without mistakes: ok only when every check
        ran and passed ("" when there are mistakes: they are the last word)."""
        if self.mistakes:
            return ""
        if not self.passed:
            remedy = next(c.remedy for c in self.checks if c.verdict is not Verdict.PASSED)
            return (
                "not ok: no mistakes found by the checks that ran, but the safety properties "
                f"were NOT proved; {remedy}, then run triage validate again"
            )
        return "ok: no mistakes found, and the safety properties are proved"


def validate(folder: Path | None, seconds: float = TIME_LIMIT) -> Report:
    """Check a data folder (None: the shipped one): that it loads, that samples of every
    answer set are decided and shown, the lint checks, and the safety properties (proved
    within `seconds`)."""
    from triage.lint import lint
    from triage.loader import load_ruleset
    from triage.samples import smoke_test

    try:
        ruleset = load_ruleset(folder)
    except DataError as error:
        mistakes = tuple(str(mistake) for mistake in each_error(error))
        return Report((Check("load", "", Verdict.FAILED, mistakes),))
    smoke = smoke_test(ruleset)
    sampled = "" if smoke.decided == smoke.possible else f" (an even spread of {smoke.possible})"
    loaded = Check(
        "load",
        f"loads: {len(ruleset.questionnaire.questions)} questions, {len(ruleset.rules)} "
        f"rules, {len(ruleset.notes)} notes, {len(ruleset.safety_net)} safety-net signs; "
        f"{smoke.decided} sample answer sets decided{sampled}; version {ruleset.info.version}, "
        f"sha256 {ruleset.info.sha256}",
        Verdict.PASSED,
    )
    found = tuple(str(mistake) for mistake in lint(ruleset))
    linted = Check("lint", "", Verdict.FAILED if found else Verdict.PASSED, found)
    return Report((loaded, linted, _properties(ruleset, seconds)))


def _properties(ruleset: Ruleset, seconds: float) -> Check:
    """The properties of triage verify, proved; not run without the solver, not proved
    when the time limit comes first."""
    try:
        proof = prove(ruleset, seconds)
    except TriageError:
        return Check(
            "properties",
            "NOT PROVED: the safety properties (the z3 solver is not installed)",
            Verdict.NOT_RUN,
            remedy=INSTALL_SOLVER,
        )
    findings = tuple(
        f"rules.toml: {result.id}: {finding.message} (triage verify shows answers)"
        for result in proof.results
        for finding in result.findings
    )
    if findings:
        return Check("properties", "", Verdict.FAILED, findings)
    if not proof.finished:
        unproved = ", ".join(r.id for r in proof.results if not r.finished)
        return Check(
            "properties",
            f"NOT PROVED within the time limit of {seconds:g} s: {unproved}",
            Verdict.NOT_RUN,
            remedy="give the proof more time with --time-limit SECONDS, or set TRIAGE_TIME_LIMIT",
        )
    return Check(
        "properties",
        f"proved: all {len(proof.results)} safety properties (triage verify)",
        Verdict.PASSED,
    )


def prove(ruleset: Ruleset, seconds: float = TIME_LIMIT) -> Proof:
    """The proof of a ruleset's properties within `seconds`; a TriageError when the
    solver is missing."""
    try:
        from triage.proofs.properties import prove as run
    except ImportError as error:
        raise TriageError(
            f"triage verify needs the z3 solver ({error.name or 'z3'} is not installed): "
            + INSTALL_SOLVER
        ) from None
    return run(ruleset, seconds=seconds)
