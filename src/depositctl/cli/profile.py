"""`profile set/show`: the complainant named in every letter."""

from typing import Annotated

import typer

from depositctl.cli.context import env, out, print_json
from depositctl.core.errors import N_
from depositctl.i18n import _, language


def register(app: typer.Typer) -> None:
    from depositctl.core.vocab import CAPACITY

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
        capacity: Annotated[
            str | None,
            typer.Option(
                "--capacity",
                help=_(
                    "In what capacity you complain (default: individual), one of: {choices}"
                ).format(choices=CAPACITY.choices_text()),
                show_default=False,
            ),
        ] = None,
        business_name: Annotated[
            str | None,
            typer.Option(
                "--business-name",
                help=_("The registered name of your individual business or company"),
            ),
        ] = None,
        business_licence: Annotated[
            str | None,
            typer.Option(
                "--business-licence",
                help=_("Its business licence number (unified social credit code)"),
            ),
        ] = None,
        payee_account: Annotated[
            str | None,
            typer.Option(
                "--payee-account",
                help=_("The account the refund should be paid into (bank, branch, number)"),
            ),
        ] = None,
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
        from depositctl.core.inputs import clean_text, parse_choice
        from depositctl.core.models import ProfileChanges
        from depositctl.core.respondents import check_business_licence, check_id_number
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
                capacity=capacity,
                business_name=business_name,
                business_licence=business_licence,
                payee_account=payee_account,
            ).items()
            if v is not None
        }
        if (typed_id := changes.get("id_number")) is not None:
            changes["id_number"] = check_id_number(typed_id)
        if (typed_licence := changes.get("business_licence")) is not None:
            changes["business_licence"] = check_business_licence(typed_licence)
        if (typed_capacity := changes.get("capacity")) is not None:
            changes["capacity"] = parse_choice(typed_capacity, CAPACITY, N_("capacity"))
        save_profile(env(ctx), ProfileChanges(**changes), grace_days)
        out(_("Profile saved."))

    @group.command("show", help=_("Show the complainant's details."))
    def profile_show(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON"))] = False,
    ) -> None:
        from depositctl.ops.profile import read_profile

        found = read_profile(env(ctx))
        from depositctl.core.recordtype import asdict
        from depositctl.core.vocab import CAPACITY_NAMES

        profile = asdict(found.profile)
        profile["capacity"] = found.profile.capacity_or_default
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
            "capacity": _("Capacity"),
            "business_name": _("Business name"),
            "business_licence": _("Business licence"),
            "payee_account": _("Payee account"),
        }
        if profile["capacity"] in CAPACITY_NAMES:
            name = CAPACITY_NAMES[profile["capacity"]]
            profile["capacity"] = name if language() == "zh" else f"{profile['capacity']} ({name})"
        for key, label in labels.items():
            out(f"{label}: {profile[key] or '-'}")
        if grace is not None:
            out(f"{_('Grace days')}: {grace}")
