"""The clinician and tester tools: questions, rules, explain, validate, --report."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner, Result

from tests.conftest import ROOT, adult
from tests.edits import RED_FLAG_TO_SELF_CARE, replace_in
from triage.answers import normalize
from triage.cli import app
from triage.evaluate import evaluate
from triage.explain import explain
from triage.model import Ruleset

EXAMPLE = ROOT / "examples" / "early_hip_oa.json"
runner = CliRunner()

RECENT_PROCEDURE_FOR_AN_OLDER_LIMP = (
    'when.any = [ { question = "recent_hip_operation", op = "is", value = "yes" }, '
    '{ question = "recent_hip_injection", op = "is", value = "yes" }, ]',
    'when.all = [{ question = "limp", op = "is", value = "yes" }, '
    '{ question = "age", op = ">=", value = 65 }]',
)
"""The rule recent_procedure (v3) given a condition the walk never gives: a limp from 65,
while limp is asked only under 18."""


def _run(*args: str, input: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=input, env={"LC_ALL": "en_GB.UTF-8"})


def test_questions_table_lists_every_id(ruleset: Ruleset) -> None:
    result = _run("questions")
    assert result.exit_code == 0
    for question_id in ("groin_pain", "osteoporosis", "daily_activities_limited"):
        assert question_id in result.stdout


def test_questions_json(ruleset: Ruleset) -> None:
    rows = json.loads(_run("questions", "--format", "json", "--lang", "nl").stdout)
    assert [r["id"] for r in rows] == list(ruleset.questionnaire.ids)
    osteoporosis = next(r for r in rows if r["id"] == "osteoporosis")
    assert osteoporosis["asked_when"] == "recent_fall is yes en age < 65", "in Dutch"
    assert osteoporosis["values"] == ["yes", "no", "unknown"]
    assert osteoporosis["text"].startswith("Een arts heeft gezegd dat de botten broos zijn")
    age = next(r for r in rows if r["id"] == "age")
    assert (age["minimum"], age["maximum"]) == (0, 120)


def test_the_answers_schema_accepts_the_example_and_rejects_mistakes() -> None:
    schema = json.loads(_run("questions", "--format", "schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(json.loads(EXAMPLE.read_text()))
    assert validator.is_valid(
        {**json.loads(EXAMPLE.read_text()), "groin_pain": True, "age": "64", "trend": "unknown"}
    )
    assert not validator.is_valid({"groin_pain": True, "age": "64"}), "answers are missing"
    assert not validator.is_valid({"grion_pain": "yes"})
    assert not validator.is_valid({"age": 121})
    assert not validator.is_valid({"duration": "3_weeks"})


def test_rules_table_shows_ids_conditions_and_sources() -> None:
    result = _run("rules")
    assert result.exit_code == 0
    assert "fall_no_weight" in result.stdout
    assert "NHG M55" in result.stdout


def _drawn_rules(ruleset: Ruleset, lang: str, width: int, *, wording: bool = False) -> str:
    import io

    from rich.console import Console

    from triage.model import Language
    from triage.terminal.render import rules_table

    file = io.StringIO()
    console = Console(file=file, width=width, color_system=None)
    console.print(rules_table(ruleset, ruleset.texts[Language(lang)], wording=wording))
    return file.getvalue()


def _flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


@pytest.mark.parametrize("width", [40, 60, 80, 100])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_rules_table_reads_at_any_narrow_width(ruleset: Ruleset, lang: str, width: int) -> None:
    """The GP's finding: at 80 columns (in Dutch) the condition, advice and source columns
    had no width. Narrow, each rule is drawn whole, a rule at a time."""
    from triage.formats.catalog import rules_json
    from triage.model import Language

    drawn = _drawn_rules(ruleset, lang, width)
    assert max(len(line) for line in drawn.splitlines()) <= width
    flat = _flat(drawn)
    for rule in rules_json(ruleset, Language(lang)):
        assert _flat(f"{rule['id']} → {rule['disposition']}") in flat
        assert _flat(str(rule["when"])) in flat, rule["id"]
        assert _flat(str(rule["source"])) in flat, rule["id"]
    for sign in ruleset.safety_net:
        assert _flat(ruleset.texts[Language(lang)](f"safety_net.{sign.id}.text")) in flat


@pytest.mark.parametrize("width", [110, 160, 240])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_wide_rules_table_gives_every_column_room(
    ruleset: Ruleset, lang: str, width: int
) -> None:
    """Wide, a row a rule: its id whole, and its disposition whole on the same line."""
    drawn = _drawn_rules(ruleset, lang, width)
    lines = drawn.splitlines()
    assert max(len(line) for line in lines) <= width
    for rule in ruleset.rules:
        assert any(
            f" {rule.id} " in line and f" {rule.disposition.value} " in line for line in lines
        ), rule.id


@pytest.mark.parametrize("view", ["table", "markdown", "json"])
def test_every_rule_view_can_show_the_questions_as_asked_and_when(
    ruleset: Ruleset, view: str
) -> None:
    """fall_older: its questions' wording, and that osteoporosis is asked only under 65."""
    from triage.model import Language

    texts = ruleset.texts[Language.EN]
    if view == "table":
        shown = _flat(_drawn_rules(ruleset, "en", 80, wording=True))
    elif view == "markdown":
        shown = _flat(_run("rules", "--wording", "--format", "markdown").stdout)
    else:
        document = json.loads(_run("rules", "--format", "json").stdout)
        (fall,) = [r for r in document["rules"] if r["id"] == "fall_older"]
        shown = _flat(json.dumps(fall["questions"], ensure_ascii=False))
    for question in ("recent_fall", "osteoporosis"):
        assert _flat(texts(f"question.{question}.text")) in shown, question
    assert "recent_fall is yes and age < 65" in shown


