"""Running a batch at the terminal: stream results out, progress and summary on stderr.

A large JSON-lines file is decided in chunks by one worker process per core, in order.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from rich.console import Console

from triage import render
from triage.batch import CSV_COLUMNS, Outcome, Tally, process, read_csv, read_jsonl
from triage.errors import TriageError
from triage.model import Ruleset

CHUNK = 2000
PARALLEL_FROM_BYTES = 4 * 1024 * 1024
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
    size = 0 if source == "-" else _size(source)
    with _open(source) as stream:
        if fmt == "csv":
            header = CSV_COLUMNS + (["baseline"] if baseline is not None else [])
            out.write(",".join(header) + "\n")
        for outcome in _outcomes(stream, fmt, ruleset, baseline, size, errors):
            out.write(outcome.output)
            for problem in outcome.problems:
                errors.print(problem, soft_wrap=True, markup=False)
            tally.merge(outcome.tally)
    if tally.with_expected or tally.bad or baseline is not None:
        errors.print(render.batch_summary(tally))
    if tally.bad:
        return 2
    return 1 if strict and tally.under_triage else 0


def _outcomes(
    stream: TextIO, fmt: str, ruleset: Ruleset, baseline: Ruleset | None, size: int, errors: Console
) -> Iterator[Outcome]:
    if fmt == "csv":
        items = read_csv(stream)
        while chunk := list(itertools.islice(items, CHUNK)):
            yield process(chunk, ruleset, baseline, fmt)
        return
    chunks = _chunks(stream)
    if size >= PROGRESS_FROM_BYTES and errors.is_terminal:
        chunks = _with_progress(chunks, size, errors)
    if size >= PARALLEL_FROM_BYTES and (os.cpu_count() or 1) > 1:
        yield from _in_workers(chunks, ruleset, baseline)
    else:
        for first, lines in chunks:
            yield process(read_jsonl(lines, first), ruleset, baseline, fmt)


def _chunks(stream: TextIO) -> Iterator[tuple[int, list[str]]]:
    first = 1
    while lines := list(itertools.islice(stream, CHUNK)):
        yield first, lines
        first += len(lines)


_WORKER: tuple[Ruleset, Ruleset | None] | None = None


def _work(chunk: tuple[int, list[str]]) -> Outcome:
    if _WORKER is None:
        raise RuntimeError("worker without a ruleset")
    ruleset, baseline = _WORKER
    first, lines = chunk
    return process(read_jsonl(lines, first), ruleset, baseline, "jsonl")


def _in_workers(
    chunks: Iterable[tuple[int, list[str]]], ruleset: Ruleset, baseline: Ruleset | None
) -> Iterator[Outcome]:
    """Decide chunks in worker processes, a few at a time, and give them back in order."""
    import multiprocessing

    global _WORKER  # noqa: PLW0603 (handed to the forked workers)
    _WORKER = (ruleset, baseline)
    workers = os.cpu_count() or 2
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending = []
        for chunk in chunks:
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= 2 * workers:
                yield pending.pop(0).get()
        for result in pending:
            yield result.get()


def _size(source: str) -> int:
    try:
        return os.path.getsize(source) if os.path.isfile(source) else 0
    except OSError:
        return 0


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
    chunks: Iterator[tuple[int, list[str]]], size: int, errors: Console
) -> Iterator[tuple[int, list[str]]]:
    from rich.progress import Progress

    done = 0
    with Progress(console=errors, transient=True) as progress:
        task = progress.add_task("cases", total=size)
        for chunk in chunks:
            done += sum(len(line) for line in chunk[1])
            progress.update(task, completed=done)
            yield chunk
