"""Why an assessment came out as it did: the decision path, and the nearest "what if"."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from triage.answers import impossible_pair
from triage.conditions import questions_in
from triage.errors import MissingAnswers
from triage.flow import walked
from triage.model import UNKNOWN, Disposition, Ruleset, SectionKind, Value
from triage.rules import Decision, decide
from triage.samples import numbers_tested


class Status(StrEnum):
    """How a rule came out: fired, possibly (open through unknowns), or not fired."""

    FIRED = "fired"
    POSSIBLY = "possibly"
    NOT_FIRED = "not fired"


@dataclass(frozen=True, slots=True)
class RuleTrace:
    """One rule as checked: fired, possibly (open through unknowns), or not; `answers` are
    those that made it fire or left it open, or for a rule that did not fire those it
    looked at."""

    id: str
    disposition: Disposition
    status: Status
    answers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectionTrace:
    """One section of the rule table: whether it was checked, and its rules."""

    id: str
    checked: bool
    rules: tuple[RuleTrace, ...]


@dataclass(frozen=True, slots=True)
class WhatIf:
    """A single changed answer and the disposition it would give; `plausibility` ranks the
    change (0: a yes/no turned round, 1: a neighbouring value of an ordered answer or an
    age, 2: any other value, 3: an answer made unknown)."""

    question: str
    was: Value
    becomes: Value
    disposition: Disposition
    plausibility: int = 0


@dataclass(frozen=True, slots=True)
class Explanation:
    """The decision path of one answer set.

    `led_by` are the answers the deciding rule names; `ignored` the answers given to
    questions the walk did not reach (after a stop, or not asked for these answers);
    `unanswered` counts the single changes whose effect needs answers that were not given
    (a `no` on the emergency screen opens every later question), with one example.
    """

    disposition: Disposition
    decided_by: str
    answers: Mapping[str, Value]
    sections: tuple[SectionTrace, ...]
    what_ifs: tuple[WhatIf, ...]
    led_by: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    unanswered: int = 0
    unanswered_example: tuple[str, Value, tuple[str, ...]] = ("", "", ())
    """One such change: the question, its new answer, and (some of) the answers it needs."""


WHAT_IFS_EACH_WAY = 3
"""How many what-ifs an explanation gives towards more and towards less urgent advice."""


def explain(answers: Mapping[str, Value], ruleset: Ruleset, *, every: bool = False) -> Explanation:
    """Trace the rules on checked, complete answers (see rules.evaluate); the what-ifs are
    searched over every answer given, those the walk did not reach included (`every`:
    all of them, else the nearest few each way)."""
    given = {**ruleset.questionnaire.defaults, **answers}
    used = walked(ruleset, given)[1]
    decision = decide(used, ruleset)
    search = _WhatIfs(given, ruleset)
    what_ifs = search.nearest(decision.disposition, every=every)
    return Explanation(
        disposition=decision.disposition,
        decided_by=decision.fired[0].rule.id,
        answers=used,
        sections=tuple(_sections(used, ruleset, decision)),
        what_ifs=what_ifs,
        led_by=decision.fired[0].questions,
        ignored=tuple(q for q in ruleset.questionnaire.ids if q in answers and q not in used),
        unanswered=len(search.unanswered),
        unanswered_example=search.unanswered[0] if search.unanswered else ("", "", ()),
    )


def _sections(
    answers: Mapping[str, Value], ruleset: Ruleset, decision: Decision
) -> Iterator[SectionTrace]:
    fired = {f.rule.id: f.questions for f in decision.fired}
    possibly = {f.rule.id: f.questions for f in decision.open}
    for section in ruleset.sections:
        traces = []
        for rule in section.rules:
            if rule.id in fired:
                traces.append(RuleTrace(rule.id, rule.disposition, Status.FIRED, fired[rule.id]))
            elif rule.id in possibly:
                traces.append(
                    RuleTrace(rule.id, rule.disposition, Status.POSSIBLY, possibly[rule.id])
                )
            else:
                looked_at = tuple(dict.fromkeys(q for q in questions_in(rule.when) if q in answers))
                traces.append(RuleTrace(rule.id, rule.disposition, Status.NOT_FIRED, looked_at))
        checked = section.kind is not SectionKind.FALLBACK or any(
            t.status is Status.FIRED for t in traces
        )
        yield SectionTrace(section.id, checked, tuple(traces))


class _WhatIfs:
    """Every single change of the given answers, tried by the whole engine (walk and rules)."""

    def __init__(self, given: Mapping[str, Value], ruleset: Ruleset) -> None:
        self.given = given
        self.ruleset = ruleset
        self.unanswered: list[tuple[str, Value, tuple[str, ...]]] = []

    def nearest(self, disposition: Disposition, *, every: bool = False) -> tuple[WhatIf, ...]:
        """The most plausible single changes that make the advice more urgent, then those
        that make it less urgent; nearer dispositions first among equally plausible, and
        of a number (an age) the nearest value first, one a question each way. The
        nearest change of a number is always among them: an age limit is often what
        decides. `every` gives them all."""
        found = [w for w in self._changes() if w.disposition is not disposition]
        order = self.ruleset.questionnaire.ids

        def rank(change: WhatIf) -> tuple[int, int, int, int]:
            steps = abs(change.disposition.urgency - disposition.urgency)
            distance = _distance(change)
            return change.plausibility, steps, order.index(change.question), distance

        worse = sorted((w for w in found if w.disposition.urgency < disposition.urgency), key=rank)
        better = sorted((w for w in found if w.disposition.urgency > disposition.urgency), key=rank)
        if every:
            return (*worse, *better)
        return (*_shortlist(worse), *_shortlist(better))

    def _changes(self) -> Iterator[WhatIf]:
        for question_id, was in self.given.items():
            for becomes, plausibility in _alternatives(question_id, was, self.ruleset):
                changed = {**self.given, question_id: becomes}
                if impossible_pair(changed) is not None:
                    continue  # no "age 18" for a child: not an answer set anyone can give
                try:
                    used = walked(self.ruleset, changed)[1]
                except MissingAnswers as error:
                    # The change opens questions without answers: its effect is not known.
                    self.unanswered.append((question_id, becomes, error.missing[:3]))
                    continue
                disposition = decide(used, self.ruleset).disposition
                yield WhatIf(question_id, was, becomes, disposition, plausibility)


def _distance(change: WhatIf) -> int:
    """How far a number moves (0 for other answers)."""
    if isinstance(change.was, int) and isinstance(change.becomes, int):
        return abs(change.becomes - change.was)
    return 0


def _shortlist(ranked: list[WhatIf]) -> list[WhatIf]:
    """The first WHAT_IFS_EACH_WAY changes, one a question (by distance for a number),
    with the nearest change of a number kept when the plausible ones would crowd it out."""
    numbers = sorted(
        (w for w in ranked if isinstance(w.becomes, int) and not isinstance(w.becomes, bool)),
        key=_distance,
    )
    seen: set[str] = set()
    first: list[WhatIf] = []
    for change in ranked:
        if change.question not in seen:
            seen.add(change.question)
            first.append(change)
    shown = first[:WHAT_IFS_EACH_WAY]
    if numbers and not any(w.question == numbers[0].question for w in shown):
        shown[-1:] = [numbers[0]]
    elif numbers:
        shown = [numbers[0] if w.question == numbers[0].question else w for w in shown]
    return shown


def _alternatives(question_id: str, was: Value, ruleset: Ruleset) -> list[tuple[Value, int]]:
    """Every other answer to a question, with how plausible a change to it is."""
    kind = ruleset.questionnaire.question(question_id).kind
    if kind.is_number:
        edges = {n + d for n in numbers_tested(ruleset, question_id) for d in (-1, 0, 1)}
        near = sorted(n for n in edges if kind.minimum <= n <= kind.maximum and n != was)
        return [(n, 1) for n in near]
    choices: list[tuple[Value, int]] = []
    known = [v for v in kind.values if v != UNKNOWN]
    for value in kind.values:
        if value == was:
            continue
        if value == UNKNOWN:
            plausibility = 3
        elif kind.is_yes_no and was != UNKNOWN:
            plausibility = 0
        elif kind.ordered and was in known and abs(known.index(value) - known.index(str(was))) == 1:
            plausibility = 1
        else:
            plausibility = 2
        choices.append((value, plausibility))
    return choices