def test_rules_json_has_every_rule_with_source_and_both_reasons(ruleset: Ruleset) -> None:
    document = json.loads(_run("rules", "--format", "json").stdout)
    assert document["sha256"] == ruleset.info.sha256
    assert [r["id"] for r in document["rules"]] == [r.id for r in ruleset.rules]
    fall = next(r for r in document["rules"] if r["id"] == "fall_older")
    assert fall["when"] == (
        "recent_fall is yes and (age ≥ 65 or osteoporosis is yes) and fall_pain_walking is yes"
    )
    assert fall["source"].startswith("NHS hip fracture")
    assert set(fall["reason"]) == {"en", "nl"}


def test_rules_markdown_and_mermaid(ruleset: Ruleset) -> None:
    markdown = _run("rules", "--format", "markdown").stdout
    mermaid = _run("rules", "--format", "mermaid").stdout
    assert mermaid.startswith("flowchart LR\n")
    for rule in ruleset.rules:
        assert f"| {rule.id} |" in markdown
        assert rule.id in mermaid
    for disposition in ("call_112", "manual_therapist", "self_care"):
        assert f"        d_{disposition}[" in mermaid
    for heading in ("## Notes", "## Safety net", "## Settings", "## Early stops"):
        assert heading in markdown
    assert "the most urgent decides" in markdown
    stop_from = ruleset.questionnaire.settled_stop_from
    stop_at = ruleset.settings.settled_stop_at.value
    assert stop_from is not None, "the v3 questionnaire names the settled stop's group"
    assert (
        f"Settled stop: from the end of the group {stop_from} on, the walk ends after a group "
        f"once the advice is certain to be {stop_at} or more urgent"
    ) in markdown


