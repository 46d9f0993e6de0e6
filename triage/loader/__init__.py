"""Loading the data folder: questionnaire, rule table and texts, checked as they load.

The modules: `reading` (files, hash, the checked rulesets kept, the wheel's snapshot),
`schema` (the data format, declared once), `checking` (the typed readers of one value),
`conditions`, `questionnaire` (questions.toml), `ruletable` (rules.toml) and `texts`
(the language files). Start-up imports `reading` alone: the others are imported when
files are checked, not when the snapshot of the shipped data serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from triage.errors import DataError
from triage.loader.reading import (
    DATA_FILES,
    MAX_FILE_BYTES,
    QUESTIONS_FILE,
    RULES_FILE,
    SNAPSHOT,
    _snapshot,
    checked,
    default_data_dir,
    read_folder,
    sha256_of,
)
from triage.model import Language, Ruleset, RulesetInfo, Texts

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "DATA_FILES",
    "MAX_FILE_BYTES",
    "QUESTIONS_FILE",
    "RULES_FILE",
    "SNAPSHOT",
    "TEXT_FAMILIES",
    "_snapshot",
    "check",
    "data_text",
    "default_data_dir",
    "load_ruleset",
    "program_texts",
    "snapshot_bytes",
]


def load_ruleset(data_dir: Traversable | None = None) -> Ruleset:
    """Load and check a data folder; raise DataError naming the file and entry at fault.

    The shipped data is checked when the wheel is built; while its files are byte for byte
    the ones checked then (same SHA-256), the checked result is used as it is.
    """
    root = default_data_dir() if data_dir is None else data_dir
    if not root.is_dir():
        raise DataError(
            str(root), "", "not a folder (a data folder holds questions.toml, rules.toml and lang/)"
        )
    contents = dict(read_folder(root))
    sha256 = sha256_of(contents)

    def load() -> Ruleset:
        shipped = _snapshot(sha256) if data_dir is None else None
        return shipped if shipped is not None else check(contents, sha256)

    return checked.get(sha256, load)  # these very files may have been checked before


def check(contents: Mapping[str, bytes], sha256: str) -> Ruleset:
    """Parse and check every file of a data folder (relative path -> bytes); DataErrors
    for every mistake found (a later file is checked only when those it builds on load)."""
    from triage.loader.checking import Mistakes
    from triage.loader.questionnaire import load_questionnaire
    from triage.loader.reading import parse_toml
    from triage.loader.ruletable import RulesLoader
    from triage.loader.texts import with_texts

    mistakes = Mistakes()
    docs: dict[str, dict[str, Any]] = {}
    for name in DATA_FILES:
        with mistakes.entry():
            docs[name] = parse_toml(contents, name)
    questionnaire = None
    if QUESTIONS_FILE in docs:
        with mistakes.entry():
            questionnaire = load_questionnaire(docs[QUESTIONS_FILE])
    if questionnaire is None or RULES_FILE not in docs:
        mistakes.fail()
    with mistakes.entry():
        table = RulesLoader(docs[RULES_FILE], questionnaire).load()
    mistakes.raise_found()
    texts = {lang: docs[f"lang/{lang.value}.toml"] for lang in Language}
    ruleset = Ruleset(
        questionnaire=questionnaire,
        sections=table.sections,
        notes=table.notes,
        safety_net=table.safety_net,
        settings=table.settings,
        texts={},
        info=RulesetInfo(
            version=table.version,
            sha256=sha256,
            logic_sha256=sha256_of({n: contents[n] for n in (QUESTIONS_FILE, RULES_FILE)}),
        ),
        review_with_gp=table.review_with_gp,
        contacts=table.contacts,
    )
    return with_texts(ruleset, texts)


def program_texts(language: Language) -> Texts:
    """The program's own texts (those of the shipped data), for the words a data folder
    under test must never supply: the verdicts of `verify` and `validate`."""
    return load_ruleset().texts[language]


def snapshot_bytes(data_dir: Traversable) -> bytes:
    """A checked snapshot of a data folder, for the wheel (see hatch_build.py)."""
    from triage.loader.reading import snapshot_bytes as take

    return take(data_dir, check)


def __getattr__(name: str) -> Any:
    """Names of the checking modules, imported when first asked for (start-up, served by
    the snapshot, never needs them)."""
    if name == "TEXT_FAMILIES":
        from triage.loader.texts import TEXT_FAMILIES

        return TEXT_FAMILIES
    if name == "data_text":
        from triage.loader.checking import data_text

        return data_text
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
