"""The stand-in patients' walks (docs/standins): the answers files their walks saved, replayed
through `triage assess`, give advice the references accept for their stories."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from triage.cli import app

STANDINS = ROOT / "docs" / "standins"
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads((STANDINS / "expected.toml").read_text())
runner = CliRunner()


def _story_ids() -> list[str]:
    stories = (STANDINS / "stories.md").read_text()
    return [line.split("|")[1].strip() for line in stories.splitlines() if line.startswith("| s")]


def test_every_story_has_its_references_and_a_saved_walk() -> None:
    stories = _story_ids()
    assert len(stories) >= 24
    assert sorted(stories) == sorted(EXPECTED)
    missing = [s for s in stories if not (STANDINS / "answers" / f"{s}.json").is_file()]
    assert not missing, f"stories without the answers their walk saved: {missing}"


@pytest.mark.parametrize("story", sorted(EXPECTED))
def test_the_saved_walk_gets_advice_the_references_accept(story: str) -> None:
    path: Path = STANDINS / "answers" / f"{story}.json"
    if not path.is_file():
        pytest.fail(f"{path.name} is missing: walk the story and save its answers")
    result = runner.invoke(app, ["assess", "--answers", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    disposition = json.loads(result.stdout)["disposition"]
    reference = EXPECTED[story]
    accepted = [reference["expect"], *reference.get("accept", [])]
    assert disposition in accepted, (story, disposition, accepted)
