"""What a review pack holds: the clinical cases decided by the rules, what they leave
untested, and the decisions the reviewers are asked to confirm. No I/O beyond reading the
files named; the formats module draws the pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from triage.errors import TriageError
from triage.model import Disposition, Questionnaire, Ruleset

CASE_KEYS = frozenset({"name", "base", "answers", "expect", "rules", "notes", "stops"})
"""The keys of a case in a case file (tests/clinical_cases.toml's form)."""

DAY = dt.date(2026, 12, 1)
"""The day the cases are assessed on: the pack must not change with the day it is made."""


class CaseResult(NamedTuple):
    """One clinical case as the rules decide it."""

    name: str
    expect: str | None
    disposition: str | None = None
    rules: tuple[str, ...] = ()
    decided_by: str | None = None
    problem: str | None = None
    """Why the rules could not decide it (answers missing or not accepted)."""

    @property
    def as_expected(self) -> bool:
        """Whether the rules give what the case expects (a case without `expect` is)."""
        return self.problem is None and self.expect in (None, self.disposition)


class Untested(NamedTuple):
    """What a case set leaves untested."""

    rules_without_case: tuple[str, ...]
    rules_never_deciding: tuple[str, ...]
    dispositions_without_case: tuple[str, ...]


def read_cases(path: Path, ruleset: Ruleset) -> tuple[CaseResult, ...]:
    """The cases of a case file ([base.<name>] tables and [[case]] entries with name,
    answers and expect), each decided by the rules; TriageError for a file that is not
    one."""
    import tomllib

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TriageError(f"--cases {path}: no such file") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TriageError(f"--cases {path}: not a TOML case file ({error})") from None
    cases = document.get("case")
    bases = document.get("base", {})
    if not isinstance(cases, list) or not isinstance(bases, dict):
        raise TriageError(
            f"--cases {path}: a case file has [[case]] entries (name, answers, expect) "
            "and optional [base.<name>] answers"
        )
    return tuple(_decide(case, index, bases, ruleset, path) for index, case in enumerate(cases))


def _decide(
    case: Any, index: int, bases: Mapping[str, Any], ruleset: Ruleset, path: Path
) -> CaseResult:
    from triage.answers import normalize
    from triage.errors import AnswersError
    from triage.evaluate import evaluate

    where = f"--cases {path}: case {index + 1}"
    if not isinstance(case, dict) or not isinstance(case.get("answers"), dict):
        raise TriageError(f"{where}: a case is a table with name, answers and expect")
    unknown = set(case) - CASE_KEYS
    if unknown:
        raise TriageError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    name = str(case.get("name", f"case {index + 1}"))
    expect = case.get("expect")
    answers = case_answers(case, bases, ruleset.questionnaire)
    try:
        assessment = evaluate(normalize(answers, ruleset.questionnaire), ruleset, today=DAY)
    except AnswersError as error:
        return CaseResult(name, str(expect) if expect else None, problem=str(error))
    rules = tuple(r.id for r in assessment.rules)
    decided = next(r.id for r in assessment.rules if r.disposition is assessment.disposition)
    return CaseResult(
        name, str(expect) if expect else None, assessment.disposition.value, rules, decided
    )


def case_answers(
    case: Mapping[str, Any], bases: Mapping[str, Any], questionnaire: Questionnaire
) -> dict[str, Any]:
    """A case's answers: those of its base (`adult` unless it names another) with its own
    on top. A case that gives a combined (version 2) answer drops the base's answers to
    its parts, as a version 2 answers file has none of them."""
    base = bases.get(case.get("base", "adult"), {})
    answers = dict(base) if isinstance(base, dict) else {}
    given = case["answers"]
    for combined_id, parts in questionnaire.combined.items():
        if combined_id in given:
            for part in parts:
                answers.pop(part, None)
    answers.update(given)
    return answers


def untested(cases: tuple[CaseResult, ...], ruleset: Ruleset) -> Untested:
    """The rules no case reaches, those that never decide a case, and the dispositions
    no case expects."""
    fired = {rule for case in cases for rule in case.rules}
    deciding = {case.decided_by for case in cases}
    expected = {case.expect for case in cases}
    return Untested(
        tuple(r.id for r in ruleset.rules if r.id not in fired),
        tuple(r.id for r in ruleset.rules if r.id in fired and r.id not in deciding),
        tuple(d.value for d in Disposition if d.value not in expected),
    )


def default_decisions() -> Path | None:
    """The list of decisions for the reviewers to confirm: shipped beside the package
    (the wheel) or in docs/ of a source checkout."""
    here = Path(__file__).resolve().parent
    for path in (here / "review_decisions.md", here.parent / "docs" / "decisions.md"):
        if path.is_file():
            return path
    return None


def read_decisions(path: Path | None) -> str | None:
    """The decisions file's text (Markdown), or None when there is none."""
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TriageError(f"--decisions {path}: no such file") from None
    except UnicodeDecodeError:
        raise TriageError(f"--decisions {path}: not UTF-8 text") from None
