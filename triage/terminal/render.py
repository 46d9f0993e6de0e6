"""Drawing results in the terminal with rich: the advice, with urgency in words and colour."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.segment import Segment
from rich.text import Text

from triage.errors import visible
from triage.formats.advice import AdviceDocument, Block
from triage.model import Advice, Disposition, Ruleset, Texts

if TYPE_CHECKING:
    from collections import Counter

    from rich.tree import Tree

    from triage.batch.cases import Tally
    from triage.explain import Explanation, SectionTrace

_STYLE = {
    Advice.EMERGENCY: "bold red",
    Advice.GP: "bold yellow",
    Advice.MANUAL_THERAPIST: "bold cyan",
    Advice.SELF_CARE: "bold green",
}


MIN_WIDTH = 30


class _Console(Console):
    """A rich console that leaves a closed pipe to the command line (exit 141, as a
    writer killed by SIGPIPE), where rich itself would exit 1: an internal error here."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def console(
    file: TextIO | None = None, *, width: int | None = None, plain: bool = False
) -> Console:
    """A console on standard output (or `file`); honours NO_COLOR and TERM=dumb.

    `plain` writes no escape sequences at all, for screen readers and minimal terminals.
    """
    drawn = _Console(
        file=file or sys.stdout,
        width=width,
        highlight=False,
        markup=False,  # texts come from data folders: "[link=...]" is shown, not followed
        emoji=False,
        soft_wrap=False,
        color_system=None if plain else "auto",
    )
    # Below MIN_WIDTH columns a panel has no room for its words: draw as if the terminal
    # were that wide and let the terminal wrap, rather than lose the headline.
    drawn.width = max(drawn.width, MIN_WIDTH)
    return drawn


def advice(document: AdviceDocument, *, plain: bool = False) -> RenderableType:
    """The whole result: headline, why, notes, advice, safety net, disclaimer.

    `plain` leaves out the box drawing, which screen readers read aloud.
    """
    parts: list[RenderableType] = [headline(document, plain=plain)]
    parts += [_block(block) for block in document.blocks]
    parts.append(_safety_net(document))
    parts.append(Text(document.disclaimer, style="italic"))
    parts.append(Text(document.ruleset, style="dim"))
    return Group(*parts)


def headline(document: AdviceDocument, *, plain: bool = False) -> RenderableType:
    """What to do and how soon, under the title: the top of every result."""
    style = _STYLE[document.advice]
    body = Text.assemble((document.headline, style), "\n", (document.urgency, "bold"))
    return titled(body, document.title, style=style, plain=plain)


def titled(body: Text, title: str, *, style: str = "", plain: bool = False) -> RenderableType:
    """A body under a title: a panel, or in plain mode two plain paragraphs."""
    if plain:
        return Group(Text(title, style="bold"), body)
    # A Text, not a str: rich reads a str panel title as markup whatever the console says.
    return Panel(body, title=Text(title), title_align="left", border_style=style, expand=True)


def _block(block: Block) -> RenderableType:
    return Group(Text(""), Text(block.heading, style="bold underline"), _points(block.points))


def _points(points: tuple[str, ...]) -> RenderableType:
    return Bullets(points)


_NEW_LINE = Segment.line()


class Bullets:
    """A bulleted list with a hanging indent (lighter to import than a rich table)."""

    def __init__(self, points: tuple[str, ...]) -> None:
        self.points = points

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width - 2, 10)
        for point in self.points:
            for number, line in enumerate(Text(point).wrap(console, width)):
                line.rstrip()
                # Segments, not Text: the lines are wrapped already, and a Text would be
                # wrapped again (a few milliseconds a result).
                yield from Text.assemble("• " if number == 0 else "  ", line).render(console)
                yield _NEW_LINE


