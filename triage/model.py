"""The domain's values: questions, conditions, rules, texts and the assessment.

The model holds its links: a questionnaire's groups hold their questions, a ruleset's
sections hold their rules, and a rule knows its section's kind. The conditions and the
linked values (groups, sections, rules, the questionnaire, the ruleset) are frozen
dataclasses, so that two conditions of different forms are never equal (a dataclass
compares its type as well as its fields) and the indexes (`Questionnaire.by_id`,
`Ruleset.rules`, ...) are computed from the fields when a value is made, never passed in:
`dataclasses.replace` makes them anew. The plain records (answer kinds, questions, notes, the
assessment) stay NamedTuples, which cost less to define at start-up.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import NamedTuple

Value = str | int
"""An answer: a value of the contract (`yes`, `3_to_6_weeks`, ...) or an age."""

UNKNOWN = "unknown"


class Disposition(StrEnum):
    """Where the person goes, most urgent first (the answers contract)."""

    CALL_112 = "call_112"
    GP_IMMEDIATELY = "gp_immediately"
    GP_WITHIN_24_HOURS = "gp_within_24_hours"
    GP_WITHIN_DAYS = "gp_within_days"
    GP_ROUTINE = "gp_routine"
    MANUAL_THERAPIST = "manual_therapist"
    SELF_CARE = "self_care"

    @property
    def urgency(self) -> int:
        """0 for the most urgent, 6 for the least."""
        return _URGENCY[self]

    @property
    def advice(self) -> "Advice":
        """The advice group the disposition belongs to."""
        return _ADVICE[self]


class Advice(StrEnum):
    """The advice groups of the answers contract."""

    EMERGENCY = "emergency"
    GP = "gp"
    MANUAL_THERAPIST = "manual_therapist"
    SELF_CARE = "self_care"


_URGENCY = {d: i for i, d in enumerate(Disposition)}

_ADVICE = {
    Disposition.CALL_112: Advice.EMERGENCY,
    Disposition.GP_IMMEDIATELY: Advice.GP,
    Disposition.GP_WITHIN_24_HOURS: Advice.GP,
    Disposition.GP_WITHIN_DAYS: Advice.GP,
    Disposition.GP_ROUTINE: Advice.GP,
    Disposition.MANUAL_THERAPIST: Advice.MANUAL_THERAPIST,
    Disposition.SELF_CARE: Advice.SELF_CARE,
}


class Language(StrEnum):
    """The languages the texts come in."""

    NL = "nl"
    EN = "en"


class Truth(Enum):
    """Three-valued truth: MAYBE is what an answer of `unknown` leaves open."""

    FALSE = 0
    MAYBE = 1
    TRUE = 2


# --- Conditions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerTest:
    """A test of one answer: `op` is `in` (one of `values`) or a comparison of a number."""

    question: str
    op: str
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    """True when every part is."""

    parts: tuple["Condition", ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """True when some part is."""

    parts: tuple["Condition", ...]


@dataclass(frozen=True, slots=True)
class Possibly:
    """A screening rule with this disposition is possibly fired (open through unknowns)."""

    disposition: Disposition


@dataclass(frozen=True, slots=True)
class UnknownAnswers:
    """At least this many unknown answers each leave some screening rule open."""

    at_least: int


@dataclass(frozen=True, slots=True)
class Always:
    """Always true."""


@dataclass(frozen=True, slots=True)
class Otherwise:
    """True when no other rule of the same section fired."""


Condition = AnswerTest | AllOf | AnyOf | Possibly | UnknownAnswers | Always | Otherwise


# --- The questionnaire ----------------------------------------------------------------------


class Kind(NamedTuple):
    """A kind of answer: a list of values, or a whole number in a range."""

    id: str
    values: tuple[str, ...] = ()
    aliases: Mapping[str, str] = MappingProxyType({})
    ordered: bool = False
    minimum: int = 0
    maximum: int = 0

    @property
    def is_yes_no(self) -> bool:
        """Whether the answers are yes, no and unknown (a box to tick on a checklist)."""
        return set(self.values) == {"yes", "no", UNKNOWN}

    @property
    def is_number(self) -> bool:
        """Whether answers of this kind are whole numbers."""
        return not self.values


class Question(NamedTuple):
    """One question of the walk."""

    id: str
    group: str
    kind: Kind
    ask_when: Condition = Always()
    default: str | None = None
    """The answer scripted input gets when it leaves the question out (None: required)."""
    informational: bool = False
    """Asked for the summary only: no rule or note looks at it."""
    added_in: str | None = None
    """The questionnaire version that added the question (None: the first ones)."""
    screen: str | None = None
    """The screen it is shown on: consecutive questions of one group with the same screen
    are shown together (None: the group's own screen, a checklist for a checklist group)."""


@dataclass(frozen=True, slots=True)
class Group:
    """Questions asked together, in walk order; `stop_on` ends the walk after the group."""

    id: str
    stop_on: str | None = None
    checklist: bool = False
    questions: tuple[Question, ...] = ()
    """The group's questions, in walk order (each with `group` set to this group's id)."""


def _no_combined() -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """Every question, in walk order: the groups, each holding its questions.

    The fields after `combined` are indexes computed from the groups when the value is made
    (never passed in), so they cannot go stale: `dataclasses.replace` makes them anew.
    """

    version: str
    groups: tuple[Group, ...]
    voice: str | None = None
    """The question whose answer chooses the wording of the texts (Texts.voiced)."""
    settled_stop_from: str | None = None
    """The group from whose end on the walk stops once the advice is settled."""
    combined: Mapping[str, tuple[str, ...]] = field(default_factory=_no_combined)
    """Version 2 questions now asked as parts: each combined id with its parts' ids. Rules
    read the parts; scripted input may give the combined id instead (answers contract)."""
    questions: tuple[Question, ...] = field(init=False, repr=False, compare=False)
    """Every question, in walk order (the groups' questions one after the other)."""
    by_id: Mapping[str, Question] = field(init=False, repr=False, compare=False)
    ids: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """Every question id, in walk order."""
    canonical: frozenset[tuple[str, Value]] = field(init=False, repr=False, compare=False)
    """Every (id, value) pair in the contract's own form: a quick check of clean answers."""
    numbers: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The ids of the questions answered with a whole number."""
    defaults: Mapping[str, Value] = field(init=False, repr=False, compare=False)
    """The answers that scripted input may leave out, with the value they then get."""
    group_by_id: Mapping[str, Group] = field(init=False, repr=False, compare=False)
    combined_by_part: Mapping[str, str] = field(init=False, repr=False, compare=False)
    """Each part of a combined answer, with the combined id it counts as (counted_as)."""

    def __post_init__(self) -> None:
        questions = tuple(q for g in self.groups for q in g.questions)
        canonical: set[tuple[str, Value]] = set()
        for question in questions:
            kind = question.kind
            values = range(kind.minimum, kind.maximum + 1) if kind.is_number else kind.values
            canonical.update((question.id, v) for v in values)
        by_id = {q.id: q for q in questions}
        derived = {
            "questions": questions,
            "by_id": by_id,
            "ids": tuple(by_id),
            "canonical": frozenset(canonical),
            "numbers": tuple(q.id for q in questions if q.kind.is_number),
            "defaults": {q.id: q.default for q in questions if q.default is not None},
            "group_by_id": {g.id: g for g in self.groups},
            "combined_by_part": {
                part: combined for combined, parts in self.combined.items() for part in parts
            },
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    @classmethod
    def of(
        cls,
        version: str,
        groups: tuple[Group, ...],
        questions: tuple[Question, ...],
        voice: str | None = None,
        settled_stop_from: str | None = None,
        combined: Mapping[str, tuple[str, ...]] = MappingProxyType({}),
    ) -> "Questionnaire":
        """A questionnaire of these groups, each given the questions that name it."""
        held = tuple(
            Group(g.id, g.stop_on, g.checklist, tuple(q for q in questions if q.group == g.id))
            for g in groups
        )
        return cls(version, held, voice, settled_stop_from, dict(combined))

    def group(self, group_id: str) -> Group:
        """The group with this id."""
        return self.group_by_id[group_id]

    def groups_after(self, group_id: str) -> tuple[Group, ...]:
        """The groups that come after this one, in walk order."""
        ids = [g.id for g in self.groups]
        return self.groups[ids.index(group_id) + 1 :]

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        return self.by_id[question_id]

    def counted_as(self, question_id: str) -> str:
        """The answer a question's answer counts as for the rules on unknown answers: a
        part of a combined answer counts as the combined one (one answer, however many of
        its parts are unknown)."""
        return self.combined_by_part.get(question_id, question_id)

    @property
    def new_questions(self) -> frozenset[str]:
        """The questions added in this version of the questionnaire."""
        return frozenset(q.id for q in self.questions if q.added_in == self.version)

    @property
    def screens(self) -> tuple[str, ...]:
        """The ids of the named screens, in walk order."""
        return tuple(dict.fromkeys(q.screen for q in self.questions if q.screen is not None))


# --- The rule table -----------------------------------------------------------------------


class SectionKind(StrEnum):
    """How a section's rules are checked."""

    SCREEN = "screen"
    UNKNOWN = "unknown"
    FALLBACK = "fallback"


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the rule table."""

    id: str
    section: str
    """The id of its section."""
    disposition: Disposition
    source: str
    when: Condition
    meanwhile: str | None = None
    """The id of a line on what to do until help comes ([meanwhile.<id>] in the texts)."""
    meanwhile_instead: bool = False
    """The line stands instead of the disposition's own (which would contradict it)."""
    kind: SectionKind = field(kw_only=True)
    """Its section's kind: how the rule is checked."""


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the policy's rule table, holding its rules in table order."""

    id: str
    kind: SectionKind
    applies_when: Condition = Always()
    rules: tuple[Rule, ...] = ()
    """Its rules, in table order (each with `section` and `kind` set to this section's)."""


class Note(NamedTuple):
    """A note that changes no disposition, shown with some dispositions."""

    id: str
    source: str
    dispositions: frozenset[Disposition]
    when: Condition


class SafetyNetSign(NamedTuple):
    """A sign that means calling 112 or the GP at once."""

    id: str
    level: Disposition
    covers: tuple[str, ...]
    applies_when: Condition = Always()


class Contact(NamedTuple):
    """Who to call first for some results (the policy's first contacts): for a deciding
    rule or a disposition named in `for_`, when `when` holds."""

    id: str
    for_: frozenset[str]
    when: Condition = Always()
    first: bool = False
    """Called before the GP: the line comes before the headline, not after it."""


class Settings(NamedTuple):
    """Numbers and boundaries a clinician may change."""

    self_care_window_ends_at: str
    safety_net_days: int
    settled_stop_at: Disposition = Disposition.GP_IMMEDIATELY
    """The walk stops early once the advice is certain to be this or more urgent."""


TextValue = str | tuple[str, ...]


_FIELD = re.compile(r"\{\{|\}\}|\{([a-z_]+)\}")


def fill(text: str, fields: Mapping[str, object]) -> str:
    """A text with its `{name}` fields filled in; `{{` and `}}` stand for braces.

    Only plain names are filled: nothing in a text is evaluated (no attribute access, no
    indexing, no format specs), whatever a data folder holds. A name without a value stays
    as it is.
    """

    def field(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        return str(fields[name]) if name in fields else token

    return _FIELD.sub(field, text)


class Texts(NamedTuple):
    """Every text of one language, by stable key (`rule.fall_older.reason`).

    `voice` is the answer of the questionnaire's voice question (who answers): a key K then
    reads as its variant K_<voice> where the texts have one ("your child" for "you").
    """

    language: Language
    entries: Mapping[str, TextValue]
    voice: str | None = None

    def voiced(self, voice: Value | None) -> "Texts":
        """These texts, worded for the person who answers (`self`, `child`, `other`)."""
        return self._replace(voice=voice if isinstance(voice, str) else None)

    def _entry(self, key: str) -> TextValue:
        if self.voice is not None:
            variant = self.entries.get(f"{key}_{self.voice}")
            if variant is not None:
                return variant
        return self.entries[key]

    def has(self, key: str) -> bool:
        """Whether there is a text at `key`."""
        return key in self.entries

    def __call__(self, key: str, **fields: object) -> str:
        """The text at `key`, with `{name}` fields filled in."""
        text = self._entry(key)
        if not isinstance(text, str):
            raise TypeError(f"text {key} is a list")
        return fill(text, fields) if fields else text

    def items(self, key: str, **fields: object) -> tuple[str, ...]:
        """The list of paragraphs at `key`, with fields filled in."""
        value = self._entry(key)
        paragraphs = (value,) if isinstance(value, str) else value
        return tuple(fill(p, fields) if fields else p for p in paragraphs)


class RulesetInfo(NamedTuple):
    """What identifies the data that decided: its version and the hash of its files; and
    the hash of the files that hold its logic (questions.toml and rules.toml), which the
    proofs depend on alone (the texts do not change what is proved)."""

    version: str
    sha256: str
    logic_sha256: str = ""


@dataclass(frozen=True, slots=True)
class Ruleset:
    """Everything loaded from a data folder, checked.

    The fields after `contacts` are computed from the sections when the value is made
    (never passed in), so they cannot go stale: `dataclasses.replace` makes them anew.
    """

    questionnaire: Questionnaire
    sections: tuple[Section, ...]
    """The sections of the rule table, in table order, each holding its rules."""
    notes: tuple[Note, ...]
    safety_net: tuple[SafetyNetSign, ...]
    settings: Settings
    texts: Mapping[Language, Texts]
    info: RulesetInfo
    review_with_gp: Condition = AnyOf(())
    """When the self-care review goes to the GP rather than the manual therapist."""
    contacts: tuple[Contact, ...] = ()
    """Who to call first, in order: the first that applies is named with the headline."""
    rules: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    """Every rule, in table order (section by section)."""
    screening: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    """The rules of the screening sections, in table order."""
    section_by_id: Mapping[str, Section] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rules = tuple(r for s in self.sections for r in s.rules)
        object.__setattr__(self, "rules", rules)
        screening = tuple(r for r in rules if r.kind is SectionKind.SCREEN)
        object.__setattr__(self, "screening", screening)
        object.__setattr__(self, "section_by_id", {s.id: s for s in self.sections})

    def section(self, section_id: str) -> Section:
        """The section with this id."""
        return self.section_by_id[section_id]


# --- The assessment -------------------------------------------------------------------------


class FiredRule(NamedTuple):
    """A rule that fired, with its reason and the ids of the questions whose answers made
    it fire (the output JSON names them `answers`, as the contract has it)."""

    id: str
    section: str
    disposition: Disposition
    reason: str
    questions: tuple[str, ...]


class SafetyNet(NamedTuple):
    """What to do if things change: signs for 112, for the GP now and today, a review date."""

    call_112: tuple[str, ...]
    gp_immediately: tuple[str, ...]
    review_date: dt.date | None
    gp_today: tuple[str, ...] = ()
    review_with_gp: bool = False


class Assessment(NamedTuple):
    """The result of one assessment: a disposition, why, and what to do."""

    disposition: Disposition
    rules: tuple[FiredRule, ...]
    notes: tuple[tuple[str, str], ...]
    safety_net: SafetyNet
    answers: Mapping[str, Value]
    ignored: tuple[str, ...]
    ruleset: RulesetInfo
    language: Language
    date: dt.date
    meanwhile: tuple[str, ...] = ()
    """What to do until help comes: the deciding rules' lines, then the disposition's."""
    not_asked: tuple[str, ...] = ()
    """Questions the walk did not reach because it stopped early (never read as "no")."""
    contact: tuple[str, str] | None = None
    """Who to call first: the rule id or disposition it is for, and the line in words."""
    contact_first: bool = False
    """The contact is called before the GP: its line comes before the headline."""

    @property
    def advice(self) -> Advice:
        """The advice group of the disposition."""
        return self.disposition.advice
