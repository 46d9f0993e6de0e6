"""`triage verify`: the properties proved on the shipped data, seeded faults found with
answers that `triage assess` confirms, and the solver's encoding held to the engine."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from tests.conftest import DATA, PROOF_SECONDS, TODAY
from tests.edits import (
    FALL_AGE_TO_70,
    LYING_VERDICTS,
    edit,
    extra_questions,
    lie_in_verdicts,
    move_rule_to_section_end,
    replace_in,
)
from tests.strategies import full_answers
from triage.cli import app
from triage.evaluate import evaluate
from triage.flow import reach
from triage.loader import load_ruleset
from triage.model import Disposition, Ruleset, Value
from triage.rules import decide

z3 = pytest.importorskip("z3", reason="triage verify needs the solver: pip install z3-solver")

from triage.proofs.encoding import Run, Space, encode  # noqa: E402 (after the skip)
from triage.proofs.properties import PROPERTIES, Finding, prove  # noqa: E402

runner = CliRunner()
RULESET = load_ruleset()


def _verify(*args: str) -> Result:
    return runner.invoke(app, ["verify", *args])


def _disposition(answers: dict[str, Value], ruleset: Ruleset) -> Disposition:
    return evaluate(answers, ruleset, today=TODAY).disposition


# --- the shipped data -------------------------------------------------------------------


def test_every_property_holds_on_the_shipped_data() -> None:
    proof = prove(RULESET, seconds=PROOF_SECONDS)
    assert [r.id for r in proof.results] == list(PROPERTIES)
    failed = {r.id: [f.message for f in r.findings] for r in proof.results if not r.holds}
    assert failed == {}
    assert proof.answer_sets > 10**20


def test_verify_prints_a_line_a_property_and_exits_0(proved_data: Path) -> None:
    result = _verify("--data", str(proved_data))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for property_id in PROPERTIES:
        assert any(re.match(rf"proved\s+{property_id}\s", line) for line in lines), property_id
    total = len(PROPERTIES)
    assert f"{total} of {total} properties hold" in result.stdout
    assert "\N{MULTIPLICATION SIGN} 10^" in lines[0], (
        "the heading gives the size of the space covered"
    )
    assert "child_limp_fever always fires together with infection" in result.stdout


def test_verify_in_dutch(proved_data: Path) -> None:
    result = _verify("--lang", "nl", "--data", str(proved_data))
    assert result.exit_code == 0
    assert "bewezen  total" in result.stdout
    total = len(PROPERTIES)
    assert f"{total} van {total} eigenschappen kloppen" in result.stdout


def test_verify_json_has_every_property(proved_data: Path) -> None:
    result = _verify("--format", "json", "--data", str(proved_data))
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["schema"] == "triage.verify/1"
    assert document["holds"] is True
    assert [p["id"] for p in document["properties"]] == list(PROPERTIES)
    assert all(p["holds"] and p["counterexample"] is None for p in document["properties"])


def test_a_proof_out_of_time_says_not_proved_never_proved() -> None:
    """The time limit ends the proof before the solver has decided: every property is NOT
    PROVED (no property is called proved or failed), and the exit status is 1."""
    result = _verify("--time-limit", "0.001")
    assert result.exit_code == 1, result.output
    marks = [line for line in result.stdout.splitlines() if line.startswith("NOT PROVED ")]
    assert len(marks) == len(PROPERTIES)
    assert not re.search(r"^(proved|FAILED)\s", result.stdout, re.MULTILINE)
    assert f"0 of {len(PROPERTIES)} properties hold" in result.stdout
    assert "--time-limit" in result.stdout.splitlines()[-1]
    document = json.loads(_verify("--time-limit", "0.001", "--format", "json").stdout)
    assert (document["holds"], document["finished"]) == (False, False)
    assert all(not p["holds"] and not p["finished"] for p in document["properties"])
    validated = runner.invoke(app, ["validate", "--time-limit", "0.001"])
    assert validated.exit_code == 1
    assert validated.stdout.splitlines()[-1].startswith("not ok: ")
    assert "--time-limit" in validated.stdout.splitlines()[-1]


@pytest.mark.parametrize("limit", ["0", "-1", "nan", "inf", "1e400", "86401", "soon"])
def test_a_time_limit_that_is_no_number_of_seconds_is_refused(limit: str) -> None:
    result = _verify("--time-limit", limit)
    assert result.exit_code == 2
    assert "--time-limit" in result.stderr
    assert "Traceback" not in result.output


def test_the_time_limit_can_come_from_the_environment() -> None:
    """TRIAGE_TIME_LIMIT gives every proof its limit (a slow CI machine); the option wins,
    and a value that is no number of seconds is refused as the option's would be."""
    short = runner.invoke(app, ["verify"], env={"TRIAGE_TIME_LIMIT": "0.001"})
    assert short.exit_code == 1
    assert "NOT PROVED " in short.stdout
    assert "TRIAGE_TIME_LIMIT" in short.stdout, "the remedy names both ways to give more time"
    checked = runner.invoke(app, ["validate"], env={"TRIAGE_TIME_LIMIT": "0.001"})
    assert "NOT PROVED within the time limit" in checked.stdout
    assert "TRIAGE_TIME_LIMIT" in checked.stdout
    given = runner.invoke(
        app, ["verify", "--time-limit", "0.001"], env={"TRIAGE_TIME_LIMIT": "86400"}
    )
    assert "NOT PROVED " in given.stdout
    refused = runner.invoke(app, ["verify"], env={"TRIAGE_TIME_LIMIT": "soon"})
    assert refused.exit_code == 2
    assert "--time-limit" in refused.stderr
    assert "Traceback" not in refused.output