def test_the_rule_outputs_speak_dutch() -> None:
    markdown = _run("rules", "--format", "markdown", "--lang", "nl").stdout
    assert markdown.startswith("# Regeltabel ")
    assert "| regel | gaat af als | advies | bron |" in markdown
    assert "recent_fall is yes en (age ≥ 65 of osteoporosis is yes)" in markdown
    for heading in ("## Notities", "## Vangnet", "## Instellingen", "## Vroege stops"):
        assert heading in markdown
    table = _run("rules", "--lang", "nl").stdout
    assert "Regeltabel" in table
    assert "gaat af als" in table
    assert "Gaan meerdere regels af, dan beslist de meest dringende" in " ".join(table.split())
    mermaid = _run("rules", "--format", "mermaid", "--lang", "nl").stdout
    assert "voor iedereen nagekeken" in mermaid
    explained = _run("explain", "-a", str(EXAMPLE), "--lang", "nl").stdout
    assert "Besluit: manual_therapist (bepaald door persisting_or_limiting)" in explained
    assert "Daartoe leidden: " in explained
    questions = _run("questions", "--lang", "nl").stdout
    assert "Vragen" in questions
    assert "gevraagd als" in questions


def test_the_rules_json_has_the_whole_table(ruleset: Ruleset) -> None:
    document = json.loads(_run("rules", "--format", "json").stdout)
    assert document["principle"].startswith("When several rules fire, the most urgent decides")
    assert [n["id"] for n in document["notes"]][:2] == ["oa_picture", "stiffness_30_to_60"]
    assert document["safety_net"][0]["covers"] == ["fall_no_weight", "leg_deformed"]
    assert document["settings"]["self_care_window_ends_at"] == "3_to_6_weeks"
    assert document["settings"]["settled_stop_at"] == ruleset.settings.settled_stop_at.value
    assert document["settings"]["settled_stop_at"] == "gp_within_24_hours", "contract v3"
    assert len(document["stops"]) == 2


MERMAID_PARSER = ROOT / ".ci" / "mermaid"
"""Where .ci/run installs mermaid's own parser (npm: mermaid and jsdom)."""


@pytest.mark.skipif(
    not (MERMAID_PARSER / "node_modules" / "mermaid").is_dir(),
    reason="mermaid's parser is not installed (.ci/run installs it with npm)",
)
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_mermaid_parses_with_mermaids_own_parser(lang: str, data_copy: Path) -> None:
    """Also with a section named `end`, a mermaid keyword that once broke the chart."""
    import subprocess

    rules = data_copy / "rules.toml"
    rules.write_text(rules.read_text().replace('"children"', '"end"'))
    for lang_file in (data_copy / "lang").glob("*.toml"):
        lang_file.write_text(lang_file.read_text().replace("[section.children]", "[section.end]"))
    chart = _run("--data", str(data_copy), "rules", "--format", "mermaid", "--lang", lang).stdout
    assert "s_end" in chart
    parsed = subprocess.run(
        ["node", str(MERMAID_PARSER / "parse.mjs")],
        input=chart,
        capture_output=True,
        text=True,
        check=False,
        cwd=MERMAID_PARSER,
    )
    assert parsed.stdout.strip() == "ok", parsed.stdout + parsed.stderr


def test_explain_shows_the_path_and_what_decided() -> None:
    result = _run("explain", "--answers", str(EXAMPLE), "--answer", "fever_or_unwell=unknown")
    assert result.exit_code == 0, result.stderr
    assert "Decision: gp_within_24_hours (decided by unknown_urgent)" in result.stdout
    assert "infection → gp_immediately: possibly" in result.stdout
    assert "What if" in result.stdout


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"fever_or_unwell": "unknown"},
        {
            "age": 70,
            "recent_fall": "yes",
            "anticoagulant": "no",
            "head_injury": "no",
            "fall_pain_walking": "no",
        },
        {"duration": "under_1_week", "daily_activities_limited": "no"},
        {"age": 12, "limp": "no"},
        {"groin_lump": "unknown", "lump_hard_painful": "no", "walking_calf_pain": "unknown"},
    ],
)
def test_every_what_if_really_changes_the_disposition(
    ruleset: Ruleset, changes: dict[str, object]
) -> None:
    answers = normalize({**adult(), **changes}, ruleset.questionnaire)
    explanation = explain(answers, ruleset)
    assert explanation.what_ifs, "some single change always changes the advice"
    for change in explanation.what_ifs:
        changed = {**answers, change.question: change.becomes}
        result = evaluate(changed, ruleset)
        assert result.disposition is change.disposition
        assert result.disposition is not explanation.disposition


