"""Running a batch at the terminal: stream results out, progress and summary on stderr."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator
from typing import TextIO

from rich.console import Console

from triage import render
from triage.batch import BadLine, Case, CsvWriter, Tally, decide_case, read_csv, read_jsonl
from triage.errors import AnswersError, TriageError
from triage.model import Ruleset

PROGRESS_FROM_BYTES = 1024 * 1024


def run_batch(
    source: str,
    fmt: str,
    ruleset: Ruleset,
    baseline: Ruleset | None,
    *,
    strict: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Decide every case of `source` ('-' for standard input); the exit status."""
    out = out or sys.stdout
    errors = Console(file=err or sys.stderr, highlight=False)
    tally = Tally()
    with _open(source) as stream:
        cases = read_csv(stream) if fmt == "csv" else read_jsonl(stream)
        writer = CsvWriter(out, baseline is not None) if fmt == "csv" else None
        for item in _with_progress(cases, stream, source, errors):
            if isinstance(item, BadLine):
                tally.bad += 1
                errors.print(f"line {item.line}: {item.message}", soft_wrap=True)
                continue
            _one(item, ruleset, baseline, tally, writer, out, errors)
    if tally.with_expected or tally.bad or baseline is not None:
        errors.print(render.batch_summary(tally))
    if tally.bad:
        return 2
    return 1 if strict and tally.under_triage else 0


def _one(
    case: Case,
    ruleset: Ruleset,
    baseline: Ruleset | None,
    tally: Tally,
    writer: CsvWriter | None,
    out: TextIO,
    errors: Console,
) -> None:
    try:
        result = decide_case(case, ruleset, baseline)
    except AnswersError as error:
        tally.bad += 1
        message = str(error).replace("\n", " ")
        errors.print(f"line {case.line} (id {case.id}): {message}", soft_wrap=True)
        return
    tally.add(result)
    if writer is not None:
        writer.write(result)
    else:
        out.write(json.dumps(result.record(baseline is not None)) + "\n")


@contextlib.contextmanager
def _open(source: str) -> Iterator[TextIO]:
    if source == "-":
        yield io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline="")
        return
    try:
        handle = open(source, encoding="utf-8", errors="replace", newline="")  # noqa: SIM115
    except FileNotFoundError:
        raise TriageError(
            f"{source}: no such file; give a JSONL or CSV file, or - for standard input"
        ) from None
    except IsADirectoryError:
        raise TriageError(f"{source} is a folder; give a JSONL or CSV file") from None
    except OSError as error:
        raise TriageError(f"{source}: cannot be read ({error.strerror or error})") from None
    with handle:
        yield handle


def _with_progress(
    items: Iterator[Case | BadLine], stream: TextIO, source: str, errors: Console
) -> Iterator[Case | BadLine]:
    size = 0 if source == "-" else os.path.getsize(source)
    if size < PROGRESS_FROM_BYTES or not errors.is_terminal:
        yield from items
        return
    from rich.progress import Progress

    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("cases", total=size)
        for count, item in enumerate(items):
            if count % 1000 == 0:
                progress.update(task, completed=stream.buffer.tell())
            yield item