def _safety_net(document: AdviceDocument) -> RenderableType:
    net = document.safety_net
    parts: list[RenderableType] = [
        Text(""),
        Text(net.heading, style="bold underline"),
        Text(net.call_112_intro, style="bold"),
        _points(net.call_112),
        Text(net.gp_intro, style="bold"),
        _points(net.gp),
    ]
    if net.gp_today:
        parts += [Text(net.gp_today_intro, style="bold"), _points(net.gp_today)]
    parts += [Text(""), *(Text(line) for line in net.always)]
    if net.review:
        parts.append(Text(net.review, style="bold"))
    parts.append(Text(""))
    return Group(*parts)


def article(title: str, paragraphs: tuple[str, ...]) -> RenderableType:
    """A title and paragraphs, a blank line between them."""
    parts: list[RenderableType] = [Text(title, style="bold")]
    for paragraph in paragraphs:
        parts += [Text(""), Text(paragraph)]
    return Group(*parts)


def questions_table(rows: list[dict[str, object]], texts: Texts) -> RenderableType:
    """The questionnaire as a table: id, kind and values, when asked, text."""
    from rich.table import Table

    table = Table(title=texts("terms.questions_title"), show_lines=False, expand=True)
    table.add_column("id", no_wrap=True)
    for column in (texts("terms.values"), texts("terms.asked_when"), texts("terms.text")):
        table.add_column(column, overflow="fold")
    for row in rows:
        values = row.get("values") or [f"{row['minimum']}-{row['maximum']}"]
        table.add_row(
            str(row["id"]),
            ", ".join(map(str, values)),  # type: ignore[call-overload]
            str(row.get("asked_when", "")),
            str(row["text"]),
        )
    return table


def rules_table(ruleset: Ruleset, texts: Texts) -> RenderableType:
    """The rule table by section (id, fires when, disposition, source), then the notes,
    the safety net's signs, the settings, both early stops and the principle."""
    from rich.table import Table

    from triage.formats.catalog import ruleset_json

    data = ruleset_json(ruleset, texts.language)
    table = Table(title=texts("terms.rules_title", version=ruleset.info.version), expand=True)
    table.add_column(texts("terms.rule"), no_wrap=True)
    for key, ratio in (("terms.fires_when", 4), ("terms.disposition", 2), ("terms.source", 3)):
        table.add_column(texts(key), overflow="fold", ratio=ratio)
    rules: list[dict[str, object]] = data["rules"]  # type: ignore[assignment]
    for section in ruleset.sections:
        table.add_section()
        title = texts(f"section.{section.id}.title")
        table.add_row(Text(f"{title} [{section.id}]", style="bold"), "", "", "")
        for row in (r for r in rules if r["section"] == section.id):
            table.add_row(
                str(row["id"]), str(row["when"]), str(row["disposition"]), str(row["source"])
            )
    notes = Table(title=texts("terms.notes_heading"), expand=True)
    for key in ("terms.note", "terms.fires_when", "terms.shown_with", "terms.source"):
        notes.add_column(texts(key), overflow="fold")
    for note in data["notes"]:  # type: ignore[attr-defined]
        notes.add_row(note["id"], note["when"], ", ".join(note["shown_with"]), note["source"])
    signs = Table(title=texts("terms.safety_net_heading"), expand=True)
    for key in ("terms.sign", "terms.level", "terms.covers", "terms.applies_when"):
        signs.add_column(texts(key), overflow="fold")
    for sign in data["safety_net"]:  # type: ignore[attr-defined]
        signs.add_row(sign["id"], sign["level"], ", ".join(sign["covers"]), sign["applies_when"])
    settings: dict[str, object] = data["settings"]  # type: ignore[assignment]
    closing = [
        Text(texts("terms.settings_heading"), style="bold"),
        Text("- " + texts("terms.setting_window", value=settings["self_care_window_ends_at"])),
        Text("- " + texts("terms.setting_days", value=settings["safety_net_days"])),
        Text("- " + texts("terms.setting_review", condition=settings["review_with_gp_when"])),
        Text(texts("terms.stops_heading"), style="bold"),
        *(Text(f"- {stop}") for stop in data["stops"]),  # type: ignore[attr-defined]
        Text(texts("terms.principle"), style="bold"),
    ]
    return Group(table, notes, signs, *closing)


