"""Many answer sets at once: read cases (JSONL or CSV), decide each, tally against expected."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii as _json_string  # json.dumps of a str
from typing import NamedTuple

from triage.answers import is_canonical, no_duplicate_keys, normalize, split_assessed_on
from triage.batch.plan import plan_for
from triage.errors import AnswersError
from triage.flow import reached_answers
from triage.model import Disposition, Ruleset, Value

MAX_LINE = 1024 * 1024
_DISPOSITIONS = {d.value for d in Disposition}


class Case(NamedTuple):
    """One answer set, with its line number, id and the expected disposition if given."""

    line: int
    id: str
    answers: dict[str, object]
    expected: Disposition | None


class BadLine(NamedTuple):
    """A line that is not a valid case, and why."""

    line: int
    message: str


class CaseResult(NamedTuple):
    """The decision for one case."""

    id: str
    disposition: Disposition
    rules: tuple[str, ...]
    expected: Disposition | None
    baseline: Disposition | None

    @property
    def match(self) -> bool | None:
        """Whether the disposition is the expected one (None without an expectation)."""
        return None if self.expected is None else self.disposition is self.expected

    @property
    def under_triage(self) -> bool:
        """Less urgent than expected."""
        return self.expected is not None and self.disposition.urgency > self.expected.urgency

    def json_line(self, with_baseline: bool) -> str:
        """The result as one line of JSON (written by hand: this runs once a case)."""
        rules = '"' + '", "'.join(self.rules) + '"' if self.rules else ""  # ids: no escapes
        disposition = self.disposition  # a StrEnum formats as its value
        line = (
            f'{{"id": {_json_string(self.id)}, "disposition": "{disposition}", '
            f'"advice": "{disposition.advice}", "rules": [{rules}]'
        )
        if self.expected is not None:
            line += f', "expected": "{self.expected.value}", "match": {str(self.match).lower()}'
        if with_baseline:
            line += f', "baseline": {json.dumps(self.baseline.value if self.baseline else None)}'
        return line + "}\n"

    def csv_row(self, with_baseline: bool) -> list[str]:
        """The result as one CSV row."""
        row = [
            spreadsheet_safe(self.id),
            self.disposition.value,
            self.disposition.advice.value,
            " ".join(self.rules),
            self.expected.value if self.expected else "",
            "" if self.match is None else str(self.match).lower(),
        ]
        if with_baseline:
            row.append(self.baseline.value if self.baseline else "")
        return row


CSV_COLUMNS = ["id", "disposition", "advice", "rules", "expected", "match"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula (=, +, -, @,
    a tab or a carriage return) gets a leading apostrophe, as OWASP advises against CSV
    injection."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def read_jsonl(lines: Iterable[str], first: int = 1) -> Iterator[Case | BadLine]:
    """Cases from JSON lines: one answers object a line, with optional id and expected."""
    for number, line in enumerate(lines, start=first):
        if not line or line.isspace():
            continue
        if len(line) > MAX_LINE:
            yield BadLine(number, "longer than 1 MiB")
            continue
        try:
            document = json.loads(line, object_pairs_hook=no_duplicate_keys)
        except AnswersError as error:
            yield BadLine(number, str(error))
            continue
        except (ValueError, RecursionError) as error:
            yield BadLine(number, f"not valid JSON ({error})")
            continue
        if not isinstance(document, dict):
            yield BadLine(number, "not a JSON object of id: value pairs")
            continue
        yield _case(number, document)


def read_csv(lines: Iterable[str]) -> Iterator[Case | BadLine]:
    """Cases from CSV: a column per question id, optional id and expected; empty = not given."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        return
    names = [name.strip() for name in header]
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a cell over the csv module's limit, a stray quote
            yield BadLine(reader.line_num, f"not valid CSV ({error})")
            continue
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield BadLine(number, f"has {len(row)} cells where the header has {len(names)}")
            continue
        yield _case(number, {n: c for n, c in zip(names, row, strict=True) if c.strip()})


