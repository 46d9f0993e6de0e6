"""The command line: parse, call the core, render. Errors become exit codes here, once.

No `from __future__ import annotations` here: typer would have to evaluate every
annotation as text at start-up, which costs a few milliseconds on every run.
"""

import contextlib
import datetime as dt
import functools
import os
import signal
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

from triage import __version__
from triage.errors import Status, TriageError, visible
from triage.model import Assessment, Language, Ruleset, Value
from triage.proofs import TIME_LIMIT

if TYPE_CHECKING:
    from triage.proofs.properties import Proof

P = ParamSpec("P")
R = TypeVar("R")

FLAG = ""
"""The metavar of an on/off flag: none (typer would show <bool>, as if it took a value).

Help texts are rich markup: a `[` that starts no style is written `\\[`, or rich drops
the brackets and what they hold (tests/test_tools.py holds every help text whole)."""

app = typer.Typer(
    name="triage",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Hip pain: where to go? A short questionnaire that advises a manual therapist, "
    "your GP (and how urgently) or self-care first.\n\nRun triage without a command to "
    "answer the questions. General advice, not a diagnosis; in an emergency call 112.",
)


class Format(StrEnum):
    """Output formats of an assessment."""

    text = "text"
    json = "json"
    markdown = "markdown"
    fhir = "fhir"
    schema = "schema"


class QuestionsFormat(StrEnum):
    """Output formats of the questionnaire."""

    table = "table"
    json = "json"
    schema = "schema"
    fhir = "fhir"


class RulesFormat(StrEnum):
    """Output formats of the rule table."""

    table = "table"
    json = "json"
    markdown = "markdown"
    mermaid = "mermaid"


LangOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        "-l",
        help=f"{' or '.join(Language)} \\[default: from LC_ALL, LC_MESSAGES or LANG]",
        show_default=False,
    ),
]
TimeLimitOption = Annotated[
    float,
    typer.Option(
        "--time-limit",
        metavar="SECONDS",
        min=0.001,
        max=86_400,
        envvar="TRIAGE_TIME_LIMIT",
        help="Seconds the proof may take (at most a day); a property not decided by then "
        "is NOT PROVED. A slow or busy machine (CI) can set TRIAGE_TIME_LIMIT instead.",
    ),
]
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        metavar="DIR",
        help="Use the data folder DIR (an edited copy of "
        "the rules and texts) instead of the one shipped.",
        show_default=False,
    ),
]


class Options:
    """Options given before the command, for every command."""

    lang: Language | None = None
    data: Path | None = None
    debug: bool = False
    plain: bool = False


_options = Options()


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the project's errors into a short message and exit 2, and bugs into exit 1."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except TriageError as error:
            typer.echo(f"triage: error: {visible(str(error))}", err=True)
            raise typer.Exit(Status.BAD_INPUT) from None
        except BrokenPipeError:
            # The reader went away (`triage rules | head`): stop quietly, as a pipe
            # writer killed by SIGPIPE would.
            _silence_stdout()
            raise typer.Exit(Status.BROKEN_PIPE) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except OSError as error:
            # The machine said no (a full disk, a name too long, a file not allowed): not
            # a bug, and nothing of the answers in the message.
            where = f"{error.filename}: " if error.filename else ""
            reason = error.strerror or type(error).__name__
            typer.echo(f"triage: error: {visible(str(where))}{reason}", err=True)
            raise typer.Exit(Status.BAD_INPUT) from None
        except Exception as error:
            if _options.debug or os.environ.get("TRIAGE_DEBUG"):
                raise
            typer.echo(
                f"triage: internal error ({type(error).__name__}): this is a bug. "
                "Run again with --debug to see the details.",
                err=True,
            )
            raise typer.Exit(Status.FAILED_CHECK) from None

    return run


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that flushing it at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"triage {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    lang: LangOption = None,
    data: DataOption = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Numbered choices typed as text, for screen readers and simple terminals.",
            metavar=FLAG,
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the details of an internal error.", metavar=FLAG)
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version and exit.",
            metavar=FLAG,
        ),
    ] = False,
) -> None:
    """Answer the questions in the terminal and get advice: triage, or triage --lang nl."""
    _options.lang, _options.data, _options.debug, _options.plain = lang, data, debug, plain
    if ctx.invoked_subcommand is None:
        guarded(_walk)()


