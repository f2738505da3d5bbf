"""Errors the user can act on.

A `UserError` carries an English message template and its parameters; the CLI
translates the template (gettext) and formats it, so the core stays free of I/O.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def N_(message: str) -> str:
    """Mark a string for translation without translating it (gettext convention)."""
    return message


class UserError(Exception):
    """Bad input or an impossible request: one line for the user, non-zero exit."""

    exit_code = 2

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template.format(**params))
        self.template = template
        self.params = params


class NotFound(UserError):
    exit_code = 3


class LedgerError(UserError):
    """The ledger file cannot be used (corrupt, unreadable, from a newer version)."""

    exit_code = 4
