"""`profile set/show`: the complainant named in every letter."""

from typing import Annotated

import typer

from depositctl.cli.context import env, out, print_json
from depositctl.i18n import _


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help=_("The complainant: name, phone, address, ID number, email"), no_args_is_help=True
    )
    app.add_typer(group, name="profile")

    @group.command(
        "set",
        help=_(
            "Set or change the complainant's details.\n\nExample: depositctl profile set --name 张三 --phone 13800000000 --address 北京市…"
        ),
    )
    def profile_set(
        ctx: typer.Context,
        name: Annotated[str | None, typer.Option(help=_("Full name"))] = None,
        phone: Annotated[str | None, typer.Option(help=_("Phone number"))] = None,
        address: Annotated[str | None, typer.Option(help=_("Postal address"))] = None,
        postcode: Annotated[str | None, typer.Option(help=_("Postcode"))] = None,
        id_number: Annotated[
            str | None, typer.Option("--id-number", help=_("ID card number (optional)"))
        ] = None,
        email: Annotated[str | None, typer.Option(help=_("Email (optional)"))] = None,
        grace_days: Annotated[
            int | None,
            typer.Option(
                "--grace-days",
                help=_(
                    "Days allowed for a refund where the contract sets no time limit (default 15)"
                ),
                min=1,
                max=365,
            ),
        ] = None,
    ) -> None:
        from depositctl.core.inputs import clean_text
        from depositctl.core.models import ProfileChanges
        from depositctl.ops.profile import save_profile

        changes = {
            k: clean_text(v)
            for k, v in dict(
                name=name,
                phone=phone,
                address=address,
                postcode=postcode,
                id_number=id_number,
                email=email,
            ).items()
            if v is not None
        }
        save_profile(env(ctx), ProfileChanges(**changes), grace_days)
        out(_("Profile saved."))

    @group.command("show", help=_("Show the complainant's details."))
    def profile_show(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON"))] = False,
    ) -> None:
        from depositctl.ops.profile import read_profile

        found = read_profile(env(ctx))
        profile = found.profile.model_dump()
        grace = found.grace_days
        if as_json:
            print_json({**profile, "grace_days": grace})
            return
        labels = {
            "name": _("Name"),
            "phone": _("Phone"),
            "address": _("Address"),
            "postcode": _("Postcode"),
            "id_number": _("ID number"),
            "email": _("Email"),
        }
        for key, label in labels.items():
            out(f"{label}: {profile[key] or '-'}")
        if grace is not None:
            out(f"{_('Grace days')}: {grace}")
