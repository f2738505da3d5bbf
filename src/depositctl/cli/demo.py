"""`demo`: the example ledger in a throwaway folder, its status, and a letter."""

import tempfile
from pathlib import Path

import typer

from depositctl.cli.context import Settings, out, settings
from depositctl.i18n import _


def register(app: typer.Typer) -> None:
    @app.command(
        "demo",
        help=_(
            "Load the example ledger into a throwaway folder and show status and a letter.\n\nExample: depositctl demo"
        ),
    )
    def demo(ctx: typer.Context) -> None:
        from depositctl import data
        from depositctl.core.models import State
        from depositctl.ops.views import status_listing
        from depositctl.render.tables import status_listing as render_status
        from depositctl.store.calendar import make_evaluator
        from depositctl.store.casefile import file_today, load_casefile, read_casefile
        from depositctl.store.ledger import open_ledger

        opts: Settings = settings(ctx)
        example = data.path("examples", "demo-ledger.toml")
        content = read_casefile(example)
        today = opts.today if opts.today_given else (file_today(content) or opts.today)
        with tempfile.TemporaryDirectory(prefix="depositctl-demo-") as tmp:
            led = open_ledger(Path(tmp) / "ledger.db")
            try:
                load_casefile(led, content, example.parent, today)
                out(
                    _("Demo ledger loaded from {path} (a throwaway copy; as of {today}).").format(
                        path=example, today=today.isoformat()
                    )
                )
                out()
                ev = make_evaluator(led, today)
                s = status_listing(led, ev, limit=50)
                render_status(s.shown, s.total, s.outstanding, s.overdue, s.n_overdue, today)
                if s.shown and s.shown[0].state is State.OVERDUE:  # overdue cases come first
                    from depositctl.render.letter_context import letter_context
                    from depositctl.render.letters import render_text

                    first = ev(led.facts(s.shown[0].id))
                    out()
                    out(
                        _(
                            "The consumer-association letter of #{id} "
                            "(depositctl letter {id} --to consumer-association):"
                        ).format(id=first.id)
                    )
                    out()
                    context = letter_context(
                        first, led.profile(), ev.rules, ev.calendar, "consumer-association"
                    )
                    out(render_text(context, "md").rstrip("\n"))
            finally:
                led.close()
