"""One place that turns every failure into one translated line and a non-zero exit."""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from depositctl.core.errors import UserError
from depositctl.i18n import _

F = TypeVar("F", bound=Callable[..., Any])

#: Parameters whose values are words from our own catalog (translated with the message).
TRANSLATED_PARAMS = ("what", "field")


def message(exc: UserError) -> str:
    params = {
        k: (_(v) if k in TRANSLATED_PARAMS and isinstance(v, str) else v)
        for k, v in exc.params.items()
    }
    return _(exc.template).format(**params)


def report(text: str, code: int) -> typer.Exit:
    sys.stderr.write(_("Error: {message}").format(message=text) + "\n")
    return typer.Exit(code)


def guarded(func: F) -> F:
    """Wrap a command so that no traceback reaches the user."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            raise report(message(exc), exc.exit_code) from None
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise report(_("The ledger is busy in another depositctl; try again."), 5) from None
            raise report(
                _("The ledger could not be used: {reason}").format(reason=exc), 4
            ) from None
        except sqlite3.DatabaseError as exc:
            raise report(
                _("The ledger is damaged or not a depositctl ledger: {reason}").format(reason=exc),
                4,
            ) from None
        except KeyboardInterrupt:
            raise report(_("Interrupted; nothing was half-written."), 130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]