def explanation(expl: Explanation, ruleset: Ruleset, texts: Texts) -> RenderableType:
    """The decision path as a tree, what led there, and the nearest what-ifs."""
    from rich.tree import Tree

    decision = texts("terms.decision", disposition=expl.disposition.value, rule=expl.decided_by)
    tree = Tree(Text(decision, style="bold"))
    named = expl.disposition.advice in (Advice.MANUAL_THERAPIST, Advice.SELF_CARE)
    for section in expl.sections:
        _explained_section(tree, section, expl, texts, name_quiet=named)
    parts: list[RenderableType] = [tree, Text("")]
    led = ", ".join(f"{q} = {expl.answers[q]}" for q in expl.led_by)
    if led:
        parts.append(Text(texts("terms.led_there", answers=led)))
    else:
        parts.append(Text(texts("terms.led_otherwise", rule=expl.decided_by)))
    if expl.ignored:
        parts.append(Text(texts("terms.ignored", answers=", ".join(expl.ignored)), style="dim"))
    for change in expl.what_ifs:
        more = change.disposition.urgency < expl.disposition.urgency
        line = texts(
            "terms.what_if",
            question=change.question,
            becomes=change.becomes,
            was=change.was,
            disposition=change.disposition.value,
            direction=texts("terms.more_urgent") if more else texts("terms.less_urgent"),
        )
        parts.append(Text(line))
    if not expl.what_ifs:
        parts.append(Text(texts("terms.no_what_if")))
    if expl.unanswered:
        question, value, needs = expl.unanswered_example
        line = texts(
            "terms.unanswered",
            count=expl.unanswered,
            question=question,
            value=value,
            needs=", ".join(needs),
        )
        parts.append(Text(line, style="dim"))
    version = texts(
        "terms.rules_version", version=ruleset.info.version, hash=ruleset.info.sha256[:12]
    )
    parts.append(Text(version, style="dim"))
    return Group(*parts)


def _explained_section(
    tree: Tree, section: SectionTrace, expl: Explanation, texts: Texts, *, name_quiet: bool
) -> None:
    """One section of an explanation: the rules that fired or were left open, and those
    checked that did not fire (by id for a manual therapist's or self-care result, and
    why, for the section that decided)."""
    title = texts(f"section.{section.id}.title")
    branch = tree.add(Text(f"{title} [{section.id}]", style="bold"))
    if not section.checked:
        branch.add(Text(texts("terms.not_checked"), style="dim"))
        return
    quiet = []
    for rule in section.rules:
        if rule.status == "not fired":
            quiet.append(rule.id)
            continue
        mark = texts("terms.fired") if rule.status == "fired" else texts("terms.possibly_open")
        shown = ", ".join(f"{q} = {expl.answers[q]}" for q in rule.answers)
        on = f"; {texts('terms.on')} {shown}" if shown else ""
        branch.add(Text.assemble((rule.id, "bold"), f" → {rule.disposition.value}: {mark}{on}"))
    deciding = any(r.id == expl.decided_by for r in section.rules)
    if name_quiet and deciding:  # why the other rules of the deciding section did not fire
        for rule in section.rules:
            if rule.status == "not fired":
                shown = ", ".join(f"{q} = {expl.answers[q]}" for q in rule.answers)
                looked = f"; {texts('terms.looked_at', answers=shown)}" if shown else ""
                line = f"{rule.id} → {rule.disposition.value}: {texts('terms.did_not_fire')}"
                branch.add(Text(line + looked))
    elif quiet and name_quiet:
        branch.add(Text(texts("terms.checked_quiet", rules=", ".join(quiet)), style="dim"))
    elif quiet:
        branch.add(Text(texts("terms.others_quiet", count=len(quiet)), style="dim"))


