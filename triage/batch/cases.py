"""Many answer sets at once: read cases (JSONL or CSV), decide each, tally against expected."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii as _json_string  # json.dumps of a str
from types import MappingProxyType
from typing import NamedTuple

from triage.answers import (
    ASSESSED_ON,
    impossible_pair,
    is_canonical,
    no_duplicate_keys,
    normalize,
    shown_value,
    split_assessed_on,
)
from triage.errors import AnswersError, DataError, MissingAnswers, TriageError, did_you_mean
from triage.flow import walked
from triage.model import Disposition, Ruleset, Value
from triage.rules import decide

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


class Side(NamedTuple):
    """The baseline's decision of a case, or why it has none: the questions it needs that
    the case lacks, or another problem; `set_aside` names the answers it does not know."""

    disposition: Disposition | None
    rules: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    set_aside: tuple[str, ...] = ()
    problem: str | None = None


class CaseResult(NamedTuple):
    """The decision for one case."""

    id: str
    disposition: Disposition
    rules: tuple[str, ...]
    expected: Disposition | None
    baseline: Side | None

    @property
    def match(self) -> bool | None:
        """Whether the disposition is the expected one (None without an expectation)."""
        return None if self.expected is None else self.disposition is self.expected

    @property
    def under_triage(self) -> bool:
        """Less urgent than expected."""
        return self.expected is not None and self.disposition.urgency > self.expected.urgency

    @property
    def over_triage(self) -> bool:
        """More urgent than expected."""
        return self.expected is not None and self.disposition.urgency < self.expected.urgency

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
        if with_baseline and self.baseline is not None:
            line += ", " + json.dumps(_baseline_fields(self.baseline))[1:-1]
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
        if with_baseline and self.baseline is not None:
            side = self.baseline
            row += [
                side.disposition.value if side.disposition else "",
                " ".join(side.rules),
                " ".join(side.missing),
                " ".join(side.set_aside),
            ]
        return row


def _baseline_fields(side: Side) -> dict[str, object]:
    fields: dict[str, object] = {
        "baseline": side.disposition.value if side.disposition else None,
        "baseline_rules": list(side.rules),
    }
    if side.missing:
        fields["baseline_missing"] = list(side.missing)
    if side.set_aside:
        fields["baseline_set_aside"] = list(side.set_aside)
    if side.problem:
        fields["baseline_problem"] = side.problem
    return fields


BASELINE_COLUMNS = ["baseline", "baseline_rules", "baseline_missing", "baseline_set_aside"]
CSV_COLUMNS = ["id", "disposition", "advice", "rules", "expected", "match"]
_FORMULA_START = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t\r])")
"""Where a formula could start: at the start of the cell and after every line break (a
spreadsheet that splits the cell there would start a row or a line with it)."""


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: wherever a formula could start (=, +, -, @,
    a tab or a carriage return at the start or after a line break) an apostrophe comes
    first, as OWASP advises against CSV injection."""
    return _FORMULA_START.sub("'", cell)


def _csv_writer(rows: io.StringIO, delimiter: str = ",") -> Callable[[list[str]], None]:
    """Writes a CSV row a line, quoting every cell that holds a line break (csv's minimal
    quoting leaves a lone carriage return bare, and spreadsheets end a row there)."""
    minimal = csv.writer(rows, lineterminator="\n", delimiter=delimiter)
    quoted = csv.writer(rows, lineterminator="\n", delimiter=delimiter, quoting=csv.QUOTE_ALL)

    def write(row: list[str]) -> None:
        broken = any("\r" in cell or "\n" in cell for cell in row)
        (quoted if broken else minimal).writerow(row)

    return write


def read_jsonl(lines: Iterable[str], first: int = 1) -> Iterator[Case | BadLine]:
    """Cases from JSON lines: one answers object a line, with optional id and expected."""
    for number, line in enumerate(lines, start=first):
        if number == 1:
            line = line.removeprefix("\ufeff")  # noqa: PLW2901 (a byte-order mark)
        if not line or line.isspace():
            continue
        if len(line) > MAX_LINE:
            yield BadLine(number, "longer than 1 MiB")
            continue
        try:
            document = _json_object(line)
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


OTHER_COLUMNS = ("id", "expected", ASSESSED_ON)
"""The columns of a case that are no question."""


def _json_object(line: str) -> object:
    """A JSON line, read; AnswersError for a key given twice.

    Every key has its own colon, so a line with no more colons than its object has keys
    gives each key once: then the quick reading (in C) is enough. Otherwise (a colon in a
    value, or a key twice) the reading that looks at every key decides.
    """
    document = json.loads(line)
    if isinstance(document, dict) and line.count(":") == len(document):
        return document
    return json.loads(line, object_pairs_hook=no_duplicate_keys)


DELIMITERS = (",", ";", "\t")
"""The delimiters of CSV cases, first the one a tie goes to: commas, semicolons (as a Dutch
spreadsheet writes), tabs (a .tsv file)."""


