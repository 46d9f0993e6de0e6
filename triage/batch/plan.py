"""A compiled plan of the walk and the rule table, for deciding many answer sets quickly.

flow.reach and rules.decide read the questionnaire and the rule table row by row; a batch
of hundreds of thousands of cases decides its complete answer sets with this plan instead,
built once per ruleset. The plan is Python source written from the data (`source`): one
function that walks the groups, both early stops included, and then tests every screening
rule, each condition written out as expressions on local variables. What reads better as
the engine's own code (the names of `unknown` answers, the unknown and fallback sections)
stays the engine's. Property tests hold the plan to flow.reach and rules.decide.

Speed: benchmarks/bench.py, "batch, 200,000 cases"; CONTRIBUTING.md, "Speed".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet

from triage.conditions import questions_in, traced, truth
from triage.errors import DataError
from triage.memo import PerObject
from triage.model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Condition,
    Disposition,
    Otherwise,
    Possibly,
    Rule,
    Ruleset,
    SectionKind,
    Truth,
    UnknownAnswers,
    Value,
)
from triage.rules import Firing, Unknowns, fallback_firings

Scope = AbstractSet[str] | None
"""The questions walked so far (None: the walk is over and every variable is set)."""
Walked = tuple[list[int], list[int], tuple[Value | None, ...]]
"""What the written function gives: the places of the screening rules that are TRUE and of
those that are MAYBE, and each question's answer if the walk reached it (else None)."""


class Uncompilable(Exception):
    """A rule table the plan does not write out (the batch then decides with the engine)."""


