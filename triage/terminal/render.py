"""Drawing results in the terminal with rich: the advice, with urgency in words and colour."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.segment import Segment
from rich.text import Text

from triage.errors import visible
from triage.formats.advice import AdviceDocument, Block, Brief
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


def brief_headline(short: Brief, advice: Advice, *, plain: bool = False) -> RenderableType:
    """The short version's headline box: what to do, how soon."""
    style = _STYLE[advice]
    body = Text.assemble((short.headline, style), "\n", (short.urgency, "bold"))
    return titled(body, short.title, style=style, plain=plain)


def brief(short: Brief, advice: Advice, *, plain: bool = False, signs: int = 3) -> RenderableType:
    """The short version: headline, why, until then, what to say on the phone, the signs to
    act on at once (at most `signs` a level). It fits one 80x24 screen with the save
    question; in arrow mode it comes last, in plain mode first."""
    parts: list[RenderableType] = [brief_headline(short, advice, plain=plain)]
    if short.why:
        parts.append(Text.assemble((short.why_heading + " ", "bold"), " ".join(short.why)))
    if short.until:
        heading = f"{short.until_heading} " if short.until_heading else ""
        parts.append(Text.assemble((heading, "bold"), short.until))
    if short.phone:
        said = " ".join(short.phone)
        parts.append(Text.assemble((short.phone_heading + " ", "bold"), f'"{said}"'))
    for intro, lines in short.net:
        if signs:
            parts += [Text(intro, style="bold"), _points(lines[:signs])]
    parts += [Text(line) for line in short.closing]
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
    parts: list[RenderableType] = [Text(""), Text(net.heading, style="bold underline")]
    for intro, signs in (
        (net.call_112_intro, net.call_112),
        (net.gp_intro, net.gp),
        (net.gp_today_intro, net.gp_today),
    ):
        if signs:
            parts += [Text(intro, style="bold"), _points(signs)]
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


STACK_BELOW = 110
"""Below this many columns the rule table is drawn a rule at a time (a stacked layout):
four columns of conditions, dispositions and sources have no room to be read."""


def rules_table(ruleset: Ruleset, texts: Texts, *, wording: bool = False) -> RenderableType:
    """The rule table by section (id, fires when, disposition, source), then the notes,
    the safety net's signs with what the person is told, the settings, both early stops
    and the principle; with `wording`, each condition's questions as asked and when.
    Readable at any width: a rule at a time below STACK_BELOW columns."""
    from triage.formats.catalog import ruleset_json

    return _RuleTable(ruleset_json(ruleset, texts.language), ruleset, texts, wording)


