"""Batch runs: streamed results, bad lines, the summary, --strict and --baseline."""

from __future__ import annotations

import csv
import io
import json
import os
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import adult
from triage.cli import app

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
    rules = data_copy / "rules.toml"
    rules.write_text(
        rules.read_text().replace(
            'self_care_window_ends_at = "3_to_6_weeks"', 'self_care_window_ends_at = "1_to_3_weeks"'
        )
    )
    lines = [
        json.dumps({"id": "two-weeks", **adult(duration="1_to_3_weeks")}),
        json.dumps({"id": "days", **adult(duration="under_1_week")}),
    ]
    result = runner.invoke(
        app,
        [
            "--data",
            str(data_copy),
            "batch",
            "-",
            "--baseline",
            str(Path(__file__).parents[1] / "data"),
        ],
        input="\n".join(lines),
    )
    assert result.exit_code == 0, result.stderr
    assert "1 cases differ from the baseline:" in result.stderr
    assert "two-weeks: self_care → manual_therapist" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["baseline"] == "self_care"


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
    from triage.loader import load_ruleset
    from triage.terminal import batch as batch_run

    monkeypatch.setattr(batch_run, "PARALLEL_FROM_BYTES", 0 if parallel else 1 << 62)
    monkeypatch.setattr(batch_run, "SPAN_BYTES", 1000)  # many runs, each a few lines
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    out, err = io.StringIO(), io.StringIO()
    status = batch_run.run_batch(
        str(path), "jsonl", load_ruleset(), None, strict=False, out=out, err=err
    )
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
    from triage.terminal import batch as batch_run

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