class CompiledPlan:
    """The walk and the rule table of a ruleset as one Python function, for complete answers."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.questionnaire = ruleset.questionnaire
        self.ids = ruleset.questionnaire.ids
        kinds = {s.id: s.kind for s in ruleset.sections}
        self.screen = [r for r in ruleset.rules if kinds[r.section] is SectionKind.SCREEN]
        self.sections = [
            (s, [r for r in ruleset.rules if r.section == s.id])
            for s in ruleset.sections
            if s.kind is not SectionKind.SCREEN
        ]
        places = {q: place for place, q in enumerate(self.ids)}
        self.reads = [_places(questions_in(r.when), places) for r in self.screen]
        """For each screening rule, the questions it looks at and their places in the walk's
        values."""
        self.traced = [traced(r.when) for r in self.screen]
        self.fallback_reads = {
            section.id: _places(
                (q for r in rules for q in questions_in(r.when)), places, section.applies_when
            )
            for section, rules in self.sections
            if section.kind is SectionKind.FALLBACK
        }
        self.source = _Writer(ruleset, self.screen).source()
        namespace: dict[str, object] = {}
        code = compile(self.source, "<batch plan>", "exec")
        exec(code, namespace)  # written from the checked data, every value as a literal
        self.walk: Callable[[Mapping[str, Value]], Walked] = namespace["walk"]  # type: ignore[assignment]

    def decide(self, answers: Mapping[str, Value]) -> tuple[Disposition, tuple[str, ...]]:
        """The disposition and the rules that fire, most urgent first, as rules.decide gives
        them on flow.walked; `answers` in the contract's form, every question
        answered."""
        true, maybe, values = self.walk(answers)
        fired = [self.screen[place] for place in true]
        if maybe or not fired:  # the unknown section needs open rules; a fallback, none fired
            fired += self._rest(fired, maybe, values)
        if not fired:
            raise DataError("rules.toml", "", "no rule fired on these answers")
        if len(fired) > 1:
            fired.sort(key=_urgency)
        return fired[0].disposition, tuple([rule.id for rule in fired])

    def _rest(
        self, fired: list[Rule], maybe: list[int], values: tuple[Value | None, ...]
    ) -> list[Rule]:
        """The rules of the unknown and fallback sections that fire (as rules._firings)."""
        open_: list[Firing] = []
        for place in maybe:
            reads = self.reads[place]
            if len(reads) == 1:  # a MAYBE rule of one question names that question
                named: tuple[str, ...] = (reads[0][0],)
            else:
                named = self.traced[place](_answers(reads, values))[1]
            open_.append(Firing(self.screen[place], named))
        unknowns = Unknowns(open_, self.questionnaire)
        more: list[Rule] = []
        for section, rules in self.sections:
            if section.kind is SectionKind.UNKNOWN:
                if open_:
                    more += [rule for rule in rules if unknowns.answers(rule)]
            elif section.kind is SectionKind.FALLBACK and not fired and not more:
                answers = _answers(self.fallback_reads[section.id], values)
                if truth(section.applies_when, answers) is Truth.TRUE:
                    more += [f.rule for f in fallback_firings(rules, answers, unknowns, None)]
        return more


Places = tuple[tuple[str, int], ...]


def _places(questions: Iterable[str], places: Mapping[str, int], *more: Condition) -> Places:
    """Questions (and those of `more` conditions), once each, with their places."""
    found = [*questions, *(q for c in more for q in questions_in(c))]
    return tuple((q, places[q]) for q in dict.fromkeys(found))


def _answers(reads: Places, values: tuple[Value | None, ...]) -> dict[str, Value]:
    """The reached answers among these questions."""
    return {q: v for q, place in reads if (v := values[place]) is not None}


def _urgency(rule: Rule) -> int:
    return rule.disposition.urgency


class _Writer:
    """Writes the plan's source: `walk(a)`, with a local variable per question."""

    def __init__(self, ruleset: Ruleset, screen: list[Rule]) -> None:
        self.ruleset = ruleset
        self.questionnaire = ruleset.questionnaire
        self.screen = screen
        self.kinds = {s.id: s.kind for s in ruleset.sections}
        self.names = {q: f"x{place}" for place, q in enumerate(self.questionnaire.ids)}
        self.lines: list[str] = []

    def source(self) -> str:
        """The function: the walk in a `while True` that an early stop leaves by `break`,
        then the screening rules."""
        names = list(self.names.values())
        self.lines = ["def walk(a):", f"    {' = '.join(names)} = None", "    while True:"]
        self._groups()
        self.lines += ["        break", "    true = []", "    maybe = []"]
        for place, rule in enumerate(self.screen):
            self.lines += [
                f"    if {self.is_true(rule.when)}:",
                f"        true.append({place})",
                f"    elif {self.not_false(rule.when)}:",
                f"        maybe.append({place})",
            ]
        self.lines.append(f"    return true, maybe, ({', '.join(names)},)")
        return "\n".join(self.lines) + "\n"

    def _groups(self) -> None:
        """flow.reach on complete answers: a question when its ask_when is not FALSE on the
        answers before it; after a group, the emergency stop, then the settled stop."""
        questionnaire = self.questionnaire
        done: set[str] = set()
        settling = False
        for index, group in enumerate(questionnaire.groups):
            mine = [q for q in questionnaire.questions if q.group == group.id]
            for question in mine:
                read = f"a[{question.id!r}]"
                if not isinstance(question.ask_when, Always):
                    read += f" if {self.not_false(question.ask_when, done)} else None"
                self.lines.append(f"        {self.names[question.id]} = {read}")
                done.add(question.id)
            if group.stop_on is not None and mine:
                stops = " or ".join(f"{self.names[q.id]} == {group.stop_on!r}" for q in mine)
                self.lines += [f"        if {stops}:", "            break"]
            settling = settling or group.id == questionnaire.settled_stop_from
            later = {g.id for g in questionnaire.groups[index + 1 :]}
            pending = {q.id for q in questionnaire.questions if q.group in later}
            if settling and pending:
                self._settled(frozenset(done), frozenset(pending))

    def _settled(self, done: frozenset[str], pending: frozenset[str]) -> None:
        """`break` when rules.settled holds: the most urgent rule that fires (fallbacks
        aside) is at the settled-stop disposition or above, and none above it could fire."""
        limit = self.ruleset.settings.settled_stop_at.urgency
        first = True
        for urgency in range(limit + 1):
            fires = self._fires_at(urgency, done)
            if fires == "False":
                continue
            above = self._could_fire_above(urgency, done, pending)
            self.lines.append(f"        {'if' if first else 'elif'} {fires}:")
            if above == "False":
                self.lines.append("            break")
            else:
                self.lines += [f"            if not {above}:", "                break"]
            first = False

    def _fires_at(self, urgency: int, done: frozenset[str]) -> str:
        """Whether a rule of this urgency fires on the answers so far (fallbacks aside)."""
        parts = []
        for rule in self.ruleset.rules:
            kind = self.kinds[rule.section]
            if rule.disposition.urgency != urgency or kind is SectionKind.FALLBACK:
                continue
            when = rule.when
            if kind is SectionKind.SCREEN:
                parts.append(self.is_true(when, done))
            elif isinstance(when, Possibly):
                parts += [self.is_maybe(r.when, done) for r in self._screen_at(when.disposition)]
            elif isinstance(when, UnknownAnswers):  # counting needs the unknowns' names
                raise Uncompilable(f"rule {rule.id} counts unknown answers")
        return _any(parts)

    def _could_fire_above(self, urgency: int, done: frozenset[str], pending: frozenset[str]) -> str:
        """rules.could_fire_above: whether a more urgent rule could still fire. (A count of
        unknowns is never among them: _fires_at has refused it at its own urgency.)"""
        parts = []
        for rule in self.ruleset.rules:
            if rule.disposition.urgency >= urgency:
                continue
            when = rule.when
            if self.kinds[rule.section] is SectionKind.SCREEN:
                parts.append(self.is_true(when, done, pending))
            elif isinstance(when, Possibly):
                screen = self._screen_at(when.disposition)
                parts += [self.not_false(r.when, done, pending) for r in screen]
            elif isinstance(when, Otherwise):
                parts.append("True")
            else:
                parts.append(self.not_false(when, done, pending))
        return _any(parts)

    def _screen_at(self, disposition: Disposition) -> list[Rule]:
        return [r for r in self.screen if r.disposition is disposition]

    def is_true(self, condition: Condition, done: Scope = None, pending: Scope = None) -> str:
        """An expression that holds when the condition is TRUE. A test of a question not
        yet walked (not in `done`) is FALSE; of a `pending` one, TRUE (rules.best_case)."""
        return self._write(condition, done, pending or frozenset(), not_false=False)

    def not_false(self, condition: Condition, done: Scope = None, pending: Scope = None) -> str:
        """An expression that holds when the condition is TRUE or MAYBE."""
        return self._write(condition, done, pending or frozenset(), not_false=True)

    def is_maybe(self, condition: Condition, done: Scope) -> str:
        """An expression that holds when the condition is MAYBE."""
        true = self.is_true(condition, done)
        return _all([self.not_false(condition, done), "True" if true == "False" else f"not {true}"])

    def _write(
        self, condition: Condition, done: Scope, pending: AbstractSet[str], *, not_false: bool
    ) -> str:
        """conditions.evaluator's three values as two expressions: TRUE, and not FALSE (an
        `unknown` answer makes a test MAYBE; no answer, FALSE)."""
        match condition:
            case AnswerTest(question=question) if question in pending:
                return "True"
            case AnswerTest(question=question) if done is not None and question not in done:
                return "False"
            case AnswerTest(question, "in", values):
                accepted = set(values) | ({UNKNOWN} if not_false else set())
                literals = ", ".join(sorted(repr(v) for v in accepted))
                return f"{self.names[question]} in {{{literals}}}"
            case AnswerTest(question, op, (int() as bound,)) if op in _COMPARISONS:
                name = self.names[question]
                return f"(isinstance({name}, int) and {name} {op} {bound!r})"
            case AllOf(parts):
                return _all([self._write(p, done, pending, not_false=not_false) for p in parts])
            case AnyOf(parts):
                return _any([self._write(p, done, pending, not_false=not_false) for p in parts])
            case Always():
                return "True"
        raise Uncompilable(f"{condition!r} is not written out")


_COMPARISONS = ("<", "<=", ">", ">=")


def _all(parts: list[str]) -> str:
    """`and` of the parts, with the constants folded in."""
    if "False" in parts:
        return "False"
    parts = [p for p in parts if p != "True"]
    return _join(parts, " and ") if parts else "True"


def _any(parts: list[str]) -> str:
    """`or` of the parts, with the constants folded in."""
    if "True" in parts:
        return "True"
    parts = list(dict.fromkeys(p for p in parts if p != "False"))
    return _join(parts, " or ") if parts else "False"


def _join(parts: list[str], word: str) -> str:
    return parts[0] if len(parts) == 1 else "(" + word.join(parts) + ")"


def _build(ruleset: Ruleset) -> CompiledPlan | None:
    try:
        return CompiledPlan(ruleset)
    except Uncompilable:
        return None


plan_for: PerObject[Ruleset, CompiledPlan | None] = PerObject(_build, size=8)
"""The plan of a ruleset, built on its first case; None for a rule table it does not cover."""