def test_explain_tries_the_emergency_screen_too(ruleset: Ruleset) -> None:
    """An emergency stops the walk; the what-ifs still try the answers given after it."""
    answers = normalize(adult(cold_pale_leg="yes"), ruleset.questionnaire)
    explanation = explain(answers, ruleset)
    assert explanation.disposition.value == "call_112"
    assert explanation.what_ifs[0].question == "cold_pale_leg"
    assert explanation.what_ifs[0].becomes == "no"
    assert explanation.what_ifs[0].disposition.value == "self_care"
    assert "groin_pain" in explanation.ignored, "answers after the stop are named as ignored"
    result = _run("explain", "--answer", "cold_pale_leg=yes")
    assert "need answers that were not given" in result.stdout
    assert "cold_pale_leg = no needs" in result.stdout.replace("\n", " ")


def test_what_ifs_turn_a_yes_round_before_making_an_answer_unknown(ruleset: Ruleset) -> None:
    answers = normalize(adult(fever_or_unwell="yes"), ruleset.questionnaire)
    explanation = explain(answers, ruleset)
    less = [w for w in explanation.what_ifs if w.disposition.urgency > 1]
    assert (less[0].question, less[0].becomes) == ("fever_or_unwell", "no")
    ranks = [w.plausibility for w in less]
    assert ranks == sorted(ranks), "the most plausible changes first"
    assert len(less) <= 3


