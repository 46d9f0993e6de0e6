"""Writing files the person asked for: atomically, never over an existing file unasked."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str, *, replace: bool = False) -> Path:
    """Write `text` to `path` in one step (readable by its owner only); the full path.

    Raises FileExistsError when the file exists and `replace` is false, NotRegularFile for
    a device, a pipe or a socket there, and OSError for a folder that does not exist or
    cannot be written.
    """
    refuse_special(path)
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


class NotRegularFile(OSError):
    """A path that exists and is neither a regular file nor a folder: a device (as
    /dev/null), a pipe or a socket, which a save must never replace."""


def refuse_special(path: Path) -> None:
    """Raise IsADirectoryError for a folder and NotRegularFile for a device, a pipe or a
    socket at `path` (a symbolic link is judged by what it points to)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return  # nothing there (or an impossible name): writing will say what is wrong
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, f"{path} is a folder", str(path))
    if not stat.S_ISREG(mode):
        raise NotRegularFile(errno.EINVAL, f"{path} is not a regular file", str(path))
