"""Running a batch at the terminal: problems, progress and the summary on standard error.

The run itself (reading, deciding, the worker processes) is triage/batch/runner.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TextIO

from rich.console import Console

from triage.batch.cases import Job
from triage.batch.runner import Span, run
from triage.terminal import render


def run_batch(
    source: str,
    input_format: str | None,
    job: Job,
    *,
    output_format: str | None = None,
    fail_on: frozenset[str] = frozenset(),
    delimiter: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run a batch (triage.batch.runner.run) with its problems, a progress bar on a
    terminal, the summary and the failed checks on `err`; the exit status."""
    errors = Console(file=err or sys.stderr, highlight=False, markup=False, emoji=False)

    def say(line: str) -> None:
        errors.print(line, soft_wrap=True, markup=False)

    def progress(spans: Iterator[Span], size: int) -> Iterator[Span]:
        return _with_progress(spans, size, errors)

    finished = run(
        source,
        input_format,
        job,
        out=out or sys.stdout,
        say=say,
        output_format=output_format,
        fail_on=fail_on,
        delimiter=delimiter,
        progress=progress if errors.is_terminal else None,
    )
    errors.print(render.batch_summary(finished.tally, job.baseline is not None), soft_wrap=True)
    if finished.note is not None:
        errors.print(finished.note, markup=False, soft_wrap=True)
    for reason in finished.failed:
        errors.print(f"failed: {reason}", markup=False, soft_wrap=True)
    return finished.status


def _with_progress(spans: Iterator[Span], size: int, errors: Console) -> Iterator[Span]:
    from rich.progress import Progress

    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("cases", total=size)
        for span in spans:
            yield span
            progress.update(task, completed=span.end)
