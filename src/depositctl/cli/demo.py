"""`demo`: the example ledger in a throwaway folder, its status, and a letter."""

import typer

from depositctl.cli.context import env, out, settings
from depositctl.i18n import _


def register(app: typer.Typer) -> None:
    @app.command(
        "demo",
        help=_(
            "Load the example ledger into a throwaway folder and show status and a letter.\n\nExample: depositctl demo"
        ),
    )
    def demo(ctx: typer.Context) -> None:
        from depositctl.ops.demo import demo as run_demo
        from depositctl.render.tables import status_listing as render_status

        shown = run_demo(env(ctx), today_given=settings(ctx).today_given)
        out(
            _("Demo ledger loaded from {path} (a throwaway copy; as of {today}).").format(
                path=shown.example, today=shown.today.isoformat()
            )
        )
        out()
        s = shown.listing
        render_status(s.shown, s.totals, shown.today)
        if shown.channels is not None:
            from depositctl.render.channels import channel_table

            c = shown.channels
            out()
            out(_("Which channel fits #{id} now (depositctl channels {id}):").format(id=c.view.id))
            channel_table(c.view, c.capacity, c.verdicts)
        if shown.letter_md is not None:
            out()
            out(
                _("The letter for #{id}'s next step (depositctl letter {id} --to {to}):").format(
                    id=shown.letter_case_id, to=shown.letter_to
                )
            )
            out()
            out(shown.letter_md)
        out()
        out(
            _(
                "End of the demo (a throwaway copy: nothing was written to your ledger). Now start your own: depositctl profile set with your name, phone and address, then depositctl add for each terminal (the tour in README.md shows each step)."
            )
        )
