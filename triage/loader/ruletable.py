"""Loading rules.toml against a questionnaire: the settings, the sections holding their rules,
the notes, the safety net, the review and the contacts."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any, NamedTuple

from triage.errors import DataError, did_you_mean
from triage.loader import schema
from triage.loader.checking import (
    SAFETY_NET_LEVELS,
    Mistakes,
    check_unique,
    entry_name,
    list_of_tables,
    read_disposition,
    read_id,
    read_integer,
    read_switch,
    read_text,
)
from triage.loader.conditions import ConditionLoader
from triage.loader.reading import RULES_FILE
from triage.loader.schema import keys_of
from triage.model import (
    AllOf,
    Always,
    AnswerTest,
    AnyOf,
    Condition,
    Contact,
    Disposition,
    Note,
    Otherwise,
    Questionnaire,
    Rule,
    SafetyNetSign,
    Section,
    SectionKind,
    Settings,
)


class RuleTable(NamedTuple):
    """Everything rules.toml holds, checked."""

    version: str
    settings: Settings
    sections: tuple[Section, ...]
    """The sections, each holding its rules."""
    rules: tuple[Rule, ...]
    notes: tuple[Note, ...]
    safety_net: tuple[SafetyNetSign, ...]
    review_with_gp: Condition
    contacts: tuple[Contact, ...] = ()


class RulesLoader:
    """Loads rules.toml against a questionnaire."""

    file = RULES_FILE

    def __init__(self, doc: dict[str, Any], questionnaire: Questionnaire) -> None:
        keys_of(doc, schema.RULES, self.file, "")
        self.doc = doc
        self.questionnaire = questionnaire
        self.questions = questionnaire.by_id
        self.broken: set[str] = set()
        """The ids of rules with a mistake (reported once, where it is)."""
        self.out_of_order = False
        """Whether two rules stand out of order (the fallback check then waits)."""

    def load(self) -> RuleTable:
        header = keys_of(self.doc["ruleset"], schema.RULESET, self.file, "[ruleset]")
        settings = self._settings()
        self.settings_map: dict[str, object] = {
            "self_care_window_ends_at": settings.self_care_window_ends_at
        }
        mistakes = Mistakes()
        sections = self._sections()
        rules = self._rules(sections, mistakes)
        sections = tuple(
            Section(s.id, s.kind, s.applies_when, tuple(r for r in rules if r.section == s.id))
            for s in sections
        )
        if not self.out_of_order:  # one mistake in the order at a time, as it was found
            with mistakes.entry():
                self._check_fallbacks(sections)
        notes = self._notes(mistakes)
        safety_net = self._safety_net(rules, mistakes)
        with mistakes.entry():
            review = self._review()
        contacts = self._contacts(rules, mistakes)
        mistakes.raise_found()
        return RuleTable(
            version=read_text(header["version"], self.file, "[ruleset] version"),
            settings=settings,
            sections=sections,
            rules=rules,
            notes=notes,
            safety_net=safety_net,
            review_with_gp=review,
            contacts=contacts,
        )

    def _contacts(self, rules: tuple[Rule, ...], mistakes: Mistakes) -> tuple[Contact, ...]:
        """The [[contact]] entries: who to call first for some rules or dispositions."""
        if "contact" not in self.doc:
            return ()
        known = {r.id for r in rules} | {d.value for d in Disposition}
        contacts: list[Contact] = []
        for index, raw in enumerate(list_of_tables(self.doc, "contact", self.file)):
            with mistakes.entry():
                where = entry_name(raw, "contact", index)
                table = keys_of(raw, schema.CONTACT, self.file, where)
                contact_id = read_id(table["id"], self.file, where)
                entry = f"contact {contact_id!r}"
                targets = table["for"]
                if (
                    not isinstance(targets, list)
                    or not targets
                    or not all(isinstance(t, str) and t in known for t in targets)
                ):
                    raise DataError(
                        self.file, f"{entry} for", "should list rule ids or dispositions"
                    )
                when = (
                    self._condition(table["when"], f"{entry} when") if "when" in table else Always()
                )
                first = read_switch(table, "first", self.file, entry)
                contacts.append(Contact(contact_id, frozenset(targets), when, first))
        with mistakes.entry():
            check_unique([c.id for c in contacts], self.file, "contact")
        return tuple(contacts)

    def _review(self) -> Condition:
        if "review" not in self.doc:
            return AnyOf(())  # never
        table = keys_of(self.doc["review"], schema.REVIEW, self.file, "[review]")
        return self._condition(table["gp_when"], "[review] gp_when")

    def _condition(self, raw: object, entry: str, meta: tuple[str, ...] = ()) -> Condition:
        return ConditionLoader(self.file, entry, self.questions, self.settings_map, meta=meta).load(
            raw
        )

    def _settings(self) -> Settings:
        entry = "[settings]"
        table = keys_of(self.doc["settings"], schema.SETTINGS, self.file, entry)
        # Which values the window may take is checked where a rule's test uses it, against
        # that question's values (no question id is named here).
        window = read_id(
            table["self_care_window_ends_at"], self.file, f"{entry} self_care_window_ends_at"
        )
        days = read_integer(table["safety_net_days"], self.file, f"{entry} safety_net_days")
        if not 1 <= days <= 365:
            raise DataError(self.file, f"{entry} safety_net_days", "should be 1 to 365 days")
        stop_at = Disposition.GP_IMMEDIATELY
        if "settled_stop_at" in table:
            stop_at = read_disposition(
                table["settled_stop_at"], self.file, f"{entry} settled_stop_at"
            )
        return Settings(
            self_care_window_ends_at=window, safety_net_days=days, settled_stop_at=stop_at
        )

    def _sections(self) -> tuple[Section, ...]:
        sections = []
        for index, raw in enumerate(list_of_tables(self.doc, "section", self.file)):
            entry = entry_name(raw, "section", index)
            table = keys_of(raw, schema.SECTION, self.file, entry)
            section_id = read_id(table["id"], self.file, entry)
            kinds = [k.value for k in SectionKind]
            if table["kind"] not in kinds:
                raise DataError(
                    self.file,
                    f"section {section_id!r}",
                    f"unknown kind {table['kind']!r}; allowed: {', '.join(kinds)}",
                )
            applies: Condition = Always()
            if "applies_when" in table:
                applies = self._condition(table["applies_when"], f"section {section_id!r}")
            sections.append(Section(section_id, SectionKind(table["kind"]), applies))
        check_unique([s.id for s in sections], self.file, "section")
        return tuple(sections)

    def _rules(self, sections: tuple[Section, ...], mistakes: Mistakes) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        tables = list_of_tables(self.doc, "rule", self.file)
        by_id = {s.id: s for s in sections}
        for index, raw in enumerate(tables):
            before = len(mistakes.found)
            with mistakes.entry():
                rules.append(self._rule(raw, index, by_id))
            if len(mistakes.found) > before and isinstance(raw, dict):
                self.broken.add(str(raw.get("id")))  # named by signs: no second mistake
        if not tables:
            raise DataError(self.file, "", "has no [[rule]] rows")
        with mistakes.entry():
            check_unique([r.id for r in rules], self.file, "rule")
        before = len(mistakes.found)
        with mistakes.entry():
            self._check_order(rules, sections)
        self.out_of_order = len(mistakes.found) > before
        return tuple(rules)

    def _rule(self, raw: object, index: int, sections: Mapping[str, Section]) -> Rule:
        first = entry_name(raw, "rule", index)
        table = keys_of(raw, schema.RULE, self.file, first)
        rule_id = read_id(table["id"], self.file, first)
        entry = f"rule {rule_id!r}"
        section = read_text(table["section"], self.file, f"{entry} section")
        if section not in sections:
            raise DataError(
                self.file,
                entry,
                f"unknown section {section!r}{did_you_mean(str(section), sections)}",
            )
        kind = sections[section].kind
        meta = {
            SectionKind.SCREEN: (),
            SectionKind.UNKNOWN: ("possibly", "unknown_answers"),
            SectionKind.FALLBACK: ("possibly", "otherwise"),
        }[kind]
        return Rule(
            id=rule_id,
            section=section,
            disposition=read_disposition(table["disposition"], self.file, entry),
            source=read_text(table["source"], self.file, f"{entry} source"),
            when=self._condition(table["when"], f"{entry} when", meta),
            meanwhile=(
                read_id(table["meanwhile"], self.file, f"{entry} meanwhile")
                if "meanwhile" in table
                else None
            ),
            meanwhile_instead=read_switch(table, "meanwhile_instead", self.file, entry),
            kind=kind,
        )

    def _check_order(self, rules: list[Rule], sections: tuple[Section, ...]) -> None:
        order = [s.id for s in sections]
        for before, rule in itertools.pairwise(rules):
            key_before = (order.index(before.section), before.disposition.urgency)
            if (order.index(rule.section), rule.disposition.urgency) < key_before:
                raise DataError(
                    self.file,
                    f"rules {before.id!r} and {rule.id!r}",
                    f"out of order: {before.id!r} ({before.section}, "
                    f"{before.disposition.value}) comes before {rule.id!r} ({rule.section}, "
                    f"{rule.disposition.value}); rows run section by section, and within a "
                    "section from the most to the least urgent disposition: move one of "
                    "the two, or check its disposition",
                )

    def _check_fallbacks(self, sections: tuple[Section, ...]) -> None:
        for section in sections:
            if section.kind is SectionKind.FALLBACK:
                own = section.rules
                if not own or not isinstance(own[-1].when, Otherwise):
                    raise DataError(
                        self.file,
                        f"section {section.id!r}",
                        "a fallback section ends with a rule whose condition is "
                        "{ otherwise = true }, so that it always decides",
                    )

    def _notes(self, mistakes: Mistakes) -> tuple[Note, ...]:
        notes: list[Note] = []
        for index, raw in enumerate(list_of_tables(self.doc, "note", self.file)):
            with mistakes.entry():
                notes.append(self._note(raw, index))
        with mistakes.entry():
            check_unique([n.id for n in notes], self.file, "note")
        return tuple(notes)

    def _note(self, raw: object, index: int) -> Note:
        table = keys_of(raw, schema.NOTE, self.file, entry_name(raw, "note", index))
        note_id = read_id(table["id"], self.file, entry_name(raw, "note", index))
        entry = f"note {note_id!r}"
        shown_with = table["with"]
        if not isinstance(shown_with, list) or not shown_with:
            raise DataError(self.file, f"{entry} with", "should list dispositions")
        return Note(
            id=note_id,
            source=read_text(table["source"], self.file, f"{entry} source"),
            dispositions=frozenset(
                read_disposition(d, self.file, f"{entry} with") for d in shown_with
            ),
            when=self._condition(table["when"], f"{entry} when"),
        )

    def _safety_net(self, rules: tuple[Rule, ...], mistakes: Mistakes) -> tuple[SafetyNetSign, ...]:
        signs: list[SafetyNetSign] = []
        for index, raw in enumerate(list_of_tables(self.doc, "safety_net", self.file)):
            with mistakes.entry():
                signs.append(self._sign(raw, index, rules))
        with mistakes.entry():
            check_unique([s.id for s in signs], self.file, "safety_net")
        covered = {rule_id for sign in signs for rule_id in sign.covers}
        for rule in rules:
            urgent = rule.disposition in (Disposition.CALL_112, Disposition.GP_IMMEDIATELY)
            if (
                urgent
                and isinstance(rule.when, AnswerTest | AllOf | AnyOf)
                and rule.id not in covered
                and not mistakes.found  # a sign with a mistake may be the one that covers it
            ):
                mistakes.found.append(
                    DataError(
                        self.file,
                        f"rule {rule.id!r}",
                        f"a {rule.disposition} rule needs a [[safety_net]] sign that "
                        "covers it, so that every result says when to act at once",
                    )
                )
        return tuple(signs)

    def _sign(self, raw: object, index: int, rules: tuple[Rule, ...]) -> SafetyNetSign:
        table = keys_of(raw, schema.SAFETY_NET, self.file, entry_name(raw, "safety_net", index))
        sign_id = read_id(table["id"], self.file, entry_name(raw, "safety_net", index))
        entry = f"safety_net {sign_id!r}"
        level = read_disposition(table["level"], self.file, f"{entry} level")
        if level not in SAFETY_NET_LEVELS:
            raise DataError(
                self.file,
                f"{entry} level",
                f"should be one of {', '.join(SAFETY_NET_LEVELS)}",
            )
        covers = table["covers"]
        rule_ids = [r.id for r in rules]
        if (
            not isinstance(covers, list)
            or not covers
            or not all(isinstance(c, str) for c in covers)
        ):
            raise DataError(self.file, f"{entry} covers", "should list rule ids")
        for rule_id in covers:
            if rule_id not in rule_ids and rule_id not in self.broken:
                raise DataError(
                    self.file,
                    f"{entry} covers",
                    f"unknown rule {rule_id!r}{did_you_mean(str(rule_id), rule_ids)}",
                )
        applies: Condition = Always()
        if "applies_when" in table:
            applies = self._condition(table["applies_when"], f"{entry} applies_when")
        return SafetyNetSign(sign_id, level, tuple(covers), applies)
