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

# pytest-xdist's workers run with COLUMNS=80 and LINES=24 in their environment, which a
# shell does not export. The programs the tests start would inherit them, and rich would
# then draw for 80 columns on a 40-column terminal: the tests' terminals give the size.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)

# The number of examples of every property and fuzz test comes from the profile: CI
# (CI=true) runs 300 of each, the same ones on every run (derandomized, so a failure in CI
# fails again on a developer's machine with CI=true); a developer's run, 50 random ones,
# with hypothesis's example database remembering the failures. A test whose one example
# is costly (a data folder written and loaded, a z3 model) takes a share of the profile's
# number through `examples`, never a number of its own.
settings.register_profile("ci", max_examples=300, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

PROOF_SECONDS = 86_400.0
"""The time a proof in a test may take: a day. The default limit (two minutes) is wall
time, and a machine busy with other work made a proof of edited data run out of it.
Tests of the limit itself give theirs; the commands the tests run read it from
TRIAGE_TIME_LIMIT (also in the programs they start)."""
os.environ["TRIAGE_TIME_LIMIT"] = str(PROOF_SECONDS)


def examples(share: float) -> int:
    """A share of the loaded profile's number of examples (at least 10)."""
    return max(10, round(settings().max_examples * share))


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
