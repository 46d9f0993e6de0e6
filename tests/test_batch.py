"""Batch runs: streamed results, bad lines, the summary, --strict and --baseline."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import adult, clinical_cases
from tests.edits import edit, six_weeks_and_a_new_question
from triage.cli import app
from triage.loader import load_ruleset

runner = CliRunner()


def _cases(count: int, *, seed: int = 7) -> list[str]:
    """Generated cases: self-care, fever and emergency ones, with bad lines among them."""
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        kind = rng.choice(["self_care", "fever", "emergency", "bad_json", "bad_value"])
        if kind == "self_care":
            case = {**adult(), "expected": "self_care"}
        elif kind == "fever":
            case = {**adult(), "fever_or_unwell": "yes", "expected": "gp_immediately"}
        elif kind == "emergency":
            case = {"cold_pale_leg": "yes", "expected": "call_112"}
        elif kind == "bad_json":
            lines.append('{"id": "broken", ')
            continue
        else:
            case = {**adult(), "age": "old"}
        lines.append(json.dumps({"id": f"case-{number}", **case}))
    return lines


def _batch(tmp_path: Path, lines: list[str], *args: str, name: str = "cases.jsonl") -> Result:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return runner.invoke(app, ["batch", str(path), *args])


def test_one_result_per_good_case_and_bad_lines_counted(tmp_path: Path) -> None:
    lines = _cases(300)
    result = _batch(tmp_path, lines)
    bad = sum('"broken"' in line or '"old"' in line for line in lines)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 300 - bad
    assert all(r["match"] for r in records)
    assert f"{300 - bad} cases decided, {bad} bad lines skipped" in result.stderr
    assert "Agreement: " in result.stderr
    assert "line " in result.stderr
    assert result.exit_code == 2  # bad lines are bad input


def test_a_clean_batch_exits_0_and_reports_agreement(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", **adult(), "expected": "self_care"}),
        json.dumps({"id": "b", **adult(trend="worsening"), "expected": "manual_therapist"}),
    ]
    result = _batch(tmp_path, lines)
    assert result.exit_code == 0
    assert "Agreement: 2 of 2 (100.0%)" in result.stderr
    first = json.loads(result.stdout.splitlines()[0])
    assert first == {
        "id": "a",
        "disposition": "self_care",
        "advice": "self_care",
        "rules": ["short_and_settling"],
        "expected": "self_care",
        "match": True,
    }


def test_under_triage_is_listed_and_strict_exits_1(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "too-mild", **adult(), "expected": "gp_within_days"}),
        json.dumps({"id": "too-urgent", **adult(fever_or_unwell="yes"), "expected": "self_care"}),
    ]
    relaxed = _batch(tmp_path, lines)
    assert relaxed.exit_code == 0
    assert "Under-triage (less urgent than expected): 1: too-mild" in relaxed.stderr
    strict = _batch(tmp_path, lines, "--strict")
    assert strict.exit_code == 1


def test_csv_in_and_out(tmp_path: Path) -> None:
    answers = adult()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", *answers, "expected"])
    writer.writerow(["one", *answers.values(), "self_care"])
    writer.writerow(["two", *{**answers, "trend": "worsening"}.values(), "manual_therapist"])
    result = _batch(tmp_path, out.getvalue().splitlines(), name="cases.csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["disposition"], r["match"]) for r in rows] == [
        ("one", "self_care", "true"),
        ("two", "manual_therapist", "true"),
    ]


def test_baseline_lists_what_an_edit_changes(tmp_path: Path, data_copy: Path) -> None:
    edit(
        data_copy,
        "rules.toml",
        'self_care_window_ends_at = "3_to_6_weeks"',
        'self_care_window_ends_at = "1_to_3_weeks"',
    )
    lines = [
        json.dumps({"id": "two-weeks", **adult(duration="1_to_3_weeks")}),
        json.dumps({"id": "days", **adult(duration="under_1_week")}),
    ]
    result = _against_baseline(data_copy, lines)
    assert result.exit_code == 0, result.stderr
    assert "Against the baseline, of 2 cases: 1 changed, 1 unchanged, 0 undecidable" in (
        result.stderr
    )
    assert (
        "two-weeks: self_care (short_and_settling) → manual_therapist (persisting_or_limiting)"
        in result.stderr
    )
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["baseline"] == "self_care"
    assert records[0]["baseline_rules"] == ["short_and_settling"]


def _against_baseline(data: Path, lines: list[str], *args: str) -> Result:
    shipped = str(Path(__file__).parents[1] / "data")
    command = ["--data", str(data), "batch", "-", "--baseline", shipped, *args]
    return runner.invoke(app, command, input="\n".join(lines))


def _clinical_lines(**extra: str) -> list[str]:
    from tests.test_clinical_cases import case_answers

    ruleset = load_ruleset()
    return [
        json.dumps({"id": case["name"], **case_answers(case, ruleset), **extra})
        for case in clinical_cases()["case"]
    ]


def test_a_new_question_leaves_no_case_unaccounted_for(data_copy: Path) -> None:
    """The clinical cases against an edit that adds a question: the cases that lack it are
    named and counted as undecidable; --default gives it to all; answers of it are set aside
    for the baseline, and counted."""
    six_weeks_and_a_new_question(data_copy)
    total = len(clinical_cases()["case"])
    plain = _against_baseline(data_copy, _clinical_lines())
    assert plain.exit_code == 2
    lacking = re.search(
        r"(\d+) cases lack answers the rules need: cough_pain \((\d+)\)", plain.stderr
    )
    assert lacking is not None, plain.stderr
    decided = re.search(r"(\d+) cases decided", plain.stderr)
    assert decided is not None
    assert int(decided[1]) + int(lacking[1]) == total, "every case is counted"
    assert "--default ID=VALUE" in plain.stderr

    defaulted = _against_baseline(data_copy, _clinical_lines(), "--default", "cough_pain=no")
    assert defaulted.exit_code == 0, defaulted.stderr
    summary = re.search(
        r"Against the baseline, of (\d+) cases: (\d+) changed, (\d+) unchanged, (\d+) undecidable",
        defaulted.stderr,
    )
    assert summary is not None, defaulted.stderr
    of, changed, unchanged, undecidable = (int(n) for n in summary.groups())
    assert of == total
    assert changed + unchanged + undecidable == total
    assert changed > 0, "the six-week window changes cases of three to six weeks"
    assert "cough_pain (" in defaulted.stderr, "the default is set aside for the baseline"

    answered = _against_baseline(data_copy, _clinical_lines(cough_pain="yes"))
    records = [json.loads(line) for line in answered.stdout.splitlines()]
    assert len(records) == total
    assert all(r["baseline_set_aside"] == ["cough_pain"] for r in records)


def test_a_default_must_be_a_valid_answer() -> None:
    result = runner.invoke(app, ["batch", "-", "--default", "groin_pain=maybe"], input="")
    assert result.exit_code == 2
    assert "groin_pain" in result.stderr
    result = runner.invoke(app, ["batch", "-", "--default", "groin_pain"], input="")
    assert result.exit_code == 2
    assert "--default 'groin_pain' should look like id=value" in result.stderr


def test_the_summary_is_always_given(tmp_path: Path) -> None:
    result = _batch(tmp_path, [json.dumps(adult())])
    assert result.exit_code == 0
    assert "1 case decided, 0 bad lines skipped" in result.stderr


def test_over_triage_is_listed_and_fail_on_chooses_what_fails(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "too-mild", **adult(), "expected": "gp_within_days"}),
        json.dumps({"id": "too-urgent", **adult(fever_or_unwell="yes"), "expected": "self_care"}),
    ]
    result = _batch(tmp_path, lines)
    assert "Over-triage (more urgent than expected): 1: too-urgent" in result.stderr
    over = _batch(tmp_path, lines[1:], "--fail-on", "over")
    assert over.exit_code == 1
    assert "failed: 1 x a case more urgent than expected (over-triage)" in over.stderr
    assert _batch(tmp_path, lines[1:], "--strict").exit_code == 0, "over-triage is no under"
    assert _batch(tmp_path, lines[1:], "--fail-on", "mismatch").exit_code == 1
    assert _batch(tmp_path, lines[:1], "--fail-on", "over").exit_code == 0


def test_bad_lines_and_under_triage_together_exit_3(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "too-mild", **adult(), "expected": "gp_within_days"}), "{"]
    result = _batch(tmp_path, lines, "--strict")
    assert result.exit_code == 3
    assert "Under-triage (less urgent than expected): 1: too-mild" in result.stderr
    assert "1 bad line skipped" in result.stderr


def _csv(rows: list[dict[str, object]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_csv_as_dutch_excel_writes_it(tmp_path: Path) -> None:
    text = _csv([{"id": "een", **adult(), "expected": "self_care"}], delimiter=";")
    path = tmp_path / "cases.csv"
    path.write_bytes("\ufeff".encode() + text.replace("\n", "\r\n").encode())
    result = runner.invoke(app, ["batch", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("id;disposition;"), "semicolons, as the spreadsheet wrote"
    rows = csv.DictReader(io.StringIO(result.stdout), delimiter=";")
    (row,) = list(rows)
    assert (row["id"], row["disposition"], row["match"]) == ("een", "self_care", "true")


@pytest.mark.parametrize("output", [[], ["-o", "jsonl"]])
def test_a_tsv_file_is_read_with_tabs(tmp_path: Path, output: list[str]) -> None:
    """Review B3: a .tsv file (tab-separated, as a spreadsheet saves it) is decided, tab in,
    tab out; it used to fail on its header, after the results' header was written."""
    text = _csv([{"id": "een", **adult(), "expected": "self_care"}], delimiter="\t")
    path = tmp_path / "cases.tsv"
    path.write_text(text)
    result = runner.invoke(app, ["batch", str(path), *output])
    assert result.exit_code == 0, result.stderr
    if output:
        line = json.loads(result.stdout)
        assert (line["id"], line["disposition"], line["match"]) == ("een", "self_care", True)
        return
    assert result.stdout.startswith("id\tdisposition\t"), "tabs, as the file has them"
    (row,) = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    assert (row["id"], row["disposition"], row["match"]) == ("een", "self_care", "true")


