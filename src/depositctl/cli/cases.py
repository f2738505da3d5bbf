"""Recording a case and what happens to it: add, edit, progress, met, returned,
refund, close, reopen."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from depositctl.cli.context import env, err, out, parse_id, resolved_date, settings
from depositctl.cli.options import case_id_arg
from depositctl.core.errors import N_, UserError
from depositctl.i18n import _, language, ngettext


@dataclass(frozen=True)
class Field:
    """One case field as an option of `add` and `edit`."""

    name: str
    kind: str  # text | money | past_date | date | count | flag | paid_via | paid_to | within
    help: str
    required: bool = False


FIELDS = (
    Field(
        "provider",
        "text",
        N_(
            "The issuer's full legal name, e.g. 拉卡拉支付股份有限公司, or an alias recorded "
            "with provider set"
        ),
        True,
    ),
    Field("amount", "money", N_("Deposit amount, e.g. 99 or ¥299"), True),
    Field("paid_on", "past_date", N_("Date the deposit was paid or deducted"), True),
    Field("brand", "text", N_("Brand of the terminal, e.g. 拉卡拉")),
    Field("model", "text", N_("Model of the terminal")),
    Field("serial", "text", N_("Serial number (SN)")),
    Field("merchant_no", "text", N_("Merchant number")),
    Field(
        "paid_via",
        "paid_via",
        N_("How it was paid, one of: {choices}"),
    ),
    Field("agent_name", "text", N_("The sales agent's name")),
    Field("agent_phone", "text", N_("The sales agent's phone")),
    Field(
        "agent_company",
        "text",
        N_("The agent company (代理商/服务商) that sold the terminal: its legal name or alias"),
    ),
    Field(
        "paid_to",
        "paid_to",
        N_("Who took the money, one of: {choices}"),
    ),
    Field("activated_on", "past_date", N_("Activation date of the terminal")),
    Field("condition_volume", "money", N_("Condition: card volume to reach, in yuan")),
    Field("condition_count", "count", N_("Condition: number of transactions to reach")),
    Field(
        "condition_days", "count", N_("Condition: days from activation (else payment) to reach it")
    ),
    Field("condition_return", "flag", N_("Condition: refund on return of the terminal")),
    Field("no_condition", "flag", N_("No condition: refundable on request")),
    Field(
        "refund_within",
        "within",
        N_("Refund time limit after the trigger: 30d (days) or 15wd (working days)"),
    ),
    Field("promised_refund_on", "date", N_("Date the refund was promised for")),
    Field(
        "condition_text",
        "text",
        N_("The condition's wording in the contract or the agent's promise"),
    ),
    Field("note", "text", N_("A note")),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
DATE_WHAT = {"paid_on": N_("payment date"), "activated_on": N_("activation date")}


def _interactive() -> bool:
    """On a terminal (stdin and stdout), `add` asks for missing values (cli/prompts.py)."""
    from depositctl.cli.prompts import on_terminal

    return on_terminal()


def parse_field(field: Field, raw: Any, today: date) -> Any:
    from depositctl.core.dates import parse_date
    from depositctl.core.inputs import clean_text, parse_choice, parse_count, parse_within
    from depositctl.core.money import parse_money
    from depositctl.core.vocab import PAYEE, PAYMENT_METHOD

    if field.kind == "flag":
        return bool(raw)
    if field.kind == "text":
        text = clean_text(str(raw))
        if text is None and field.required:  # blank: `add` and `edit` alike refuse it
            raise UserError(N_("Missing --{option}"), option=field.name.replace("_", "-"))
        return text
    s = str(raw)
    if field.kind == "money":
        return parse_money(s)
    if field.kind == "past_date":
        return resolved_date(s, today, DATE_WHAT[field.name])
    if field.kind == "date":
        return parse_date(s)
    if field.kind == "count":
        return parse_count(s, field.name.replace("_", "-"))
    if field.kind == "paid_via":
        return parse_choice(s, PAYMENT_METHOD, N_("payment method"))
    if field.kind == "paid_to":
        return parse_choice(s, PAYEE, N_("payee"))
    if field.kind == "within":
        return parse_within(s)
    raise AssertionError(field.kind)  # pragma: no cover


def _help(field: Field) -> str:
    """The field's help; a choice lists its choices in both names, from the vocabulary."""
    from depositctl.core.vocab import PAYEE, PAYMENT_METHOD

    text = _(field.help)
    if field.kind == "paid_via":
        return text.format(choices=PAYMENT_METHOD.choices_text())
    if field.kind == "paid_to":
        return text.format(choices=PAYEE.choices_text())
    return text


