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


def console(
    file: TextIO | None = None, *, width: int | None = None, plain: bool = False
) -> Console:
    """A console on standard output (or `file`); honours NO_COLOR and TERM=dumb.

    `plain` writes no escape sequences at all, for screen readers and minimal terminals.
    """
    drawn = Console(
        file=file or sys.stdout,
        width=width,
        highlight=False,
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
    return Panel(body, title=title, title_align="left", border_style=style, expand=True)


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


def questions_table(rows: list[dict[str, object]]) -> RenderableType:
    """The questionnaire as a table: id, kind and values, when asked, text."""
    from rich.table import Table

    table = Table(title="Questions", show_lines=False, expand=True)
    table.add_column("id", no_wrap=True)
    for column in ("values", "asked when", "text"):
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


def rules_table(rows: list[dict[str, object]], version: str) -> RenderableType:
    """The rule table: id, fires when, disposition, source, by section."""
    from rich.table import Table

    table = Table(title=f"Rules {version}", expand=True)
    table.add_column("rule", no_wrap=True)
    for column, ratio in (("fires when", 4), ("disposition", 2), ("source", 3)):
        table.add_column(column, overflow="fold", ratio=ratio)
    section = None
    for row in rows:
        if row["section"] != section:
            section = row["section"]
            table.add_section()
            table.add_row(Text(str(section), style="bold"), "", "", "")
        table.add_row(str(row["id"]), str(row["when"]), str(row["disposition"]), str(row["source"]))
    return table


def explanation(expl: Explanation, ruleset: Ruleset, texts: Texts) -> RenderableType:
    """The decision path as a tree, with the nearest what-ifs."""
    from rich.tree import Tree

    tree = Tree(
        Text.assemble(
            "Decision: ", (expl.disposition.value, "bold"), f" (decided by {expl.decided_by})"
        )
    )
    named = expl.disposition.advice in (Advice.MANUAL_THERAPIST, Advice.SELF_CARE)
    for section in expl.sections:
        _explained_section(tree, section, expl, texts, name_quiet=named)
    parts: list[RenderableType] = [tree, Text("")]
    led = ", ".join(f"{q} = {expl.answers[q]}" for q in expl.led_by)
    parts.append(
        Text(
            f"Led there: {led}."
            if led
            else f"Led there: {expl.decided_by} applies when no other rule of its section fires."
        )
    )
    if expl.ignored:
        parts.append(
            Text(f"Ignored (the walk did not reach them): {', '.join(expl.ignored)}.", style="dim")
        )
    for change in expl.what_ifs:
        direction = "more" if change.disposition.urgency < expl.disposition.urgency else "less"
        parts.append(
            Text(
                f"What if {change.question} were {change.becomes} instead of "
                f"{change.was}? Then {change.disposition.value} ({direction} "
                "urgent)."
            )
        )
    if not expl.what_ifs:
        parts.append(Text("No single changed answer changes the disposition."))
    if expl.unanswered:
        parts.append(
            Text(
                f"{expl.unanswered} other single changes need answers that were not given "
                f"(for example {expl.unanswered_example}).",
                style="dim",
            )
        )
    parts.append(Text(f"Rules {ruleset.info.version} ({ruleset.info.sha256[:12]})", style="dim"))
    return Group(*parts)


def _explained_section(
    tree: Tree, section: SectionTrace, expl: Explanation, texts: Texts, *, name_quiet: bool
) -> None:
    """One section of an explanation: the rules that fired or were left open, and those
    checked that did not fire (by id for a manual therapist's or self-care result)."""
    title = texts(f"section.{section.id}.title")
    branch = tree.add(Text(f"{title} [{section.id}]", style="bold"))
    if not section.checked:
        branch.add(Text("not checked: a rule above fired, or it does not apply", style="dim"))
        return
    quiet = []
    for rule in section.rules:
        if rule.status == "not fired":
            quiet.append(rule.id)
            continue
        mark = "fired" if rule.status == "fired" else "possibly (unknown answers)"
        shown = ", ".join(f"{q} = {expl.answers[q]}" for q in rule.answers)
        branch.add(
            Text.assemble(
                (rule.id, "bold"),
                f" → {rule.disposition.value}: {mark}",
                f"; on {shown}" if shown else "",
            )
        )
    deciding = any(r.id == expl.decided_by for r in section.rules)
    if name_quiet and deciding:  # why the other rules of the deciding section did not fire
        for rule in section.rules:
            if rule.status == "not fired":
                shown = ", ".join(f"{q} = {expl.answers[q]}" for q in rule.answers)
                looked = f"; looked at {shown}" if shown else ""
                branch.add(Text(f"{rule.id} → {rule.disposition.value}: did not fire{looked}"))
    elif quiet and name_quiet:
        branch.add(Text(f"checked, did not fire: {', '.join(quiet)}", style="dim"))
    elif quiet:
        branch.add(Text(f"{len(quiet)} other rules did not fire", style="dim"))


def batch_summary(tally: Tally, with_baseline: bool = False) -> RenderableType:
    """Always: how many cases were decided and skipped. With expectations: agreement,
    expected against given, under- and over-triage. With a baseline: changed, unchanged
    and undecidable, and each change."""
    parts: list[RenderableType] = [
        Text(f"{tally.cases} cases decided, {tally.bad} bad lines skipped", style="bold")
    ]
    if tally.undecided:
        parts.append(
            Text(
                f"{tally.undecided} cases lack answers the rules need: "
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
            f"Against the baseline, of {compared} cases: {tally.differing} changed, "
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