def _walk() -> None:
    language = _language(None)
    ruleset = _ruleset(None)
    texts = ruleset.texts[language]
    if sys.stdin is None or not sys.stdin.isatty() or not sys.stdout.isatty():
        # Standard output into a file would take the prompts, and the person see nothing.
        raise TriageError(texts("ui.not_a_terminal"))
    plain = _options.plain or os.environ.get("TERM") == "dumb"
    from triage.terminal import render
    from triage.terminal.interview import run_walk
    from triage.terminal.prompts import Asker

    asker: Asker
    if plain:
        from triage.terminal.plain import PlainAsker

        asker = PlainAsker(texts, sys.stdin, sys.stdout)
    else:
        from triage.terminal.arrows import QuestionaryAsker

        asker = QuestionaryAsker(texts)
    stop_on_signals()
    raise typer.Exit(run_walk(ruleset, texts, asker, render.console(plain=plain), plain=plain))


def stop_on_signals() -> None:
    """The walk's handlers: the stop signals end it with the terminal restored, and Ctrl-C
    raises KeyboardInterrupt at once, also while a prompt starts (an ignored SIGINT, as a
    background job has it, stays ignored)."""
    for stop in STOP_SIGNALS:
        signal.signal(stop, _terminated)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted)


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C during the walk: KeyboardInterrupt at once, as Python's own handler does.

    Each prompt runs in its own asyncio.run, which replaces Python's own handler (never
    another) with one that only cancels the prompt's task at the first Ctrl-C. A Ctrl-C as
    a prompt started or ended was then lost when the cancellation was swallowed, and only
    a second one stopped the walk. While a prompt reads keys, prompt_toolkit handles
    SIGINT itself, and puts this handler back after.
    """
    raise KeyboardInterrupt


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGALRM)
"""Signals that stop the walk with the terminal restored (the terminal closed, a kill)."""


def _terminated(signum: int, frame: object) -> None:
    """A stop signal during the walk: unwind like Ctrl-C, so the terminal is restored.

    While a prompt runs, the prompt is asked to end with Terminated on its own event loop
    (an exception raised at a random point of its drawing could leave the cursor hidden);
    between prompts, and in plain mode, Terminated is raised here.
    """
    from triage.terminal.prompts import Terminated

    app = _running_prompt()
    if app is None:
        raise Terminated(signum)
    app.loop.call_soon_threadsafe(lambda: app.exit(exception=Terminated(signum)))


def _running_prompt() -> Any:
    """The prompt_toolkit application running now, if a prompt is on the screen."""
    if "prompt_toolkit" not in sys.modules:  # plain mode never loads it
        return None
    from prompt_toolkit.application.current import get_app_or_none

    app = get_app_or_none()
    if app is None or not app.is_running or app.loop is None or app.future is None:
        return None
    return None if app.future.done() else app


def _language(lang: Language | None) -> Language:
    from triage.language import choose

    chosen = lang or _options.lang
    return choose(chosen.value if chosen else None, os.environ)


def _ruleset(data: Path | None) -> Ruleset:
    from triage.loader import load_ruleset

    return load_ruleset(data or _options.data)


AnswersOption = Annotated[
    str | None,
    typer.Option(
        "--answers",
        "-a",
        metavar="FILE|-",
        show_default=False,
        help="A JSON object or TOML table of id = value; - reads standard input.",
    ),
]
AnswerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--answer",
        metavar="ID=VALUE",
        show_default=False,
        help="One answer; repeat it. Overrides the file.",
    ),
]


@app.command()
@guarded
def assess(
    answers: AnswersOption = None,
    answer: AnswerOption = None,
    output_format: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="text, json, markdown or fhir (a FHIR R4 QuestionnaireResponse); "
            "schema prints the JSON Schema of the json output (no answers needed).",
        ),
    ] = Format.text,
    lang: LangOption = None,
    data: DataOption = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="YYYY-MM-DD",
            help="Date the assessment as if today were this day (for reproducible output).",
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Also write the Markdown summary for the therapist or GP to FILE.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Let --report replace an existing file.", metavar=FLAG),
    ] = False,
) -> None:
    """Assess scripted answers and print the advice.

    Example: triage assess --answers examples/early_hip_oa.json --format json
    """
    from triage.evaluate import evaluate
    from triage.reading import read_day

    ruleset = _ruleset(data)
    if output_format is Format.schema:
        from triage.formats.output import assessment_schema

        _echo_json(assessment_schema(ruleset))
        return
    checked, answered_on = _read_dated_answers(answers, answer, ruleset)
    day = (read_day(today, "--today") if today is not None else None) or answered_on
    assessment = evaluate(checked, ruleset, language=_language(lang), today=day)
    if report is not None:
        _write_report(report, assessment, ruleset, force=force)
    _print_assessment(assessment, ruleset, output_format)


def _read_answers(
    source: str | None, assignments: list[str] | None, ruleset: Ruleset
) -> dict[str, Value]:
    """The answers of --answers and --answer, checked against the questionnaire."""
    return _read_dated_answers(source, assignments, ruleset)[0]


def _read_dated_answers(
    source: str | None, assignments: list[str] | None, ruleset: Ruleset
) -> tuple[dict[str, Value], dt.date | None]:
    """The answers of --answers and --answer, checked, and the file's `assessed_on` date."""
    from triage.reading import read_answers

    stdin = sys.stdin.buffer if source is not None and sys.stdin is not None else None
    return read_answers(source, assignments or [], ruleset, stdin=stdin, warn=_warn)