def _option(field: Field, *, for_edit: bool) -> inspect.Parameter:
    flag = "--" + field.name.replace("_", "-")
    if field.kind == "flag":
        # edit can unset a flag: --no-condition-return; --no-condition's opposite is
        # --has-condition (not --not-no-condition).
        name = flag[2:]
        unset = "--has-" + name[3:] if name.startswith("no-") else "--no-" + name
        decl = [f"{flag}/{unset}"] if for_edit else [flag]
        ann: Any = Annotated[
            bool | None if for_edit else bool, typer.Option(*decl, help=_help(field))
        ]
        default: Any = None if for_edit else False
    else:
        ann = Annotated[str | None, typer.Option(flag, help=_help(field), show_default=False)]
        default = None
    return inspect.Parameter(
        field.name, inspect.Parameter.KEYWORD_ONLY, annotation=ann, default=default
    )


def _with_signature(
    func: Callable[..., Any], params: list[inspect.Parameter]
) -> Callable[..., Any]:
    func.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return func


def register(app: typer.Typer) -> None:
    from depositctl.core.vocab import CLOSE_REASON

    ctx_param = inspect.Parameter(
        "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
    )

    # -- add ---------------------------------------------------------------------------
    def add(ctx: typer.Context, **raw: Any) -> None:
        from depositctl.core.models import NewCase
        from depositctl.ops.cases import add_case

        today = settings(ctx).today
        missing = [n for n in ("provider", "amount", "paid_on") if raw.get(n) is None]
        if missing and not _interactive():
            raise UserError(N_("Missing --{option}"), option=missing[0].replace("_", "-"))
        fields = {
            f.name: parse_field(f, raw[f.name], today)
            for f in FIELDS
            if raw.get(f.name) not in (None, False)
        }
        if missing:  # on a terminal: ask for what a letter needs, then confirm
            from depositctl.cli.prompts import Asker, case_answers, confirm_case

            asker = Asker.terminal()
            fields.update(
                case_answers(
                    asker, raw, lambda name, text: parse_field(FIELD_BY_NAME[name], text, today)
                )
            )
            confirm_case(asker, fields)
        added = add_case(env(ctx), NewCase(**fields))
        for w in added.warnings:
            err(_("Warning: {message}").format(message=_(w.text).format(**w.params)))
        out(_("Case #{id} added.").format(id=added.id))
        out(_("Its deadlines and what to do next:"))
        out(f"  depositctl show {added.id}")
        out(_("Record each call or complaint as it happens:"))
        out("  " + _("depositctl contact {id} --on DATE --channel phone").format(id=added.id))
        if added.same_serial:
            err(
                _(
                    "Warning: the serial {serial} is already on open case {cases} "
                    "(the same terminal entered twice?); this case was added all the same"
                ).format(
                    cases=", ".join(f"#{i}" for i in added.same_serial), serial=fields["serial"]
                )
            )

    app.command(
        "add",
        help=_(
            "Record a terminal and its deposit; prints the new case id.\n\n"
            "Example: depositctl add --provider 拉卡拉支付股份有限公司 --amount 99 "
            "--paid-on 2025-03-05 --serial N7A1 --activated-on 2025-03-05 "
            "--condition-volume 50000 --condition-days 90 --refund-within 15wd"
        ),
    )(_with_signature(add, [ctx_param] + [_option(f, for_edit=False) for f in FIELDS]))

    # -- edit ----------------------------------------------------------------------------
    def edit(ctx: typer.Context, case_id: str, clear: list[str] | None = None, **raw: Any) -> None:
        from depositctl.core.models import CaseChanges
        from depositctl.ops.cases import edit_case

        today = settings(ctx).today
        cid = parse_id(case_id)
        changes: dict[str, Any] = {
            f.name: parse_field(f, raw[f.name], today)
            for f in FIELDS
            if raw.get(f.name) is not None
        }
        for name in clear or []:
            key = name.strip().lstrip("-").replace("-", "_")
            field = FIELD_BY_NAME.get(key)
            if field is None or field.required:
                raise UserError(N_("Cannot clear {field}"), field=name)
            changes[key] = False if field.kind == "flag" else None
        if not changes:
            raise UserError(N_("Nothing to change: give at least one option"))
        from depositctl.core.fields import field_label

        edited = edit_case(env(ctx), cid, CaseChanges(**changes))
        for w in edited.warnings:
            err(_("Warning: {message}").format(message=_(w.text).format(**w.params)))
        diff = edited.diff
        if diff:
            changed = {k.removesuffix("_fen") for k in diff}
            out(  # in the order the options were given, clears last
                _("Case #{id} changed: {fields}.").format(
                    id=cid,
                    fields=_(", ").join(  # English: the field names, as options take them
                        k if language() == "en" else _(field_label("cases", k))
                        for k in changes
                        if k in changed
                    ),
                )
            )
        else:
            out(_("Case #{id}: nothing changed.").format(id=cid))

    edit_params = [
        ctx_param,
        inspect.Parameter(
            "case_id",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=Annotated[str, case_id_arg()],
        ),
        inspect.Parameter(
            "clear",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                list[str] | None,
                typer.Option("--clear", help=_("Remove a field's value, e.g. --clear serial")),
            ],
            default=None,
        ),
    ] + [_option(f, for_edit=True) for f in FIELDS]
    app.command(
        "edit",
        help=_(
            "Correct fields of a case; the change is kept in the case's history.\n\nExample: depositctl edit 3 --serial N7A1234 --activated-on 2025-03-06"
        ),
    )(_with_signature(edit, edit_params))

    # -- progress ------------------------------------------------------------------------
    @app.command(
        "progress",
        help=_(
            "Record transaction volume toward the condition.\n\nExample: depositctl progress 3 --on 2025-04-20 --volume 12000 --count 35"
        ),
    )
    def progress(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        on: Annotated[
            str,
            typer.Option("--on", help=_("Date (or last day) of the volume"), show_default=False),
        ],
        volume: Annotated[
            str, typer.Option("--volume", help=_("Card volume in yuan"), show_default=False)
        ],
        count: Annotated[
            str | None, typer.Option("--count", help=_("Number of transactions"))
        ] = None,
        note: Annotated[str | None, typer.Option("--note", help=_("A note"))] = None,
    ) -> None:
        from depositctl.core.inputs import clean_text, parse_count
        from depositctl.core.models import NewProgress
        from depositctl.core.money import parse_money
        from depositctl.ops.cases import record_progress

        cid = parse_id(case_id)
        day = resolved_date(on, settings(ctx).today, N_("volume date"))
        amount = parse_money(volume)
        n = parse_count(count, "--count") if count is not None else None
        view = record_progress(
            env(ctx),
            NewProgress(case_id=cid, on=day, volume=amount, count=n, note=clean_text(note)),
        )
        out(
            _("Progress recorded on #{id}: {volume} yuan in all.").format(
                id=cid, volume=view.progress_volume
            )
        )
        if view.condition_met_on:
            out(_("Condition met on {date}.").format(date=view.condition_met_on.isoformat()))

    # -- import-statement -------------------------------------------------------------------
    @app.command(
        "import-statement",
        help=_(
            "Record volume from a provider's statement, CSV or Excel (.xlsx), with a date and "
            "an amount column; rows already imported are skipped, cancellations and refunds "
            "reduce the volume; the file is kept as evidence.\n\n"
            "Example: depositctl import-statement 3 流水.xlsx"
        ),
    )
    def import_statement(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        file: Annotated[
            Path,
            typer.Argument(
                help=_("The statement, CSV or Excel (.xlsx)"), metavar="FILE", show_default=False
            ),
        ],
        date_column: Annotated[
            str | None,
            typer.Option(
                "--date-column", help=_("Name of the date column (default: found by name)")
            ),
        ] = None,
        amount_column: Annotated[
            str | None,
            typer.Option(
                "--amount-column", help=_("Name of the amount column (default: found by name)")
            ),
        ] = None,
        reference_column: Annotated[
            str | None,
            typer.Option(
                "--reference-column",
                help=_(
                    "Name of the column holding each transaction's reference number "
                    "(default: found by name)"
                ),
            ),
        ] = None,
    ) -> None:
        from depositctl.ops.cases import import_statement as run_import

        cid = parse_id(case_id)
        done = run_import(env(ctx), cid, file, date_column, amount_column, reference_column)
        out(
            _(
                "Imported {rows} into #{id} ({days}, {total} yuan in all); skipped {skipped} "
                "already imported; {cancellations} cancellations."
            ).format(
                rows=ngettext("{n} row", "{n} rows", done.rows).format(n=done.rows),
                id=cid,
                days=ngettext("{n} day", "{n} days", done.days).format(n=done.days),
                total=done.total,
                skipped=done.already_imported,
                cancellations=done.cancellations,
            )
        )
        if done.zero:
            out(_("Skipped {n} rows with a zero amount.").format(n=done.zero))
        if done.totals:
            out(_("Skipped {n} total rows (合计), which sum the rows above.").format(n=done.totals))
        if done.condition_met_on:
            out(_("Condition met on {date}.").format(date=done.condition_met_on.isoformat()))

    # -- met / returned --------------------------------------------------------------------
    def _date_event(event: Literal["met", "returned"], done: str, what: str) -> Callable[..., None]:
        def command(
            ctx: typer.Context,
            case_id: Annotated[str, case_id_arg()],
            on: Annotated[str, typer.Option("--on", help=_("Date"), show_default=False)],
        ) -> None:
            from depositctl.ops.cases import record_date

            cid = parse_id(case_id)
            day = resolved_date(on, settings(ctx).today, what)
            late = record_date(env(ctx), cid, event, day)
            out(_(done).format(id=cid, date=day.isoformat()))
            if late is not None:
                err(
                    _(
                        "Warning: the condition window closed on {window}, before {date}: "
                        "recorded as met all the same; the provider may argue the condition "
                        "failed (see depositctl show {id})"
                    ).format(window=late.on.isoformat(), date=day.isoformat(), id=cid)
                )

        return command

    app.command(
        "met",
        help=_(
            "Mark the refund condition as met (when not computed from progress).\n\nExample: depositctl met 3 --on 2025-05-02"
        ),
    )(
        _date_event(
            "met", N_("Case #{id}: condition met on {date}."), N_("date the condition was met")
        )
    )
    app.command(
        "returned",
        help=_(
            "The terminal was returned to the provider or agent.\n\nExample: depositctl returned 3 --on 2025-08-01"
        ),
    )(_date_event("returned", N_("Case #{id}: terminal returned on {date}."), N_("return date")))

    # -- refund -----------------------------------------------------------------------------
    @app.command(
        "refund",
        help=_(
            "Record money received back (partial refunds add up).\n\nExample: depositctl refund 3 --amount 50 --on 2026-01-10"
        ),
    )
    def refund(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        amount: Annotated[
            str, typer.Option("--amount", help=_("Amount received, in yuan"), show_default=False)
        ],
        on: Annotated[str, typer.Option("--on", help=_("Date received"), show_default=False)],
        note: Annotated[str | None, typer.Option("--note", help=_("A note"))] = None,
    ) -> None:
        from depositctl.core.inputs import clean_text
        from depositctl.core.models import NewRefund
        from depositctl.core.money import fmt_yuan, parse_money
        from depositctl.ops.cases import record_refund

        cid = parse_id(case_id)
        value = parse_money(amount)
        day = resolved_date(on, settings(ctx).today, N_("refund date"))
        view = record_refund(
            env(ctx), NewRefund(case_id=cid, on=day, amount=value, note=clean_text(note))
        )
        out(
            _("Refund of {amount} recorded on #{id}; {outstanding} still outstanding.").format(
                amount=fmt_yuan(value), id=cid, outstanding=fmt_yuan(view.outstanding)
            )
        )

    # -- close / reopen ---------------------------------------------------------------------
    @app.command(
        "close",
        help=_(
            "End a case by hand: written-off or withdrawn.\n\nExample: depositctl close 3 --reason written-off"
        ),
    )
    def close(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        reason: Annotated[
            str,
            typer.Option(
                "--reason",
                help=_("One of: {choices}").format(choices=CLOSE_REASON.choices_text()),
                show_default=False,
            ),
        ],
    ) -> None:
        from depositctl.core.inputs import parse_choice
        from depositctl.ops.cases import close_case

        cid = parse_id(case_id)
        why = parse_choice(reason, CLOSE_REASON, N_("reason"))
        close_case(env(ctx), cid, why)
        out(_("Case #{id} closed.").format(id=cid))

    @app.command("reopen", help=_("Reopen a case closed by hand.\n\nExample: depositctl reopen 3"))
    def reopen(ctx: typer.Context, case_id: Annotated[str, case_id_arg()]) -> None:
        from depositctl.ops.cases import reopen_case

        cid = parse_id(case_id)
        reopen_case(env(ctx), cid)
        out(_("Case #{id} reopened.").format(id=cid))
