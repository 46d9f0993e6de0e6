"""Saving without overwriting, also on a file system without hard links (review C6)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from triage.files import write_atomically


@pytest.fixture
def no_hard_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system that refuses hard links (FAT, some network and FUSE mounts)."""

    def refuse(*_: object, **__: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)


@pytest.mark.usefixtures("no_hard_links")
def test_without_hard_links_a_new_file_is_still_written(tmp_path: Path) -> None:
    target = tmp_path / "answers.json"
    assert write_atomically(target, "new") == target.resolve()
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"], "no temporary file left"


@pytest.mark.usefixtures("no_hard_links")
def test_without_hard_links_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "answers.json"
    target.write_text("the person's earlier answers")
    with pytest.raises(FileExistsError):
        write_atomically(target, "new")
    assert target.read_text() == "the person's earlier answers"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"], "no temporary file left"
