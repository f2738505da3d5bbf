"""`status`, `show`, `agenda`: what is owed, what is late, what to do next."""

import sys
from typing import Annotated

import typer

from depositctl.cli.context import env, parse_id, print_json, settings
from depositctl.cli.options import case_id_arg
from depositctl.core.errors import N_, UserError
from depositctl.i18n import _


def register(app: typer.Typer) -> None:
    @app.command(
        "status",
        help=_(
            "Open cases, most urgent first, with a totals line.\n\n"
            "Examples: depositctl status; depositctl status --all --json; depositctl status --limit 0"
        ),
    )
    def status(
        ctx: typer.Context,
        include_all: Annotated[
            bool, typer.Option("--all", help=_("Include refunded and closed cases"))
        ] = False,
        as_json: Annotated[
            bool, typer.Option("--json", help=_("Print JSON (all cases unless --limit)"))
        ] = False,
        limit: Annotated[
            int | None,
            typer.Option("--limit", help=_("Show the N most urgent (default 50; 0 shows all)")),
        ] = None,
    ) -> None:
        from depositctl.ops.views import paused_gc, status_listing

        if limit is not None and limit < 0:
            raise UserError(N_("--limit must be 0 or more"))
        # Each case is kept as the text it prints as (`project`), not as its view: 80,000
        # open cases with --limit 0 stay tens of megabytes.
        with paused_gc():  # thousands of rows alive: no cycles, nothing for the GC to find
            if as_json:
                from depositctl.render.jsonout import json_chunks, status_item_utf8
                from depositctl.render.tables import write_chunks

                found = status_listing(
                    env(ctx), include_all=include_all, limit=limit or 0, project=status_item_utf8
                )
                write_chunks(json_chunks(found.shown), sys.stdout)
                del found  # freed before the GC resumes, so it has nothing big to walk
                return
            from depositctl.render.tables import print_status, status_row

            n = 50 if limit is None else limit
            s = status_listing(env(ctx), include_all=include_all, limit=n, project=status_row)
            print_status(s.shown, s.totals, settings(ctx).today)
            del s

    @app.command(
        "show",
        help=_(
            "One case: facts, each deadline with its basis, the timeline, the history.\n\nExample: depositctl show 3"
        ),
    )
    def show(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON"))] = False,
    ) -> None:
        from depositctl.ops.views import case_view

        view = case_view(env(ctx), parse_id(case_id))
        if as_json:
            from depositctl.render.jsonout import show_item

            print_json(show_item(view))
            return
        from depositctl.render.tables import show_case

        show_case(view)

    @app.command(
        "agenda",
        help=_(
            "What to do today and in the next N days, each with its deadline.\n\nExample: depositctl agenda --days 14"
        ),
    )
    def agenda(
        ctx: typer.Context,
        days: Annotated[
            int, typer.Option("--days", help=_("How many days ahead"), min=0, max=3650)
        ] = 7,
    ) -> None:
        from depositctl.ops.views import agenda_views
        from depositctl.render.tables import agenda as render_agenda

        found = agenda_views(env(ctx))
        render_agenda(found.views, settings(ctx).today, days, found.follow_ups)
