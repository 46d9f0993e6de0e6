"""The data format, declared once: every table of the data files, its keys, their types and
what they mean.

The loader checks each table's keys against this schema (`keys_of`), and
docs/data-format.md is written from it (`markdown`; tests/test_data_format.py holds the
two together). What a value may be beyond its type (an
id that names a question, a value of the question's kind, the order of the rows) is
checked where it is read, with a message that names the entry.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from triage.errors import DataError, did_you_mean
from triage.loader.reading import MAX_FILE_BYTES, QUESTIONS_FILE, RULES_FILE

MAX_ENTRIES = 300
"""The most entries a list of tables may have ([[question]], [[rule]], ...): about four
times the shipped questionnaire's 77 questions and 72 rules, and more than a person can
answer at one sitting. Checked before any entry is read, so that the work that grows with
the entries (the checks, the smoke test, the proofs) is bounded by it."""


ANY_FILE = "questions.toml, rules.toml"


class Key(NamedTuple):
    """One key of a table."""

    name: str
    type: str
    meaning: str
    required: bool = True


class Table(NamedTuple):
    """One table of a data file: how it is written, what it holds, and its keys."""

    file: str
    written: str
    meaning: str
    keys: tuple[Key, ...]

    @property
    def required(self) -> tuple[str, ...]:
        """The keys every such table has."""
        return tuple(k.name for k in self.keys if k.required)

    @property
    def optional(self) -> tuple[str, ...]:
        """The keys it may have."""
        return tuple(k.name for k in self.keys if not k.required)


def _key(name: str, type_: str, meaning: str) -> Key:
    return Key(name, type_, meaning)


def _optional(name: str, type_: str, meaning: str) -> Key:
    return Key(name, type_, meaning, required=False)


# --- questions.toml -------------------------------------------------------------------------

QUESTIONS = Table(
    QUESTIONS_FILE,
    "the top level",
    "The questionnaire: the kinds of answer, the groups and the questions, in walk order.",
    (
        _key("questionnaire", "table", "the questionnaire's header ([questionnaire])"),
        _key("kind", "table of tables", "the kinds of answer ([kind.<id>])"),
        _key("group", "list of tables", "the groups, in walk order ([[group]])"),
        _key("question", "list of tables", "the questions, in walk order ([[question]])"),
        _optional("combined", "list of tables", "version 2 answers now asked as parts"),
    ),
)
QUESTIONNAIRE = Table(
    QUESTIONS_FILE,
    "[questionnaire]",
    "The questionnaire's header.",
    (
        _key("version", "text", "the questionnaire's version (a question's added_in names it)"),
        _optional("voice", "question id", "the question whose answer words the texts (K_<value>)"),
        _optional(
            "settled_stop_from", "group id", "from this group's end on, a settled walk stops"
        ),
    ),
)
KIND = Table(
    QUESTIONS_FILE,
    "[kind.<id>]",
    "A kind of answer: a list of values, or (without values) a whole number in a range.",
    (
        _optional("values", "list of ids", "the answers, in order"),
        _optional(
            "aliases", "table of texts", "other words scripted input may give (alias = value)"
        ),
        _optional("ordered", "true/false", "the values are ordered: a test may use < <= > >="),
        _optional("minimum", "whole number", "the smallest number (a kind without values)"),
        _optional("maximum", "whole number", "the largest number (a kind without values)"),
    ),
)
GROUP = Table(
    QUESTIONS_FILE,
    "[[group]]",
    "Questions asked together, in walk order.",
    (
        _key("id", "id", "the group's id (texts: group.<id>.title, group.<id>.intro)"),
        _optional("stop_on", "value", "an answer of this value ends the walk after the group"),
        _optional("checklist", "true/false", "its yes/no questions are shown as one checklist"),
    ),
)
QUESTION = Table(
    QUESTIONS_FILE,
    "[[question]]",
    "One question of the walk; a group's questions stand together, in group order.",
    (
        _key("id", "id", "the question's id (texts: question.<id>.text, .short, .why)"),
        _key("group", "group id", "the group it is asked in"),
        _key("kind", "kind id", "its kind of answer"),
        _optional("ask_when", "condition", "asked only when this holds (on earlier questions)"),
        _optional("default", "value", "the answer scripted input gets when it leaves it out"),
        _optional("informational", "true/false", "asked for the summary only: no rule reads it"),
        _optional("added_in", "text", "the questionnaire version that added it"),
        _optional("screen", "id", "the screen it is shown on with its neighbours"),
    ),
)
COMBINED = Table(
    QUESTIONS_FILE,
    "[[combined]]",
    "A version 2 answer that stands for two or more yes/no questions now asked apart.",
    (
        _key("id", "id", "the version 2 question id (texts: combined.<id>.short)"),
        _key("parts", "list of question ids", "the yes/no questions it stands for (two or more)"),
    ),
)

# --- rules.toml -------------------------------------------------------------------------------

RULES = Table(
    RULES_FILE,
    "the top level",
    "The rule table: sections of rules, notes, the safety net and who to call first.",
    (
        _key("ruleset", "table", "the rule table's header ([ruleset])"),
        _key("settings", "table", "numbers and boundaries a clinician may change ([settings])"),
        _key("section", "list of tables", "the sections, in table order ([[section]])"),
        _key("rule", "list of tables", "the rules, section by section ([[rule]])"),
        _optional("note", "list of tables", "notes that change no disposition ([[note]])"),
        _optional("safety_net", "list of tables", "signs to act on at once ([[safety_net]])"),
        _optional("review", "table", "when the self-care review goes to the GP ([review])"),
        _optional("contact", "list of tables", "who to call first ([[contact]])"),
    ),
)
RULESET = Table(
    RULES_FILE,
    "[ruleset]",
    "The rule table's header.",
    (_key("version", "text", "the ruleset's version, shown with every result"),),
)
SETTINGS = Table(
    RULES_FILE,
    "[settings]",
    "Numbers and boundaries a clinician may change (a test names one with setting = ...).",
    (
        _key("self_care_window_ends_at", "id", "the value of the duration where self-care ends"),
        _key("safety_net_days", "whole number", "days until the review date (1 to 365)"),
        _optional(
            "settled_stop_at",
            "disposition",
            "the walk stops once the advice is this or more urgent",
        ),
    ),
)
SECTION = Table(
    RULES_FILE,
    "[[section]]",
    "A section of the rule table.",
    (
        _key("id", "id", "the section's id (texts: section.<id>.title)"),
        _key("kind", "screen, unknown or fallback", "how its rules are checked"),
        _optional("applies_when", "condition", "the section applies only when this holds"),
    ),
)
RULE = Table(
    RULES_FILE,
    "[[rule]]",
    "One row of the rule table; in a section, from the most to the least urgent.",
    (
        _key("id", "id", "the rule's id (texts: rule.<id>.reason, rule.<id>.because.<question>)"),
        _key("section", "section id", "the section it belongs to"),
        _key("disposition", "disposition", "where the person goes when it fires"),
        _key("source", "text", "the guideline it comes from"),
        _key("when", "condition", "when it fires"),
        _optional("meanwhile", "id", "a line on what to do until help comes (meanwhile.<id>)"),
        _optional("meanwhile_instead", "true/false", "the line replaces the disposition's own"),
    ),
)
NOTE = Table(
    RULES_FILE,
    "[[note]]",
    "A note that changes no disposition, shown with some dispositions.",
    (
        _key("id", "id", "the note's id (texts: note.<id>.text)"),
        _key("source", "text", "the guideline it comes from"),
        _key("with", "list of dispositions", "the dispositions it is shown with"),
        _key("when", "condition", "when it is shown"),
    ),
)
SAFETY_NET = Table(
    RULES_FILE,
    "[[safety_net]]",
    "A sign that means calling 112 or the GP at once.",
    (
        _key("id", "id", "the sign's id (texts: safety_net.<id>.text)"),
        _key("level", "disposition", "call_112, gp_immediately or gp_within_24_hours"),
        _key("covers", "list of rule ids", "the urgent rules it stands watch for"),
        _optional("applies_when", "condition", "shown only when this holds"),
    ),
)
REVIEW = Table(
    RULES_FILE,
    "[review]",
    "Who reviews a self-care result.",
    (_key("gp_when", "condition", "the review goes to the GP, not the manual therapist"),),
)
CONTACT = Table(
    RULES_FILE,
    "[[contact]]",
    "Who to call first for some results; the first that applies is named.",
    (
        _key("id", "id", "the contact's id (texts: contact.<id>.text)"),
        _key("for", "list of rule ids or dispositions", "the results it is for"),
        _optional("when", "condition", "it applies only when this holds"),
        _optional("first", "true/false", "called before the GP: the line comes first"),
    ),
)

# --- conditions (inline tables in both files) ---------------------------------------------

TEST = Table(
    ANY_FILE,
    "{ question = ... }",
    "A test of one answer; `value` or `setting`, not both.",
    (
        _key("question", "question id", "the question whose answer is tested"),
        _key("op", "is, in, <, <=, > or >=", "the test (< and friends: numbers, ordered kinds)"),
        _optional("value", "value or list of values", "what the answer is tested against"),
        _optional("setting", "setting name", "a [settings] entry to test against instead"),
    ),
)
ALL = Table(
    ANY_FILE,
    "{ all = [...] }",
    "True when every part is.",
    (_key("all", "list of conditions", "the parts"),),
)
ANY = Table(
    ANY_FILE,
    "{ any = [...] }",
    "True when some part is.",
    (_key("any", "list of conditions", "the parts"),),
)
POSSIBLY = Table(
    RULES_FILE,
    "{ possibly = ... }",
    "Unknown and fallback sections only: a screening rule of this disposition may have fired.",
    (_key("possibly", "disposition", "the disposition of the screening rule"),),
)
UNKNOWN_ANSWERS = Table(
    RULES_FILE,
    "{ unknown_answers = ... }",
    "Unknown sections only: this many unknown answers each leave a screening rule open.",
    (_key("unknown_answers", "whole number", "the count, 1 or more"),),
)
ALWAYS = Table(
    ANY_FILE, "{ always = true }", "Always true.", (_key("always", "true", "only true"),)
)
OTHERWISE = Table(
    RULES_FILE,
    "{ otherwise = true }",
    "Fallback sections only: no other rule of the section fired (the section's last rule).",
    (_key("otherwise", "true", "only true"),),
)

CONDITIONS = {
    "question": TEST,
    "all": ALL,
    "any": ANY,
    "possibly": POSSIBLY,
    "unknown_answers": UNKNOWN_ANSWERS,
    "always": ALWAYS,
    "otherwise": OTHERWISE,
}
"""The forms of a condition, by the key that names each (a condition has exactly one)."""

FILES = (
    (QUESTIONS_FILE, (QUESTIONS, QUESTIONNAIRE, KIND, GROUP, QUESTION, COMBINED)),
    (RULES_FILE, (RULES, RULESET, SETTINGS, SECTION, RULE, NOTE, SAFETY_NET, REVIEW, CONTACT)),
    ("conditions (in both files)", tuple(CONDITIONS.values())),
)
"""Every table of the data files, by file, in the order the documentation gives them."""

TABLES = tuple(table for _, tables in FILES for table in tables)

TEXTS = (
    "lang/<language>.toml holds every text of one language, by key (`rule.<id>.reason`, "
    "written as nested tables or dotted keys); each value is a text or a list of texts. "
    "Every language has the same keys, and a text uses the same {fields} in every language. "
    "A key K may have variants K_<value> for the values of the voice question "
    "(`K_child`: worded for a parent)."
)


def keys_of(raw: object, table: Table, file: str, entry: str) -> dict[str, Any]:
    """`raw` as a table of `table`'s keys: a DataError at `entry` of `file` for anything
    else (not a table, a key the table does not have, a required key missing)."""
    if not isinstance(raw, dict):
        raise DataError(file, entry, f"should be a table, not {describe(raw)}")
    allowed = table.required + table.optional
    for key in raw:
        if key not in allowed:
            raise DataError(
                file,
                entry,
                f"unknown key {key!r}{did_you_mean(key, allowed)}; allowed: {', '.join(allowed)}",
            )
    for key in table.required:
        if key not in raw:
            raise DataError(file, entry, f"missing key {key!r}")
    return raw


def describe(raw: object) -> str:
    """What a value of a TOML file is, in words."""
    return {
        dict: "a table",
        list: "a list",
        str: "a text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(raw), type(raw).__name__)


def markdown() -> str:
    """The data format in Markdown (docs/data-format.md)."""
    lines = [
        "# The data format",
        "",
        "<!-- Written from triage/loader/schema.py; regenerate it after an edit there:",
        "python -c 'from triage.loader.schema import markdown; print(markdown(), end=\"\")'",
        "> docs/data-format.md (tests/test_data_format.py fails until you do). -->",
        "",
        "A data folder holds `questions.toml`, `rules.toml` and `lang/<language>.toml`. "
        "The loader checks the keys of every table against this schema, and names the "
        "file and the entry of each mistake, all of them in one run. What a value may be "
        "beyond its type (an id that names a question, a value of its kind, the order of "
        "the rows) is checked where it is read.",
        "",
        f"Each file may hold at most {MAX_FILE_BYTES:,} bytes, and each list of tables "
        f"(`[[question]]`, `[[rule]]`, ...) at most {MAX_ENTRIES} entries, so that the work "
        "that grows with them is bounded.",
    ]
    for heading, tables in FILES:
        lines += ["", f"## {heading}"]
        for table in tables:
            name = table.written if table.written.startswith("the ") else f"`{table.written}`"
            lines += ["", f"### {name}", "", _cell(table.meaning), ""]
            lines += ["| key | type | required | meaning |", "| --- | --- | --- | --- |"]
            lines += [
                f"| `{k.name}` | {_cell(k.type)} | {'yes' if k.required else 'no'} | "
                f"{_cell(k.meaning)} |"
                for k in table.keys
            ]
    lines += ["", "## `lang/<language>.toml`", "", _cell(TEXTS), ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text for Markdown: angle brackets shown, not read as HTML."""
    return text.replace("<", "&lt;").replace(">", "&gt;")