@pytest.mark.parametrize(
    ("option", "header"), [("comma", "id,disposition,"), ("semicolon", "id;disposition;")]
)
def test_the_delimiter_of_csv_results_can_be_chosen(option: str, header: str) -> None:
    lines = [json.dumps({"id": "een", **adult()})]
    command = ["batch", "-", "--output-format", "csv", "--delimiter", option]
    result = runner.invoke(app, command, input="\n".join(lines))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(header)


def test_dutch_spreadsheet_words_are_answers_of_every_kind() -> None:
    """WAAR/ONWAAR (Dutch Excel's booleans) for yes/no, "weet niet" for any kind's unknown."""
    answers = {**adult(), "groin_pain": "WAAR", "overload": "ONWAAR", "trend": "weet niet"}
    answers["duration"] = "Weet  Niet"
    text = _csv([{"id": "een", **answers}], delimiter=";")
    result = runner.invoke(app, ["batch", "-", "--output-format", "jsonl"], input=text)
    assert result.exit_code == 0, result.stderr
    assert "unknown_course" in json.loads(result.stdout)["rules"]


def test_a_new_question_missing_from_every_case_is_said_once_with_a_count(
    tmp_path: Path, data_copy: Path
) -> None:
    six_weeks_and_a_new_question(data_copy)
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps({"id": f"c{n}", **adult()}) + "\n" for n in range(40)))
    result = runner.invoke(app, ["--data", str(data_copy), "batch", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("missing answers for 1 question") == 2, result.stderr
    assert "line 1 (id c0): missing answers for 1 question" in result.stderr
    assert "... and 39 more lines with the same problem: missing answers" in result.stderr


def test_csv_on_standard_input_is_recognised_and_can_give_json_lines() -> None:
    text = _csv([{"id": "een", **adult()}])
    result = runner.invoke(app, ["batch", "-", "--output-format", "jsonl"], input=text)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["disposition"] == "self_care"


def test_a_csv_header_typo_is_reported_once(tmp_path: Path) -> None:
    answers = adult()
    answers["grion_pain"] = answers.pop("groin_pain")
    text = _csv([{"id": str(n), **answers} for n in range(50)])
    result = runner.invoke(app, ["batch", "-"], input=text)
    assert result.exit_code == 2
    assert result.stderr.count("grion_pain") == 1
    assert "did you mean 'groin_pain'" in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == "", "refused before any result, the CSV header included"


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_an_unknown_expected_disposition_is_a_bad_line(tmp_path: Path) -> None:
    result = _batch(tmp_path, [json.dumps({**adult(), "expected": "gp_soon"})])
    assert result.exit_code == 2
    assert "line 1: expected 'gp_soon' is not a disposition" in result.stderr


def _awkward_file(path: Path) -> None:
    """Cases without ids (their id is the line number), blank lines, bad JSON, invalid
    UTF-8, and LF, CRLF and lone CR line ends, with no newline at the very end."""
    good = json.dumps({**adult(), "expected": "self_care"}).encode()
    fever = json.dumps({**adult(), "fever_or_unwell": "yes", "id": "fever"}).encode()
    pieces = [good + b"\n", fever + b"\r\n", b" \n", b'{"id": "broken", \n', good + b"\r"]
    pieces += [b'{"id": "caf\xe9"}\n', b"[1, 2]\r\n", b"   \r\n"]
    rng = random.Random(5)
    path.write_bytes(b"".join(rng.choice(pieces) for _ in range(400)) + good)


def _run_batch(
    path: Path, *, parallel: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    from triage.batch import runner
    from triage.batch.cases import Job
    from triage.loader import load_ruleset
    from triage.terminal import batch as batch_run

    monkeypatch.setattr(runner, "PARALLEL_FROM_BYTES", 0 if parallel else 1 << 62)
    monkeypatch.setattr(runner, "SPAN_BYTES", 1000)  # many runs, each a few lines
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    out, err = io.StringIO(), io.StringIO()
    status = batch_run.run_batch(str(path), "jsonl", Job(load_ruleset()), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_workers_give_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "awkward.jsonl"
    _awkward_file(path)
    one = _run_batch(path, parallel=False, monkeypatch=monkeypatch)
    many = _run_batch(path, parallel=True, monkeypatch=monkeypatch)
    assert many == one
    status, out, err = one
    assert status == 2
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert "fever" in ids
    assert ids[-1] == "401", "400 lines, each ended by LF, CRLF or CR, then the last one"
    assert "not valid JSON" in err
    assert "not a JSON object" in err


@pytest.mark.parametrize("shift", [-1, 0, 1, 2])
def test_workers_count_lines_right_where_a_run_splits_a_crlf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shift: int
) -> None:
    """Runs that end just before, on, and just after the CR of a CRLF."""
    from triage.batch import runner as batch_run

    path = tmp_path / "crlf.jsonl"
    line = json.dumps(adult())
    path.write_bytes((line + "\r\n").encode() * 20)
    monkeypatch.setattr(batch_run, "SPAN_BYTES", len(line) + 1 + shift)  # 0: ends on the CR
    spans = list(batch_run._spans(str(path)))
    firsts = [s.first for s in spans]
    starts = [s.start for s in spans]
    data = path.read_bytes()
    expected = [data[:start].count(b"\r\n") + 1 for start in starts]
    assert firsts == expected
    assert spans[-1].end == len(data)


def test_a_key_twice_is_found_with_colons_in_the_values_too(tmp_path: Path) -> None:
    """The quick reading counts colons; a colon in a value sends the line to the careful
    reading, which still finds a key given twice."""
    good = json.dumps({"id": "at 10:30", **adult()})
    twice = '{"id": "at 11:00", "age": 50, ' + json.dumps(adult())[1:]
    result = _batch(tmp_path, [good, twice])
    assert result.exit_code == 2
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["at 10:30"]
    assert "'age' is given twice" in result.stderr


def _no_fallback_for_adults(data: Path) -> None:
    """An edited table whose fallback section no longer covers adults: an adult without a
    red flag gets no rule at all."""
    rules = data / "rules.toml"
    edited = re.sub(
        r'(applies_when = \{ question = "age", op = ">=", value = )\d+',
        r"\g<1>120",
        rules.read_text(),
    )
    assert edited != rules.read_text()
    rules.write_text(edited)


def test_a_case_no_rule_decides_is_reported_and_the_batch_goes_on(
    tmp_path: Path, data_copy: Path
) -> None:
    _no_fallback_for_adults(data_copy)
    lines = [
        json.dumps({"id": "first", **adult(cold_pale_leg="yes")}),
        json.dumps({"id": "undecided", **adult()}),
        json.dumps({"id": "last", **adult(cold_pale_leg="yes")}),
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["--data", str(data_copy), "batch", str(path)])
    assert result.exit_code == 2
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["first", "last"]
    assert "line 2 (id undecided): rules.toml: no rule fired" in result.stderr
    assert "2 cases decided, 1 bad line skipped" in result.stderr


def test_a_case_the_baseline_cannot_decide_is_counted_as_such(data_copy: Path) -> None:
    _no_fallback_for_adults(data_copy)
    lines = [json.dumps({"id": "one", **adult()}), json.dumps({"id": "two", **adult()})]
    result = runner.invoke(
        app, ["batch", "-", "--baseline", str(data_copy)], input="\n".join(lines) + "\n"
    )
    assert result.exit_code == 0, result.stderr
    assert "0 changed, 0 unchanged, 2 undecidable by the baseline" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["baseline"] for r in records] == [None, None]
    assert "no rule fired" in records[0]["baseline_problem"]


def test_a_combined_v2_column_is_read_in_csv() -> None:
    answers = adult(steroid_use="no", alcohol_daily="no")
    del answers["steroid_use"], answers["alcohol_daily"]
    answers["steroids_or_alcohol"] = "yes"
    result = runner.invoke(
        app, ["batch", "-", "-f", "csv", "-o", "jsonl"], input=_csv([{"id": "1", **answers}])
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["disposition"] == "gp_within_days"


# --- checks that could check nothing ----------------------------------------------------------


def test_fail_on_changed_without_a_baseline_is_a_usage_error(tmp_path: Path) -> None:
    result = _batch(tmp_path, [json.dumps(adult())], "--fail-on", "changed")
    assert result.exit_code == 2
    assert "--fail-on changed compares with a baseline: give --baseline DIR" in result.stderr


def test_fail_on_changed_fails_when_the_baseline_could_not_compare(
    tmp_path: Path, data_copy: Path
) -> None:
    """The baseline has a question the cases do not answer: no case is compared, and the
    gate must not pass."""
    six_weeks_and_a_new_question(data_copy)
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"id": "a", **adult()}) + "\n")
    command = ["batch", str(path), "--baseline", str(data_copy), "--fail-on", "changed"]
    result = runner.invoke(app, command)
    assert result.exit_code == 1, result.stderr
    assert "1 x a case the baseline could not decide, so not compared" in result.stderr