class _RuleTable:
    """The rule table, laid out for the width it is drawn at."""

    def __init__(
        self, data: dict[str, object], ruleset: Ruleset, texts: Texts, wording: bool
    ) -> None:
        self.data, self.ruleset, self.texts, self.wording = data, ruleset, texts, wording

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        texts = self.texts
        stacked = options.max_width < STACK_BELOW
        yield Text(
            visible(texts("terms.rules_title", version=self.ruleset.info.version)),
            style="bold",
        )
        yield Text(texts("terms.principle"))
        rules: list[dict[str, object]] = self.data["rules"]  # type: ignore[assignment]
        for section in self.ruleset.sections:
            yield Text("")
            title = f"{texts(f'section.{section.id}.title')} [{section.id}]"
            yield Text(visible(title), style="bold underline")
            applies = self._section_scope(section.id)
            if applies:
                yield Text(visible(applies), style="italic")
            rows = [r for r in rules if r["section"] == section.id]
            yield self._stacked(rows) if stacked else self._columns(rows)
        yield from self._closing(stacked)

    def _section_scope(self, section_id: str) -> str:
        for section in self.data["sections"]:  # type: ignore[attr-defined]
            if section["id"] == section_id and section["kind"] == "fallback":
                return str(self.texts("terms.only_when", condition=section["applies_when"]))
        return ""

    def _when(self, row: dict[str, object]) -> Text:
        text = Text(visible(str(row["when"])))
        if self.wording:
            for question in row["questions"]:  # type: ignore[attr-defined]
                text.append("\n• ")
                text.append(visible(question["id"]), style="bold")
                text.append(visible(f": “{question['text']}”"))
                asked = f" ({self.texts('terms.asked_when')}: {question['asked_when']})"
                text.append(visible(asked), style="dim")
        return text

    def _columns(self, rows: list[dict[str, object]]) -> RenderableType:
        from rich.table import Table

        table = Table(expand=True, show_edge=False)
        widest = min(max((len(str(r["id"])) for r in rows), default=4), 28)
        table.add_column(self.texts("terms.rule"), overflow="fold", min_width=widest)
        table.add_column(self.texts("terms.fires_when"), overflow="fold", ratio=5)
        longest = max(len(d.value) for d in Disposition)
        table.add_column(self.texts("terms.disposition"), no_wrap=True, min_width=longest)
        table.add_column(self.texts("terms.source"), overflow="fold", ratio=3)
        for row in rows:
            table.add_row(
                visible(str(row["id"])),
                self._when(row),
                str(row["disposition"]),
                visible(str(row["source"])),
            )
        return table

    def _stacked(self, rows: list[dict[str, object]]) -> RenderableType:
        from rich.padding import Padding

        parts: list[RenderableType] = []
        for row in rows:
            parts.append(
                Text.assemble(
                    (visible(str(row["id"])), "bold"), " → ", (str(row["disposition"]), "bold")
                )
            )
            when = Text(f"{self.texts('terms.fires_when')}: ", style="italic")
            when.append_text(self._when(row))
            source = Text(f"{self.texts('terms.source')}: ", style="italic")
            source.append(visible(str(row["source"])))
            parts.append(Padding(Group(when, source), (0, 0, 0, 4)))
        return Group(*parts)

    def _closing(self, stacked: bool) -> RenderResult:
        texts, data = self.texts, self.data
        yield Text("")
        yield Text(texts("terms.notes_heading"), style="bold underline")
        for note in data["notes"]:  # type: ignore[attr-defined]
            yield self._entry(
                note["id"],
                note["text"],
                [
                    (texts("terms.fires_when"), note["when"]),
                    (texts("terms.shown_with"), ", ".join(note["shown_with"])),
                    (texts("terms.source"), note["source"]),
                ],
            )
        yield Text("")
        yield Text(texts("terms.safety_net_heading"), style="bold underline")
        for sign in data["safety_net"]:  # type: ignore[attr-defined]
            yield self._entry(
                f"{sign['id']} → {sign['level']}",
                sign["text"],
                [
                    (texts("terms.covers"), ", ".join(sign["covers"])),
                    (texts("terms.applies_when"), sign["applies_when"]),
                ],
            )
        settings: dict[str, object] = data["settings"]  # type: ignore[assignment]
        yield Text("")
        yield Text(texts("terms.settings_heading"), style="bold underline")
        yield Bullets(
            (
                texts("terms.setting_window", value=settings["self_care_window_ends_at"]),
                texts("terms.setting_days", value=settings["safety_net_days"]),
                texts("terms.setting_review", condition=settings["review_with_gp_when"]),
            )
        )
        yield Text(texts("terms.stops_heading"), style="bold underline")
        yield Bullets(tuple(data["stops"]))  # type: ignore[arg-type]

    def _entry(self, title: str, said: str, facts: list[tuple[str, str]]) -> RenderableType:
        """A note or a sign: its id, what the person reads, and its facts."""
        from rich.padding import Padding

        lines = [Text(f"“{visible(said)}”")]
        for label, value in facts:
            line = Text(f"{label}: ", style="italic")
            line.append(visible(str(value)))
            lines.append(line)
        return Group(Text(visible(title), style="bold"), Padding(Group(*lines), (0, 0, 0, 4)))


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
    if not expl.what_ifs and not expl.unanswered:
        # With changes that need more answers, the line below says so: "no single change"
        # would be untrue (turning the one emergency yes round, say).
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
    from triage.explain import Status

    title = texts(f"section.{section.id}.title")
    branch = tree.add(Text(f"{title} [{section.id}]", style="bold"))
    if not section.checked:
        branch.add(Text(texts("terms.not_checked"), style="dim"))
        return
    quiet = []
    for rule in section.rules:
        if rule.status is Status.NOT_FIRED:
            quiet.append(rule.id)
            continue
        mark = texts("terms.fired") if rule.status is Status.FIRED else texts("terms.possibly_open")
        shown = ", ".join(f"{q} = {expl.answers[q]}" for q in rule.answers)
        on = f"; {texts('terms.on')} {shown}" if shown else ""
        branch.add(Text.assemble((rule.id, "bold"), f" → {rule.disposition.value}: {mark}{on}"))
    deciding = any(r.id == expl.decided_by for r in section.rules)
    if name_quiet and deciding:  # why the other rules of the deciding section did not fire
        for rule in section.rules:
            if rule.status is Status.NOT_FIRED:
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
    for change in shown:
        parts.append(
            Text(
                f"  {visible(change.case)}: {change.before} ({change.before_rule}) → "
                f"{change.after} ({change.after_rule})"
            )
        )
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