def test_what_was_found_before_the_time_limit_is_a_failure() -> None:
    """A counterexample is certain even when the limit came before the property was
    done; only a property with none is NOT PROVED."""
    from triage.formats.proofs import verdict
    from triage.proofs.properties import Result, finding

    found = finding("no_rule_fires", {"age": 40})
    assert verdict(Result("total", False, (found,), 1.0, finished=False)) == "verify.failed"
    assert verdict(Result("total", False, (), 1.0, finished=False)) == "verify.not_proved"
    assert verdict(Result("total", True, (), 1.0)) == "verify.proved"


def test_a_time_limit_bounds_the_proof_of_the_largest_data(data_copy: Path) -> None:
    """As many questions and rules as a folder may have, every rule a red flag: proved
    whole, it takes minutes; within a limit of 2 s, the command ends soon after it, with
    what it could not prove marked NOT PROVED."""
    from triage.loader.schema import MAX_ENTRIES

    extra = MAX_ENTRIES - len(RULESET.questionnaire.questions)
    rules = MAX_ENTRIES - len(RULESET.rules)
    extra_questions(data_copy, extra)
    anchor = "# --- 2. Children and adolescents"
    edit(
        data_copy,
        "rules.toml",
        anchor,
        "".join(
            f'[[rule]]\nid = "extra_rule_{n}"\nsection = "red_flags"\n'
            f'disposition = "gp_routine"\nsource = "seeded"\n'
            f'when = {{ question = "extra_{n % extra}", op = "is", value = "yes" }}\n\n'
            for n in range(rules)
        )
        + anchor,
    )
    for lang in ("en", "nl"):
        with (data_copy / "lang" / f"{lang}.toml").open("a") as texts:
            texts.write(
                "".join(f'\n[rule.extra_rule_{n}]\nreason = "Extra {n}."\n' for n in range(rules))
            )
    started = time.process_time()
    result = _verify("--data", str(data_copy), "--time-limit", "2")
    assert time.process_time() - started < 60, "minutes without the limit"
    assert result.exit_code == 1, result.output
    assert "NOT PROVED " in result.stdout


def test_verify_on_data_that_does_not_load_exits_2(data_copy: Path) -> None:
    (data_copy / "rules.toml").write_text("[ruleset\n")
    result = _verify("--data", str(data_copy))
    assert result.exit_code == 2
    assert "rules.toml" in result.stderr


