"""The data folder: what ships is complete, and each kind of mistake is named clearly."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.edits import edit
from triage.errors import DataError
from triage.loader import load_ruleset
from triage.model import Disposition, Language, Ruleset, SectionKind


def _keys(path: Path) -> set[str]:
    def flatten(table: dict[str, object], prefix: str = "") -> set[str]:
        keys: set[str] = set()
        for key, value in table.items():
            keys |= (
                flatten(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}"}
            )
        return keys

    with path.open("rb") as handle:
        return flatten(tomllib.load(handle))


def test_both_languages_have_exactly_the_same_keys() -> None:
    assert _keys(DATA / "lang" / "nl.toml") == _keys(DATA / "lang" / "en.toml")


def test_every_rule_has_a_source_and_a_reason_in_both_languages(ruleset: Ruleset) -> None:
    for rule in ruleset.rules:
        assert rule.source.strip()
        for language in Language:
            assert ruleset.texts[language](f"rule.{rule.id}.reason").strip()


def test_every_disposition_has_its_advice(ruleset: Ruleset) -> None:
    for language in Language:
        texts = ruleset.texts[language]
        for disposition in Disposition:
            assert texts(f"disposition.{disposition.value}.headline")
            assert texts.items(f"advice.{disposition.advice.value}.points")


def test_rules_run_from_most_to_least_urgent_within_each_section(ruleset: Ruleset) -> None:
    for section in ruleset.sections:
        urgencies = [r.disposition.urgency for r in ruleset.rules if r.section == section.id]
        assert urgencies == sorted(urgencies)
    assert [s.kind for s in ruleset.sections] == [
        SectionKind.SCREEN,
        SectionKind.SCREEN,
        SectionKind.UNKNOWN,
        SectionKind.FALLBACK,
    ]


def test_the_hash_follows_the_data(data_copy: Path, ruleset: Ruleset) -> None:
    assert load_ruleset(data_copy).info == ruleset.info
    rules = data_copy / "rules.toml"
    rules.write_text(rules.read_text().replace("safety_net_days = 14", "safety_net_days = 10"))
    changed = load_ruleset(data_copy)
    assert changed.info.sha256 != ruleset.info.sha256
    assert changed.settings.safety_net_days == 10


BROKEN = [
    pytest.param(
        "rules.toml",
        'op = "is", value = "yes" }',
        'op = "iz", value = "yes" }',
        "rules.toml",
        "unknown op 'iz'",
        id="unknown operator",
    ),
    pytest.param(
        "rules.toml",
        'question = "recent_fall"',
        'question = "recnt_fall"',
        "rule 'fall_older'",
        "did you mean 'recent_fall'",
        id="unknown question",
    ),
    pytest.param(
        "rules.toml",
        'value = "over_60_minutes"',
        'value = "over_90_minutes"',
        "rule 'inflammatory_stiffness'",
        "not a value of morning_stiffness",
        id="unknown value",
    ),
    pytest.param(
        "rules.toml",
        'disposition = "gp_routine"',
        'disposition = "gp_rotine"',
        "rule 'inflammatory_stiffness'",
        "did you mean 'gp_routine'",
        id="unknown disposition",
    ),
    pytest.param(
        "rules.toml",
        'source = "NHG M55"',
        'sorce = "NHG M55"',
        "rule 'cauda_equina'",
        "unknown key 'sorce'",
        id="unknown key",
    ),
    pytest.param(
        "rules.toml",
        'id = "motor_loss"',
        'id = "cauda_equina"',
        "rule 'cauda_equina'",
        "defined twice",
        id="duplicate rule",
    ),
    pytest.param(
        "rules.toml",
        'self_care_window_ends_at = "3_to_6_weeks"',
        'self_care_window_ends_at = "3_weeks"',
        "[settings] self_care_window_ends_at",
        "'3_weeks' is not a value of duration",
        id="bad setting",
    ),
    pytest.param(
        "rules.toml",
        "when = { otherwise = true }",
        "when = { always = true }",
        "section 'no_red_flags'",
        "otherwise",
        id="fallback without otherwise",
    ),
    pytest.param(
        "rules.toml",
        'covers = ["acute_ischaemia"]',
        'covers = ["ischaemia"]',
        "safety_net 'cold_leg'",
        "unknown rule 'ischaemia'",
        id="safety net rule",
    ),
    pytest.param(
        "rules.toml",
        'covers = ["acute_ischaemia"]',
        "covers = [[]]",
        "safety_net 'cold_leg' covers",
        "should list rule ids",
        id="safety net covers a list",
    ),
    pytest.param(
        "rules.toml",
        'when = { possibly = "call_112" }',
        'when = { possibly = "call_112", always = true }',
        "rule 'unknown_emergency'",
        "exactly one of",
        id="two condition forms",
    ),
    pytest.param(
        "questions.toml",
        'kind = "morning_stiffness"\nask_when',
        'kind = "stiffness"\nask_when',
        "question 'morning_stiffness'",
        "unknown kind 'stiffness'",
        id="unknown kind",
    ),
    pytest.param(
        "questions.toml",
        'ask_when = { question = "age", op = "<", value = 18 }',
        'ask_when = { question = "trend", op = "is", value = "worsening" }',
        "question 'limp'",
        "unknown question 'trend' before this one",
        id="condition on a later question",
    ),
    pytest.param(
        "lang/nl.toml",
        'reason = "Een been dat slapper wordt, kan betekenen dat een zenuw in de knel zit."\n',
        "",
        "lang/nl.toml",
        "rule.motor_loss.reason: missing",
        id="text missing in one language",
    ),
    pytest.param(
        "lang/en.toml",
        "Do not wait too long. {review}",
        "Do not wait too long. {reviewed}",
        "lang/",
        "advice.self_care.points",
        id="field differs between languages",
    ),
    pytest.param(
        "lang/en.toml",
        "[question.age]",
        "[question.agee]",
        "lang/en.toml",
        "question.age",
        id="text for an unknown question",
    ),
    pytest.param(
        "rules.toml", "[ruleset]", "[ruleset", "rules.toml", "not valid TOML", id="malformed TOML"
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "where", "problem"), BROKEN)
def test_a_broken_data_folder_is_named_exactly(
    data_copy: Path, file: str, old: str, new: str, where: str, problem: str
) -> None:
    edit(data_copy, file, old, new)
    with pytest.raises(DataError) as error:
        load_ruleset(data_copy)
    assert where in str(error.value)
    assert problem in str(error.value)


def test_a_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "lang" / "nl.toml").unlink()
    with pytest.raises(DataError, match=r"lang/nl.toml: missing from the data folder"):
        load_ruleset(data_copy)


def test_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not a folder"):
        load_ruleset(tmp_path / "nowhere")


def test_the_code_and_the_texts_name_the_same_program_texts(ruleset: Ruleset) -> None:
    """Every text key the code names exists, and every program text is named by the code."""
    from triage.loader import TEXT_FAMILIES

    modules = (DATA.parent / "triage").glob("**/*.py")
    source = "\n".join(p.read_text() for p in modules)
    families = "|".join(f.rstrip(".") for f in TEXT_FAMILIES)
    named = set(re.findall(rf"[\"']((?:{families})(?:\.[a-z_0-9]+)+)[\"']", source))
    entries = ruleset.texts[Language.EN].entries
    assert named - set(entries) == set(), "the code names texts the data lacks"
    program = {
        key
        for key in entries
        if key.startswith(TEXT_FAMILIES) and not key.endswith(("_child", "_other"))
    }
    assert program - named - {"language.name"} == set(), "texts no code shows"


def test_rows_out_of_order_name_both_rules_and_their_dispositions(data_copy: Path) -> None:
    """The GP changed night_pain in place; the message named only the row after it."""
    ruleset = load_ruleset()
    (night,) = [r for r in ruleset.rules if r.id == "night_pain"]
    after = ruleset.rules[ruleset.rules.index(night) + 1]
    assert after.disposition.urgency < Disposition.GP_ROUTINE.urgency, "the edit breaks order"
    rules = data_copy / "rules.toml"
    old = f'id = "night_pain"\nsection = "red_flags"\ndisposition = "{night.disposition.value}"'
    assert old in rules.read_text()
    rules.write_text(
        rules.read_text().replace(old, old.replace(night.disposition.value, "gp_routine"))
    )
    with pytest.raises(DataError) as raised:
        load_ruleset(data_copy)
    message = str(raised.value)
    assert "'night_pain' (red_flags, gp_routine) comes before" in message
    assert f"{after.id!r} (red_flags, {after.disposition.value})" in message


def test_the_snapshot_serves_only_the_files_it_was_taken_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wheel's checked snapshot stands in for the shipped files only while they are
    byte for byte the files it was taken of; a snapshot of other files, or a damaged one,
    is passed over and the files are checked instead."""
    from triage.loader import reading, snapshot_bytes

    snapshot = tmp_path / "_snapshot.pickle"
    monkeypatch.setattr(reading, "SNAPSHOT", snapshot)
    sha256 = reading.sha256_of(dict(reading.read_folder(DATA)))
    assert reading._snapshot(sha256) is None  # a source checkout has none
    snapshot.write_bytes(snapshot_bytes(DATA))
    served = reading._snapshot(sha256)
    assert served is not None
    assert served.info.sha256 == sha256
    assert served == load_ruleset(DATA)
    assert reading._snapshot("0" * 64) is None  # taken of other files
    snapshot.write_bytes(b"\x80\x05 not a pickle")
    assert reading._snapshot(sha256) is None
