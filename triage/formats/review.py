"""The review pack the GP and the manual therapist sign before a release: one
self-contained HTML page (or Markdown) with every rule as a clinician reads it, the cases
that reach it, the proof, what the cases leave untested, the decisions to confirm and a
sign-off.

Two kinds of words: the pack's own (headings, verdicts) are the program's texts
(`words`), never the data's; the data's (conditions, wording, sources) are escaped where
they are written, so no text of a data folder can become markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from triage.formats.catalog import condition_questions
from triage.formats.describe import in_words
from triage.model import Rule, Ruleset, SectionKind, Texts
from triage.review import CaseResult, untested

if TYPE_CHECKING:
    from triage.proofs.properties import Proof


class Pack(NamedTuple):
    """What goes into a review pack."""

    ruleset: Ruleset
    texts: Texts
    """The data's texts, in the pack's language: what the person reads."""
    words: Texts
    """The program's own texts, in the same language: the pack's headings and verdicts."""
    cases: tuple[CaseResult, ...]
    proof: Proof | None
    decisions: str | None


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.45; color: #111; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 2px solid #333; margin-top: 2.5rem; }
h3 { margin-bottom: .3rem; } .rule { border: 1px solid #bbb; border-radius: 6px;
  padding: .4rem 1rem .8rem; margin: 1rem 0; page-break-inside: avoid; }
.disposition { font-weight: bold; padding: .1rem .5rem; border-radius: 4px;
  background: #eee; } .call_112, .gp_immediately { background: #f8d0d0; }
.gp_within_24_hours, .gp_within_days { background: #fbe7c0; }
dt { font-weight: bold; margin-top: .4rem; } dd { margin-left: 1.2rem; }
.failed { color: #a00; font-weight: bold; } .proved { color: #060; font-weight: bold; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #999;
  padding: .5rem; text-align: left; vertical-align: top; } .sign td { height: 2.5rem; }
code { background: #f3f3f3; padding: 0 .2rem; } .finding { margin-left: 2rem; }
"""


def to_html(pack: Pack) -> str:
    """The pack as one HTML page with its style inline: no script, nothing fetched."""
    words, info = pack.words, pack.ruleset.info
    title = _h(words("review.title", version=info.version))
    body = "\n".join(_html_blocks(pack))
    return (
        f'<!DOCTYPE html>\n<html lang="{pack.texts.language.value}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{title}</title>\n<style>{_STYLE}</style>\n'
        f"</head>\n<body>\n<h1>{title}</h1>\n{body}\n</body>\n</html>\n"
    )


def _h(text: object) -> str:
    """Text escaped for HTML, quotes included."""
    return html.escape(str(text), quote=True)


def _html_blocks(pack: Pack) -> Iterator[str]:
    words, info = pack.words, pack.ruleset.info
    yield f"<p>{_h(words('review.intro'))}</p>"
    yield f"<p><code>SHA-256 {_h(info.sha256)}</code></p>"
    yield f"<p>{_h(pack.texts('terms.principle'))}</p>"
    for section in pack.ruleset.sections:
        yield f"<h2>{_h(pack.texts(f'section.{section.id}.title'))} ({_h(section.id)})</h2>"
        if section.kind is SectionKind.FALLBACK:
            condition = in_words(section.applies_when, pack.texts)
            yield f"<p><em>{_h(pack.texts('terms.only_when', condition=condition))}</em></p>"
        for rule in section.rules:
            yield _html_rule(pack, rule)
    yield f"<h2>{_h(words('review.proofs'))}</h2>"
    for line in _proof_lines(pack, html_marks=True):
        finding = line.startswith("— ")
        yield f'<p class="finding">{line}</p>' if finding else f"<p>{line}</p>"
    yield f"<h2>{_h(words('review.untested'))}</h2>"
    yield "<ul>" + "".join(f"<li>{_h(line)}</li>" for line in _untested_lines(pack)) + "</ul>"
    yield f"<h2>{_h(words('review.decisions'))}</h2>"
    yield _html_decisions(pack)
    yield f"<h2>{_h(words('review.signoff'))}</h2>"
    yield from _html_signoff(pack)


def _html_rule(pack: Pack, rule: Rule) -> str:
    facts = [(label, _h(value)) for label, value in _rule_facts(pack, rule)]
    questions = condition_questions(rule.when, pack.ruleset, pack.texts)
    if questions:
        asked = pack.texts("terms.asked_when")
        items = "".join(
            f"<li><code>{_h(q['id'])}</code>: “{_h(q['text'])}” "
            f"<em>({_h(asked)}: {_h(q['asked_when'])})</em></li>"
            for q in questions
        )
        facts.insert(1, (pack.words("review.questions"), f"<ul>{items}</ul>"))
    lines = _net_lines(pack, rule)
    if lines:
        items = "".join(f"<li>{_h(line)}</li>" for line in lines)
        facts.append((pack.words("review.safety_net"), f"<ul>{items}</ul>"))
    cases = _case_lines(pack, rule)
    shown = "".join(f"<li>{_h(line)}</li>" for line in cases)
    empty = f"<em>{_h(pack.words('review.no_cases'))}</em>"
    facts.append((pack.words("review.cases"), f"<ul>{shown}</ul>" if cases else empty))
    body = "".join(f"<dt>{_h(label)}</dt><dd>{value}</dd>" for label, value in facts)
    disposition = rule.disposition.value
    return (
        f'<div class="rule" id="rule-{_h(rule.id)}"><h3><code>{_h(rule.id)}</code> → '
        f'<span class="disposition {_h(disposition)}">{_h(disposition)}</span></h3>'
        f"<dl>{body}</dl></div>"
    )