def _warn(warning: str) -> None:
    typer.echo(f"triage: warning: {visible(warning)}", err=True)


def _write_report(path: Path, assessment: Assessment, ruleset: Ruleset, *, force: bool) -> None:
    from triage.files import write_atomically
    from triage.formats.handover import to_markdown

    if path.exists() and not force:
        raise TriageError(f"--report {path} exists; use --force to replace it")
    if path.exists() and not path.is_file():
        raise TriageError(f"--report {path} is not a regular file; give a file name to write")
    if not path.parent.is_dir():
        raise TriageError(f"--report {path}: the folder {path.parent} does not exist")
    try:
        written = write_atomically(path, to_markdown(assessment, ruleset), replace=force)
    except OSError as error:
        raise TriageError(f"--report {path}: {error.strerror or error}") from None
    typer.echo(f"triage: summary saved to {written}", err=True)


def _print_assessment(assessment: Assessment, ruleset: Ruleset, output_format: Format) -> None:
    if output_format is Format.json:
        from triage.formats.output import to_json

        typer.echo(to_json(assessment, ruleset))
    elif output_format is Format.markdown:
        from triage.formats.handover import to_markdown

        typer.echo(to_markdown(assessment, ruleset), nl=False)
    elif output_format is Format.fhir:
        from triage.formats.fhir import questionnaire_response

        _echo_json(questionnaire_response(assessment, ruleset))
    else:
        from triage.formats.advice import advice_document
        from triage.terminal import render

        render.console().print(render.advice(advice_document(assessment, ruleset)))


def _echo_json(document: object) -> None:
    import json

    # Readable characters where the output can show them; \u escapes (the same JSON)
    # where it cannot, so that no character becomes a "?".
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    readable = encoding.lower().replace("-", "") in ("utf8", "utf16", "utf32")
    typer.echo(json.dumps(document, indent=2, ensure_ascii=not readable))


@app.command()
@guarded
def questions(
    output_format: Annotated[
        QuestionsFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json, schema (JSON Schema of the "
            "answers) or fhir (a FHIR R4 Questionnaire).",
        ),
    ] = QuestionsFormat.table,
    lang: LangOption = None,
    data: DataOption = None,
) -> None:
    """List every question: id, kind, allowed values, when it is asked, its text.

    Example: triage questions --format json
    """
    from triage.formats import catalog

    ruleset = _ruleset(data)
    language = _language(lang)
    if output_format is QuestionsFormat.json:
        _echo_json(catalog.questions_json(ruleset, language))
    elif output_format is QuestionsFormat.schema:
        _echo_json(catalog.answers_schema(ruleset))
    elif output_format is QuestionsFormat.fhir:
        from triage.formats.fhir import questionnaire

        _echo_json(questionnaire(ruleset, language))
    else:
        from triage.terminal import render

        rows = catalog.questions_json(ruleset, language)
        render.console().print(render.questions_table(rows, ruleset.texts[language]))


