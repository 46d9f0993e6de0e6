"""The documentation lives in the repository and stays true to the program."""

from __future__ import annotations

import re
import subprocess

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from triage.cli import app
from triage.model import Disposition, Ruleset

DOCS = ROOT / "docs"
runner = CliRunner()
COMMANDS = sorted(
    command.name or (command.callback.__name__ if command.callback else "")
    for command in app.registered_commands
)


def test_the_rule_table_in_docs_is_the_one_the_data_gives() -> None:
    """docs/rules.md is `triage rules --format markdown`; regenerate it after an edit:
    triage rules --format markdown > docs/rules.md"""
    result = runner.invoke(app, ["rules", "--format", "markdown"], env={"LC_ALL": "C"})
    assert result.exit_code == 0
    assert (DOCS / "rules.md").read_text() == result.stdout


def test_the_contract_in_docs_names_every_id_value_and_disposition(ruleset: Ruleset) -> None:
    contract = (DOCS / "answers.md").read_text()
    for question in ruleset.questionnaire.questions:
        assert f"`{question.id}`" in contract, question.id
        for value in question.kind.values:
            assert f"`{value}`" in contract, (question.id, value)
    for disposition in Disposition:
        assert f"`{disposition.value}`" in contract
        assert f"`{disposition.advice.value}`" in contract
    assert "`assessed_on`" in contract
    assert "triage.assessment/3" in contract


def test_the_policy_in_docs_names_every_rule(ruleset: Ruleset) -> None:
    policy = (DOCS / "policy.md").read_text() + (DOCS / "rules.md").read_text()
    for rule in ruleset.rules:
        assert re.search(rf"\b{rule.id}\b", policy), rule.id
        assert rule.source in policy, rule.id


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"LC_ALL": "C"})
    assert result.exit_code == 0
    assert "Example" in result.stdout or "example" in result.stdout, command
    assert f"triage {command}" in (ROOT / "README.md").read_text(), command


def test_nothing_outside_the_tests_points_outside_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    outside = [
        name
        for name in tracked
        if not name.startswith("tests/")
        and (ROOT / name).is_file()
        and "../shared" in (ROOT / name).read_text(errors="replace")
    ]
    assert not outside, f"these files refer to ../shared: {outside}"