def _rule_facts(pack: Pack, rule: Rule) -> list[tuple[str, str]]:
    """A rule's facts in words: condition, reason, source, meanwhile line."""
    texts = pack.texts
    facts = [
        (texts("terms.fires_when"), in_words(rule.when, texts)),
        (
            pack.words("review.reason"),
            texts(f"rule.{rule.id}.reason", answers="…", because="…"),
        ),
        (texts("terms.source"), rule.source),
    ]
    if rule.meanwhile:
        facts.append((pack.words("review.meanwhile"), texts(f"meanwhile.{rule.meanwhile}.text")))
    return facts


def _net_lines(pack: Pack, rule: Rule) -> list[str]:
    """The safety-net lines that cover a rule: level, when it applies, what is said."""
    lines = []
    for sign in pack.ruleset.safety_net:
        if rule.id in sign.covers:
            applies = in_words(sign.applies_when, pack.texts)
            said = pack.texts(f"safety_net.{sign.id}.text")
            lines.append(f"{sign.level.value} ({applies}): {said}")
    return lines


def _case_lines(pack: Pack, rule: Rule) -> list[str]:
    """The cases in which a rule fires, and whether it decides them."""
    words = pack.words
    return [
        f"{case.name}: "
        + words(
            "review.case_decides" if case.decided_by == rule.id else "review.case_fires",
            disposition=str(case.disposition),
        )
        for case in pack.cases
        if rule.id in case.rules
    ]


def _proof_lines(pack: Pack, *, html_marks: bool = False) -> list[str]:
    """A line a property in the program's own words, with the findings of a failed one."""
    words = pack.words
    show = _h if html_marks else _md
    if pack.proof is None:  # no proof (no solver): nothing that imports it
        return [show(words("review.not_proved"))]
    from triage.errors import visible
    from triage.formats.proofs import said, verdict

    applies = " / ".join(
        in_words(s.applies_when, words)
        for s in pack.ruleset.sections
        if s.kind is SectionKind.FALLBACK
    )
    lines = []
    for result in pack.proof.results:
        mark = words(verdict(result))
        css = "proved" if result.holds else "failed"
        described = words(f"verify.{result.id}", applies=visible(applies))
        shown_mark = f'<span class="{css}">{_h(mark)}</span>' if html_marks else f"**{mark}**"
        lines.append(f"{shown_mark} {show(result.id)}: {show(described)}")
        lines += [f"— {show(said(f, words))}" for f in result.findings]
    held = sum(r.holds for r in pack.proof.results)
    total = len(pack.proof.results)
    seconds = f"{pack.proof.seconds:.1f}"
    lines.append(show(words("verify.summary", held=held, total=total, seconds=seconds)))
    if not pack.proof.finished:
        lines.append(show(words("verify.out_of_time")))
    return lines


def _untested_lines(pack: Pack) -> list[str]:
    words = pack.words
    gaps = untested(pack.cases, pack.ruleset)
    lines = [words("review.case_count", count=len(pack.cases))]
    if gaps.rules_without_case:
        lines.append(words("review.rules_without_case", rules=", ".join(gaps.rules_without_case)))
    if gaps.rules_never_deciding:
        listed = ", ".join(gaps.rules_never_deciding)
        lines.append(words("review.rules_never_deciding", rules=listed))
    if gaps.dispositions_without_case:
        listed = ", ".join(gaps.dispositions_without_case)
        lines.append(words("review.dispositions_without_case", dispositions=listed))
    for case in pack.cases:
        if case.problem is not None:
            lines.append(words("review.case_undecided", case=case.name, problem=case.problem))
        elif not case.as_expected:
            lines.append(
                words(
                    "review.case_unexpected",
                    case=case.name,
                    expect=str(case.expect),
                    disposition=str(case.disposition),
                )
            )
    if len(lines) == 1:
        lines.append(words("review.all_tested"))
    return lines


def _html_decisions(pack: Pack) -> str:
    """The decisions file as HTML: its headings, list items and paragraphs, escaped."""
    if pack.decisions is None:
        return f"<p><em>{_h(pack.words('review.no_decisions'))}</em></p>"
    parts: list[str] = []
    for block in _blocks(pack.decisions):
        if block.startswith("# "):
            continue  # the file's title: the section has its own
        if block.startswith("#"):
            parts.append(f"<h3>{_code(block.lstrip('#').strip())}</h3>")
        elif block.startswith(("- ", "* ")):
            items = "".join(f"<li>{_code(i)} ☐</li>" for i in _items(block))
            parts.append(f"<ol>{items}</ol>")
        else:
            parts.append(f"<p>{_code(block)}</p>")
    return "\n".join(parts)