@app.command()
@guarded
def rules(
    output_format: Annotated[
        RulesFormat,
        typer.Option(
            "--format", "-f", help="table, json, markdown or mermaid (a flowchart of the decision)."
        ),
    ] = RulesFormat.table,
    wording: Annotated[
        bool,
        typer.Option(
            "--wording",
            "-w",
            help="Show under each condition the wording of its questions and when each is "
            "asked (json always has them).",
            metavar=FLAG,
        ),
    ] = False,
    lang: LangOption = None,
    data: DataOption = None,
) -> None:
    """Show the rule table: every rule with its conditions, disposition and source.

    Readable at any width (a rule at a time in a narrow terminal).

    Example: triage rules --wording --format markdown > rules.md
    """
    from triage.formats import catalog

    ruleset = _ruleset(data)
    language = _language(lang)
    if output_format is RulesFormat.json:
        _echo_json(catalog.ruleset_json(ruleset, language))
    elif output_format is RulesFormat.markdown:
        typer.echo(catalog.rules_markdown(ruleset, language, wording=wording), nl=False)
    elif output_format is RulesFormat.mermaid:
        typer.echo(catalog.rules_mermaid(ruleset, language), nl=False)
    else:
        from triage.terminal import render

        table = render.rules_table(ruleset, ruleset.texts[language], wording=wording)
        render.console().print(table)


@app.command()
@guarded
def validate(
    folder: Annotated[
        Path | None,
        typer.Argument(
            metavar="[DIR]",
            help="The data folder to check \\[default: --data, else the shipped one]",
            show_default=False,
        ),
    ] = None,
    time_limit: TimeLimitOption = TIME_LIMIT,
) -> None:
    """Check a data folder (an edited copy of data/) and say every mistake, or that it is fine.

    The loader's checks (each mistake with its file and entry, all in one run), then
    questions nothing uses, conditions FHIR cannot write, texts that repeat a setting,
    and the safety properties of triage verify (with the z3 solver). It says ok only when
    every check ran and passed: without the solver it says the properties were not
    proved, and exits 1.

    Exit status: 0 fine, 1 a mistake in data that loads (or the proof could not be made
    within the time limit), 2 data that does not load.

    Example: triage validate my-data/
    """
    from triage.validation import validate as check

    report = check(folder or _options.data, time_limit)
    if not report.loads:
        for mistake in report.mistakes:
            typer.echo(f"error: {visible(mistake)}")
        typer.echo(f"{_mistakes(len(report.mistakes))}: the data does not load", err=True)
        raise typer.Exit(report.status)
    for done in report.checks:
        if done.checked:
            typer.echo(done.checked)
    for mistake in report.mistakes:
        typer.echo(f"error: {visible(mistake)}")
    if report.mistakes:
        typer.echo(_mistakes(len(report.mistakes)), err=True)
    else:
        typer.echo(report.conclusion)
    raise typer.Exit(report.status)


def _mistakes(count: int) -> str:
    return f"{count} mistake" if count == 1 else f"{count} mistakes"


class VerifyFormat(StrEnum):
    """Output formats of a proof."""

    text = "text"
    json = "json"


