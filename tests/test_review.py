"""`triage review`: the review pack the GP and the manual therapist sign, as valid HTML
(checked by html5lib's strict parser and drawn by headless Chromium) and as Markdown."""

from __future__ import annotations

import html
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import ROOT, clinical_cases
from triage.cli import app
from triage.loader import load_ruleset
from triage.model import Ruleset

CASES = ROOT / "tests" / "clinical_cases.toml"
runner = CliRunner()


def _review(*args: str) -> Result:
    return runner.invoke(app, ["review", *args], env={"LC_ALL": "en_GB.UTF-8"})


@pytest.fixture(scope="module")
def pack() -> str:
    result = _review("--cases", str(CASES))
    assert result.exit_code == 0, result.output
    return result.stdout


def _strict_parse(page: str) -> object:
    html5lib = pytest.importorskip("html5lib")
    parser = html5lib.HTMLParser(strict=True)
    return parser.parse(page)  # raises ParseError at the first HTML mistake


def test_the_pack_is_valid_html(pack: str) -> None:
    _strict_parse(pack)
    assert pack.startswith("<!DOCTYPE html>")
    assert "<script" not in pack
    assert "http" not in pack.split("<body>", maxsplit=1)[0], "self-contained: nothing fetched"


def test_the_pack_has_every_rule_with_its_parts(pack: str, ruleset: Ruleset) -> None:
    from triage.formats.catalog import condition_questions
    from triage.model import Language

    texts = ruleset.texts[Language.EN]
    for rule in ruleset.rules:
        assert f'id="rule-{rule.id}"' in pack
    fall = pack.split('id="rule-fall_older"')[1].split('<div class="rule"', maxsplit=1)[0]
    (rule,) = [r for r in ruleset.rules if r.id == "fall_older"]
    for question in condition_questions(rule.when, ruleset, texts):
        assert question["id"] in fall
        assert question["text"].replace('"', "&quot;") in fall
    assert "age &lt; 65" in fall, "when osteoporosis is asked"
    assert "NHS hip fracture" in fall
    reaching = [c["name"] for c in clinical_cases()["case"] if "fall_older" in c.get("rules", [])]
    assert reaching, "the clinical cases reach fall_older"
    for name in reaching:
        assert html.escape(name) in fall, "each clinical case that reaches it"
    for heading in (
        "Proof of the safety properties",
        "What the case set leaves untested",
        "Decisions for confirmation",
        "Sign-off",
    ):
        assert f"<h2>{heading}</h2>" in pack
    assert ruleset.info.sha256 in pack.split("<h2>Sign-off</h2>")[1]
    assert "Manual therapist" in pack


def test_every_clinical_case_is_decided_in_the_pack_as_the_tests_decide_it(
    pack: str, ruleset: Ruleset
) -> None:
    """The pack reads the case file as the clinical tests do: a case that gives a version 2
    combined answer (steroids_or_alcohol) is decided, not refused beside its base's parts."""
    from triage.review import read_cases

    results = read_cases(CASES, ruleset)
    assert len(results) == len(clinical_cases()["case"])
    assert [c.name for c in results if c.problem is not None] == []
    assert [c.name for c in results if not c.as_expected] == []
    assert "could not be decided" not in pack


def test_the_pack_says_what_the_cases_leave_untested(tmp_path: Path) -> None:
    cases = tmp_path / "cases.toml"
    cases.write_text(
        '[[case]]\nname = "one case"\nanswers = { fall_cannot_bear_weight = "yes" }\n'
        'expect = "gp_immediately"\n'
    )
    result = _review("--cases", str(cases), "--format", "markdown")
    assert result.exit_code == 0, result.output
    untested = result.stdout.split("## What the case set leaves untested")[1]
    assert "Rules no case reaches: leg\\_deformed" in untested
    assert "expects gp\\_immediately, the rules give call\\_112" in untested
    assert "Dispositions no case expects: call\\_112" in untested


def test_every_data_text_is_escaped(data_copy: Path) -> None:
    hostile = '<script>alert(1)</script> & "<b>'
    rules = data_copy / "rules.toml"
    rules.write_text(rules.read_text().replace('source = "NHG M55"', f"source = '{hostile}'", 1))
    lang = data_copy / "lang" / "en.toml"
    lang.write_text(
        lang.read_text().replace(
            'text = "there is numbness around the anus',
            'text = "<img src=x onerror=alert(1)> there is numbness around the anus',
            1,
        )
    )
    load_ruleset(data_copy)
    # The texts are the subject, not the proof: a short one is enough (the pack says
    # NOT PROVED for what it left undecided).
    result = _review("--data", str(data_copy), "--time-limit", "0.5")
    assert result.exit_code == 0, result.output
    _strict_parse(result.stdout)
    assert "<script>" not in result.stdout
    assert "<img" not in result.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;&lt;b&gt;" in result.stdout
    pack = _review("--data", str(data_copy), "--format", "markdown", "--time-limit", "0.5")
    markdown = pack.stdout
    assert "<script>" not in markdown
    assert "<img" not in markdown


def test_without_the_solver_the_pack_says_not_proved(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    for name in [
        m for m in sys.modules if m.startswith(("triage.proofs", "triage.formats.proofs", "z3"))
    ]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "z3", None)
    result = _review("--format", "markdown")
    assert result.exit_code == 0
    proof = result.stdout.split("## Proof of the safety properties")[1].split("## ")[0]
    assert "NOT PROVED" in proof
    assert "proved" not in proof.replace("NOT PROVED", "").replace("not proved", "")


def test_the_pack_in_dutch() -> None:
    result = _review("--lang", "nl", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Beoordeling van de regeltabel")
    assert "## Ondertekening" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[case]\n", "not a TOML case file"),
        ('case = "x"\n', "a case file has [[case]] entries"),
        ('[[case]]\nname = "x"\nanswers = {}\nwhat = 1\n', "unknown key 'what'"),
    ],
)
def test_a_bad_case_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    cases = tmp_path / "cases.toml"
    cases.write_text(content)
    result = _review("--cases", str(cases))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


# --- drawn by a browser ---------------------------------------------------------------------


def _png_size_and_colours(png: bytes) -> tuple[int, int, int]:
    """The width, height and number of distinct byte values of a PNG's pixel data."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    data, at = b"", 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        if kind == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    return width, height, len(set(zlib.decompress(data)))


def test_the_pack_draws_in_a_browser(pack: str, tmp_path: Path) -> None:
    """Headless Chromium (Debian's `chromium`; .ci/run installs it) draws the page: the
    screenshot has the window's size and more than a blank page's colours."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (.ci/run installs it with apt-get)")
    page = tmp_path / "review.html"
    page.write_text(pack, encoding="utf-8")
    shot = tmp_path / "review.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1200,1800",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    width, height, colours = _png_size_and_colours(shot.read_bytes())
    assert (width, height) == (1200, 1800)
    assert colours > 50, "the page is drawn, not blank"