def test_verify_without_the_solver_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    for name in [m for m in sys.modules if m.startswith(("triage.proofs", "z3"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "z3", None)
    result = _verify()
    assert result.exit_code == 2
    assert "pip install z3-solver" in result.stderr
    assert "Traceback" not in result.output


# --- seeded faults ------------------------------------------------------------------------


def _edit(data: Path, old: str, new: str, file: str = "rules.toml") -> Ruleset:
    edit(data, file, old, new)
    return load_ruleset(data)


def _findings(ruleset: Ruleset, property_id: str, *, whole: bool = False) -> tuple[Finding, ...]:
    """How a property fails: proved alone, or (`whole`) read from the proof of every
    property, which `prove` keeps for data that other tests prove whole too."""
    only = PROPERTIES if whole else (property_id,)
    proof = prove(ruleset, only, PROOF_SECONDS)
    (result,) = [r for r in proof.results if r.id == property_id]
    assert not result.holds, f"{property_id} should fail"
    return result.findings


PROCEDURE = 'when = { question = "known_inflammatory_disease", op = "is", value = "yes" }'
"""The condition of the rule `known_arthritis`, which the seeded faults replace."""


@pytest.fixture(scope="module")
def self_care_fault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the data with the red flag `known_arthritis` sent to self-care (moved to
    its section's end), and language files whose verdict words lie (`lie_in_verdicts`):
    one edited data set for every test of this fault, so that the properties are proved on
    it once (`prove` keeps a proof by the data's hash), not once a test. Read-only."""
    data = tmp_path_factory.mktemp("self-care-fault") / "data"
    shutil.copytree(DATA, data)
    move_rule_to_section_end(data, "known_arthritis", "self_care")
    lie_in_verdicts(data)
    return data


EMERGENCY_UNCOVERED = ('when = { possibly = "call_112" }', 'when = { possibly = "gp_routine" }')
"""The unknown rule for 112 looks at routine rules instead."""


def test_a_rule_the_walk_never_reaches_is_found_with_answers(data_copy: Path) -> None:
    # `limp` is asked only under 18: a rule that needs it from 65 can never fire.
    seeded = (
        'when.all = [{ question = "limp", op = "is", value = "yes" }, '
        '{ question = "age", op = ">=", value = 65 }]'
    )
    ruleset = _edit(data_copy, PROCEDURE, seeded)
    (finding,) = _findings(ruleset, "every_rule_decides")
    assert "known_arthritis can never fire" in finding.message
    assert "the walk never asks limp when" in finding.message
    assert finding.answers is not None
    assert set(finding.answers) == {"limp", "age"}, "the rule's own answers, not a patient"
    assert finding.answers["limp"] == "yes"
    assert finding.answers["age"] >= 65  # type: ignore[operator]
    # The remarks are made with every proof, also of one property.
    remarks = prove(ruleset, ("every_rule_decides",), PROOF_SECONDS).remarks
    assert not any("known_arthritis" in remark.message for remark in remarks), (
        "a rule that never fires is not said to always fire with another"
    )


def test_a_rule_that_contradicts_itself_is_found(data_copy: Path) -> None:
    seeded = (
        'when.all = [{ question = "age", op = "<", value = 10 }, '
        '{ question = "age", op = ">", value = 20 }]'
    )
    ruleset = _edit(data_copy, PROCEDURE, seeded)
    (finding,) = _findings(ruleset, "every_rule_decides")
    assert "known_arthritis can never fire" in finding.message
    assert "contradict" in finding.message


def test_a_red_flag_that_gives_self_care_is_found(self_care_fault: Path) -> None:
    ruleset = load_ruleset(self_care_fault)
    findings = _findings(ruleset, "red_flags_rule_out_self_care", whole=True)
    finding = next(f for f in findings if f.message.startswith("known_inflammatory_disease = yes"))
    assert finding.answers is not None
    assert finding.answers["known_inflammatory_disease"] == "yes"
    assert _disposition(finding.answers, ruleset) in (
        Disposition.SELF_CARE,
        Disposition.MANUAL_THERAPIST,
    )


def test_a_yes_that_lowers_urgency_is_found(self_care_fault: Path) -> None:
    # A screening rule at self-care keeps the fallback section (the manual therapist)
    # from being checked: a known joint inflammation would then lower the advice.
    ruleset = load_ruleset(self_care_fault)
    findings = _findings(ruleset, "monotone", whole=True)
    finding = next(f for f in findings if f.message.startswith("known_inflammatory_disease"))
    assert finding.before is not None
    assert finding.after is not None
    assert finding.before["known_inflammatory_disease"] == "no"
    before, after = _disposition(finding.before, ruleset), _disposition(finding.after, ruleset)
    assert after.urgency > before.urgency, "triage assess confirms: less urgent after the yes"


def test_an_unknown_that_drops_two_steps_is_found(data_copy: Path) -> None:
    # Nothing looks at what an unknown leaves open of a 112 rule: an unknown on the
    # emergency screen falls through to the last section.
    ruleset = _edit(data_copy, *EMERGENCY_UNCOVERED)
    findings = _findings(ruleset, "unknown_is_one_step")
    finding = findings[0]
    assert finding.before is not None
    assert finding.after is not None
    before, after = _disposition(finding.before, ruleset), _disposition(finding.after, ruleset)
    assert after.urgency > before.urgency + 1


def test_a_settled_stop_that_changes_the_advice_is_found(data_copy: Path) -> None:
    # An unknown about a routine check sent to the GP at once, and a routine rule that a
    # later question can fire: the walk stops at "GP at once", the whole walk says
    # "routine" (the possibly-rule no longer fires once its rule does).
    _edit(data_copy, *EMERGENCY_UNCOVERED)
    ruleset = _edit(
        data_copy,
        'when = { question = "walking_calf_pain", op = "is", value = "yes" }',
        'when.any = [{ question = "walking_calf_pain", op = "is", value = "yes" }, '
        '{ question = "low_back_involvement", op = "is", value = "yes" }]',
    )
    (finding,) = _findings(ruleset, "settled_stop_sound")
    assert finding.before is not None
    assert finding.after is not None
    stopped = _disposition(finding.before, ruleset)
    whole = ruleset.replace(questionnaire=ruleset.questionnaire.replace(settled_stop_from=None))
    assert stopped is not _disposition(finding.after, whole), "triage assess confirms"


def test_a_seeded_fault_fails_the_command_with_its_answers(self_care_fault: Path) -> None:
    """Also when the data's own words call a failure "proved" (the fault's data lies)."""
    result = _verify("--data", str(self_care_fault), "--format", "json")
    assert result.exit_code == 1
    failed = [p for p in json.loads(result.stdout)["properties"] if not p["holds"]]
    assert "red_flags_rule_out_self_care" in [p["id"] for p in failed]
    text = _verify("--data", str(self_care_fault))
    assert text.exit_code == 1
    assert re.search(r"FAILED\s+red_flags_rule_out_self_care", text.stdout)
    assert '"known_inflammatory_disease": "yes"' in text.stdout


@pytest.mark.parametrize(
    ("lang", "failed", "summary"),
    [
        ("en", "FAILED", f"of {len(PROPERTIES)} properties hold"),
        ("nl", "FOUT", f"van {len(PROPERTIES)} eigenschappen kloppen"),
    ],
)
def test_data_under_test_never_supplies_the_words_of_its_verdict(
    self_care_fault: Path, lang: str, failed: str, summary: str
) -> None:
    lies = (self_care_fault / "lang" / f"{lang}.toml").read_text()
    assert all(new in lies for _, new in LYING_VERDICTS[lang]), "the data lies"
    result = _verify("--data", str(self_care_fault), "--lang", lang)
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout, "no escape code of the data reaches the screen"
    marks = {line.split()[0] for line in result.stdout.splitlines()[2:10]}
    assert failed in marks, result.stdout
    held = re.search(rf"(\d+) {summary}", result.stdout)
    assert held is not None, result.stdout
    assert int(held.group(1)) < len(PROPERTIES)
    gives = "geeft" if lang == "nl" else "gives"
    assert f"known_inflammatory_disease = yes {gives} self_care" in result.stdout


def test_no_counterexample_is_an_impossible_answer_set(self_care_fault: Path) -> None:
    """The reviewers' seed A gave "child" respondents of 18 to 65 as counterexamples."""
    from triage.answers import impossible_pair

    ruleset = load_ruleset(self_care_fault)
    shown = [
        answers
        for result in prove(ruleset, seconds=PROOF_SECONDS).results
        for finding in result.findings
        for answers in (finding.answers, finding.before, finding.after)
        if answers is not None
    ]
    assert shown, "the seeded fault is found"
    assert [a for a in shown if impossible_pair(a) is not None] == []


def test_verify_in_dutch_says_its_findings_in_dutch(self_care_fault: Path) -> None:
    """The reviewers' finding: the property lines were Dutch, the findings English."""
    result = _verify("--data", str(self_care_fault), "--lang", "nl")
    assert result.exit_code == 1
    assert "known_inflammatory_disease = yes geeft self_care" in result.stdout
    assert " gives " not in result.stdout
    assert "Opmerkingen (geen fout):" in result.stdout
    assert "gaat altijd af samen met" in result.stdout


def test_a_question_nothing_uses_is_found(data_copy: Path) -> None:
    ruleset = _edit(
        data_copy, 'kind = "side"\ninformational = true\n', 'kind = "side"\n', "questions.toml"
    )
    findings = _findings(ruleset, "every_question_counts")
    assert [f.message.split()[1] for f in findings] == ["side"]


# --- the encoding agrees with the engine ----------------------------------------------------

SPACE = Space(RULESET, "x")
RUN = Run(SPACE)
WHOLE = Run(SPACE, settled_stop=False)
NO_SETTLED_STOP = RULESET.replace(
    questionnaire=RULESET.questionnaire.replace(settled_stop_from=None)
)
SOLVER = z3.Solver()


def _model(answers: dict[str, Value]) -> object:
    SOLVER.push()
    SOLVER.add(*(SPACE.values[q] == encode(RULESET, q, v) for q, v in answers.items()))
    assert SOLVER.check() == z3.sat
    model = SOLVER.model()
    SOLVER.pop()
    return model


def _value(model: object, formula: object) -> object:
    return model.eval(formula, model_completion=True)  # type: ignore[attr-defined]


@given(st.one_of(full_answers(), full_answers(realistic=True)))
def test_the_encoding_decides_as_the_engine(answers: dict[str, Value]) -> None:
    model = _model(answers)
    walk = reach(RULESET, answers)
    reached = [q for q in RULESET.questionnaire.ids if z3.is_true(_value(model, RUN.reached[q]))]
    assert reached == list(walk.reached)
    decision = decide(walk.answers, RULESET)
    fired = {r.id for r in RULESET.rules if z3.is_true(_value(model, RUN.fired[r.id]))}
    assert fired == {f.rule.id for f in decision.fired}
    assert _value(model, RUN.urgency).as_long() == decision.disposition.urgency  # type: ignore[attr-defined]
    deciding = [r.id for r in RULESET.rules if z3.is_true(_value(model, RUN.deciding[r.id]))]
    assert deciding == [decision.fired[0].rule.id]
    whole = decide(reach(NO_SETTLED_STOP, answers).answers, NO_SETTLED_STOP)
    assert _value(model, WHOLE.urgency).as_long() == whole.disposition.urgency  # type: ignore[attr-defined]


# --- the verdict is the program's, never the data's -------------------------------------


# --- coherent and reachable ---------------------------------------------------------------


def test_a_red_flag_downgraded_below_its_safety_net_sign_is_incoherent(proved_data: Path) -> None:
    """The reviewers' seed D: saddle numbness to routine, while the safety net says to
    call the GP at once for it."""
    move_rule_to_section_end(proved_data, "cauda_equina", "gp_routine")
    ruleset = load_ruleset(proved_data)
    (finding,) = _findings(ruleset, "coherent")
    assert "nerves (gp_immediately)" in finding.message
    assert "rule cauda_equina fired, and the advice is gp_" in finding.message
    assert finding.answers is not None
    assessment = evaluate(finding.answers, ruleset, today=TODAY)
    assert "cauda_equina" in [r.id for r in assessment.rules], "triage assess confirms"
    assert assessment.disposition.urgency > Disposition.GP_IMMEDIATELY.urgency
    assert any("numbness" in sign for sign in assessment.safety_net.gp_immediately)


def test_a_rule_age_raised_past_its_questions_ask_when_is_found(proved_data: Path) -> None:
    """The reviewers' edit 1: fall_older from 70 while osteoporosis is asked only under 65."""
    replace_in(proved_data, [FALL_AGE_TO_70])
    ruleset = load_ruleset(proved_data)
    (unreached,) = _findings(ruleset, "reachable")
    assert unreached.message.startswith("rule fall_older can never fire")
    assert "never asks osteoporosis" in unreached.message
    assert unreached.answers is not None
    assert 65 <= int(unreached.answers["age"]) < 70
    assert unreached.answers["osteoporosis"] == "yes"
    (incoherent,) = _findings(ruleset, "coherent")
    assert "fall_older (gp_immediately)" in incoherent.message
    assert "recent_fall = yes" in incoherent.message
    assert incoherent.answers is not None
    assessment = evaluate(incoherent.answers, ruleset, today=TODAY)
    assert assessment.disposition.urgency > Disposition.GP_IMMEDIATELY.urgency
    assert "fall_older" not in [r.id for r in assessment.rules]


def test_the_english_texts_of_the_findings_are_the_messages_of_the_code() -> None:
    from triage.model import Language
    from triage.proofs.properties import MESSAGES

    texts = RULESET.texts[Language.EN]
    for key, message in MESSAGES.items():
        assert texts.entries[f"verify.finding_{key}"] == message, key
