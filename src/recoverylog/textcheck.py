"""Free text a person types, checked one way everywhere (docs/definitions.md §12).

Two rules, two functions:

- `check_text(value, what)`: what may be *stored*. Control characters (C0 except tab and
  newline, DEL, C1 — terminal escape sequences start with one) and text that is not valid
  UTF-8 are refused with one line naming the field; nothing is stored. `check_argument`
  applies the same rule to every command-line argument before any command runs, so a note,
  a name, a title, a plan item and a contact field are refused the same way.
- `display(text)`: what may be *shown*. Control characters are removed and bidirectional
  overrides and isolates (U+202A–U+202E, U+2066–U+2069) are neutralised, so a name cannot
  make the text after it read backwards. `render.console.esc` calls it for every piece of
  user text, the person's own included.

Leaf module: no imports from the rest of recoverylog except errors.
"""

from __future__ import annotations

import re

from recoverylog.errors import InputError

# C0 controls except tab (\x09) and newline (\x0a), DEL, C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Control characters and whole ANSI escape sequences (display side).
_CONTROL_OR_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates, plus the invisible marks that steer them.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Lone surrogates: what Python makes of bytes that are not UTF-8 (surrogateescape).
_SURROGATE = re.compile(r"[\ud800-\udfff]")

MAX_ARGUMENT_CHARS = 100_000


def invalid_utf8(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def has_control(text: str, *, multiline: bool = True) -> bool:
    if _CONTROL.search(text):
        return True
    return not multiline and ("\n" in text or "\t" in text)


def check_text(value: str, what: str, *, multiline: bool = True) -> str:
    """Return `value` unchanged when it may be stored; raise InputError (one line) when not."""
    if invalid_utf8(value):
        raise InputError(f"The {what} is not valid UTF-8 text; nothing was saved.")
    if has_control(value, multiline=multiline):
        kinds = "control characters (such as terminal escape codes)"
        if not multiline and not _CONTROL.search(value):
            kinds = "a line break or tab (it is one line)"
        raise InputError(f"The {what} contains {kinds}; nothing was saved.")
    return value


def check_argument(arg: str, label: str | None = None) -> None:
    """The rule for every command-line argument: valid UTF-8, no control characters other than
    tab and newline (notes may span lines), and not absurdly long. `label` names it (`--note`)."""
    what = label or "An argument"
    if invalid_utf8(arg):
        raise InputError(f"{what} is not valid UTF-8 text (check the terminal's encoding); "
                         "nothing was changed.")
    if "\x00" in arg:
        raise InputError(f"{what} contains a NUL character; nothing was changed.")
    if _CONTROL.search(arg):
        raise InputError(f"{what} contains control characters (such as terminal escape codes); "
                         "nothing was changed.")
    if len(arg) > MAX_ARGUMENT_CHARS:
        raise InputError(f"{what} is longer than {MAX_ARGUMENT_CHARS:,} characters; nothing was changed.")


def strip_control(text: str) -> str:
    """Remove ANSI escape sequences and control characters (keeps tab and newline)."""
    return _CONTROL_OR_ANSI.sub("", text)


def neutralise_bidi(text: str) -> str:
    return _BIDI.sub("", text)


def display(text: str) -> str:
    """Text as it may be shown in a terminal or a file someone reads: no control characters,
    no bidirectional overrides, no lone surrogates."""
    return _SURROGATE.sub("\ufffd", neutralise_bidi(strip_control(text)))
