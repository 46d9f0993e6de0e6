"""Drawing results in the terminal with rich: the advice, with urgency in words and colour."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from triage.advice import AdviceDocument, Block
from triage.model import Advice

_STYLE = {
    Advice.EMERGENCY: "bold red",
    Advice.GP: "bold yellow",
    Advice.MANUAL_THERAPIST: "bold cyan",
    Advice.SELF_CARE: "bold green",
}


def console(
    file: TextIO | None = None, *, width: int | None = None, plain: bool = False
) -> Console:
    """A console on standard output (or `file`); honours NO_COLOR and TERM=dumb.

    `plain` writes no escape sequences at all, for screen readers and minimal terminals.
    """
    return Console(
        file=file or sys.stdout,
        width=width,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        color_system=None if plain else "auto",
    )


def advice(document: AdviceDocument, *, plain: bool = False) -> RenderableType:
    """The whole result: headline, why, notes, advice, safety net, disclaimer.

    `plain` leaves out the box drawing, which screen readers read aloud.
    """
    style = _STYLE[document.advice]
    headline = Text.assemble((document.headline, style), "\n", (document.urgency, "bold"))
    parts: list[RenderableType] = [titled(headline, document.title, style=style, plain=plain)]
    parts += [_block(block) for block in document.blocks]
    parts.append(_safety_net(document))
    parts.append(Text(document.disclaimer, style="italic"))
    parts.append(Text(document.ruleset, style="dim"))
    return Group(*parts)


def titled(body: Text, title: str, *, style: str = "", plain: bool = False) -> RenderableType:
    """A body under a title: a panel, or in plain mode two plain paragraphs."""
    if plain:
        return Group(Text(title, style="bold"), body)
    return Panel(body, title=title, title_align="left", border_style=style, expand=True)


def _block(block: Block) -> RenderableType:
    return Group(Text(""), Text(block.heading, style="bold underline"), _points(block.points))


def _points(points: tuple[str, ...]) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for point in points:
        grid.add_row("•", Text(point))
    return grid


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
