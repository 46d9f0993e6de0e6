"""The command line in-process: every option of assess and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.main import get_group
from typer.testing import CliRunner, Result

from tests.children import sigint_default
from tests.conftest import ROOT, adult
from tests.edits import edit
from triage import __version__
from triage.cli import app
from triage.loader import load_ruleset
from triage.model import Language

EXAMPLE = ROOT / "examples" / "early_hip_oa.json"
runner = CliRunner()
ENGLISH = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_GB.UTF-8"}


def _run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), input=input, env={**ENGLISH, **(env or {})})


def test_version() -> None:
    result = _run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"triage {__version__}"


def test_assess_json_follows_the_contract() -> None:
    result = _run("assess", "--answers", str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["schema"] == "triage.assessment/3"
    assert output["disposition"] == "manual_therapist"
    assert output["advice"] == "manual_therapist"
    assert output["rules"][0]["id"] == "persisting_or_limiting"
    assert set(output["rules"][0]) >= {"id", "disposition", "reason"}
    assert output["ruleset"]["version"] == load_ruleset().info.version
    assert len(output["ruleset"]["sha256"]) == 64
    assert output["language"] == "en"


def test_assess_text_shows_headline_why_safety_net_and_disclaimer() -> None:
    result = _run("assess", "--answers", str(EXAMPLE))
    assert result.exit_code == 0, result.stderr
    for words in (
        "go directly to a manual therapist",
        "Why this advice",
        "demanueeltherapeut.net",
        "Call 112 if:",
        "not a diagnosis",
        "Urgency: not urgent",
    ):
        assert words in result.stdout


def test_assess_markdown_for_the_therapist() -> None:
    result = _run("assess", "--answers", str(EXAMPLE), "--format", "markdown", "--lang", "nl")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Zelftest heuppijn: samenvatting")
    assert "## Je antwoorden" in result.stdout
    groin = load_ruleset().texts[Language.NL]("question.groin_pain.text")
    assert f"| {groin} | Ja |" in result.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LC_ALL": "nl_NL.UTF-8"}, "nl"),
        ({"LC_ALL": "", "LC_MESSAGES": "nl_BE.UTF-8", "LANG": "en_US.UTF-8"}, "nl"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_language_from_the_locale(env: dict[str, str], expected: str) -> None:
    result = _run("assess", "--answers", str(EXAMPLE), "--format", "json", env=env)
    assert json.loads(result.stdout)["language"] == expected


def test_lang_option_beats_the_locale() -> None:
    result = _run(
        "assess", "-a", str(EXAMPLE), "-f", "json", "--lang", "en", env={"LC_ALL": "nl_NL.UTF-8"}
    )
    assert json.loads(result.stdout)["language"] == "en"


def test_answer_overrides_the_file() -> None:
    result = _run("assess", "-a", str(EXAMPLE), "-f", "json", "--answer", "fever_or_unwell=yes")
    assert json.loads(result.stdout)["disposition"] == "gp_immediately"


def test_answers_from_standard_input_as_toml() -> None:
    toml = "\n".join(f"{k} = {json.dumps(v)}" for k, v in adult().items())
    result = _run("assess", "--answers", "-", "-f", "json", input=toml)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["disposition"] == "self_care"


def test_answers_only_on_the_command_line() -> None:
    result = _run("assess", "--answer", "leg_deformed_after_fall=ja", "-f", "json")
    assert json.loads(result.stdout)["disposition"] == "call_112"


def test_today_dates_the_safety_net() -> None:
    args = [f"--answer={k}={v}" for k, v in adult().items()]
    result = _run("assess", *args, "-f", "json", "--today", "2026-12-30")
    assert json.loads(result.stdout)["safety_net"]["review_date"] == "2027-01-13"


def test_assessed_on_dates_a_replay_unless_today_is_given() -> None:
    answers = json.dumps({**adult(), "assessed_on": "2026-11-01"})
    result = _run("assess", "--answers", "-", "-f", "json", input=answers)
    assert result.exit_code == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["date"] == "2026-11-01"
    assert output["safety_net"]["review_date"] == "2026-11-15"
    assert "assessed_on" not in output["ignored"]
    result = _run("assess", "--answers", "-", "-f", "json", "--today", "2026-12-30", input=answers)
    assert json.loads(result.stdout)["safety_net"]["review_date"] == "2027-01-13"
    toml = "\n".join(f"{k} = {json.dumps(v)}" for k, v in adult().items())
    result = _run(
        "assess", "--answers", "-", "-f", "json", input=f"assessed_on = 2026-10-01\n{toml}"
    )
    assert json.loads(result.stdout)["date"] == "2026-10-01"  # a TOML date works too


def test_a_missing_answer_is_named() -> None:
    old = {k: v for k, v in adult().items() if k not in {"breathless", "duration"}}
    result = _run("assess", "--answers", "-", input=json.dumps(old))
    assert result.exit_code == 2
    assert "missing answers for 2 questions the walk reaches: breathless, duration" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assess"], "no answers given"),
        (["assess", "--answer", "assessed_on=yesterday"], "YYYY-MM-DD"),
        (["assess", "--answers", "nowhere.json"], "no such file"),
        (["assess", "--answer", "grion_pain=yes"], "did you mean 'groin_pain'"),
        (["assess", "--answer", "age=old"], "whole number from 0 to 120"),
        (["assess", "--answer", "age=50"], "missing answers"),
        (["assess", "--answer", "groin_pain"], "should look like id=value"),
        (["assess", "--answer", "cold_pale_leg=yes", "--today", "tomorrow"], "YYYY-MM-DD"),
        (["--data", "/nonexistent", "assess", "--answer", "cold_pale_leg=yes"], "not a folder"),
    ],
)
def test_bad_input_exits_2_with_one_clear_message(args: list[str], message: str) -> None:
    result = _run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("triage: error:")
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_bad_stdin_exits_2() -> None:
    result = _run("assess", "--answers", "-", input='{"age": 1, "age": 2}')
    assert result.exit_code == 2
    assert "given twice" in result.stderr


def test_usage_errors_exit_2() -> None:
    result = _run("assess", "--format", "pdf")
    assert result.exit_code == 2
    result = _run("assess", "--lang", "de", "--answer", "cold_pale_leg=yes")
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("args", "offending", "command"),
    [
        (["batch"], "FILE", "batch"),
        (["assess", "--format", "pdf"], "'pdf'", "assess"),
        (["bogus"], "'bogus'", ""),
    ],
)
def test_the_console_script_says_a_usage_error_in_one_line(
    args: list[str],
    offending: str,
    command: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from triage.cli import main

    monkeypatch.setattr("sys.argv", ["triage", *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    # The shape, not click's wording: one line, the program's prefix, the offending word,
    # and where to read the usage.
    (line,) = captured.err.splitlines()
    assert captured.err == line + "\n", "one line, no box"
    assert line.startswith("triage: error: ")
    assert offending in line
    assert line.endswith(f"(see {' '.join(['triage', command]).strip()} --help)")
    assert "─" not in line
    assert captured.out == ""


def test_the_console_script_exits_with_the_commands_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from triage.cli import main

    monkeypatch.setattr("sys.argv", ["triage", "assess", "--answer", "cold_pale_leg=yes"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 0
    assert "112" in capsys.readouterr().out
    monkeypatch.setattr("sys.argv", ["triage", "assess", "--answer", "cold_pale_leg=maybe"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2


def test_an_internal_error_is_one_line_without_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise ValueError("secret: groin_pain=yes")

    monkeypatch.setattr("triage.evaluate.evaluate", broken)
    result = _run("assess", "--answer", "cold_pale_leg=yes")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "internal error" in result.stderr
    assert "groin_pain" not in result.stderr


def test_data_option_uses_an_edited_copy(data_copy: Path) -> None:
    shipped = f'version = "{load_ruleset().info.version}"'
    edit(data_copy, "rules.toml", shipped, 'version = "edit-1"')
    result = _run("--data", str(data_copy), "assess", "-a", str(EXAMPLE), "-f", "json")
    assert json.loads(result.stdout)["ruleset"]["version"] == "edit-1"


def test_about_in_both_languages() -> None:
    english = _run("about")
    assert english.exit_code == 0
    assert "About hip osteoarthritis" in english.stdout
    assert "450,000" in english.stdout
    dutch = _run("about", "--lang", "nl")
    assert "Over heupartrose" in dutch.stdout


def test_without_a_terminal_the_walk_does_not_prompt() -> None:
    result = _run(input="")
    assert result.exit_code == 2
    assert "triage assess --answers" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "-a", str(EXAMPLE), "-f", "json"],
        ["--lang", "nl", "rules", "--format", "markdown"],
        ["--data", str(ROOT / "data"), "questions", "-f", "json"],
        ["--lang=nl", "about"],
        ["-l", "nl", "about"],
        ["assess", "--bogus"],
        ["bogus"],
        ["--bogus"],
        ["--help"],
        ["assess", "--help"],
        ["--version"],
        [],
    ],
)
def test_the_console_script_builds_only_what_it_runs_and_answers_alike(args: list[str]) -> None:
    from triage.cli import app_for

    whole, only = runner.invoke(app, args), runner.invoke(app_for(args), args)
    assert (only.exit_code, only.stdout, only.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )


def test_the_console_script_knows_which_root_options_take_a_value() -> None:
    import typer.core
    import typer.main

    from triage.cli import ROOT_VALUE_OPTIONS, app_for

    root = typer.main.get_command(app)
    taking = {
        name
        for param in root.params
        if param.param_type_name == "option" and not getattr(param, "is_flag", False)
        for name in param.opts
    }
    assert taking == set(ROOT_VALUE_OPTIONS)
    only = typer.main.get_command(app_for(["--lang", "nl", "assess"]))
    assert isinstance(only, typer.core.TyperGroup)
    assert set(only.commands) == {"assess"}


def test_assess_help_names_every_format() -> None:
    result = runner.invoke(app, ["assess", "--help"], env={"COLUMNS": "200"})
    line = next(
        row for row in result.stdout.splitlines() if row.strip("│| ").startswith("--format")
    )
    assert "text, json, markdown or fhir" in line


def test_a_toml_date_or_time_is_named_as_written_never_as_python(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_text(
        "cold_pale_leg = 1800-01-01\nage = 10:30:00\nbreathless = 2026-01-01T08:00:00\n"
    )
    result = _run("assess", "--answers", str(path))
    assert result.exit_code == 2
    assert "cold_pale_leg: the date 1800-01-01 is not accepted" in result.stderr
    assert "age: the time 10:30:00 is not accepted" in result.stderr
    assert "breathless: the date and time 2026-01-01T08:00:00 is not accepted" in result.stderr
    assert "datetime" not in result.stderr


def _help(*args: str, lang: str = "C", columns: int = 100) -> str:
    import os
    import subprocess
    import sys

    env = {**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": lang, "COLUMNS": str(columns)}
    done = subprocess.run(
        [sys.executable, "-m", "triage", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=sigint_default,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("args", "lang"),
    [(("--lang", "nl", "--help"), "C"), (("--help",), "nl_NL.UTF-8"), (("-l", "nl", "-h"), "C")],
)
def test_help_is_in_the_language_of_lang_or_the_locale(args: tuple[str, ...], lang: str) -> None:
    shown = _help(*args, lang=lang)
    assert "Pijn in je heup: waar ga je heen?" in shown
    assert "Opdrachten" in shown
    assert "Toon deze hulp en stop." in shown
    assert "Show this" not in shown


@pytest.mark.parametrize("lang", ["C", "nl_NL.UTF-8"])
@pytest.mark.parametrize("command", ["", *sorted(get_group(app).commands)])
def test_help_reads_as_paragraphs_at_80_columns(command: str, lang: str) -> None:
    """typer keeps a docstring's line breaks and rich folds each line again: the help had a
    short line after every line of the source, examples broken in two, and the
    paragraph break of the program's description shown as \\x0a\\x0a."""
    shown = _help(*([command] if command else []), "--help", lang=lang, columns=80)
    rows = shown.splitlines()
    start = next(n for n, row in enumerate(rows) if row.strip().startswith("Usage:")) + 1
    end = next(
        n
        for n, row in enumerate(rows)
        if row.startswith("\N{BOX DRAWINGS LIGHT ARC DOWN AND RIGHT}")
    )
    described = "\n".join(row.strip() for row in rows[start:end]).strip()
    assert described
    assert "\\x" not in described
    for paragraph in described.split("\n\n"):
        lines = paragraph.splitlines()
        for line in lines[:-1]:  # a line is folded only when the next word does not fit
            assert len(line) > 50, (line, paragraph)
        assert not lines[-1].startswith(">"), paragraph  # an example kept whole


def test_help_shows_no_value_after_h_and_the_whole_lang_help() -> None:
    shown = _help("--help")
    line = next(row for row in shown.splitlines() if "--help" in row)
    assert "<bool>" not in line
    assert "default: from LC_ALL" in shown
    assert "<bool>" not in _help("assess", "--help")
    assert "Beoordeel antwoorden" in _help("assess", "--help", lang="nl_NL.UTF-8")


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "--answers", str(ROOT / "examples" / "early_hip_oa.json")],
        ["rules"],
        ["questions", "--format", "json"],
        ["explain", "--answers", str(ROOT / "examples" / "early_hip_oa.json")],
    ],
)
def test_the_solver_is_imported_only_by_the_commands_that_prove(args: list[str]) -> None:
    """z3 is a dependency, but its 100 ms import belongs to verify and validate alone."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from triage.cli import app\n"
        f"result = CliRunner().invoke(app, {args!r})\n"
        "assert result.exit_code == 0, result.output\n"
        # The package itself holds only the proof's time limit, an option's default.
        "print(sorted(m for m in sys.modules if m == 'z3' or m.startswith('triage.proofs.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        preexec_fn=sigint_default,
    )
    assert done.stdout.strip() == "[]"
