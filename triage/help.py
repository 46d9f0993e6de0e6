"""`--help` in the language of `--lang` or the locale, without a value shown for flags.

typer builds its help from the docstrings, in English. For a Dutch reader the program
replaces the texts a first-time user reads (what triage is, the options before the
command, what each command does, the panel titles) with those of the language files.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping, Sequence
from typing import Any

from triage.language import choose
from triage.model import Texts

_ROOT_OPTIONS = {
    "lang": "ui.cli.lang_option",
    "data": "ui.cli.data_option",
    "plain": "ui.cli.plain_option",
    "debug": "ui.cli.debug_option",
    "version": "ui.cli.version_option",
}
_COMMANDS = {
    "assess": "ui.cli.assess",
    "questions": "ui.cli.questions",
    "rules": "ui.cli.rules",
    "validate": "ui.cli.validate",
    "verify": "ui.cli.verify",
    "about": "ui.cli.about",
    "explain": "ui.cli.explain",
    "batch": "ui.cli.batch",
}


def wants_help(args: Sequence[str]) -> bool:
    """Whether the arguments ask for help."""
    return "--help" in args or "-h" in args


def help_language(args: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language help is shown in: `--lang`/`-l` among the arguments, else the locale."""
    for index, arg in enumerate(args):
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg in ("--lang", "-l") and index + 1 < len(args):
            return args[index + 1]
    return choose(None, environ).value


def panel_titles(texts: Texts) -> dict[str, str]:
    """The titles of the help's panels, by the name typer gives each."""
    return {
        "OPTIONS_PANEL_TITLE": texts("ui.cli.options_title"),
        "COMMANDS_PANEL_TITLE": texts("ui.cli.commands_title"),
        "ARGUMENTS_PANEL_TITLE": texts("ui.cli.arguments_title"),
    }


def localize(command: Any, texts: Texts) -> None:
    """Put the language's texts into the command tree (typer's click group), and show no
    value after -h (it takes none)."""
    context = command.make_context("triage", [], resilient_parsing=True)
    _help_option(command, context, texts)
    command.help = "\n\n".join(texts.items("ui.cli.app_help"))
    for param in command.params:
        if param.name in _ROOT_OPTIONS:
            param.help = texts(_ROOT_OPTIONS[param.name])
    for name, sub in command.commands.items():
        sub_context = sub.make_context(name, [], parent=context, resilient_parsing=True)
        _help_option(sub, sub_context, texts)
        if texts.language.value != "en" and name in _COMMANDS:
            # The command's own text (with its examples) stays in English for English.
            sub.help = texts(_COMMANDS[name])
            sub.short_help = None
        else:
            sub.help = paragraphs(sub.help or "")


def paragraphs(text: str) -> str:
    """A docstring's paragraphs, each on one line. typer keeps the line breaks of a
    docstring, and rich folds each line again to the terminal: a line of the source
    would end in a short line, and an example would be broken in the middle."""
    parts = re.split(r"\n\s*\n", inspect.cleandoc(text))
    return "\n\n".join(" ".join(part.split()) for part in parts)


def _help_option(command: Any, context: Any, texts: Texts) -> None:
    option = command.get_help_option(context)
    if option is not None:
        option.metavar = ""
        option.help = texts("ui.cli.help_option")
