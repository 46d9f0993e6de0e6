"""Reading a data folder: its files (bounded), their hash, the TOML, the checked rulesets
kept in this process, and the snapshot of the shipped data the wheel carries."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.errors import DataError
from triage.memo import Recent
from triage.model import Language, Ruleset

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

QUESTIONS_FILE = "questions.toml"
RULES_FILE = "rules.toml"
MAX_FILE_BYTES = 1024 * 1024
DATA_FILES = (QUESTIONS_FILE, RULES_FILE, *(f"lang/{lang.value}.toml" for lang in Language))

PACKAGE = Path(__file__).resolve().parent.parent
"""The triage package's folder."""

SNAPSHOT = PACKAGE / "_snapshot.pickle"
"""The shipped data, loaded and checked when the wheel was built (absent in a checkout)."""

checked: Recent[str, Ruleset] = Recent(size=8)
"""Rulesets checked in this process, by the SHA-256 of their files (the Python API and
the tests load the same data many times)."""


def default_data_dir() -> Traversable:
    """The data folder shipped with the package (or beside it, in a source checkout)."""
    for folder in (PACKAGE / "data", PACKAGE.parent / "data"):
        if folder.is_dir():
            return folder
    from importlib.resources import files

    return files("triage") / "data"


def read_folder(folder: Traversable) -> Iterator[tuple[str, bytes]]:
    """The files the loader reads (questions, rules and a text file per language), at
    most MAX_FILE_BYTES each (read no further than that). Nothing else in the folder is
    read, so that what else it holds (other files, links, loops) costs nothing."""
    for name in DATA_FILES:
        entry = folder.joinpath(*name.split("/"))
        try:
            if not entry.is_file():
                if entry.is_dir():
                    raise DataError(name, "", "is a folder; it should be a TOML file")
                continue  # missing: the checks say so, with what the folder should hold
            with entry.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise DataError(name, "", f"cannot be read ({error.strerror})") from None
        if len(data) > MAX_FILE_BYTES:
            raise DataError(name, "", "larger than 1 MiB; data files are small TOML files")
        yield name, data


def sha256_of(contents: Mapping[str, bytes]) -> str:
    """The hash of a data folder's files (relative path -> bytes), names and sizes included."""
    digest = hashlib.sha256()
    for name in sorted(contents):
        digest.update(name.encode() + b"\0" + str(len(contents[name])).encode() + b"\0")
        digest.update(contents[name])
    return digest.hexdigest()


def parse_toml(contents: Mapping[str, bytes], name: str) -> dict[str, Any]:
    """One file of the folder as TOML; a DataError naming the file when it is not."""
    import tomllib

    if name not in contents:
        raise DataError(name, "", "missing from the data folder")
    try:
        return tomllib.loads(contents[name].decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(name, "", "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise DataError(name, "", f"not valid TOML: {error}") from None
    except RecursionError:
        raise DataError(name, "", "nested too deeply to be read") from None
    except ValueError:  # tomllib refuses an integer of more than 4300 digits this way
        raise DataError(name, "", "not valid TOML: a number with too many digits") from None


def _snapshot(sha256: str) -> Ruleset | None:
    """The snapshot taken at build time, if it is of exactly these files."""
    if not SNAPSHOT.is_file():
        return None
    try:  # the C unpickler alone: importing pickle.py too costs most of a millisecond
        from _pickle import loads
    except ImportError:  # not CPython
        from pickle import loads
    try:
        ruleset = loads(SNAPSHOT.read_bytes())  # our own file, from the wheel
    except Exception:  # a stale or foreign snapshot: check the files
        return None
    if isinstance(ruleset, Ruleset) and ruleset.info.sha256 == sha256:
        return ruleset
    return None


def snapshot_bytes(
    data_dir: Traversable, check: Callable[[Mapping[str, bytes], str], Ruleset]
) -> bytes:
    """A checked snapshot of a data folder, for the wheel (see hatch_build.py)."""
    import pickle

    contents = dict(read_folder(data_dir))
    return pickle.dumps(check(contents, sha256_of(contents)), protocol=pickle.HIGHEST_PROTOCOL)
