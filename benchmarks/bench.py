"""Benchmarks against the framework floors in benchmarks/floors, side by side in one run.

Usage: python benchmarks/bench.py [--python PATH] [--runs N] [--cases N]

Without --python, the project is installed (not editable, so with compiled bytecode, as a
person installs it) into a fresh virtual environment, and the floors run with that same
interpreter. Prints each figure beside its target; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "benchmarks" / "floors"
EXAMPLE = ROOT / "examples" / "early_hip_oa.json"
PLAIN_LOOP = """
import json, sys
with open(sys.argv[1]) as cases, open(os.devnull, "w") as out:
    for line in cases:
        case = json.loads(line)
        out.write(json.dumps({"id": case.get("id"), "disposition": "self_care"}) + "\\n")
"""


Run = tuple[float, int, float]
"""Wall time in seconds, peak memory in KiB and CPU time in seconds of one run."""


def run(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall time, peak memory and CPU time (user and system, the process's workers
    included) of one run."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a pipe nobody reads fills
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{' '.join(command)} failed ({status}): {message}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def side_by_side(runs: int, commands: dict[str, list[str]]) -> dict[str, list[Run]]:
    """Run the commands alternately, `runs` times each, after one warm-up run each."""
    for command in commands.values():
        run(command)
    results: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(run(command))
    return results


def time_to_prompt(command: list[str], marker: str, runs: int) -> float:
    """Median seconds from start until `marker` is on the screen of a pseudo-terminal."""
    import pexpect

    env = {
        **os.environ,
        "LANG": "en_GB.UTF-8",
        "LC_ALL": "",
        "TERM": "xterm-256color",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        child = pexpect.spawn(
            command[0], command[1:], env=env, encoding="utf-8", dimensions=(40, 100), timeout=30
        )
        child.expect_exact(marker)
        times.append(time.perf_counter() - start)
        child.terminate(force=True)
    return statistics.median(times[1:])


def first_screen_end() -> str:
    """The last line of the first screen (a tick list): the whole first question is drawn
    when it shows. Read from the English texts, so that a new wording keeps it right."""
    import tomllib

    with (ROOT / "data" / "lang" / "en.toml").open("rb") as handle:
        texts = tomllib.load(handle)
    return str(texts["ui"]["unsure_option"])


def make_cases(path: Path, count: int, python: str, kind: str) -> None:
    """`count` answer sets of a kind (benchmarks/mix.py), one JSON object a line."""
    with path.open("w") as out:
        subprocess.run(
            [python, str(ROOT / "benchmarks" / "mix.py"), kind, str(count)], check=True, stdout=out
        )


def install(scratch: Path) -> str:
    """A fresh virtual environment with the project installed; its python."""
    venv = scratch / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", str(ROOT), "pexpect"], check=True)
    return python


def report(
    name: str,
    value: float,
    base: float,
    unit: str,
    target: float | None,
    rows: list[tuple[str, bool]],
) -> None:
    """One figure beside its floor, and its target (None: shown for comparison only)."""
    ratio = value / base
    verdict = "(for comparison)"
    if target is not None:
        ok = ratio <= target
        rows.append((name, ok))
        verdict = f"(target <= {target:.2f}x) {'ok' if ok else 'MISSED'}"
    print(f"{name:<48} {value:9.1f} {unit:<3} vs {base:9.1f} {unit:<3} = {ratio:5.2f}x {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--python", help="an interpreter with triage installed")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        # Run from the scratch folder: `python -m triage` in the project folder would import
        # the source tree (no bytecode, no data snapshot) instead of the installed package.
        os.chdir(scratch)
        python = args.python or install(scratch)
        return measure(python, scratch, args.runs, args.cases)


def measure(python: str, scratch: Path, runs: int, cases: int) -> int:
    rows: list[tuple[str, bool]] = []
    answers = scratch / "answers.json"
    answers.write_text(EXAMPLE.read_text())

    def median(xs: list[Run]) -> float:
        return statistics.median(t for t, _, _ in xs) * 1000

    def peak(xs: list[Run]) -> float:
        return statistics.median(m for _, m, _ in xs) / 1024

    def cpu(xs: list[Run]) -> float:
        return statistics.median(c for _, _, c in xs)

    def against_floor(
        name: str,
        runs: dict[str, list[Run]],
        figure: Callable[[list[Run]], float],
        unit: str,
        target: float,
    ) -> None:
        report(name, figure(runs["triage"]), figure(runs["floor"]), unit, target, rows)

    print(f"python: {python}; {runs} runs each, medians\n")

    json_runs = side_by_side(
        runs,
        {
            "floor": [python, str(FLOORS / "floor_json.py"), "--answers", str(answers)],
            "triage": [
                python,
                "-m",
                "triage",
                "assess",
                "--answers",
                str(answers),
                "--format",
                "json",
            ],
        },
    )
    against_floor("assess --format json (time)", json_runs, median, "ms", 1.15)
    against_floor("assess --format json (peak memory)", json_runs, peak, "MiB", 1.10)

    text_runs = side_by_side(
        runs,
        {
            "floor": [python, str(FLOORS / "floor_text.py"), "--answers", str(answers)],
            "triage": [python, "-m", "triage", "assess", "--answers", str(answers)],
        },
    )
    against_floor("assess, text (time)", text_runs, median, "ms", 1.15)

    prompt_runs = max(5, runs // 3)
    floor_prompt = time_to_prompt(
        [python, str(FLOORS / "floor_prompt.py")], "Do you have pain in the groin?", prompt_runs
    )
    triage_prompt = time_to_prompt(
        [python, "-m", "triage", "--lang", "en"], first_screen_end(), prompt_runs
    )
    report(
        "start to the first question (time)",
        triage_prompt * 1000,
        floor_prompt * 1000,
        "ms",
        1.15,
        rows,
    )

    loop = scratch / "loop.py"
    loop.write_text("import os\n" + PLAIN_LOOP)
    for kind, target in (("realistic", 3.0), ("complete", None)):
        batch_file = scratch / f"{kind}.jsonl"
        make_cases(batch_file, cases, python, kind)
        batch_runs = side_by_side(
            3,
            {
                "loop": [python, str(loop), str(batch_file)],
                "triage": [python, "-m", "triage", "batch", str(batch_file)],
            },
        )
        for figure, unit, name, goal in ((cpu, "s", "CPU", target), (median, "ms", "time", None)):
            report(
                f"batch, {cases:,} {kind} cases ({name})",
                figure(batch_runs["triage"]),
                figure(batch_runs["loop"]),
                unit,
                goal,
                rows,
            )
    small = scratch / "small.jsonl"
    with batch_file.open() as source, small.open("w") as target_file:
        target_file.writelines(line for _, line in zip(range(cases // 10), source, strict=False))
    small_peak = run([python, "-m", "triage", "batch", str(small)])[1] / 1024
    report(
        f"batch peak memory, {cases:,} against {cases // 10:,} cases",
        peak(batch_runs["triage"]),
        small_peak,
        "MiB",
        1.10,
        rows,
    )

    missed = [name for name, ok in rows if not ok]
    print(
        f"\n{len(rows) - len(missed)} of {len(rows)} targets met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