def batch_summary(tally: Tally, with_baseline: bool = False) -> RenderableType:
    """Always: how many cases were decided and skipped. With expectations: agreement,
    expected against given, under- and over-triage. With a baseline: changed, unchanged
    and undecidable, and each change."""
    parts: list[RenderableType] = [
        Text(
            f"{_many(tally.cases, 'case')} decided, {_many(tally.bad, 'bad line')} skipped",
            style="bold",
        )
    ]
    if tally.undecided:
        parts.append(
            Text(
                f"{_many(tally.undecided, 'case')} {'lacks' if tally.undecided == 1 else 'lack'} "
                f"answers the rules need: "
                f"{_counted(tally.missing)}; give them, or --default ID=VALUE for all"
            )
        )
    if tally.with_expected:
        share = 100 * tally.agree / tally.with_expected
        parts.append(Text(f"Agreement: {tally.agree} of {tally.with_expected} ({share:.1f}%)"))
        parts.append(_confusion(tally))
        parts.append(
            _ids(
                "Under-triage (less urgent than expected)",
                tally.under_triaged,
                tally.under_triage,
                "bold red",
            )
        )
        parts.append(
            _ids("Over-triage (more urgent than expected)", tally.over_triaged, tally.over_triage)
        )
    if with_baseline:
        parts += _baseline(tally)
    return Group(*parts)


def _many(count: int, noun: str) -> str:
    """'1 case', '2 cases'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _ids(title: str, count: int, ids: list[str], style: str = "") -> Text:
    shown = ids[:50]
    listed = ", ".join(visible(case) for case in shown)
    if count > len(shown):
        listed += f" and {count - len(shown)} more"
    return Text(
        f"{title}: {count}" + (f": {listed}" if listed else ""), style=style if count else ""
    )


def _counted(counts: Counter[str]) -> str:
    return ", ".join(f"{visible(q)} ({n})" for q, n in counts.most_common(12))


def _baseline(tally: Tally) -> list[RenderableType]:
    compared = tally.differing + tally.unchanged + tally.baseline_undecided
    parts: list[RenderableType] = [
        Text(
            f"Against the baseline, of {_many(compared, 'case')}: {tally.differing} changed, "
            f"{tally.unchanged} unchanged, {tally.baseline_undecided} undecidable by the baseline",
            style="bold",
        )
    ]
    if tally.baseline_set_aside:
        aside = _counted(tally.baseline_set_aside)
        parts.append(Text(f"  answers the baseline does not know, set aside: {aside}"))
    if tally.baseline_missing:
        parts.append(
            Text(
                f"  answers the baseline needs that cases lack: {_counted(tally.baseline_missing)}"
            )
        )
    shown = tally.differ[:200]
    for case, before, before_rule, after, after_rule in shown:
        parts.append(Text(f"  {visible(case)}: {before} ({before_rule}) → {after} ({after_rule})"))
    if tally.differing > len(shown):
        parts.append(Text(f"  and {tally.differing - len(shown)} more"))
    return parts


_SHORT = {
    Disposition.CALL_112: "112",
    Disposition.GP_IMMEDIATELY: "gp now",
    Disposition.GP_WITHIN_24_HOURS: "gp 24h",
    Disposition.GP_WITHIN_DAYS: "gp days",
    Disposition.GP_ROUTINE: "routine",
    Disposition.MANUAL_THERAPIST: "therapist",
    Disposition.SELF_CARE: "self",
}


def _confusion(tally: Tally) -> RenderableType:
    from rich.table import Table

    table = Table(title="expected (rows) against given (columns)", box=None, title_justify="left")
    table.add_column("expected", no_wrap=True)
    for disposition in Disposition:
        table.add_column(_SHORT[disposition], justify="right", no_wrap=True)
    for expected in Disposition:
        counts = [tally.confusion.get((expected.value, given.value), 0) for given in Disposition]
        if any(counts):
            table.add_row(expected.value, *[str(c) if c else "." for c in counts])
    return table