def csv_delimiter(header: str) -> str:
    """A CSV file's delimiter, by its header: the one of DELIMITERS it has most of (a
    comma where it has none)."""
    return max(DELIMITERS, key=header.count)


def read_csv(lines: Iterable[str], question_ids: Iterable[str]) -> Iterator[Case | BadLine]:
    """Cases from CSV: a column per question id, optional id and expected; empty = not given.

    Commas, semicolons (as a Dutch spreadsheet writes) or tabs, whichever the header has most of;
    a byte-order mark is skipped. A header name that is no question id stops the run
    (TriageError), once, naming the closest ids.
    """
    lines = iter(lines)
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        return
    first = first.removeprefix("\ufeff")
    delimiter = csv_delimiter(first)
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    names = [name.strip() for name in next(reader)]
    _check_header(names, question_ids)
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


SHOWN_COLUMNS = 5
"""How many wrong or repeated columns of a CSV header a message names (it counts them all)."""


def _check_header(names: list[str], question_ids: Iterable[str]) -> None:
    """Every column names a question id (or id, expected, assessed_on), once; the work
    grows with the number of columns, not with its square."""
    known = [*question_ids, *OTHER_COLUMNS]
    known_set = set(known)
    wrong = [(place, name) for place, name in enumerate(names, start=1) if name not in known_set]
    if wrong:
        shown = [
            f"column {place} {name!r} is not a question id{did_you_mean(name, known)}"
            for place, name in wrong[:SHOWN_COLUMNS]
        ]
        more = f" and {len(wrong) - SHOWN_COLUMNS} more" if len(wrong) > SHOWN_COLUMNS else ""
        raise TriageError(
            "the CSV header: " + "; ".join(shown) + more + "; a column names a question id "
            "(triage questions), or id, expected or assessed_on"
        )
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise TriageError(f"the CSV header names {', '.join(repeated)} more than once")


MAX_ID = 200
"""The most characters a case id may have (a summary lists ids, and keeps up to KEPT_IDS)."""


def _case(number: int, document: dict[str, object]) -> Case | BadLine:
    case_id = document.pop("id", None)
    expected = document.pop("expected", None)
    if case_id is not None and len(str(case_id)) > MAX_ID:
        return BadLine(number, f"the id is longer than {MAX_ID} characters")
    if ASSESSED_ON in document:  # checked, then set aside: a decision does not need the day
        try:
            document, _ = split_assessed_on(document)
        except AnswersError as error:
            return BadLine(number, str(error))
    if expected is not None and (not isinstance(expected, str) or expected not in _DISPOSITIONS):
        return BadLine(
            number,
            f"expected {shown_value(expected)} is not a disposition; use one of "
            f"{', '.join(sorted(_DISPOSITIONS))}",
        )
    return Case(
        number,
        str(case_id) if case_id is not None else str(number),
        document,
        Disposition(expected) if expected is not None else None,
    )


class Job(NamedTuple):
    """What a batch decides with: the rules, the baseline to compare with, and answers for
    questions a case leaves out (`--default id=value`)."""

    ruleset: Ruleset
    baseline: Ruleset | None = None
    defaults: Mapping[str, Value] = MappingProxyType({})


def decide_case(case: Case, job: Job) -> CaseResult:
    """Decide one case; AnswersError for bad or missing answers (MissingAnswers names
    the questions the rules need that the case lacks)."""
    answers = case.answers
    own = answers
    if job.defaults:
        # A default may answer a question only the baseline has (a question removed).
        known = job.ruleset.questionnaire.by_id
        own = {**{q: v for q, v in job.defaults.items() if q in known}, **answers}
        answers = {**job.defaults, **answers}
    if job.baseline is None:
        disposition, rules = _decision(own, job.ruleset)
        return CaseResult(case.id, disposition, rules, case.expected, None)
    side = baseline_side(answers, job.baseline)
    disposition, rules = _decision(dict(own), job.ruleset)
    return CaseResult(case.id, disposition, rules, case.expected, side)


def baseline_side(answers: Mapping[str, object], baseline: Ruleset) -> Side:
    """The baseline's decision: the answers it does not know set aside, and named."""
    known = {*baseline.questionnaire.by_id, *baseline.questionnaire.combined}
    set_aside = tuple(q for q in answers if q not in known)
    kept = {q: v for q, v in answers.items() if q in known}
    try:
        disposition, rules = _decision(kept, baseline)
    except MissingAnswers as error:
        return Side(None, missing=error.missing, set_aside=set_aside)
    except (AnswersError, DataError) as error:  # DataError: no rule of the baseline fired
        return Side(None, set_aside=set_aside, problem=str(error).replace("\n", " "))
    return Side(disposition, rules, set_aside=set_aside)


