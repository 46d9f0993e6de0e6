"""The language files and the text-key rules: which texts every language needs, which it
may have, and the same {fields} in every language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from triage.errors import DataError, did_you_mean
from triage.loader.checking import MAX_NESTING, Mistakes, data_text
from triage.loader.schema import describe
from triage.model import Disposition, Language, Questionnaire, Ruleset, Texts, TextValue

TEXT_FAMILIES = ("language.", "ui.", "result.", "about.", "verify.", "terms.", "review.")
"""The texts the program itself shows (not those of a question, rule or note): whatever
keys of these families the language files hold, every language holds (tests check that
the code uses exactly these keys)."""


def with_texts(ruleset: Ruleset, docs: Mapping[Language, dict[str, Any]]) -> Ruleset:
    required = _program_text_keys(docs) | _data_text_keys(ruleset)
    optional = required | _because_keys(ruleset) | _screen_help_keys(ruleset.questionnaire)
    allowed = optional | _voiced_keys(ruleset.questionnaire, optional)
    mistakes = Mistakes()
    loaded: dict[Language, dict[str, TextValue]] = {}
    for lang, doc in docs.items():
        with mistakes.entry():
            loaded[lang] = _flatten_texts(doc, f"lang/{lang.value}.toml")
    mistakes.raise_found()
    for lang, entries in loaded.items():
        file = f"lang/{lang.value}.toml"
        for key in sorted(required - entries.keys()):
            mistakes.found.append(
                DataError(file, key, "missing text (every language needs every text)")
            )
        for key in sorted(entries.keys() - allowed):
            mistakes.found.append(
                DataError(
                    file,
                    key,
                    "unknown text key (no question, rule or screen uses "
                    f"it){did_you_mean(key, allowed)}",
                )
            )
    with mistakes.entry():
        _check_same_variants(loaded)
    mistakes.found += _field_mistakes(loaded)
    mistakes.raise_found()
    texts = {lang: Texts(lang, entries) for lang, entries in loaded.items()}
    return ruleset.replace(texts=texts)


def _program_text_keys(docs: Mapping[Language, dict[str, Any]]) -> set[str]:
    """The texts the program shows: those of TEXT_FAMILIES in any language file (every
    language then needs them all), and each disposition's and advice group's."""
    keys = {
        key
        for lang, doc in docs.items()
        for key in _flatten_texts(doc, f"lang/{lang.value}.toml")
        if key.startswith(TEXT_FAMILIES) and not key.endswith(("_child", "_other"))
    }
    keys |= {
        f"disposition.{d.value}.{field}"
        for d in Disposition
        for field in ("headline", "urgency", "meanwhile")
    }
    keys |= {f"advice.{d.advice.value}.points" for d in Disposition}
    return keys


def _because_keys(ruleset: Ruleset) -> set[str]:
    """The lines a rule's reason may give for each answer it names ({because})."""
    from triage.conditions import questions_in

    return {f"rule.{r.id}.because.{q}" for r in ruleset.rules for q in questions_in(r.when)}


def _screen_help_keys(questionnaire: Questionnaire) -> set[str]:
    """The optional help text of each named screen (what `?` says about the whole screen)."""
    return {f"screen.{screen}.help" for screen in questionnaire.screens}


def _voiced_keys(questionnaire: Questionnaire, required: set[str]) -> set[str]:
    """The variants a text may have for the answers of the voice question (K_child)."""
    if questionnaire.voice is None:
        return set()
    voice = questionnaire.question(questionnaire.voice)
    return {f"{key}_{value}" for key in required for value in voice.kind.values}


def _check_same_variants(loaded: Mapping[Language, Mapping[str, TextValue]]) -> None:
    """Every language has the same texts, variants included."""
    reference: set[str] | None = None
    for lang, entries in loaded.items():
        if reference is None:
            reference = set(entries)
            continue
        for key in sorted(reference ^ entries.keys()):
            file = f"lang/{lang.value}.toml"
            problem = "missing here" if key in reference else "only in this language"
            raise DataError(file, key, f"a wording variant {problem}; every language has the same")


