"""The tests start the program with Ctrl-C at its default, whatever pytest started with."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator

import pexpect
import pytest

from tests.children import sigint_default, spawn

SHOW = "import signal; print(int(signal.getsignal(signal.SIGINT) != signal.SIG_IGN))"


@pytest.fixture
def sigint_ignored() -> Iterator[None]:
    """pytest as a background job of a non-interactive shell: SIGINT ignored."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@pytest.mark.usefixtures("sigint_ignored")
def test_a_spawned_terminal_child_gets_sigint_at_its_default() -> None:
    child = spawn(sys.executable, ["-c", SHOW], encoding="utf-8", timeout=20)
    child.expect(pexpect.EOF)
    assert (child.before or "").strip() == "1"


@pytest.mark.usefixtures("sigint_ignored")
def test_a_subprocess_child_gets_sigint_at_its_default() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=sigint_default,
    )
    assert done.stdout.strip() == "1"
