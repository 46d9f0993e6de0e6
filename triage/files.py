"""Writing files the person asked for: atomically, never over an existing file unasked."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


def write_atomically(path: Path, text: str, *, replace: bool = False) -> Path:
    """Write `text` to `path` in one step (readable by its owner only); the full path.

    Raises FileExistsError when the file exists and `replace` is false, NotRegularFile for
    a device, a pipe or a socket there, and OSError for a folder that does not exist or
    cannot be written.
    """
    refuse_special(path)
    # A short temporary name of its own: one made from the file's name would be too long
    # for names near the file system's limit of 255 bytes.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".triage-", suffix=".tmp")
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


class _WholeWrites(io.RawIOBase):
    """A file descriptor that takes every byte or raises: os.write is repeated after a
    short write, so that a disk that fills up (or `ulimit -f`) in the middle of a large
    output raises ENOSPC or EFBIG instead of losing the rest without a word (CPython's
    buffered writer accepts a short write of a large block as done)."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: ReadableBuffer) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            written = os.write(self._fd, view[done:])
            if written == 0:
                raise OSError(errno.EIO, "nothing could be written")
            done += written
        return done


def complete_output(stream: TextIO) -> TextIO:
    """`stream` (standard output) as a text stream whose every write is complete or raises
    OSError; the stream itself where it has no file descriptor."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return stream
    stream.flush()
    return io.TextIOWrapper(
        io.BufferedWriter(_WholeWrites(fd)),
        encoding=stream.encoding,
        errors="backslashreplace",
        line_buffering=bool(stream.line_buffering),
    )
