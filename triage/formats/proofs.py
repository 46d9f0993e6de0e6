"""`triage verify`'s report: one line a property in text, or a JSON document."""

from __future__ import annotations

import json

from triage.model import Ruleset, Texts
from triage.proofs.properties import Finding, Proof, Result

SCHEMA = "triage.verify/1"

_DESCRIPTIONS = {
    "total": "verify.total",
    "emergency_stop": "verify.emergency_stop",
    "red_flags_rule_out_self_care": "verify.red_flags_rule_out_self_care",
    "monotone": "verify.monotone",
    "unknown_is_one_step": "verify.unknown_is_one_step",
    "every_rule_decides": "verify.every_rule_decides",
    "every_question_counts": "verify.every_question_counts",
    "settled_stop_sound": "verify.settled_stop_sound",
    "coherent": "verify.coherent",
    "reachable": "verify.reachable",
}
"""Each property's one-line description, by text key (named here so that a test can
match the keys the code shows with those the language files hold)."""

_MESSAGES = {
    "no_rule_fires": "verify.finding_no_rule_fires",
    "stop_gives": "verify.finding_stop_gives",
    "section_not_applying": "verify.finding_section_not_applying",
    "pair": "verify.finding_pair",
    "never_decides": "verify.finding_never_decides",
    "never_asked": "verify.finding_never_asked",
    "never_reached": "verify.finding_never_reached",
    "never_open": "verify.finding_never_open",
    "contradicts": "verify.finding_contradicts",
    "question_unused": "verify.finding_question_unused",
    "settled_changes": "verify.finding_settled_changes",
    "incoherent_fired": "verify.finding_incoherent_fired",
    "incoherent_not_fired": "verify.finding_incoherent_not_fired",
    "unreachable": "verify.finding_unreachable",
    "always_with": "verify.finding_always_with",
}
"""Each message of a finding or remark (properties.MESSAGES), by text key."""


def said(finding: Finding, texts: Texts) -> str:
    """A finding or remark in the language of `texts` (the program's own), its fields
    (ids and values of the data) shown with control characters escaped."""
    from triage.errors import visible

    key = _MESSAGES.get(finding.key)
    if key is None:
        return visible(finding.message)
    return visible(texts(key, **dict(finding.fields)))


def counterexample(finding: Finding) -> object:
    """What `triage assess` can take: an answers object, or a before/after pair."""
    if finding.before is not None or finding.after is not None:
        return {"before": finding.before, "after": finding.after}
    return finding.answers


def document(proof: Proof, ruleset: Ruleset) -> dict[str, object]:
    """The proof as a JSON document."""
    return {
        "schema": SCHEMA,
        "ruleset": {"version": ruleset.info.version, "sha256": ruleset.info.sha256},
        "holds": proof.holds,
        "finished": proof.finished,
        "answer_sets": proof.answer_sets,
        "seconds": round(proof.seconds, 2),
        "properties": [
            {
                "id": result.id,
                "holds": result.holds,
                "finished": result.finished,
                "counterexample": counterexample(result.findings[0]) if result.findings else None,
                "findings": [
                    {"message": f.message, "counterexample": counterexample(f)}
                    for f in result.findings
                ],
                "seconds": round(result.seconds, 2),
            }
            for result in proof.results
        ],
        "remarks": [remark.message for remark in proof.remarks],
    }


def text(proof: Proof, ruleset: Ruleset, texts: Texts) -> list[str]:
    """The proof as lines: a heading, a line a property with its findings under it, the
    remarks and a summary.

    `texts` must be the program's own (loader.program_texts), never those of the data
    under test: a data folder must not supply the words of its own verdict. What the
    data does supply (its version) is shown with its control characters escaped.
    """
    from triage.errors import visible
    from triage.formats.describe import in_words
    from triage.model import SectionKind

    applies = visible(
        " / ".join(
            in_words(s.applies_when, texts)
            for s in ruleset.sections
            if s.kind is SectionKind.FALLBACK
        )
    )
    width = max(len(r.id) for r in proof.results)
    lines = [
        texts(
            "verify.heading",
            version=visible(ruleset.info.version),
            answer_sets=magnitude(proof.answer_sets),
        ),
        "",
    ]
    for result in proof.results:
        mark = texts(verdict(result))
        lines.append(
            f"{mark:<8} {result.id:<{width}}  {texts(_DESCRIPTIONS[result.id], applies=applies)}"
        )
        for finding in result.findings:
            lines.append(f"{'':<8}   - {said(finding, texts)}")
            example = counterexample(finding)
            if example is not None:
                shown = visible(json.dumps(example, ensure_ascii=False))
                lines.append(f"{'':<8}     {texts('verify.example')} {shown}")
    if proof.remarks:
        lines += ["", texts("verify.remarks")]
        lines += [f"  - {said(remark, texts)}" for remark in proof.remarks]
    held = sum(r.holds for r in proof.results)
    lines += [
        "",
        texts(
            "verify.summary",
            held=str(held),
            total=str(len(proof.results)),
            seconds=f"{proof.seconds:.1f}",
        ),
    ]
    if not proof.finished:
        lines.append(texts("verify.out_of_time"))
    return lines


def verdict(result: Result) -> str:
    """The text key of a property's verdict: proved, failed (a counterexample was found),
    or not proved (the time limit came first, and nothing was found before it)."""
    if result.holds:
        return "verify.proved"
    return "verify.failed" if result.findings else "verify.not_proved"


def magnitude(number: int) -> str:
    """A large count as a reader takes it in: 4.2 times 10^28, with a times sign."""
    digits = str(number)
    if len(digits) <= 6:
        return digits
    return f"{digits[0]}.{digits[1]} \N{MULTIPLICATION SIGN} 10^{len(digits) - 1}"
