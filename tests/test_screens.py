"""Every screen of the walk on a terminal emulator, for people with different stories, in
both languages and both modes, at 80x24 and 50x30 (design, sections 3 and 6 to 9).

Each persona is a story, not a list of keys: the driver (tests/screens.py) reads each
screen and answers it from the story, so these tests hold for any version of the
questions. They are slow (a real pseudo-terminal each): about a second a walk.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.screens import (
    Person,
    Session,
    _flat,
    _stripped,
    full_rows,
    next_prompt,
    part_of,
    walk_arrows,
    walk_plain,
)
from triage.flow import part
from triage.model import Language, Ruleset

PERSONAS: dict[str, dict[str, Any]] = {
    "self, 63, groin and knee for months": {
        "respondent": "self",
        "age": 63,
        "groin_pain": "yes",
        "pain_radiates_to_knee": "yes",
        "duration": "over_12_weeks",
        "morning_stiffness": "up_to_30_minutes",
        "daily_activities_limited": "yes",
    },
    "parent of a baby of 9 months": {"respondent": "child", "age": "9 months"},
    "parent of a limping 12-year-old": {
        "respondent": "child",
        "age": 12,
        "limp": "yes",
        "pain_radiates_to_knee": "yes",
        "duration": "1_to_3_weeks",
    },
    "helper of an 84-year-old after a fall": {
        "respondent": "other",
        "age": 84,
        "recent_fall": "yes",
        "anticoagulant": "yes",
        "head_injury": "unknown",
    },
    "early stop: short of breath, not sure about the leg": {
        "breathless": "yes",
        "cold_pale_leg": "unknown",
    },
    "self-care: 35, a week, getting better": {
        "respondent": "self",
        "age": 35,
        "duration": "under_1_week",
        "trend": "improving",
    },
}
MONTHS = {Language.EN: "9 months", Language.NL: "9mnd"}
SIZES = [(80, 24), (50, 30)]


def _story(name: str, language: Language) -> dict[str, Any]:
    story = dict(PERSONAS[name])
    if story.get("age") == "9 months":
        story["age"] = MONTHS[language]
    return story


def _walk(
    ruleset: Ruleset, name: str, language: Language, size: tuple[int, int], plain: bool
) -> tuple[Session, Person]:
    session = Session(ruleset, language, *size, plain=plain)
    person = Person(session, _story(name, language))
    status = walk_plain(person) if plain else walk_arrows(person)
    assert status == 0
    return session, person


def _parts(session: Session) -> list[int]:
    return [s.part for s in session.snapshots if s.part is not None]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("name", list(PERSONAS))
def test_every_arrow_screen_fits_with_its_heading_and_whole_words(
    ruleset: Ruleset, name: str, language: Language, size: tuple[int, int]
) -> None:
    session, person = _walk(ruleset, name, language, size, plain=False)
    texts = person.texts()
    questions = [s for s in session.snapshots if s.kind in ("checklist", "select", "age")]
    assert questions, "no question was seen"
    for snapshot in questions:
        # The heading (part and title) is still on the screen when the prompt's last line
        # is drawn: the screen was not taller than the terminal.
        assert snapshot.part is not None, snapshot.text
        assert not list(full_rows(snapshot.rows)), snapshot.text
    parts = _parts(session)
    assert parts == sorted(parts), "the progress went back"
    assert parts[0] == 1
    for snapshot in session.snapshots:
        assert not list(full_rows(snapshot.rows)), snapshot.text
    save = next(s for s in session.snapshots if s.kind == "save")
    shown = _flat(save.text)
    assert _flat(texts("result.brief.title")) in shown, save.text  # the headline box
    assert _flat(texts("result.urgency", level="")).strip() in shown, save.text


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("name", list(PERSONAS))
def test_plain_mode_says_whole_words_counts_and_every_answer(
    ruleset: Ruleset, name: str, language: Language
) -> None:
    session, person = _walk(ruleset, name, language, (80, 24), plain=True)
    texts = person.texts()
    lines = "".join(s.text for s in session.snapshots).replace("\r", "").split("\n")
    assert all(len(line) < 80 for line in lines), max(lines, key=len)
    choose = _flat(texts("ui.screens.plain_count_choose", count=0)).split("0")[0]
    tick = _flat(texts("ui.screens.plain_count_tick", count=0)).split("0")[0]
    for snapshot in session.snapshots:
        said = _flat(snapshot.text)
        if snapshot.kind == "select":
            assert choose in said, snapshot.text
        if snapshot.kind == "checklist" and _flat(texts("ui.none_of_these")) in said:
            assert tick in said, snapshot.text
            assert f"0. {texts('ui.none_of_these')}" in snapshot.text
    parts = _parts(session)
    assert parts == sorted(parts)
    echoes = [texts(key, answer="").strip() for key in ("ui.plain_echo", "ui.plain_echo_unsure")]
    asked = [s for s in session.snapshots if s.kind in ("checklist", "select", "age")]
    after = [*session.snapshots[1:], None]
    for snapshot, following in zip(session.snapshots, after, strict=True):
        if snapshot in asked and following is not None:
            rows = (following.rows[0], following.text.split("\n")[1])
            assert any(echo in row for row in rows for echo in echoes), rows
    # The follow-up to "I am not sure" says back what the person is not sure about.
    shown = _flat(session.raw)
    follow_ups = (texts("ui.unsure_prompt"), texts("ui.screens.unsure_after_112"))
    asked_unsure = any(_flat(prompt) in shown for prompt in follow_ups)
    assert asked_unsure == (texts("ui.plain_echo_unsure", answer="").strip() in shown)


def test_an_age_in_months_is_echoed_with_the_months(ruleset: Ruleset) -> None:
    session, _person = _walk(
        ruleset, "parent of a baby of 9 months", Language.EN, (80, 24), plain=True
    )
    assert "Your answer: 0 years (9 months)" in session.raw
    session, _ = _walk(ruleset, "parent of a baby of 9 months", Language.NL, (80, 24), plain=False)
    assert "0 jaar (9 maanden)" in _flat(session.raw.replace("\x1b", " "))


def _at_warning_signs(ruleset: Ruleset, size: tuple[int, int]) -> tuple[Session, Person]:
    session = Session(ruleset, Language.EN, *size)
    person = Person(session, dict(PERSONAS["self, 63, groin and knee for months"]))
    signs = part(ruleset, "urgent")[0]  # the signs that need a doctor soon
    status = walk_arrows(person, until=lambda s: s.kind == "checklist" and s.part == signs)
    assert status == -1
    return session, person


def test_help_explains_the_line_under_the_cursor_and_keeps_the_list_on_screen(
    ruleset: Ruleset,
) -> None:
    session, person = _at_warning_signs(ruleset, (80, 24))
    texts = person.texts()
    first = person.shown_questions(session.snapshots[-1].text)[0]
    mark = len(session.raw)
    session.send("?")
    assert next_prompt(person, mark) == "checklist"
    shown = _flat("\n".join(session.rows()))
    assert _flat(texts(f"question.{first}.why")) in shown  # the whole help, not its end
    assert part_of(shown, texts) == session.snapshots[-1].part  # the heading is still there
    assert shown.endswith(_flat(texts("ui.unsure_option")))
    session.child.terminate(force=True)


def _resized(session: Session, person: Person, columns: int, lines: int | None = None) -> None:
    """Give the terminal a new size, and wait until the tick list is drawn again."""
    mark = len(session.raw)
    session.lines = lines or session.lines
    session.screen.resize(session.lines, columns)
    session.columns = columns
    session.child.setwinsize(session.lines, columns)
    texts = person.texts()
    drawn, last = _flat(texts("ui.checkbox_instruction")), _flat(texts("ui.unsure_option"))
    while not (
        drawn in _flat(_stripped(session.raw[mark:]))
        and _flat("\n".join(session.rows())).endswith(last)
    ):
        session._pump()


def _last_list(rows: list[str], person: Person) -> tuple[int, list[str]]:
    """Where the tick list drawn last begins (its instruction's row), and the questions it
    shows whole."""
    instruction = _flat(person.texts()("ui.checkbox_instruction"))
    drawn = max(n for n, row in enumerate(rows) if instruction in _flat(row))
    return drawn, person.shown_questions("\n".join(rows[drawn:]))


def _headings(text: str, person: Person, group: str) -> int:
    """How often the text holds the heading of the walk's part `group` ("Part 5 of 8 ·")."""
    number, total = part(person.ruleset, group)
    template = person.texts()("ui.screens.progress")
    return _flat(text).count(template.split("{part}")[0].format(n=number, total=total))


def test_a_resize_storm_leaves_one_heading_on_the_screen(ruleset: Ruleset) -> None:
    """Attack 2026-12, fault 34: each resize drew the screen's heading again below the one
    already there, so a storm of resizes filled the screen and its scrollback with copies.
    The heading is drawn again only when it folds differently, in place of the old one."""
    session, person = _at_warning_signs(ruleset, (80, 50))  # the list fits at 40 columns too
    lines = person.shown_questions(session.snapshots[-1].text)
    assert _headings("\n".join(session.rows()), person, "urgent") == 1
    written = _headings(_stripped(session.raw), person, "urgent")
    for columns in (100, 90, 120, 85, 110, 95, 80):  # the heading folds as at 80 columns
        _resized(session, person, columns)
    assert _headings(_stripped(session.raw), person, "urgent") == written  # not drawn again
    for columns in (40, 60, 44):  # the heading folds differently each time
        _resized(session, person, columns)
    rows = session.rows()
    assert _headings("\n".join(rows), person, "urgent") == 1
    assert _headings(_stripped(session.raw), person, "urgent") == written + 3
    assert _last_list(rows, person)[1] == lines  # every line, each whole
    session.child.terminate(force=True)


def test_a_smaller_terminal_cuts_the_tick_list_again_and_keeps_the_ticks(
    ruleset: Ruleset,
) -> None:
    """Found at stop 29: a tick list cut into pages for 80x30 stayed that long when the
    terminal became smaller (a person zooming in), and its last lines, "None of these"
    and "I am not sure", fell off the bottom of the screen."""
    session, person = _at_warning_signs(ruleset, (80, 30))
    texts = person.texts()
    before = person.shown_questions(session.snapshots[-1].text)
    mark = len(session.raw)
    session.send(" ")  # tick the first line
    while "\N{BLACK CIRCLE}" not in _stripped(session.raw[mark:]):
        session._pump()
    _resized(session, person, 70, lines=16)
    rows = session.rows()
    drawn, after = _last_list(rows, person)
    assert after
    assert len(after) < len(before)
    assert after[0] == before[0]
    assert "\N{BLACK CIRCLE}" in rows[drawn + 1]  # the tick on the first line is kept
    prompt = _flat("\n".join(rows[max(0, drawn - 4) : drawn]))
    assert _flat(texts("ui.more_lines")) in prompt  # the person knows more lines follow
    assert _flat(texts("ui.more_lines")) not in _flat(session.snapshots[-1].text)
    here = _flat(texts("ui.none_of_these_here"))
    assert here in _flat("\n".join(rows[drawn:]))  # "None of these" is of this page only
    _resized(session, person, 80, lines=30)  # back: the whole list again, the tick kept
    rows = session.rows()
    assert here not in _flat("\n".join(rows[_last_list(rows, person)[0] :]))
    drawn, whole = _last_list(rows, person)
    assert whole == before
    assert "\N{BLACK CIRCLE}" in rows[drawn + 1]
    _resized(session, person, 70, lines=16)
    mark = len(session.raw)
    session.send("\r")  # this page's lines: the first yes, the others no
    instruction = _flat(texts("ui.checkbox_instruction"))
    while (page := person.shown_questions(_stripped(session.raw[mark:]))) == [] or (
        instruction not in _flat(_stripped(session.raw[mark:]))
    ):
        session._pump()
    assert page[0] == before[len(after)]  # the next page goes on where this one ended
    session.child.terminate(force=True)


def test_a_narrower_terminal_folds_the_lines_again_instead_of_cutting_them(
    ruleset: Ruleset,
) -> None:
    session, person = _at_warning_signs(ruleset, (80, 24))
    lines = person.shown_questions(session.snapshots[-1].text)
    mark = len(session.raw)
    _resized(session, person, 50, lines=30)
    assert next_prompt(person, mark) == "checklist"
    rows = session.rows()
    shown = _last_list(rows, person)[1]  # each line whole
    # The same lines, or the first of them when fewer fit the new size (a page cut again).
    assert shown
    assert shown == lines[: len(shown)]
    assert not list(full_rows(rows))
    session.child.terminate(force=True)