@app.command()
@guarded
def verify(
    output_format: Annotated[
        VerifyFormat, typer.Option("--format", "-f", help="text (a line a property) or json.")
    ] = VerifyFormat.text,
    lang: LangOption = None,
    data: DataOption = None,
    time_limit: TimeLimitOption = TIME_LIMIT,
) -> None:
    """Prove the rules' safety properties for every possible answer set, with a solver.

    Exit status 0 when every property holds, 1 when one fails (with answers that show
    it) or is not proved within the time limit, 2 for data that does not load. Needs the
    z3 solver (installed with triage).

    Example: triage verify --data my-data/
    """
    ruleset = _ruleset(data)
    proof = _prove(ruleset, time_limit)
    if output_format is VerifyFormat.json:
        from triage.formats.proofs import document

        _echo_json(document(proof, ruleset))
    else:
        from triage.formats.proofs import text
        from triage.loader import program_texts

        # The verdicts in the program's own words: never the texts of the data under test.
        typer.echo("\n".join(text(proof, ruleset, program_texts(_language(lang)))))
    raise typer.Exit(Status.DONE if proof.holds else Status.FAILED_CHECK)


class ReviewFormat(StrEnum):
    """Formats of the review pack."""

    html = "html"
    markdown = "markdown"


@app.command()
@guarded
def review(
    cases: Annotated[
        Path | None,
        typer.Option(
            "--cases",
            metavar="FILE",
            show_default=False,
            help="Clinical cases (TOML: \\[\\[case]] with name, answers, expect, as "
            "tests/clinical_cases.toml) to show with the rules they reach.",
        ),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            metavar="FILE",
            show_default=False,
            help="The decisions to confirm (Markdown) \\[default: docs/decisions.md, shipped].",
        ),
    ] = None,
    output_format: Annotated[
        ReviewFormat,
        typer.Option("--format", "-f", help="html (one self-contained page) or markdown."),
    ] = ReviewFormat.html,
    lang: LangOption = None,
    data: DataOption = None,
    time_limit: TimeLimitOption = TIME_LIMIT,
) -> None:
    """Write the review pack the GP and the manual therapist sign before a release.

    Every rule with its questions as asked and when, its disposition, source, reason,
    meanwhile and safety-net lines and the cases that reach it; the proof of the safety
    properties; what the cases leave untested; the decisions to confirm; a sign-off with
    the version and SHA-256 of the rules.

    Example: triage review --cases cases.toml > review.html
    """
    from triage.formats.review import Pack, to_html, to_markdown
    from triage.loader import program_texts
    from triage.review import default_decisions, read_cases, read_decisions

    ruleset = _ruleset(data)
    language = _language(lang)
    try:
        proof: Proof | None = _prove(ruleset, time_limit)
    except TriageError:
        proof = None  # the pack says NOT PROVED in its proof section
    pack = Pack(
        ruleset,
        ruleset.texts[language],
        program_texts(language),
        read_cases(cases, ruleset) if cases is not None else (),
        proof,
        read_decisions(decisions or default_decisions()),
    )
    render = to_html if output_format is ReviewFormat.html else to_markdown
    typer.echo(render(pack), nl=False)


def _prove(ruleset: Ruleset, seconds: float) -> "Proof":
    """The proof of a ruleset's properties within `seconds`; a usage error when the
    solver is missing."""
    from triage.validation import prove

    return prove(ruleset, seconds)


def main() -> None:
    """The console script: run the app, with streams that never fail on odd characters,
    and output that could not be written (a full disk, a closed stream) said in one line
    with status 2 rather than a traceback at exit."""
    if sys.stdout is None:  # started with standard output closed
        if sys.stderr is not None:
            sys.stderr.write("triage: error: standard output is closed; nothing can be written\n")
        sys.exit(Status.BAD_INPUT)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            # A character the terminal's encoding lacks is shown as \u2265, never as a "?"
            # that reads as something else.
            stream.reconfigure(errors="backslashreplace")
    if not sys.stdout.isatty():  # a file or a pipe: every output complete, or an error
        from triage.files import complete_output

        sys.stdout = complete_output(sys.stdout)
    args = sys.argv[1:]
    try:
        status = _run(args)
    except _USAGE_ERROR as error:  # a usage error: one line, not a box
        _usage_failed(error)
    except typer.Abort:
        sys.stderr.write("triage: stopped\n")
        sys.exit(Status.INTERRUPTED)
    except SystemExit as done:
        if done.code == 1 and _pipe_closed_by_help(args):
            _silence_stdout()
            sys.exit(Status.BROKEN_PIPE)
        _flush_or_fail()
        raise done from None
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(Status.BROKEN_PIPE)
    except OSError as error:  # writing help or the version to a full disk, say
        _output_failed(error)
    _flush_or_fail()
    sys.exit(status if isinstance(status, int) else Status.DONE)


