"""Commands of this group are registered here (filled in by its issue)."""

import typer


def register(app: typer.Typer) -> None:
    """No commands yet."""
