"""Mistakes a data folder can hold that still loads: what `triage validate` looks for after
the loader's checks (and before the proofs of `triage verify`).

- a question nothing uses (no rule, note, safety-net sign or other question looks at it),
  unless it is declared `informational` or chooses the texts' wording;
- a question whose condition the FHIR export cannot write as enableWhen;
- a text that repeats a setting's value ("3 weeks" where the self-care window decides,
  "14 days" where the review date does), which goes stale when the setting changes.

Each mistake is a DataError naming the file to edit and the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from triage.conditions import questions_in
from triage.errors import DataError, TriageError
from triage.loader import QUESTIONS_FILE
from triage.model import Condition, Language, Ruleset


def lint(ruleset: Ruleset) -> list[DataError]:
    """Every mistake of these kinds, in file order."""
    return [*_unused_questions(ruleset), *_fhir(ruleset), *_repeated_settings(ruleset)]


def _conditions(ruleset: Ruleset) -> Iterator[Condition]:
    yield from (r.when for r in ruleset.rules)
    yield from (n.when for n in ruleset.notes)
    yield from (s.applies_when for s in ruleset.safety_net)
    yield from (s.applies_when for s in ruleset.sections)
    yield from (q.ask_when for q in ruleset.questionnaire.questions)
    yield ruleset.review_with_gp


def _unused_questions(ruleset: Ruleset) -> Iterator[DataError]:
    used = {q for condition in _conditions(ruleset) for q in questions_in(condition)}
    questionnaire = ruleset.questionnaire
    for question in questionnaire.questions:
        if question.id in used or question.informational or question.id == questionnaire.voice:
            continue
        yield DataError(
            QUESTIONS_FILE,
            f"question {question.id!r}",
            "no rule, note, safety-net sign or other question uses it; use it in one, or "
            "mark it `informational = true` if it is asked for the summary only",
        )


def _fhir(ruleset: Ruleset) -> Iterator[DataError]:
    from triage.formats import fhir

    texts = ruleset.texts[Language.EN]
    for question in ruleset.questionnaire.questions:
        try:
            fhir.question_item(question, texts, ruleset.questionnaire)
        except TriageError as error:
            yield DataError(QUESTIONS_FILE, f"question {question.id!r} ask_when", str(error))


_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    "een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf"
)
_WEEKS = re.compile(rf"\b(\d+|{_NUMBER_WORDS})\s+(weeks?|weken)\b", re.IGNORECASE)


def _repeated_settings(ruleset: Ruleset) -> Iterator[DataError]:
    """Texts that spell out what a setting decides."""
    window = ruleset.settings.self_care_window_ends_at
    kinds = {q.kind.id for q in ruleset.questionnaire.questions if window in q.kind.values}
    asking = {q.id for q in ruleset.questionnaire.questions if q.kind.id in kinds}
    owners = [f"question.{q}." for q in asking]
    owners += [f"rule.{r.id}." for r in ruleset.rules if asking & set(questions_in(r.when))]
    owners += [f"note.{n.id}." for n in ruleset.notes if asking & set(questions_in(n.when))]
    days = re.compile(rf"\b{ruleset.settings.safety_net_days}\s+(days?|dagen|dag)\b")
    for language, texts in ruleset.texts.items():
        file = f"lang/{language.value}.toml"
        for key, value in texts.entries.items():
            for text in (value,) if isinstance(value, str) else value:
                if key.startswith(tuple(owners)) and (found := _WEEKS.search(text)):
                    yield _repeats(file, key, found[0], "self_care_window_ends_at", "{answer}")
                if found := days.search(text):
                    yield _repeats(file, key, found[0], "safety_net_days", "{date}")


def _repeats(file: str, key: str, words: str, setting: str, field: str) -> DataError:
    return DataError(
        file,
        key,
        f"says {words!r}, which the setting {setting} (rules.toml [settings]) decides: "
        f"the text goes stale when the setting changes; use {field} or words without the "
        "number",
    )
