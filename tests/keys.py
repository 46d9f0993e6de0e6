"""Keystrokes, named once, so that a test reads as what the person pressed."""

from __future__ import annotations

DOWN = "\x1b[B"
UP = "\x1b[A"
ENTER = "\r"
SPACE = " "
HELP = "?"
BACK = "<"
CTRL_C = "\x03"
CTRL_D = "\x04"
BACKSPACE = "\x7f"

# On a choice list, the pointer starts on a line that is no answer: one DOWN reaches the
# first answer, two the second.
FIRST = DOWN + ENTER
SECOND = DOWN * 2 + ENTER
# On a checklist, UP from the top wraps to the last line ("I am not sure"); the one above
# it is "None of these".
NONE_OF_THESE = UP + UP + SPACE + ENTER
