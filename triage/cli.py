"""The command line: parse, call the core, render. Errors become exit codes here, once."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from triage import __version__
from triage.errors import TriageError
from triage.model import Language, Ruleset

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="triage",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Hip pain: where to go? A short questionnaire that advises a manual therapist, "
    "your GP (and how urgently) or self-care first.\n\nRun triage without a command to "
    "answer the questions. General advice, not a diagnosis; in an emergency call 112.",
)


class Lang(StrEnum):
    """Languages on the command line."""

    nl = "nl"
    en = "en"


class Format(StrEnum):
    """Output formats of an assessment."""

    text = "text"
    json = "json"
    markdown = "markdown"


LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        "-l",
        help="nl or en [default: from LC_ALL, LC_MESSAGES or LANG]",
        show_default=False,
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


@dataclass
class Options:
    """Options given before the command, for every command."""

    lang: Lang | None = None
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
            typer.echo(f"triage: error: {error}", err=True)
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as error:
            if _options.debug or os.environ.get("TRIAGE_DEBUG"):
                raise
            typer.echo(
                f"triage: internal error ({type(error).__name__}): this is a bug. "
                "Run again with --debug to see the details.",
                err=True,
            )
            raise typer.Exit(1) from None

    return run


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
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the details of an internal error.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
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
    if not sys.stdin.isatty():
        raise TriageError(texts("ui.not_a_terminal"))
    plain = _options.plain or os.environ.get("TERM") == "dumb"
    from triage import render
    from triage.prompts import Asker
    from triage.walk import run_walk

    asker: Asker
    if plain:
        from triage.plain import PlainAsker

        asker = PlainAsker(texts, sys.stdin, sys.stdout)
    else:
        from triage.asker import QuestionaryAsker

        asker = QuestionaryAsker(texts)
    raise typer.Exit(run_walk(ruleset, texts, asker, render.console(plain=plain), plain=plain))


def _language(lang: Lang | None) -> Language:
    from triage.language import choose

    chosen = lang or _options.lang
    return choose(chosen.value if chosen else None, os.environ)


def _ruleset(data: Path | None) -> Ruleset:
    from triage.loader import load_ruleset

    return load_ruleset(data or _options.data)


def _today(today: str | None) -> dt.date | None:
    if today is None:
        return None
    try:
        return dt.date.fromisoformat(today)
    except ValueError:
        raise TriageError(f"--today {today!r} is not a date; give it as YYYY-MM-DD") from None


@app.command()
@guarded
def assess(
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            "-a",
            metavar="FILE|-",
            help="A JSON object or TOML table of id = value; - reads standard input.",
            show_default=False,
        ),
    ] = None,
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer",
            metavar="ID=VALUE",
            help="One answer; repeat it. Overrides the file.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="text, json or markdown.")
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
) -> None:
    """Assess scripted answers and print the advice.

    Example: triage assess --answers examples/early_hip_oa.json --format json
    """
    from triage.answers import normalize, parse_assignments, parse_document, read_source
    from triage.rules import evaluate

    if answers is None and not answer:
        raise TriageError(
            "no answers given; use --answers FILE (or - for standard input) "
            "and/or --answer id=value"
        )
    raw: dict[str, object] = {}
    if answers is not None:
        name = "standard input" if answers == "-" else answers
        raw.update(parse_document(read_source(answers, sys.stdin.buffer), name))
    raw.update(parse_assignments(answer or []))
    ruleset = _ruleset(data)
    checked = normalize(raw, ruleset.questionnaire)
    assessment = evaluate(checked, ruleset, language=_language(lang), today=_today(today))
    _print_assessment(assessment, ruleset, output_format)


def _print_assessment(assessment: object, ruleset: Ruleset, output_format: Format) -> None:
    from triage.model import Assessment

    if not isinstance(assessment, Assessment):
        raise TypeError("not an assessment")
    if output_format is Format.json:
        from triage.report import to_json

        typer.echo(to_json(assessment, ruleset))
    elif output_format is Format.markdown:
        from triage.report import to_markdown

        typer.echo(to_markdown(assessment, ruleset), nl=False)
    else:
        from triage import render
        from triage.advice import advice_document

        render.console().print(render.advice(advice_document(assessment, ruleset), plain=False))


def main() -> None:
    """The console script: run the app, with streams that never fail on odd characters."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    app()


@app.command()
@guarded
def about(lang: LangOption = None, data: DataOption = None) -> None:
    """About hip osteoarthritis and manual therapy, in a few paragraphs.

    Example: triage about --lang nl
    """
    from triage import render

    texts = _ruleset(data).texts[_language(lang)]
    render.console().print(render.article(texts("about.title"), texts.items("about.paragraphs")))
