"""argparse's refusals of a bad command line, in the user's language.

argparse writes its own messages in English ("the following arguments are required: ...").
``translate`` recognises each one argparse can give a booth user and says it again from the
app's catalog, keeping the names and values it quotes; a message it does not know (one of
ours, already translated, from a ``type=`` check) is left as it is."""

from __future__ import annotations

import re

from pos_app.domain.errors import N_
from pos_app.i18n import _

# (argparse's message as a pattern, ours with the same named parts); the first match wins.
MESSAGES = [
    (r"the following arguments are required: (?P<names>.+)",
     N_("the following arguments are required: {names}")),
    (r"unrecognized arguments: (?P<names>.+)", N_("unrecognized arguments: {names}")),
    (r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)",
     N_("invalid choice: {value} (choose from {choices})")),
    (r"expected one argument", N_("expected one value")),
    (r"expected at least one argument", N_("expected at least one value")),
    (r"expected at most one argument", N_("expected at most one value")),
    (r"expected (?P<count>\d+) arguments?", N_("expected {count} values")),
    (r"invalid (?P<kind>\w+) value: (?P<value>.+)", N_("invalid {kind} value: {value}")),
    (r"one of the arguments (?P<names>.+) is required",
     N_("one of the arguments {names} is required")),
    (r"not allowed with argument (?P<name>.+)", N_("not allowed with argument {name}")),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)",
     N_("ambiguous option: {option} could mean {matches}")),
    (r"argument (?P<name>[^:]+): (?P<message>.+)", N_("argument {name}: {message}")),
]
PATTERNS = [(re.compile(pattern, re.DOTALL), words) for pattern, words in MESSAGES]


def translate(message: str) -> str:
    """``"argument --method: invalid choice: 'x' (choose from 'cash', 'qris')"`` in Indonesian:
    ``"argumen --method: pilihan tidak sah: 'x' (pilih dari 'cash', 'qris')"``."""
    for pattern, words in PATTERNS:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        parts = match.groupdict()
        if "message" in parts:
            parts["message"] = translate(parts["message"])
        return _(words).format(**parts)
    return message


__all__ = ["translate", "MESSAGES"]
