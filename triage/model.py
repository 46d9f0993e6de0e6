"""The domain's values: questions, conditions, rules, texts and the assessment.

The model holds its links: a questionnaire's groups hold their questions, a ruleset's
sections hold their rules, and a rule knows its section's kind. The conditions and the
linked values (groups, sections, rules, the questionnaire, the ruleset) are `Frozen`
values, so that two conditions of different forms are never equal (they compare their type
as well as their fields) and the indexes (`Questionnaire.by_id`, `Ruleset.rules`, ...) are
computed from the fields when a value is made, never passed in: `replace` makes them anew.
The plain records (answer kinds, questions, notes, the assessment) are NamedTuples.

`Frozen` does what a frozen dataclass with slots does, written once: a dataclass generates
and compiles its methods when the module is imported (about 1 ms a class in Python 3.11;
importing this module took 11 ms with twelve, 4 ms now), where these methods are compiled
once, with the module's bytecode.
"""

import datetime as dt
import re
from collections.abc import Mapping
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple, Self

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


class FrozenError(AttributeError):
    """A model value was changed in place: make a new one (`Frozen.replace`)."""


class Frozen:
    """A value that cannot change, compared by its type and its fields.

    A subclass names its fields in `_fields` (in the order of its `__init__`, which sets
    each with `_set`) and holds them, and any indexes it computes from them, in its
    `__slots__`. Equality, hashing, `repr` and `replace` look at the fields only; pickling
    keeps the indexes as they are. The hash is kept once computed (never pickled: a
    string's hash differs from process to process).
    """

    __slots__: ClassVar[tuple[str, ...]] = ("_hash",)
    _fields: ClassVar[tuple[str, ...]] = ()
    _hash: int

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self) or not isinstance(other, Frozen):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        try:
            return self._hash
        except AttributeError:  # the first time: kept, as the value never changes
            found = hash((type(self), self._values()))
            object.__setattr__(self, "_hash", found)
            return found

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenError(f"{type(self).__name__} is frozen: {name!r} cannot change (replace)")

    def __delattr__(self, name: str) -> None:
        raise FrozenError(f"{type(self).__name__} is frozen: {name!r} cannot go (replace)")

    def __getstate__(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            object.__setattr__(self, name, value)

    def replace(self, **changes: Any) -> Self:
        """A copy with these fields changed (its indexes computed anew)."""
        computed = set(changes) - set(self._fields)
        if computed:
            raise TypeError(
                f"{', '.join(sorted(computed))}: not a field of {type(self).__name__} "
                "(an index is computed from the fields, never passed in)"
            )
        return type(self)(**{**dict(zip(self._fields, self._values(), strict=True)), **changes})


# --- Conditions ---------------------------------------------------------------------------


class AnswerTest(Frozen):
    """A test of one answer: `op` is `in` (one of `values`) or a comparison of a number."""

    __slots__ = __match_args__ = _fields = ("question", "op", "values")
    question: str
    op: str
    values: tuple[Value, ...]

    def __init__(self, question: str, op: str, values: tuple[Value, ...]) -> None:
        self._set("question", question)
        self._set("op", op)
        self._set("values", values)


class AllOf(Frozen):
    """True when every part is."""

    __slots__ = __match_args__ = _fields = ("parts",)
    parts: tuple["Condition", ...]

    def __init__(self, parts: tuple["Condition", ...]) -> None:
        self._set("parts", parts)


class AnyOf(Frozen):
    """True when some part is."""

    __slots__ = __match_args__ = _fields = ("parts",)
    parts: tuple["Condition", ...]

    def __init__(self, parts: tuple["Condition", ...]) -> None:
        self._set("parts", parts)


class Possibly(Frozen):
    """A screening rule with this disposition is possibly fired (open through unknowns)."""

    __slots__ = __match_args__ = _fields = ("disposition",)
    disposition: Disposition

    def __init__(self, disposition: Disposition) -> None:
        self._set("disposition", disposition)


class UnknownAnswers(Frozen):
    """At least this many unknown answers each leave some screening rule open."""

    __slots__ = __match_args__ = _fields = ("at_least",)
    at_least: int

    def __init__(self, at_least: int) -> None:
        self._set("at_least", at_least)


class Always(Frozen):
    """Always true."""

    __slots__ = ()


class Otherwise(Frozen):
    """True when no other rule of the same section fired."""

    __slots__ = ()


Condition = AnswerTest | AllOf | AnyOf | Possibly | UnknownAnswers | Always | Otherwise


_ALWAYS = Always()
_NEVER = AnyOf(())
_NO_COMBINED: Mapping[str, tuple[str, ...]] = MappingProxyType({})

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


class Group(Frozen):
    """Questions asked together, in walk order; `stop_on` ends the walk after the group."""

    __slots__ = __match_args__ = _fields = ("id", "stop_on", "checklist", "questions")
    id: str
    stop_on: str | None
    checklist: bool
    questions: tuple[Question, ...]
    """The group's questions, in walk order (each with `group` set to this group's id)."""

    def __init__(
        self,
        id: str,
        stop_on: str | None = None,
        checklist: bool = False,
        questions: tuple[Question, ...] = (),
    ) -> None:
        self._set("id", id)
        self._set("stop_on", stop_on)
        self._set("checklist", checklist)
        self._set("questions", questions)


class Questionnaire(Frozen):
    """Every question, in walk order: the groups, each holding its questions.

    The attributes after `combined` are indexes computed from the groups when the value is
    made (never passed in), so they cannot go stale: `replace` makes them anew.
    """

    __match_args__ = _fields = ("version", "groups", "voice", "settled_stop_from", "combined")
    __slots__ = (
        *_fields,
        "questions",
        "by_id",
        "ids",
        "canonical",
        "numbers",
        "defaults",
        "group_by_id",
        "combined_by_part",
    )
    version: str
    groups: tuple[Group, ...]
    voice: str | None
    """The question whose answer chooses the wording of the texts (Texts.voiced)."""
    settled_stop_from: str | None
    """The group from whose end on the walk stops once the advice is settled."""
    combined: Mapping[str, tuple[str, ...]]
    """Version 2 questions now asked as parts: each combined id with its parts' ids. Rules
    read the parts; scripted input may give the combined id instead (answers contract)."""
    questions: tuple[Question, ...]
    """Every question, in walk order (the groups' questions one after the other)."""
    by_id: Mapping[str, Question]
    ids: tuple[str, ...]
    """Every question id, in walk order."""
    canonical: frozenset[tuple[str, Value]]
    """Every (id, value) pair in the contract's own form: a quick check of clean answers."""
    numbers: tuple[str, ...]
    """The ids of the questions answered with a whole number."""
    defaults: Mapping[str, Value]
    """The answers that scripted input may leave out, with the value they then get."""
    group_by_id: Mapping[str, Group]
    combined_by_part: Mapping[str, str]
    """Each part of a combined answer, with the combined id it counts as (counted_as)."""

    def __init__(
        self,
        version: str,
        groups: tuple[Group, ...],
        voice: str | None = None,
        settled_stop_from: str | None = None,
        combined: Mapping[str, tuple[str, ...]] = _NO_COMBINED,
    ) -> None:
        self._set("version", version)
        self._set("groups", groups)
        self._set("voice", voice)
        self._set("settled_stop_from", settled_stop_from)
        self._set("combined", combined)
        self._index()

    def _index(self) -> None:
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
            self._set(name, value)

    @classmethod
    def of(
        cls,
        version: str,
        groups: tuple[Group, ...],
        questions: tuple[Question, ...],
        voice: str | None = None,
        settled_stop_from: str | None = None,
        combined: Mapping[str, tuple[str, ...]] = _NO_COMBINED,
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


class Rule(Frozen):
    """One row of the rule table."""

    __match_args__ = (
        "id",
        "section",
        "disposition",
        "source",
        "when",
        "meanwhile",
        "meanwhile_instead",
    )
    __slots__ = _fields = (*__match_args__, "kind")
    id: str
    section: str
    """The id of its section."""
    disposition: Disposition
    source: str
    when: Condition
    meanwhile: str | None
    """The id of a line on what to do until help comes ([meanwhile.<id>] in the texts)."""
    meanwhile_instead: bool
    """The line stands instead of the disposition's own (which would contradict it)."""
    kind: SectionKind
    """Its section's kind: how the rule is checked."""

    def __init__(
        self,
        id: str,
        section: str,
        disposition: Disposition,
        source: str,
        when: Condition,
        meanwhile: str | None = None,
        meanwhile_instead: bool = False,
        *,
        kind: SectionKind,
    ) -> None:
        self._set("id", id)
        self._set("section", section)
        self._set("disposition", disposition)
        self._set("source", source)
        self._set("when", when)
        self._set("meanwhile", meanwhile)
        self._set("meanwhile_instead", meanwhile_instead)
        self._set("kind", kind)


class Section(Frozen):
    """A section of the policy's rule table, holding its rules in table order."""

    __slots__ = __match_args__ = _fields = ("id", "kind", "applies_when", "rules")
    id: str
    kind: SectionKind
    applies_when: Condition
    rules: tuple[Rule, ...]
    """Its rules, in table order (each with `section` and `kind` set to this section's)."""

    def __init__(
        self,
        id: str,
        kind: SectionKind,
        applies_when: Condition = _ALWAYS,
        rules: tuple[Rule, ...] = (),
    ) -> None:
        self._set("id", id)
        self._set("kind", kind)
        self._set("applies_when", applies_when)
        self._set("rules", rules)


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


class Ruleset(Frozen):
    """Everything loaded from a data folder, checked.

    The attributes after `contacts` are computed from the sections when the value is made
    (never passed in), so they cannot go stale: `replace` makes them anew.
    """

    __match_args__ = _fields = (
        "questionnaire",
        "sections",
        "notes",
        "safety_net",
        "settings",
        "texts",
        "info",
        "review_with_gp",
        "contacts",
    )
    __slots__ = (*_fields, "rules", "screening", "section_by_id")
    questionnaire: Questionnaire
    sections: tuple[Section, ...]
    """The sections of the rule table, in table order, each holding its rules."""
    notes: tuple[Note, ...]
    safety_net: tuple[SafetyNetSign, ...]
    settings: Settings
    texts: Mapping[Language, Texts]
    info: RulesetInfo
    review_with_gp: Condition
    """When the self-care review goes to the GP rather than the manual therapist."""
    contacts: tuple[Contact, ...]
    """Who to call first, in order: the first that applies is named with the headline."""
    rules: tuple[Rule, ...]
    """Every rule, in table order (section by section)."""
    screening: tuple[Rule, ...]
    """The rules of the screening sections, in table order."""
    section_by_id: Mapping[str, Section]

    def __init__(
        self,
        questionnaire: Questionnaire,
        sections: tuple[Section, ...],
        notes: tuple[Note, ...],
        safety_net: tuple[SafetyNetSign, ...],
        settings: Settings,
        texts: Mapping[Language, Texts],
        info: RulesetInfo,
        review_with_gp: Condition = _NEVER,
        contacts: tuple[Contact, ...] = (),
    ) -> None:
        self._set("questionnaire", questionnaire)
        self._set("sections", sections)
        self._set("notes", notes)
        self._set("safety_net", safety_net)
        self._set("settings", settings)
        self._set("texts", texts)
        self._set("info", info)
        self._set("review_with_gp", review_with_gp)
        self._set("contacts", contacts)
        rules = tuple(r for s in sections for r in s.rules)
        self._set("rules", rules)
        self._set("screening", tuple(r for r in rules if r.kind is SectionKind.SCREEN))
        self._set("section_by_id", {s.id: s for s in sections})

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