def test_explain_says_what_led_to_self_care(ruleset: Ruleset) -> None:
    changes = ["duration=1_to_3_weeks", "daily_activities_limited=no", "trend=improving"]
    args = ["explain", "-a", str(EXAMPLE), *(f"--answer={c}" for c in changes)]
    result = runner.invoke(app, args, env={"LC_ALL": "en_GB.UTF-8", "COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    lines = [line.strip("│├└─ ") for line in result.stdout.splitlines()]
    assert "Decision: self_care (decided by short_and_settling)" in lines
    assert (
        "persisting_or_limiting → manual_therapist: did not fire; looked at "
        "duration = 1_to_3_weeks, trend = improving, daily_activities_limited = no"
    ) in lines
    assert any(
        line.startswith("checked, did not fire: fall_no_weight, leg_deformed") for line in lines
    )
    assert (
        "What if daily_activities_limited were yes instead of no? Then manual_therapist "
        "(more urgent)."
    ) in lines


def test_explain_json() -> None:
    document = json.loads(_run("explain", "-a", str(EXAMPLE), "-f", "json").stdout)
    assert document["disposition"] == "manual_therapist"
    assert [s["id"] for s in document["sections"]] == [
        "red_flags",
        "children",
        "unknown",
        "no_red_flags",
    ]


def test_explain_needs_every_answer() -> None:
    result = _run("explain", "--answer", "age=50")
    assert result.exit_code == 2
    assert "missing answers" in result.stderr


def test_validate_the_shipped_data(ruleset: Ruleset) -> None:
    """The shipped (v3) data loads, passes every check and proves every property (the v2
    data's one `coherent` finding is gone)."""
    result = _run("validate")
    assert result.exit_code == 0, result.stdout
    assert not any(line.startswith("error:") for line in result.stdout.splitlines())
    assert result.stdout.splitlines()[-1] == (
        "ok: no mistakes found, and the safety properties are proved"
    )
    assert f"{len(ruleset.rules)} rules" in result.stdout
    assert ruleset.info.sha256 in result.stdout


def _without_the_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    for name in [m for m in sys.modules if m.startswith(("triage.proofs", "z3"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "z3", None)


def test_validate_without_the_solver_never_says_ok(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A red flag sent to self-care, checked where the solver is missing: the checks that
    ran find nothing, and validate says plainly that the properties were not proved."""
    replace_in(data_copy, [RED_FLAG_TO_SELF_CARE])
    _without_the_solver(monkeypatch)
    result = _run("validate", str(data_copy))
    assert result.exit_code == 1
    assert not any(line.startswith("ok") for line in result.stdout.splitlines())
    assert "NOT PROVED" in result.stdout
    assert "were NOT proved" in result.stdout
    assert "pip install z3-solver" in result.stdout


def test_validate_says_ok_only_with_the_properties_proved(proved_data: Path) -> None:
    pytest.importorskip("z3")
    result = _run("validate", str(proved_data))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "ok: no mistakes found, and the safety properties are proved"
    )


@pytest.mark.parametrize("command", ["verify", "validate", "rules", "batch", "review"])
def test_help_shows_the_docstring_whole(command: str) -> None:
    """typer's rich markup must not eat words in brackets (it ate `[verify]` of
    `pip install z3-solver`)."""
    (callback,) = [
        c.callback
        for c in app.registered_commands
        if c.callback is not None and c.callback.__name__ == command
    ]
    doc = " ".join((callback.__doc__ or "").split())
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    shown = " ".join(result.stdout.replace("│", " ").split())
    for sentence in doc.split(". "):
        assert sentence.strip(" .") in shown, sentence


def test_validate_an_edited_copy_follows_its_hash(proved_data: Path, ruleset: Ruleset) -> None:
    lang = proved_data / "lang" / "en.toml"
    lang.write_text(lang.read_text().replace("Call 112 now.", "Call 112 now!"))
    result = _run("validate", str(proved_data))
    assert result.exit_code == 0
    assert ruleset.info.sha256 not in result.stdout


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "rules.toml",
            'disposition = "call_112"',
            'disposition = "call_113"',
            "rules.toml: rule 'fall_no_weight': unknown disposition 'call_113'",
        ),
        (
            "questions.toml",
            'id = "groin_pain"',
            'id = "groin_pain"\nextra = 1',
            "questions.toml: question 'groin_pain': unknown key 'extra'",
        ),
        ("lang/nl.toml", "[question.trend]", "[question.trends]", "lang/nl.toml: question.trend"),
    ],
)
def test_validate_names_each_mistake(
    data_copy: Path, file: str, old: str, new: str, message: str
) -> None:
    path = data_copy / file
    path.write_text(path.read_text().replace(old, new, 1))
    result = _run("validate", str(data_copy))
    assert result.exit_code == 2
    assert f"error: {message}" in result.stdout
    assert "Traceback" not in result.output


def test_validate_reports_every_mistake_of_data_that_loads(
    data_copy: Path, ruleset: Ruleset
) -> None:
    """Four seeded mistakes, each found in one run with its file and entry: every question
    asked for the summary only loses its mark, texts name the self-care window, a rule
    gets a condition the walk never gives (limp is asked only under 18), and a question an
    `ask_when` that FHIR's enableWhen cannot write. (One data set for the four: `validate`
    proves every property of it, the costly part, once.)"""
    (first_informational, *_) = [q.id for q in ruleset.questionnaire.questions if q.informational]
    questions = data_copy / "questions.toml"
    questions.write_text(questions.read_text().replace("informational = true\n", ""))
    for language, old, new in (
        ("en", "The pain has lasted {answer}.", "The pain has lasted three weeks or more."),
        ("nl", "De pijn duurt al {answer}.", "De pijn duurt al 3 weken of langer."),
    ):
        path = data_copy / "lang" / f"{language}.toml"
        path.write_text(path.read_text().replace(old, new))
    replace_in(data_copy, [RECENT_PROCEDURE_FOR_AN_OLDER_LIMP])
    _set_ask_when(questions, "anticoagulant", FHIR_CANNOT_WRITE)
    result = _run("validate", str(data_copy))
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("error: ")]
    assert any(
        line.startswith("error: questions.toml: question 'anticoagulant' ask_when: ")
        and "FHIR enableWhen" in line
        for line in errors
    )
    errors = [line for line in errors if "'anticoagulant' ask_when" not in line]
    assert f"error: questions.toml: question '{first_informational}': no rule, note" in errors[0]
    assert any(
        line.startswith(
            "error: lang/en.toml: rule.persisting_or_limiting.because.duration: says 'three weeks'"
        )
        for line in errors
    )
    assert any(line.startswith("error: lang/nl.toml:") and "'3 weken'" in line for line in errors)
    assert any("rule recent_procedure can never fire" in line for line in errors)
    assert result.stderr.strip() == f"{len(errors) + 1} mistakes"


def test_validate_reports_every_mistake_of_data_that_does_not_load(data_copy: Path) -> None:
    rules = data_copy / "rules.toml"
    text = rules.read_text()
    text = text.replace('question = "cold_pale_leg"', 'question = "cold_pale_lg"', 1)
    text = text.replace('question = "groin_lump", op', 'question = "grion_lump", op', 1)
    rules.write_text(text)
    nl = data_copy / "lang" / "nl.toml"
    nl.write_text(nl.read_text().replace("{because} Een manueel", "{omdat} Een manueel"))
    result = _run("validate", str(data_copy))
    assert result.exit_code == 2
    errors = result.stdout.splitlines()
    assert len(errors) == 2, "the texts are checked once the rules load"
    assert "unknown question 'cold_pale_lg'" in errors[0]
    assert "did you mean 'cold_pale_leg'" in errors[0]
    assert "unknown question 'grion_lump'" in errors[1]
    rules.write_text(
        rules.read_text()
        .replace("cold_pale_lg", "cold_pale_leg")
        .replace("grion_lump", "groin_lump")
    )
    result = _run("validate", str(data_copy))
    assert result.stdout.splitlines() == [
        "error: lang/nl.toml: rule.persisting_or_limiting.reason: uses the fields ['omdat'] "
        "where the text should use ['because'] (as every language does)"
    ], "the file that was edited is blamed, not the other language"


FHIR_CANNOT_WRITE = (
    'ask_when.any = [{ all = [{ question = "recent_fall", op = "is", value = "yes" }, '
    '{ question = "age", op = ">=", value = 65 }] }, '
    '{ question = "age", op = ">=", value = 80 }]'
)
"""An `ask_when` that FHIR's enableWhen cannot write (an "all" inside an "any")."""


def _set_ask_when(questions: Path, question_id: str, ask_when: str) -> None:
    """Give a question of a copied questions.toml another one-line `ask_when`."""
    text = questions.read_text()
    start = text.index(f'id = "{question_id}"\n')
    line = text.index("ask_when", start)
    following = text.find("[[question]]", start)
    assert following == -1 or line < following, f"{question_id} has an ask_when"
    text = text[:line] + ask_when + text[text.index("\n", line) :]
    questions.write_text(text)


def test_a_global_data_folder_works_for_every_command(data_copy: Path) -> None:
    rules = data_copy / "rules.toml"
    rules.write_text(rules.read_text().replace('source = "NHG M55"', 'source = "NHG M55 (2024)"'))
    result = _run("--data", str(data_copy), "rules", "--format", "json")
    assert "NHG M55 (2024)" in result.stdout


def test_report_writes_the_summary(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    result = _run("assess", "-a", str(EXAMPLE), "-f", "json", "--report", str(target))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["disposition"] == "manual_therapist"
    assert target.read_text().startswith("# Hip pain self-check: summary")
    again = _run("assess", "-a", str(EXAMPLE), "--report", str(target))
    assert again.exit_code == 2
    assert "--force" in again.stderr
    target.write_text("old")
    forced = _run("assess", "-a", str(EXAMPLE), "--report", str(target), "--force")
    assert forced.exit_code == 0
    assert target.read_text() != "old"


def test_report_into_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = _run("assess", "-a", str(EXAMPLE), "--report", str(tmp_path / "no" / "x.md"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def _what_ifs(answers: Mapping[str, object], ruleset: Ruleset) -> list[tuple[str, object, str]]:
    expl = explain(normalize(answers, ruleset.questionnaire), ruleset)
    return [(w.question, w.becomes, w.disposition.value) for w in expl.what_ifs]


def test_explain_shows_the_age_limit_that_decides(ruleset: Ruleset) -> None:
    """The GP's c09: 40, a fall, walking hurts more: from 50 the fall would be urgent."""
    answers = adult(
        age=40,
        recent_fall="yes",
        osteoporosis="no",
        anticoagulant="no",
        head_injury="no",
        fall_pain_walking="yes",
    )
    assert ("age", 50, "gp_within_24_hours") in _what_ifs(answers, ruleset)


def _avulsion_from_age(ruleset: Ruleset) -> int:
    """The youngest age of the apophyseal-avulsion rule (a sport injury during growth)."""
    from triage.conditions import tests_in

    (rule,) = [r for r in ruleset.rules if r.id == "apophyseal_avulsion"]
    (youngest,) = [t.values[0] for t in tests_in(rule.when) if t.question == "age" and t.op == ">="]
    assert isinstance(youngest, int)
    return youngest


def test_explain_offers_the_nearest_ages_one_a_question(ruleset: Ruleset) -> None:
    """A child of 14 hurt at sport: a year under the avulsion ages the advice is less
    urgent, and so it is at 2 or 3; only the nearest age is offered."""
    answers = adult(respondent="child", age=14, limp="no", sport_injury="yes")
    below = _avulsion_from_age(ruleset) - 1
    expl = explain(normalize(answers, ruleset.questionnaire), ruleset, every=True)
    every_age = {w.becomes: w.disposition for w in expl.what_ifs if w.question == "age"}
    assert {below, 2, 3} <= set(every_age), "ages further away change the advice alike"
    assert every_age[2] is every_age[3] is every_age[below]
    ages = [becomes for question, becomes, _ in _what_ifs(answers, ruleset) if question == "age"]
    assert ages == [below], "an age limit decides here: its nearest age only"


def test_explain_never_says_no_change_matters_when_changes_need_more_answers() -> None:
    result = _run("explain", "--answer", "cold_pale_leg=yes")
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert "No single changed answer changes the disposition" not in flat
    assert "need answers that were not given" in flat
    assert "cold_pale_leg = no needs" in flat


def test_explain_all_gives_every_what_if() -> None:
    short = json.loads(_run("explain", "-a", str(EXAMPLE), "-f", "json").stdout)
    every = json.loads(_run("explain", "-a", str(EXAMPLE), "-f", "json", "--all").stdout)
    assert len(every["what_ifs"]) > len(short["what_ifs"])
    assert all(w in every["what_ifs"] for w in short["what_ifs"])


def test_explain_never_offers_an_impossible_answer_set(ruleset: Ruleset) -> None:
    """c17: the parent of a child of 8 was offered 'age 18 -> self_care'. The same answers
    given by the child itself do change at 18; the parent is offered ages under 18 only."""
    answers = adult(respondent="child", age=8, limp="no")
    expl = explain(normalize(answers, ruleset.questionnaire), ruleset, every=True)
    every_age = [w.becomes for w in expl.what_ifs if w.question == "age"]
    assert every_age, "an age limit under 18 changes the advice"
    assert all(isinstance(a, int) and a < 18 for a in every_age)
    own = normalize({**answers, "respondent": "self"}, ruleset.questionnaire)
    own_ages = [
        w.becomes for w in explain(own, ruleset, every=True).what_ifs if w.question == "age"
    ]
    assert 18 in own_ages, "for oneself, the advice changes at 18"


def _commands() -> list[str]:
    import typer

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", ["", *_commands()])
def test_every_option_help_is_shown_whole(command: str) -> None:
    """Rich markup ate `[default: ...]` and `[[case]]` from option help texts."""
    import typer

    group = typer.main.get_command(app)
    target = group.commands[command] if command else group  # type: ignore[attr-defined]
    args = [command, "--help"] if command else ["--help"]
    result = runner.invoke(app, args, env={"COLUMNS": "400"})
    assert result.exit_code == 0
    shown = _flat(result.stdout)
    for param in target.params:
        text = getattr(param, "help", None)
        if text:
            assert _flat(text.replace("\\[", "[")) in shown, (command, param.name)