def _code(text: str) -> str:
    """Markdown text on one line, escaped, with its `code` spans as <code>."""
    escaped = _h(" ".join(text.split()))
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def _blocks(text: str) -> list[str]:
    """Markdown's blocks: a heading line alone, else runs of lines between blank lines."""
    blocks: list[str] = []
    for chunk in text.split("\n\n"):
        lines = chunk.strip("\n").splitlines()
        while lines and lines[0].startswith("#"):
            blocks.append(lines.pop(0))
        if lines:
            blocks.append("\n".join(lines))
    return blocks


def _items(block: str) -> list[str]:
    """A Markdown list's items, each with its continuation lines."""
    items: list[str] = []
    for line in block.splitlines():
        if line.startswith(("- ", "* ")):
            items.append(line[2:])
        elif items:
            items[-1] += " " + line.strip()
    return items


def _html_signoff(pack: Pack) -> Iterator[str]:
    words, info = pack.words, pack.ruleset.info
    yield f"<p>{_h(words('review.signoff_text', version=info.version, hash=info.sha256))}</p>"
    head = "".join(
        f"<th>{_h(words(k))}</th>"
        for k in ("review.role", "review.name", "review.date", "review.signature")
    )
    rows = "".join(
        f'<tr class="sign"><td>{_h(words(role))}</td><td></td><td></td><td></td></tr>'
        for role in ("review.role_gp", "review.role_manual_therapist")
    )
    yield f"<table><tr>{head}</tr>{rows}</table>"


# --- Markdown --------------------------------------------------------------------------------


def _md(text: object) -> str:
    """Data text for Markdown: on one line, with HTML and Markdown's own marks escaped."""
    escaped = html.escape(" ".join(str(text).split()), quote=False)
    for mark in "\\`*_[]|#":
        escaped = escaped.replace(mark, f"\\{mark}")
    return escaped


def to_markdown(pack: Pack) -> str:
    """The pack as Markdown, with the same content as the HTML page."""
    words, texts, info = pack.words, pack.texts, pack.ruleset.info
    lines = [f"# {_md(words('review.title', version=info.version))}", ""]
    lines += [_md(words("review.intro")), "", f"SHA-256 `{info.sha256}`", ""]
    lines += [_md(texts("terms.principle")), ""]
    for section in pack.ruleset.sections:
        lines += [f"## {_md(texts(f'section.{section.id}.title'))} ({_md(section.id)})", ""]
        for rule in section.rules:
            lines += _md_rule(pack, rule)
    lines += [f"## {_md(words('review.proofs'))}", ""]
    lines += [
        f"  - {line[2:]}" if line.startswith("— ") else f"- {line}" for line in _proof_lines(pack)
    ] + [""]
    lines += [f"## {_md(words('review.untested'))}", ""]
    lines += [f"- {_md(line)}" for line in _untested_lines(pack)] + [""]
    lines += [f"## {_md(words('review.decisions'))}", ""]
    if pack.decisions is None:
        lines += [f"_{_md(words('review.no_decisions'))}_", ""]
    else:
        for block in _blocks(pack.decisions):
            if block.startswith("# "):
                continue
            if block.startswith("#"):
                lines += [f"### {_md(block.lstrip('#').strip())}", ""]
            elif block.startswith(("- ", "* ")):
                lines += [f"- [ ] {_md(i)}" for i in _items(block)] + [""]
            else:
                lines += [_md(block), ""]
    lines += [f"## {_md(words('review.signoff'))}", ""]
    lines += [_md(words("review.signoff_text", version=info.version, hash=info.sha256)), ""]
    head = [words(k) for k in ("review.role", "review.name", "review.date", "review.signature")]
    lines += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += [
        f"| {words(role)} |  |  |  |" for role in ("review.role_gp", "review.role_manual_therapist")
    ]
    return "\n".join(lines) + "\n"


def _md_rule(pack: Pack, rule: Rule) -> list[str]:
    lines = [f"### `{rule.id}` → {rule.disposition.value}", ""]
    lines += [f"- **{_md(label)}**: {_md(value)}" for label, value in _rule_facts(pack, rule)]
    asked = pack.texts("terms.asked_when")
    for question in condition_questions(rule.when, pack.ruleset, pack.texts):
        lines.append(
            f"  - `{question['id']}`: “{_md(question['text'])}” "
            f"({_md(asked)}: {_md(question['asked_when'])})"
        )
    for line in _net_lines(pack, rule):
        lines.append(f"- **{_md(pack.words('review.safety_net'))}**: {_md(line)}")
    cases = _case_lines(pack, rule)
    label = _md(pack.words("review.cases"))
    if cases:
        lines.append(f"- **{label}**:")
        lines += [f"  - {_md(line)}" for line in cases]
    else:
        lines.append(f"- **{label}**: _{_md(pack.words('review.no_cases'))}_")
    return [*lines, ""]
