"""Shared fixtures: the shipped ruleset, and answer sets to start from."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from triage.loader import default_data_dir, load_ruleset
from triage.model import Ruleset, Value

TESTS = Path(__file__).parent
ROOT = TESTS.parent
DATA = ROOT / "data"
TODAY = dt.date(2026, 11, 26)

# CI runs a thousand examples of every property and fuzz test; a developer's run, fewer.
settings.register_profile("ci", max_examples=1000, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def clinical_cases() -> dict[str, Any]:
    """The clinical cases file, parsed."""
    with (TESTS / "clinical_cases.toml").open("rb") as handle:
        return tomllib.load(handle)


def adult(**changes: Value) -> dict[str, Value]:
    """The clinical cases' base adult (self-care), with some answers changed."""
    answers: dict[str, Value] = dict(clinical_cases()["base"]["adult"])
    answers.update(changes)
    return answers


@pytest.fixture(scope="session")
def ruleset() -> Ruleset:
    return load_ruleset()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """An editable copy of the shipped data folder."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(Path(str(default_data_dir())), target)
    return target


@pytest.fixture
def proved_data(data_copy: Path) -> Path:
    """A copy of the shipped data, on which every property of `triage verify` holds (v3)."""
    return data_copy
