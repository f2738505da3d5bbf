"""`provider set/show/list`: the respondents a letter names, under their legal names."""

from typing import Annotated

import typer

from depositctl.cli.context import env, err, out, print_json
from depositctl.i18n import _


def register(app: typer.Typer) -> None:
    from depositctl.core.vocab import PROVIDER_KIND

    group = typer.Typer(
        help=_(
            "Respondents (payment institutions and agent companies): legal name, credit "
            "code, address, licence, aliases"
        ),
        no_args_is_help=True,
    )
    app.add_typer(group, name="provider")

    @group.command(
        "set",
        help=_(
            "Record or change a respondent under its full legal name; --alias adds a short "
            "name that add --provider accepts for it.\n\n"
            "Example: depositctl provider set 示例支付股份有限公司 --credit-code "
            "91440300000000000E --address 深圳市… --alias 示例支付"
        ),
    )
    def provider_set(
        ctx: typer.Context,
        name: Annotated[
            str,
            typer.Argument(
                help=_("The full legal name, as on the business licence"),
                metavar="NAME",
                show_default=False,
            ),
        ],
        credit_code: Annotated[
            str | None,
            typer.Option(
                "--credit-code",
                help=_("Unified social credit code (18 characters; the check digit is checked)"),
            ),
        ] = None,
        address: Annotated[
            str | None,
            typer.Option(help=_("Registered address (12315, 12363 and court letters need it)")),
        ] = None,
        licence: Annotated[
            str | None,
            typer.Option(help=_("Payment business licence number (institutions only)")),
        ] = None,
        hotline: Annotated[
            str | None,
            typer.Option(help=_("Customer-service number, as you found it (not verified)")),
        ] = None,
        email: Annotated[str | None, typer.Option(help=_("Complaint email address"))] = None,
        alias: Annotated[
            list[str] | None,
            typer.Option("--alias", help=_("A brand or short name for it (repeat for several)")),
        ] = None,
        remove_alias: Annotated[
            list[str] | None,
            typer.Option("--remove-alias", help=_("Remove an alias (repeat for several)")),
        ] = None,
        kind: Annotated[
            str | None,
            typer.Option(
                help=_(
                    "institution (the licensed payment institution, default) or "
                    "agent-company (the 代理商/服务商 company that sold the terminal); "
                    "also by Chinese name: {choices}"
                ).format(choices=PROVIDER_KIND.choices_text())
            ),
        ] = None,
    ) -> None:
        from depositctl.core.respondents import (
            brand_warning,
            looks_like_legal_name,
            provider_update,
        )
        from depositctl.ops.providers import set_provider

        update = provider_update(
            name,
            credit_code=credit_code,
            address=address,
            licence=licence,
            hotline=hotline,
            email=email,
            kind=kind,
            aliases=alias or (),
            remove_aliases=remove_alias or (),
        )
        saved = set_provider(env(ctx), update)
        if not looks_like_legal_name(saved.name):
            w = brand_warning(saved.name)
            err(_("Warning: {message}").format(message=_(w.text).format(**w.params)))
        out(_("Provider saved: {name}").format(name=saved.name))

    @group.command(
        "show",
        help=_(
            "One respondent, found by legal name or alias.\n\n"
            "Example: depositctl provider show 示例支付 --json"
        ),
    )
    def provider_show(
        ctx: typer.Context,
        name: Annotated[
            str,
            typer.Argument(help=_("Legal name or alias"), metavar="NAME", show_default=False),
        ],
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON"))] = False,
    ) -> None:
        from depositctl.ops.providers import show_provider
        from depositctl.render.providers import provider_item, provider_lines

        p = show_provider(env(ctx), name)
        if as_json:
            print_json(provider_item(p))
            return
        for line in provider_lines(p):
            out(line)

    @group.command(
        "list",
        help=_("Every recorded respondent.\n\nExample: depositctl provider list --json"),
    )
    def provider_list(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON"))] = False,
    ) -> None:
        from depositctl.ops.providers import list_providers
        from depositctl.render.providers import provider_item, provider_listing

        found = list_providers(env(ctx))
        if as_json:
            print_json([provider_item(p) for p in found])
            return
        for line in provider_listing(found):
            out(line)