def _data_text_keys(ruleset: Ruleset) -> set[str]:
    questionnaire = ruleset.questionnaire
    keys = {
        f"question.{q.id}.{f}" for q in questionnaire.questions for f in ("text", "short", "why")
    }
    keys |= {f"group.{g.id}.{f}" for g in questionnaire.groups for f in ("title", "intro")}
    keys |= {f"combined.{c}.short" for c in questionnaire.combined}
    keys |= {f"screen.{screen}.title" for screen in questionnaire.screens}
    keys |= {f"value.{q.kind.id}.{v}" for q in questionnaire.questions for v in q.kind.values}
    keys |= {f"section.{s.id}.title" for s in ruleset.sections}
    keys |= {f"rule.{r.id}.reason" for r in ruleset.rules}
    keys |= {f"note.{n.id}.text" for n in ruleset.notes}
    keys |= {f"safety_net.{s.id}.text" for s in ruleset.safety_net}
    keys |= {f"meanwhile.{r.meanwhile}.text" for r in ruleset.rules if r.meanwhile}
    keys |= {f"contact.{c.id}.text" for c in ruleset.contacts}
    return keys


def _flatten_texts(doc: Mapping[str, Any], file: str, prefix: str = "") -> dict[str, TextValue]:
    if prefix.count(".") >= MAX_NESTING:
        raise DataError(file, prefix.rstrip("."), f"tables nested more than {MAX_NESTING} deep")
    entries: dict[str, TextValue] = {}
    for key, value in doc.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            entries.update(_flatten_texts(value, file, f"{name}."))
        elif isinstance(value, str):
            entries[name] = data_text(value)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            entries[name] = tuple(data_text(v) for v in value)
        else:
            raise DataError(
                file, name, f"should be a text or a list of texts, not {describe(value)}"
            )
    return entries


def _field_mistakes(loaded: Mapping[Language, Mapping[str, TextValue]]) -> list[DataError]:
    """Every language uses the same {fields} in the same text. Where they differ, the file
    to blame is told from the folder being checked alone: a language whose fields are ones
    the other texts of the same family use where every language agrees (`rule.<id>.reason`
    beside the other rules' reasons) is right, and the others are blamed; when that tells
    nothing, each file names the fields of the other."""
    mistakes = Mistakes()
    fields: dict[str, dict[Language, frozenset[str]]] = {}
    for lang, entries in loaded.items():
        for key, value in entries.items():
            with mistakes.entry():
                named = _fields(value, f"lang/{lang.value}.toml", key)
                fields.setdefault(key, {})[lang] = frozenset(named)
    agreed: dict[str, set[frozenset[str]]] = {}
    for key, by_language in fields.items():
        if len(by_language) == len(loaded) and len(set(by_language.values())) == 1:
            agreed.setdefault(_family(key), set()).update(by_language.values())
    for key, by_language in fields.items():
        if len(set(by_language.values())) <= 1:
            continue
        usual = agreed.get(_family(key), set())
        plausible = {found for found in by_language.values() if found in usual}
        reference = next(iter(plausible)) if len(plausible) == 1 else None
        for lang, found in by_language.items():
            if found == reference:
                continue
            others = {f for other, f2 in by_language.items() if other is not lang for f in f2}
            expected = sorted(reference if reference is not None else others)
            mistakes.found.append(
                DataError(
                    f"lang/{lang.value}.toml",
                    key,
                    f"uses the fields {sorted(found)} where the text should use {expected} "
                    "(as every language does)",
                )
            )
    return mistakes.found


def _family(key: str) -> str:
    """The texts a key stands beside: `rule.<id>.reason` for `rule.fall_older.reason`."""
    parts = key.split(".")
    return ".".join([parts[0], "<id>", *parts[2:]]) if len(parts) >= 3 else key


def _fields(value: TextValue, file: str, key: str) -> set[str]:
    import string

    texts = (value,) if isinstance(value, str) else value
    fields: set[str] = set()
    try:
        for text in texts:
            for _, name, spec, conversion in string.Formatter().parse(text):
                if name is None:
                    continue
                if not name.isidentifier() or not name.islower() or spec or conversion:
                    raise DataError(
                        file,
                        key,
                        f"{{{name}{'!' + conversion if conversion else ''}"
                        f"{':' + spec if spec else ''}}} is not a field: a text may only "
                        "name a field, such as {date}, without dots, brackets, ! or :",
                    )
                fields.add(name)
    except ValueError as error:
        raise DataError(
            file, key, f"braces do not match ({error}); write {{{{ for a brace"
        ) from None
    for text in texts:  # {because:} and {because!} parse as {because}, but are shown raw
        odd = _ODD_FIELD.search(text.replace("{{", "").replace("}}", ""))
        if odd:
            raise DataError(
                file,
                key,
                f"{odd[0]} is not a field: a text may only name a field, such as {{date}}",
            )
    return fields


_ODD_FIELD = re.compile(r"\{[^{}]*[:!][^{}]*\}")
"""A field with an empty format spec or conversion, which string.Formatter lets pass."""
