"""The program started as a child process the way a shell starts it: with Ctrl-C (SIGINT)
at its default action.

A child inherits an ignored SIGINT across `exec`, and the program rightly keeps an ignored
SIGINT. So when pytest itself starts with SIGINT ignored (a background job of a
non-interactive shell, some CI runners), a child started plainly would not stop on Ctrl-C,
and the Ctrl-C tests would wait out their timeout. Every test that starts the program
starts it through `spawn` or with `preexec_fn=sigint_default`.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

import pexpect


def sigint_default() -> None:
    """In the child, before `exec`: SIGINT at its default action, as a terminal gives it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def and_then(step: Callable[[], object]) -> Callable[[], None]:
    """`sigint_default`, then another step in the child before `exec`."""

    def both() -> None:
        sigint_default()
        step()

    return both


def spawn(command: str, args: list[str], **options: Any) -> pexpect.spawn:
    """`pexpect.spawn`, with the child's SIGINT at its default."""
    return pexpect.spawn(command, args, preexec_fn=sigint_default, **options)
