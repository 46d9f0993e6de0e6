"""Writing files the person asked for: atomically, never over an existing file unasked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str, *, replace: bool = False) -> Path:
    """Write `text` to `path` in one step (readable by its owner only); the full path.

    Raises FileExistsError when the file exists and `replace` is false, and OSError for a
    folder that does not exist or cannot be written.
    """
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder")
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            _link_new(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return path.resolve()


def _link_new(temporary: str, path: Path) -> None:
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:
        if path.exists():
            raise FileExistsError(f"{path} exists") from None
        os.replace(temporary, path)