_USAGE_ERROR: type[Exception] = next(
    base for base in typer.BadParameter.__mro__ if base.__name__ == "ClickException"
)
"""click's base class of usage errors, found through typer (which carries its own click
from version 0.26 on, and used click's before)."""


def _usage_failed(error: Exception) -> NoReturn:
    """A usage error as one line on standard error, with where to find the usage; exit 2."""
    message = str(getattr(error, "format_message", error.__str__)())
    message = message.replace("Value error, ", "").replace("\n", " ")
    context = getattr(error, "ctx", None)
    where = context.command_path if context is not None else "triage"
    _say(f"triage: error: {visible(message.rstrip('.'))} (see {where} --help)\n")
    _flush_or_fail()
    sys.exit(Status.BAD_INPUT)


def _pipe_closed_by_help(args: list[str]) -> bool:
    """Whether an exit 1 is how click (a closed pipe while writing) or rich (drawing the
    help) answered a closed standard output: help and the version never fail otherwise."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper" or bool({"--help", "-h"} & set(args))


def _say(message: str) -> None:
    """A message on standard error, if it can be written at all (closed or full, the exit
    status alone tells)."""
    if sys.stderr is None:
        return
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(message)
        sys.stderr.flush()


def _output_failed(error: OSError) -> NoReturn:
    _silence_stdout()
    _say(f"triage: error: output could not be written ({error.strerror})\n")
    sys.exit(Status.BAD_INPUT)


def _flush_or_fail() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(Status.BROKEN_PIPE)
    except OSError as error:
        _output_failed(error)


ROOT_VALUE_OPTIONS = ("--lang", "-l", "--data")
"""The options of `root` that take a value (a test checks this against `root`)."""


def _run(args: list[str]) -> Any:
    """Run the command the arguments name; help in the language of --lang or the locale."""
    from triage.help import help_language, localize, panel_titles, wants_help

    if not wants_help(args):
        return app_for(args)(args=args, prog_name="triage", standalone_mode=False)
    command = typer.main.get_command(app)
    language = help_language(args, os.environ)
    if language in {lang.value for lang in Language}:
        texts = _ruleset(None).texts[Language(language)]
        localize(command, texts)
        from typer import rich_utils

        for name, title in panel_titles(texts).items():
            setattr(rich_utils, name, title)
    return command.main(args=args, prog_name="triage", standalone_mode=False)


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command these arguments run (none for the walk).

    typer builds the options of every command before it runs one, a millisecond on each
    start; help, and a name that is no command, get the whole app.
    """
    if "--help" in args or "-h" in args:
        return app
    name = _command_name(args)
    commands = [c for c in app.registered_commands if _name_of(c) == name]
    if name is not None and not commands:
        return app
    import copy

    only = copy.copy(app)
    only.registered_commands = commands
    return only


def _command_name(args: list[str]) -> str | None:
    after_value = False
    for arg in args:
        if after_value:
            after_value = False
        elif arg in ROOT_VALUE_OPTIONS:
            after_value = True
        elif not arg.startswith("-"):
            return arg
    return None


def _name_of(command: typer.models.CommandInfo) -> str | None:
    """The command's name, as typer gives it."""
    if command.name:
        return command.name
    return command.callback.__name__.lower().replace("_", "-") if command.callback else None


@app.command()
@guarded
def about(lang: LangOption = None, data: DataOption = None) -> None:
    """About hip osteoarthritis and manual therapy, in a few paragraphs.

    Example: triage about --lang nl
    """
    from triage.terminal import render

    texts = _ruleset(data).texts[_language(lang)]
    render.console().print(render.article(texts("about.title"), texts.items("about.paragraphs")))


class ExplainFormat(StrEnum):
    """Output formats of an explanation."""

    text = "text"
    json = "json"


