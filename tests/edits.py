"""A realistic edit of a data folder, for the clinician tools' tests: the self-care window
moved to six weeks, and a new question with its rule."""

from __future__ import annotations

from pathlib import Path

NEW_QUESTION = "cough_pain"
NEW_RULE = "cough_pain_check"

_QUESTION = f"""
[[question]]
id = "{NEW_QUESTION}"
group = "complaint"
kind = "tri_state"
"""

_RULE = f"""[[rule]]
id = "{NEW_RULE}"
section = "red_flags"
disposition = "gp_routine"
source = "a seeded edit"
when = {{ question = "{NEW_QUESTION}", op = "is", value = "yes" }}

"""

_TEXTS = {
    "en": (
        f'\n[question.{NEW_QUESTION}]\ntext = "The pain wakes you up at night."\n'
        'short = "woken by pain"\nwhy = "Pain that wakes you up should be checked."\n'
        f'[rule.{NEW_RULE}]\nreason = "Pain that wakes you up at night: let the GP check it."\n'
    ),
    "nl": (
        f'\n[question.{NEW_QUESTION}]\ntext = "Je wordt \'s nachts wakker van de pijn."\n'
        'short = "wakker van pijn"\nwhy = "Pijn waar je wakker van wordt, moet bekeken worden."\n'
        f'[rule.{NEW_RULE}]\nreason = "Je wordt wakker van de pijn: laat de huisarts kijken."\n'
    ),
}


RED_FLAG_TO_SELF_CARE = (
    'id = "meralgia_persisting"\nsection = "red_flags"\ndisposition = "gp_routine"',
    'id = "meralgia_persisting"\nsection = "red_flags"\ndisposition = "self_care"',
)
"""A red flag (the last of its section, so the rows stay in order) sent to self-care."""


def edit(data: Path, file: str, old: str, new: str) -> None:
    """The one text edit of the tests: in `file` of a copy of data/ (say "rules.toml" or
    "lang/nl.toml"), the first `old` becomes `new`. An `old` the file does not hold fails
    the test there, so an edit never silently does nothing after the data changes."""
    path = data / file
    text = path.read_text()
    assert old in text, f"{old!r} is not in {file}"
    path.write_text(text.replace(old, new, 1))


def replace_in(data: Path, edits: list[tuple[str, str]]) -> None:
    """Apply text edits (old, new) to a copy of data/: each must be found, once replaced;
    the settled stop's group is in questions.toml, everything else in rules.toml."""
    for old, new in edits:
        edit(data, "questions.toml" if "settled_stop_from" in old else "rules.toml", old, new)


def six_weeks_and_a_new_question(data: Path) -> None:
    """Edit a copy of data/: the self-care window to six weeks, a new question and its rule."""
    rules = data / "rules.toml"
    text = rules.read_text()
    text = text.replace(
        'self_care_window_ends_at = "3_to_6_weeks"', 'self_care_window_ends_at = "6_to_12_weeks"'
    )
    anchor = "# --- 2. Children and adolescents"
    text = text.replace(anchor, _RULE + anchor, 1)
    rules.write_text(text)
    with (data / "questions.toml").open("a") as questions:
        questions.write(_QUESTION)
    for language, texts in _TEXTS.items():
        with (data / "lang" / f"{language}.toml").open("a") as file:
            file.write(texts)


LYING_VERDICTS = {
    "en": [
        ('failed = "FAILED"', 'failed = "\\u001b[0mproved"'),
        (
            'summary = "{held} of {total} properties hold ({seconds} s)."',
            'summary = "\\u001b[0m{total} of {total} properties hold ({seconds} s)."',
        ),
        (
            'total = "every answer set gets exactly one disposition"',
            'total = "every answer set gets exactly one disposition\\u001b[8m"',
        ),
    ],
    "nl": [
        ('failed = "FOUT"', 'failed = "\\u001b[0mbewezen"'),
        (
            'summary = "{held} van {total} eigenschappen kloppen ({seconds} s)."',
            'summary = "\\u001b[0m{total} van {total} eigenschappen kloppen ({seconds} s)."',
        ),
        (
            'total = "alle antwoorden geven precies één advies"',
            'total = "alle antwoorden geven precies één advies\\u001b[8m"',
        ),
    ],
}
"""Language files whose verdict words lie (attack report, fault 3): a failure called
"proved", a summary of all properties holding, and a description that hides what follows
(SGR 8, conceal)."""


def lie_in_verdicts(data: Path) -> None:
    """Make a copy of data/ supply lying verdict words to `triage verify`."""
    for language, edits in LYING_VERDICTS.items():
        path = data / "lang" / f"{language}.toml"
        text = path.read_text()
        for old, new in edits:
            assert old in text, old
            text = text.replace(old, new, 1)
        path.write_text(text)


FALL_AGE_TO_70 = (
    '{ question = "age", op = ">=", value = 65 }, { question = "osteoporosis"',
    '{ question = "age", op = ">=", value = 70 }, { question = "osteoporosis"',
)
"""The clinician's edit 1: `fall_older` from 70, while `osteoporosis` is still asked only
under 65 (and the `fall_older` safety-net sign still applies from 65)."""


def move_rule_to_section_end(data: Path, rule_id: str, disposition: str) -> None:
    """Give a rule another disposition and move its row to the end of its section (so the
    rows stay in order): the reviewers' seeds A (saddle numbness to self-care) and D (to
    routine). The section's end is the next section's comment heading or [[rule]] of
    another section."""
    path = data / "rules.toml"
    text = path.read_text()
    start = text.index(f'[[rule]]\nid = "{rule_id}"\n')
    end = text.index("\n[[rule]]", start + 1) + 1
    block = text[start:end]
    section = block.split('section = "', 1)[1].split('"', 1)[0]
    old = block.split('disposition = "', 1)[1].split('"', 1)[0]
    moved = block.replace(f'disposition = "{old}"', f'disposition = "{disposition}"', 1)
    text = text[:start] + text[end:]
    last = text.rindex(f'section = "{section}"')
    after = text.find("\n\n", last) + 2
    path.write_text(text[:after] + moved.rstrip("\n") + "\n\n" + text[after:])


def extra_questions(data: Path, count: int) -> None:
    """`count` more tri-state questions in the complaint group, with their texts."""
    questions = data / "questions.toml"
    questions.write_text(
        questions.read_text()
        + "".join(
            f'\n[[question]]\nid = "extra_{n}"\ngroup = "complaint"\nkind = "tri_state"\n'
            for n in range(count)
        )
    )
    for lang in ("en", "nl"):
        texts = data / "lang" / f"{lang}.toml"
        texts.write_text(
            texts.read_text()
            + "".join(
                f'\n[question.extra_{n}]\ntext = "Extra {n}?"\nshort = "extra {n}"\n'
                'why = "Extra."\n'
                for n in range(count)
            )
        )
