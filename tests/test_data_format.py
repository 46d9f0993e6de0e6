"""The data format is declared once (triage/loader/schema.py): the loader checks every
table's keys against it, and docs/data-format.md is written from it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT
from triage import loader
from triage.errors import DataError
from triage.loader import schema
from triage.loader.reading import read_folder, sha256_of


def test_the_data_format_in_docs_is_the_one_the_schema_declares() -> None:
    """Regenerate it after an edit of the schema (the command is in the file's header)."""
    assert (ROOT / "docs" / "data-format.md").read_text() == schema.markdown()


def _contents() -> dict[str, bytes]:
    return dict(read_folder(DATA))


# Where a key the format does not have is put, for each table of the data files.
PLACES = {
    schema.QUESTIONS: ("questions.toml", "", "zzz = 1\n", "start"),
    schema.QUESTIONNAIRE: ("questions.toml", "\n[questionnaire]\n", "zzz = 1\n", "after"),
    schema.KIND: ("questions.toml", "\n[kind.side]\n", "zzz = 1\n", "after"),
    schema.GROUP: ("questions.toml", "\n[[group]]\n", "zzz = 1\n", "after"),
    schema.QUESTION: ("questions.toml", "\n[[question]]\n", "zzz = 1\n", "after"),
    schema.COMBINED: ("questions.toml", "\n[[combined]]\n", "zzz = 1\n", "after"),
    schema.RULES: ("rules.toml", "", "zzz = 1\n", "start"),
    schema.RULESET: ("rules.toml", "\n[ruleset]\n", "zzz = 1\n", "after"),
    schema.SETTINGS: ("rules.toml", "\n[settings]\n", "zzz = 1\n", "after"),
    schema.SECTION: ("rules.toml", "\n[[section]]\n", "zzz = 1\n", "after"),
    schema.RULE: ("rules.toml", "\n[[rule]]\n", "zzz = 1\n", "after"),
    schema.NOTE: ("rules.toml", "\n[[note]]\n", "zzz = 1\n", "after"),
    schema.SAFETY_NET: ("rules.toml", "\n[[safety_net]]\n", "zzz = 1\n", "after"),
    schema.REVIEW: ("rules.toml", "\n[review]\n", "zzz = 1\n", "after"),
    schema.CONTACT: ("rules.toml", "\n[[contact]]\n", "zzz = 1\n", "after"),
    schema.TEST: (
        "rules.toml",
        'when = { question = "',
        'when = { zzz = 1, question = "',
        "replace",
    ),
    schema.ALL: ("rules.toml", "\nwhen.all = [", "\nwhen.zzz = 1\nwhen.all = [", "replace"),
    schema.ANY: ("rules.toml", "{ any = [", "{ zzz = 1, any = [", "replace"),
}


@pytest.mark.parametrize("table", list(PLACES), ids=lambda t: t.written)
def test_a_key_the_format_lacks_is_refused_with_the_keys_the_schema_declares(
    table: schema.Table,
) -> None:
    file, anchor, line, how = PLACES[table]
    contents = _contents()
    text = contents[file].decode()
    if how == "start":
        text = line + text
    elif how == "after":
        assert anchor in text, anchor
        text = text.replace(anchor, anchor + line, 1)
    else:
        assert anchor in text, anchor
        text = text.replace(anchor, line, 1)
    contents[file] = text.encode()
    with pytest.raises(DataError) as raised:
        loader.check(contents, sha256_of(contents))
    allowed = ", ".join(k.name for k in table.keys)
    assert str(raised.value).endswith(f"unknown key 'zzz'; allowed: {allowed}"), str(raised.value)


def test_every_table_of_the_schema_is_in_the_shipped_data_or_a_condition() -> None:
    text = (DATA / "questions.toml").read_text() + (DATA / "rules.toml").read_text()
    for table in schema.TABLES:
        if table in schema.CONDITIONS.values() or table.written.startswith("the "):
            continue
        header = re.escape(table.written).replace("<id>", "[a-z_]+")
        assert re.search(rf"^{header}$", text, re.MULTILINE), table.written


def test_a_language_is_blamed_from_the_folder_checked_not_the_installed_data(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Which language file edited a text's {fields} is told from the folder being checked
    (the other texts of its family), not by reading the installed en.toml."""
    empty = tmp_path / "no-data"
    empty.mkdir()
    for name, module in list(sys.modules.items()):  # wherever the loader looks it up
        if name.startswith("triage.loader") and hasattr(module, "default_data_dir"):
            monkeypatch.setattr(module, "default_data_dir", lambda: empty)
    nl = data_copy / "lang" / "nl.toml"
    nl.write_text(nl.read_text().replace("{because} Een manueel", "{omdat} Een manueel"))
    with pytest.raises(DataError) as raised:
        loader.load_ruleset(data_copy)
    assert str(raised.value) == (
        "lang/nl.toml: rule.persisting_or_limiting.reason: uses the fields ['omdat'] "
        "where the text should use ['because'] (as every language does)"
    )