def _case(number: int, document: dict[str, object]) -> Case | BadLine:
    case_id = document.pop("id", None)
    expected = document.pop("expected", None)
    try:
        document, _ = split_assessed_on(document)  # a decision does not depend on the day
    except AnswersError as error:
        return BadLine(number, str(error))
    if expected is not None and (not isinstance(expected, str) or expected not in _DISPOSITIONS):
        return BadLine(
            number,
            f"expected {expected!r} is not a disposition; use one of "
            f"{', '.join(sorted(_DISPOSITIONS))}",
        )
    return Case(
        number,
        str(case_id) if case_id is not None else str(number),
        document,
        Disposition(expected) if expected is not None else None,
    )


def decide_case(case: Case, ruleset: Ruleset, baseline: Ruleset | None) -> CaseResult:
    """Decide one case; AnswersError for bad or missing answers."""
    if baseline is None:
        disposition, rules = _decision(case.answers, ruleset)
        return CaseResult(case.id, disposition, rules, case.expected, None)
    disposition, rules = _decision(dict(case.answers), ruleset)
    try:
        before: Disposition | None = _decision(case.answers, baseline)[0]
    except AnswersError:
        before = None
    return CaseResult(case.id, disposition, rules, case.expected, before)


def _decision(raw: dict[str, object], ruleset: Ruleset) -> tuple[Disposition, tuple[str, ...]]:
    """The disposition and the rules that fired; `raw` may be changed."""
    questionnaire = ruleset.questionnaire
    if is_canonical(raw, questionnaire):
        answers: dict[str, Value] = raw  # type: ignore[assignment]  # checked just now
    else:
        answers = normalize(raw, questionnaire)
    decision = plan_for(ruleset).decide(reached_answers(ruleset, answers))
    return decision.disposition, tuple([f.rule.id for f in decision.fired])


KEPT_IDS = 1000
"""How many ids of under-triaged or changed cases a summary keeps (it counts them all)."""


@dataclass
class Tally:
    """What the summary reports; its size does not grow with the number of cases (it keeps
    the first KEPT_IDS ids of each list and counts the rest)."""

    cases: int = 0
    bad: int = 0
    with_expected: int = 0
    agree: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    under_triage: list[str] = field(default_factory=list)
    under_triaged: int = 0
    differ: list[tuple[str, str, str]] = field(default_factory=list)
    differing: int = 0

    def merge(self, other: Tally) -> None:
        """Add another tally's counts (of a later run of cases) to this one."""
        self.cases += other.cases
        self.bad += other.bad
        self.with_expected += other.with_expected
        self.agree += other.agree
        self.confusion.update(other.confusion)
        self.under_triage += other.under_triage[: KEPT_IDS - len(self.under_triage)]
        self.under_triaged += other.under_triaged
        self.differ += other.differ[: KEPT_IDS - len(self.differ)]
        self.differing += other.differing

    def add(self, result: CaseResult) -> None:
        """Count one decided case."""
        self.cases += 1
        if result.expected is not None:
            self.with_expected += 1
            self.agree += bool(result.match)
            self.confusion[(result.expected.value, result.disposition.value)] += 1
            if result.under_triage:
                self.under_triaged += 1
                if len(self.under_triage) < KEPT_IDS:
                    self.under_triage.append(result.id)
        if result.baseline is not None and result.baseline is not result.disposition:
            self.differing += 1
            if len(self.differ) < KEPT_IDS:
                self.differ.append((result.id, result.baseline.value, result.disposition.value))


class Outcome(NamedTuple):
    """What a run of cases gave: the output text, the problems by line, and the tally."""

    output: str
    problems: list[str]
    tally: Tally


def process(
    items: Iterable[Case | BadLine], ruleset: Ruleset, baseline: Ruleset | None, fmt: str
) -> Outcome:
    """Decide every case; bad lines and bad answers become problems, counted."""
    tally = Tally()
    lines: list[str] = []
    problems: list[str] = []
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    with_baseline = baseline is not None
    for item in items:
        if isinstance(item, BadLine):
            tally.bad += 1
            problems.append(f"line {item.line}: {item.message}")
            continue
        try:
            result = decide_case(item, ruleset, baseline)
        except AnswersError as error:
            tally.bad += 1
            message = str(error).replace("\n", " ")
            problems.append(f"line {item.line} (id {item.id}): {message}")
            continue
        tally.add(result)
        if fmt == "csv":
            writer.writerow(result.csv_row(with_baseline))
        else:
            lines.append(result.json_line(with_baseline))
    return Outcome(rows.getvalue() if fmt == "csv" else "".join(lines), problems, tally)