@app.command()
@guarded
def explain(
    answers: AnswersOption = None,
    answer: AnswerOption = None,
    output_format: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="text (a tree) or json.")
    ] = ExplainFormat.text,
    every: Annotated[
        bool,
        typer.Option("--all", help="Give every what-if, not the nearest few.", metavar=FLAG),
    ] = False,
    lang: LangOption = None,
    data: DataOption = None,
) -> None:
    """Show the decision path for one answer set, and the nearest what-if.

    Example: triage explain --answers examples/early_hip_oa.json
    """
    from triage.explain import explain as trace

    ruleset = _ruleset(data)
    explanation = trace(_read_answers(answers, answer, ruleset), ruleset, every=every)
    if output_format is ExplainFormat.json:
        from dataclasses import asdict

        _echo_json(asdict(explanation))
    else:
        from triage.terminal import render

        texts = ruleset.texts[_language(lang)]
        render.console().print(render.explanation(explanation, ruleset, texts))


class BatchFormat(StrEnum):
    """Formats of a batch file."""

    jsonl = "jsonl"
    csv = "csv"


class Delimiter(StrEnum):
    """Delimiters of CSV results."""

    comma = "comma"
    semicolon = "semicolon"


class FailOn(StrEnum):
    """What makes a batch fail (exit status 1)."""

    under = "under"
    over = "over"
    mismatch = "mismatch"
    changed = "changed"


@app.command()
@guarded
def batch(
    file: Annotated[str, typer.Argument(metavar="FILE|-", help="The cases: JSONL or CSV.")],
    input_format: Annotated[
        BatchFormat | None,
        typer.Option(
            "--format",
            "-f",
            show_default=False,
            help="jsonl or csv \\[default: by the file's suffix, else by its first line]",
        ),
    ] = None,
    output_format: Annotated[
        BatchFormat | None,
        typer.Option(
            "--output-format",
            "-o",
            show_default=False,
            help="jsonl or csv: the results' format \\[default: the input's]",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 1 when any case is under-triaged.", metavar=FLAG),
    ] = False,
    fail_on: Annotated[
        list[FailOn] | None,
        typer.Option(
            "--fail-on",
            show_default=False,
            help="Exit 1 for: under (under-triage, as --strict), over (over-triage), "
            "mismatch (any case not as expected), changed (any case the baseline "
            "decides otherwise). Repeatable.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="DIR",
            show_default=False,
            help="Also decide every case with the data folder DIR: changed, unchanged and "
            "undecidable cases, and each change with its rules.",
        ),
    ] = None,
    default: Annotated[
        list[str] | None,
        typer.Option(
            "--default",
            metavar="ID=VALUE",
            show_default=False,
            help="An answer for every case that leaves question ID out (a new question, "
            "say). Repeatable.",
        ),
    ] = None,
    delimiter: Annotated[
        Delimiter | None,
        typer.Option(
            "--delimiter",
            show_default=False,
            help="comma or semicolon: the CSV results' delimiter \\[default: the CSV "
            "input's, else comma]",
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Decide many answer sets: one result per case, a summary on standard error.

    Each JSONL line is an answers object, with optional "id" and "expected"; CSV has a
    column per question id, and optional id and expected columns (commas, semicolons or
    tabs).

    Exit status: 0 done, 1 a --strict or --fail-on check failed, 2 bad lines, 3 both.

    Example: triage batch cases.jsonl --strict > results.jsonl
    """
    from triage.batch.cases import Job
    from triage.reading import read_defaults
    from triage.terminal.batch import run_batch

    ruleset = _ruleset(data)
    compared = _ruleset(baseline) if baseline is not None else None
    job = Job(ruleset, compared, read_defaults(default or [], ruleset, compared))
    checks = frozenset(kind.value for kind in fail_on or []) | ({"under"} if strict else set())
    if "changed" in checks and baseline is None:
        raise TriageError("--fail-on changed compares with a baseline: give --baseline DIR")
    raise typer.Exit(
        run_batch(
            file,
            input_format.value if input_format else None,
            job,
            output_format=output_format.value if output_format else None,
            fail_on=checks,
            delimiter={"comma": ",", "semicolon": ";"}[delimiter.value] if delimiter else None,
        )
    )