def _decision(raw: dict[str, object], ruleset: Ruleset) -> tuple[Disposition, tuple[str, ...]]:
    """The disposition and the rules that fired; `raw` may be changed. Its keys and texts
    are plain str (as JSON and CSV give them)."""
    questionnaire = ruleset.questionnaire
    if is_canonical(raw, questionnaire, plain=True) and impossible_pair(raw) is None:
        answers: dict[str, Value] = raw  # type: ignore[assignment]  # checked just now
    else:
        answers = normalize(raw, questionnaire)
    walk, used = walked(ruleset, answers)
    decision = decide(used, ruleset, named=False, kills=walk.kills)
    return decision.disposition, tuple([f.rule.id for f in decision.fired])


KEPT_IDS = 1000
"""How many ids of under-triaged or changed cases a summary keeps (it counts them all)."""


class Change(NamedTuple):
    """A case the baseline decides otherwise: its id, the baseline's disposition and deciding
    rule, the rules' disposition and deciding rule."""

    case: str
    before: str
    before_rule: str
    after: str
    after_rule: str


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
    over_triage: list[str] = field(default_factory=list)
    over_triaged: int = 0
    differ: list[Change] = field(default_factory=list)
    differing: int = 0
    unchanged: int = 0
    baseline_undecided: int = 0
    baseline_missing: Counter[str] = field(default_factory=Counter)
    baseline_set_aside: Counter[str] = field(default_factory=Counter)
    undecided: int = 0
    """Cases the rules cannot decide because answers they need are missing."""
    missing: Counter[str] = field(default_factory=Counter)

    def merge(self, other: Tally) -> None:
        """Add another tally's counts (of a later run of cases) to this one."""
        for name in (
            "cases",
            "bad",
            "with_expected",
            "agree",
            "under_triaged",
            "over_triaged",
            "differing",
            "unchanged",
            "baseline_undecided",
            "undecided",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for counter in ("confusion", "baseline_missing", "baseline_set_aside", "missing"):
            getattr(self, counter).update(getattr(other, counter))
        self.under_triage += other.under_triage[: KEPT_IDS - len(self.under_triage)]
        self.over_triage += other.over_triage[: KEPT_IDS - len(self.over_triage)]
        self.differ += other.differ[: KEPT_IDS - len(self.differ)]

    def add(self, result: CaseResult) -> None:
        """Count one decided case."""
        self.cases += 1
        if result.expected is not None:
            self.with_expected += 1
            self.agree += bool(result.match)
            self.confusion[(result.expected.value, result.disposition.value)] += 1
            if result.under_triage:
                self.under_triaged += 1
                _keep(self.under_triage, result.id)
            elif result.over_triage:
                self.over_triaged += 1
                _keep(self.over_triage, result.id)
        if result.baseline is not None:
            self._compare(result, result.baseline)

    def _compare(self, result: CaseResult, side: Side) -> None:
        self.baseline_set_aside.update(side.set_aside)
        if side.disposition is None:
            self.baseline_undecided += 1
            self.baseline_missing.update(side.missing)
        elif side.disposition is result.disposition:
            self.unchanged += 1
        else:
            self.differing += 1
            if len(self.differ) < KEPT_IDS:
                before = side.rules[0] if side.rules else ""
                after = result.rules[0] if result.rules else ""
                change = Change(
                    result.id, side.disposition.value, before, result.disposition, after
                )
                self.differ.append(change)

    def undecidable(self, error: MissingAnswers) -> None:
        """Count a case the rules cannot decide for lack of answers."""
        self.bad += 1
        self.undecided += 1
        self.missing.update(error.missing)


def _keep(ids: list[str], case_id: str) -> None:
    if len(ids) < KEPT_IDS:
        ids.append(case_id)


class Outcome(NamedTuple):
    """What a run of cases gave: the output text, the problems by line, and the tally."""

    output: str
    problems: list[str]
    tally: Tally


def process(items: Iterable[Case | BadLine], job: Job, fmt: str, delimiter: str = ",") -> Outcome:
    """Decide every case; bad lines and bad answers become problems, counted. `fmt` is the
    output's format, `delimiter` the CSV output's."""
    tally = Tally()
    lines: list[str] = []
    problems: list[str] = []
    rows = io.StringIO()
    write_row = _csv_writer(rows, delimiter)
    with_baseline = job.baseline is not None
    for item in items:
        if isinstance(item, BadLine):
            tally.bad += 1
            problems.append(f"line {item.line}: {item.message}")
            continue
        try:
            result = decide_case(item, job)
        except (AnswersError, DataError) as error:
            # DataError: an edited table no rule of which fires on these answers; the case
            # is reported on its line and counted, and the batch goes on.
            if isinstance(error, MissingAnswers):
                tally.undecidable(error)
            else:
                tally.bad += 1
            message = str(error).replace("\n", " ")
            problems.append(f"line {item.line} (id {item.id}): {message}")
            continue
        tally.add(result)
        if fmt == "csv":
            write_row(result.csv_row(with_baseline))
        else:
            lines.append(result.json_line(with_baseline))
    return Outcome(rows.getvalue() if fmt == "csv" else "".join(lines), problems, tally)
