"""The answer sets the batch benchmark decides, shaped as users produce them.

- **walks**: generated walks that answer only what the walk asks, one question at a time,
  as a person does (mostly "no", now and then "yes" or "I don't know"), and stop where the
  walk stops (the emergency stop, the settled stop), saved as the walk saves them;
- **saved**: the answers files in the repository (the example and the stand-in patients'
  walks), as the interactive walk saved them;
- **clinical**: the clinical cases of tests/clinical_cases.toml;
- **complete**: every question answered, also those the walk never asks (the old
  benchmark's shape; kept beside the realistic mix for comparison).

Run with an interpreter that has triage installed: `python benchmarks/mix.py KIND COUNT`
writes COUNT cases of that kind ("realistic" mixes walks, saved and clinical) as JSON lines
to stdout.
"""

from __future__ import annotations

import json
import random
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

from triage.flow import reach
from triage.loader import load_ruleset
from triage.model import Ruleset, Value
from triage.review import case_answers

ROOT = Path(__file__).resolve().parents[1]
RARE = {"yes": 1, "unknown": 1}
"""Weights of the answers a person rarely gives; every other value weighs 12."""


def walk(ruleset: Ruleset, rng: random.Random) -> dict[str, Value]:
    """One generated walk: each question the walk reaches, answered in turn."""
    answers: dict[str, Value] = {}
    while True:
        step = reach(ruleset, answers, certain=False)
        pending = [q for q in step.reached if q not in answers]
        if not pending:
            return answers
        answers[pending[0]] = _answer(ruleset, pending[0], answers, rng)


def _answer(
    ruleset: Ruleset, question_id: str, answers: dict[str, Value], rng: random.Random
) -> Value:
    kind = ruleset.questionnaire.question(question_id).kind
    if kind.is_number:  # the age: a child's for a parent, an adult's for a helper
        low, high = {"child": (kind.minimum, 17), "other": (18, 95)}.get(
            str(answers.get("respondent")), (12, 95)
        )
        return rng.randint(low, high)
    weights = [RARE.get(str(v), 12) for v in kind.values]
    return rng.choices(kind.values, weights)[0]


def complete(ruleset: Ruleset, rng: random.Random) -> dict[str, Value]:
    """Every question answered, whether the walk asks it or not (an age that fits who
    answers: a child's for a parent)."""
    answers: dict[str, Value] = {}
    for question in ruleset.questionnaire.questions:
        answers[question.id] = _answer(ruleset, question.id, answers, rng)
    return answers


def saved() -> list[dict[str, object]]:
    """The answers files the walk saved: the example and the stand-in patients' walks."""
    files = [
        ROOT / "examples" / "early_hip_oa.json",
        *sorted((ROOT / "docs").glob("standins/answers/*.json")),
    ]
    found = []
    for path in files:
        document = json.loads(path.read_text())
        found.append({k: v for k, v in document.items() if not k.startswith("$")})
    return found


def clinical(ruleset: Ruleset) -> list[dict[str, object]]:
    """The clinical cases' answer sets, as `triage review --cases` reads them."""
    with (ROOT / "tests" / "clinical_cases.toml").open("rb") as handle:
        document = tomllib.load(handle)
    bases = document["base"]
    return [case_answers(case, bases, ruleset.questionnaire) for case in document["case"]]


def cases(kind: str, count: int, seed: int = 2026) -> Iterator[dict[str, object]]:
    """`count` answer sets of a kind, each with an id."""
    ruleset = load_ruleset()
    rng = random.Random(seed)
    fixed = saved() + clinical(ruleset) if kind == "realistic" else []
    walks = [walk(ruleset, rng) for _ in range(min(count, 2000))] if kind == "realistic" else []
    for number in range(count):
        if kind == "complete":
            answers: dict[str, object] = dict(complete(ruleset, rng))
        elif number % 4 == 0 and fixed:  # a quarter: the saved files and clinical cases
            answers = dict(fixed[number // 4 % len(fixed)])
        else:
            answers = dict(walks[number % len(walks)])
        yield {"id": f"{kind}-{number}", **answers}


def main() -> None:
    kind, count = sys.argv[1], int(sys.argv[2])
    if kind not in {"realistic", "complete"}:
        raise SystemExit("kind: realistic or complete")
    out = sys.stdout
    for case in cases(kind, count):
        out.write(json.dumps(case) + "\n")


if __name__ == "__main__":
    main()