@pytest.mark.parametrize("check", [["--strict"], ["--fail-on", "mismatch"], ["--fail-on", "over"]])
def test_a_check_of_expected_values_fails_when_no_case_has_one(
    tmp_path: Path, check: list[str]
) -> None:
    result = _batch(tmp_path, [json.dumps(adult()), json.dumps(adult(age=30))], *check)
    assert result.exit_code == 1
    assert "no case has an expected disposition" in result.stderr
    assert "checked nothing" in result.stderr


def test_cases_without_expected_values_are_counted_as_not_checked(tmp_path: Path) -> None:
    lines = [json.dumps({**adult(), "expected": "self_care"}), json.dumps(adult())]
    result = _batch(tmp_path, lines, "--strict")
    assert result.exit_code == 0
    assert "note: 1 of 2 cases have no expected disposition: not checked" in result.stderr


def test_default_answers_a_question_only_the_baseline_has(tmp_path: Path, data_copy: Path) -> None:
    """Comparing in reverse: the baseline has the new question, the cases do not."""
    from tests.edits import NEW_QUESTION

    six_weeks_and_a_new_question(data_copy)
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"id": "a", **adult()}) + "\n")
    command = [
        "batch",
        str(path),
        "--baseline",
        str(data_copy),
        "--default",
        f"{NEW_QUESTION}=no",
        "--fail-on",
        "changed",
    ]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.stderr
    assert "0 undecidable by the baseline" in result.stderr
    assert json.loads(result.stdout)["baseline"] == "self_care"


def test_a_library_user_runs_a_batch_without_the_terminal(tmp_path: Path) -> None:
    """triage.batch.runner needs neither rich nor typer: a program that cannot import
    them still decides every case, in worker processes too."""
    import subprocess
    import sys

    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps({"id": str(n), **adult()}) + "\n" for n in range(40)))
    program = (
        "import io, os, sys\n"
        "for name in ('rich', 'typer', 'questionary', 'prompt_toolkit'):\n"
        "    sys.modules[name] = None\n"
        "from triage.batch import runner\n"
        "from triage.batch.cases import Job\n"
        "from triage.loader import load_ruleset\n"
        "runner.PARALLEL_FROM_BYTES, runner.SPAN_BYTES = 0, 1000\n"
        "os.cpu_count = lambda: 2\n"
        "out, said = io.StringIO(), []\n"
        "done = runner.run(sys.argv[1], None, Job(load_ruleset()), out=out, say=said.append)\n"
        "print(done.status, done.tally.cases, len(out.getvalue().splitlines()), said)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split(maxsplit=3) == ["0", "40", "40", "[]"]
