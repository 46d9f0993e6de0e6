"""Running a batch: open the cases, detect their format, stream the results out, say the
problems, tally; the checks of `--fail-on` and the exit status. Nothing here draws: the
terminal (triage/terminal/batch.py) shows the progress and the summary.

A large JSON-lines file is decided in runs of lines by one worker process per core, each
reading its own lines; the results come back in order.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO, NamedTuple, TextIO

from triage.batch.cases import (
    BASELINE_COLUMNS,
    CSV_COLUMNS,
    MAX_LINE,
    Job,
    Outcome,
    Tally,
    csv_delimiter,
    process,
    read_csv,
    read_jsonl,
)
from triage.errors import Status, TriageError, visible

CHUNK = 2000
RUN_CHARS = 16 * 1024 * 1024
"""About how many characters of JSON lines one process decides at a time."""
MAX_DRAINED = 64 * 1024 * 1024
SPAN_BYTES = 1024 * 1024
PARALLEL_FROM_BYTES = 4 * 1024 * 1024


FAILURES = {
    "under": "a case less urgent than expected (under-triage)",
    "over": "a case more urgent than expected (over-triage)",
    "mismatch": "a case other than expected, either way",
    "changed": "a case the baseline decides otherwise",
}
"""What `--fail-on` can make a run fail for (`--strict` is `--fail-on under`)."""


Say = Callable[[str], None]
"""Where a problem with the cases goes, a line at a time (standard error, at the terminal)."""

Progress = Callable[[Iterator["Span"], int], Iterator["Span"]]
"""A progress bar around the runs of a large file (given them and the file's size)."""


class Finished(NamedTuple):
    """What a batch run found: the tally, the `fail_on` checks that failed (in words), a
    note on cases those checks passed over, and the exit status."""

    tally: Tally
    failed: list[str]
    note: str | None
    status: int


def run(
    source: str,
    input_format: str | None,
    job: Job,
    *,
    out: TextIO,
    say: Say,
    output_format: str | None = None,
    fail_on: frozenset[str] = frozenset(),
    delimiter: str | None = None,
    progress: Progress | None = None,
) -> Finished:
    """Decide every case of `source` ('-' for standard input), writing the results to `out`
    and each problem to `say`; the exit status: 2 for bad lines, 1 for a `fail_on` check
    that failed, 3 for both. CSV results are written with `delimiter`, else with the CSV
    input's (semicolon in, semicolon out), else commas."""
    tally = Tally()
    with _open(source) as stream:
        fmt, lines = _detect(source, stream, input_format)
        output = output_format or fmt
        first, lines = _first_line(lines) if fmt == "csv" else ("", lines)
        written = delimiter or (csv_delimiter(first.removeprefix("\ufeff")) if first else ",")
        header = ""
        if output == "csv":
            columns = CSV_COLUMNS + (BASELINE_COLUMNS if job.baseline is not None else [])
            header = written.join(columns) + "\n"
        on_screen = out.isatty()
        repeated = _Repeated()
        for outcome in _outcomes(lines, fmt, output, job, source, written, progress):
            # The CSV header goes out with the first results: a CSV input's header that
            # names no question stops the run before anything is written.
            out.write(header)
            header = ""
            # On a terminal, a case id's escape codes are shown, not obeyed (a file keeps
            # the ids as they are; JSON lines escape them anyway).
            out.write(visible(outcome.output) if on_screen else outcome.output)
            for problem in outcome.problems:
                if repeated.first(problem):
                    say(visible(problem))
            tally.merge(outcome.tally)
        out.write(header)  # no cases: the header alone
        for line in repeated.counts():
            say(visible(line))
    failed = failures(tally, fail_on)
    return Finished(tally, failed, unchecked(tally, fail_on), _status(tally, failed))


def _status(tally: Tally, failed: list[str]) -> int:
    if tally.bad and failed:
        return Status.BAD_INPUT_AND_FAILED_CHECK
    if tally.bad:
        return Status.BAD_INPUT
    return Status.FAILED_CHECK if failed else Status.DONE


class _Repeated:
    """Problems said once: a message that many lines share (the same missing answers
    after a new question) is shown for its first line, then counted."""

    SAID_ONCE = ("missing answers for ",)

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def first(self, problem: str) -> bool:
        """Whether to show this problem (its message is new, or not one said once)."""
        _, _, message = problem.partition("): ")
        if not message.startswith(self.SAID_ONCE):
            return True
        self.seen[message] = self.seen.get(message, 0) + 1
        return self.seen[message] == 1

    def counts(self) -> list[str]:
        """A line for each message shown once that more lines had."""
        return [
            f"... and {count - 1} more {'line' if count == 2 else 'lines'} with the same "
            f"problem: {message}"
            for message, count in self.seen.items()
            if count > 1
        ]


def failures(tally: Tally, fail_on: frozenset[str]) -> list[str]:
    """The `--fail-on` checks the tally fails, in words; a check that could check
    nothing (no case with an expected disposition, cases the baseline could not decide)
    fails too, as it cannot say the cases are fine."""
    counts = {
        "under": tally.under_triaged,
        "over": tally.over_triaged,
        "mismatch": tally.with_expected - tally.agree,
        "changed": tally.differing,
    }
    found = [f"{counts[kind]} x {FAILURES[kind]}" for kind in sorted(fail_on) if counts[kind]]
    expecting = fail_on & {"under", "over", "mismatch"}
    if expecting and tally.cases and not tally.with_expected:
        found.append(
            f"no case has an expected disposition, so --fail-on {'/'.join(sorted(expecting))} "
            "checked nothing (give each case an `expected` value)"
        )
    if "changed" in fail_on and tally.baseline_undecided:
        found.append(
            f"{tally.baseline_undecided} x a case the baseline could not decide, so not "
            "compared (--default ID=VALUE answers what it lacks)"
        )
    return found


def unchecked(tally: Tally, fail_on: frozenset[str]) -> str | None:
    """A note on cases a check of expected values passed over (they had none)."""
    without = tally.cases - tally.with_expected
    if fail_on & {"under", "over", "mismatch"} and tally.with_expected and without:
        return f"note: {without} of {tally.cases} cases have no expected disposition: not checked"
    return None


def _detect(source: str, stream: TextIO, given: str | None) -> tuple[str, Iterator[str]]:
    """The input's format (as given, else by the file's suffix, else by its first line: a
    JSON object or a CSV header) and its lines."""
    lines = _bounded_lines(stream)
    if given is not None:
        return given, lines
    suffix = os.path.splitext(source)[1].lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv", lines
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl", lines
    peeked: list[str] = []
    for line in lines:
        peeked.append(line)
        if line.strip():
            break
    first = peeked[-1].lstrip("\ufeff \t") if peeked else ""
    fmt = "jsonl" if not first or first.startswith("{") else "csv"
    return fmt, itertools.chain(peeked, lines)


def _first_line(lines: Iterator[str]) -> tuple[str, Iterator[str]]:
    """The first line that is not blank (the CSV header), and all the lines."""
    peeked: list[str] = []
    for line in lines:
        peeked.append(line)
        if line.strip():
            return line, itertools.chain(peeked, lines)
    return "", iter(peeked)


def _outcomes(
    lines: Iterator[str],
    fmt: str,
    output: str,
    job: Job,
    source: str,
    delimiter: str,
    progress: Progress | None,
) -> Iterator[Outcome]:
    if fmt == "csv":
        questionnaire = job.ruleset.questionnaire
        items = read_csv(lines, [*questionnaire.ids, *questionnaire.combined])
        while chunk := list(itertools.islice(items, CHUNK)):
            yield process(chunk, job, output, delimiter)
        return
    size = 0 if source == "-" else _size(source)
    if size >= PARALLEL_FROM_BYTES and (os.cpu_count() or 1) > 1:
        spans = _spans(source)
        if progress is not None:
            spans = progress(spans, size)
        yield from _in_workers(source, spans, job, output, delimiter)
        return
    first = 1
    for some in _runs(lines):
        yield process(read_jsonl(some, first), job, output, delimiter)
        first += len(some)


def _runs(lines: Iterator[str]) -> Iterator[list[str]]:
    """The lines in runs of at most CHUNK lines and about RUN_CHARS characters, so that
    the memory a run takes is bounded by its bytes too, not only by its lines."""
    run: list[str] = []
    size = 0
    for line in lines:
        run.append(line)
        size += len(line)
        if len(run) >= CHUNK or size >= RUN_CHARS:
            yield run
            run, size = [], 0
    if run:
        yield run


def _bounded_lines(stream: TextIO) -> Iterator[str]:
    """The lines of a stream, none held longer than MAX_LINE + 1 characters: the rest of a
    longer line is read and dropped (read_jsonl reports the line), so that a file without
    line ends cannot fill the memory; a line of more than MAX_DRAINED stops the run."""
    while line := stream.readline(MAX_LINE + 1):
        if len(line) > MAX_LINE and not line.endswith(("\n", "\r")):
            drained = len(line)
            while (rest := stream.readline(MAX_LINE)) and not rest.endswith(("\n", "\r")):
                drained += len(rest)
                if drained > MAX_DRAINED:
                    raise TriageError(
                        "a line of more than 64 MiB: a JSON-lines file holds one small "
                        "answers object a line"
                    )
        yield line


class Span(NamedTuple):
    """A run of whole lines of a file: its bytes from `start` to `end`, and its first line."""

    start: int
    end: int
    first: int


def _spans(source: str) -> Iterator[Span]:
    """The file in runs of whole lines of about SPAN_BYTES, numbered as a text file reads.

    A run ends just after a newline, so no line, character or CRLF is split; lines end at
    LF, CR or CRLF, as for the text reader of smaller files.
    """
    start, first = 0, 1
    with open(source, "rb") as handle:
        while data := handle.read(SPAN_BYTES):
            ends = _line_ends(data)
            if len(data) == SPAN_BYTES:  # run on to the end of the line, a piece at a time
                tail = data[-1:]
                while rest := handle.readline(SPAN_BYTES):
                    # A CRLF split between two pieces is one line end, not two.
                    ends += _line_ends(rest) - (tail == b"\r" and rest.startswith(b"\n"))
                    tail = rest[-1:]
                    if rest.endswith(b"\n"):
                        break
            end = handle.tell()
            yield Span(start, end, first)
            start = end
            first += ends


def _line_ends(data: bytes) -> int:
    ends = data.count(b"\n")
    if b"\r" in data:  # a CR ends a line too, but a CRLF is one line end
        ends += data.count(b"\r") - data.count(b"\r\n")
    return ends


_WORKER: tuple[str, Job, str, str] | None = None


def _work(span: Span) -> Outcome:
    if _WORKER is None:
        raise RuntimeError("worker without a ruleset")
    source, job, output, delimiter = _WORKER
    with open(source, "rb") as handle:
        handle.seek(span.start)
        region = io.BufferedReader(_Region(handle, span.end - span.start))
        text = io.TextIOWrapper(region, encoding="utf-8", errors="replace", newline="")
        lines = list(_bounded_lines(text))
    return process(read_jsonl(lines, span.first), job, output, delimiter)


class _Region(io.RawIOBase):
    """The next `size` bytes of a file, read as a stream (so that a long line is read in
    bounded pieces, not whole)."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle = handle
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.left <= 0:
            return 0
        data = self.handle.read(min(len(buffer), self.left))
        buffer[: len(data)] = data
        self.left -= len(data)
        return len(data)


def _in_workers(
    source: str, spans: Iterable[Span], job: Job, output: str, delimiter: str
) -> Iterator[Outcome]:
    """Decide runs of lines in worker processes, a few at a time, and give them back in order.

    Each worker reads its own lines from the file, so the lines never pass through a pipe.
    """
    import multiprocessing

    global _WORKER  # noqa: PLW0603 (handed to the forked workers)
    _WORKER = (source, job, output, delimiter)
    workers = os.cpu_count() or 2
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_quiet_worker)
    except (OSError, RuntimeError):
        # No shared memory for the pool's locks (a read-only /dev/shm), or no thread for
        # its handlers (a memory limit): one process decides them all.
        for span in spans:
            yield _work(span)
        return
    with pool:
        pending = []
        for span in spans:
            pending.append(pool.apply_async(_work, (span,)))
            if len(pending) >= 2 * workers:
                yield pending.pop(0).get()
        for result in pending:
            yield result.get()


def _quiet_worker() -> None:
    """A worker leaves Ctrl-C to the main process, which stops the pool, and says nothing
    when the main process goes away (killed, or its output closed): no tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the life of the worker)


def _is_device(source: str) -> bool:
    import stat

    try:
        mode = os.stat(source).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode)


def _size(source: str) -> int:
    try:
        return os.path.getsize(source) if os.path.isfile(source) else 0
    except OSError:
        return 0


@contextlib.contextmanager
def _open(source: str) -> Iterator[TextIO]:
    if source == "-":
        if sys.stdin is None:
            raise TriageError("standard input is closed; give a JSONL or CSV file")
        yield io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="replace", newline="")
        return
    if _is_device(source):
        raise TriageError(f"{source} is a device, not a file; give a JSONL or CSV file")
    try:
        handle = open(source, encoding="utf-8-sig", errors="replace", newline="")  # noqa: SIM115
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
