"""Load a case file (plain TOML, see data/examples/demo-ledger.toml) into a ledger.

Values are written as a merchant would type them on the command line and go through
the same parsers (`[[providers]]` those of `provider set`, `[profile]` those of
`profile set`); the whole file is loaded in one transaction, all or nothing.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from depositctl.core.dates import parse_date, parse_date_time
from depositctl.core.errors import N_, UserError
from depositctl.core.inputs import (
    check_after_payment,
    check_contact,
    parse_choice,
    parse_within,
)
from depositctl.core.models import NewCase, NewContact, NewProgress, NewRefund, ProfileChanges
from depositctl.core.money import parse_money
from depositctl.core.respondents import (
    apply_update,
    check_business_licence,
    check_id_number,
    provider_update,
    resolve_provider,
)
from depositctl.core.vocab import CAPACITIES, CHANNELS, EVIDENCE_KINDS, OUTCOMES, PAID_TO, PAID_VIA
from depositctl.store.ledger import Ledger
from depositctl.store.providers import load_providers, save_provider
from depositctl.store.rows import PROFILE_FIELDS

MONEY_FIELDS = ("amount", "condition_volume")
DATE_FIELDS = ("paid_on", "activated_on", "promised_refund_on", "met_on", "returned_on")
TEXT_FIELDS = (
    "provider",
    "brand",
    "model",
    "serial",
    "merchant_no",
    "agent_name",
    "agent_phone",
    "agent_company",
    "condition_text",
    "note",
)
INT_FIELDS = ("condition_count", "condition_days")
FLAG_FIELDS = ("condition_return", "no_condition")


def read_casefile(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(N_("No such file: {path}"), path=str(path)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(
            N_("Cannot read the case file {path}: {reason}"), path=str(path), reason=str(exc)
        ) from None


def file_today(data: Mapping[str, Any]) -> date | None:
    value = data.get("today")
    return parse_date(str(value)) if value is not None else None


def _case_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("progress", "contacts", "sent", "refunds", "evidence"):
            continue
        if key in MONEY_FIELDS:
            fields[key] = parse_money(str(value))
        elif key in DATE_FIELDS:
            fields[key] = parse_date(str(value))
        elif key in TEXT_FIELDS:
            fields[key] = str(value)
        elif key in INT_FIELDS:
            fields[key] = int(value)
        elif key in FLAG_FIELDS:
            fields[key] = bool(value)
        elif key == "paid_via":
            fields[key] = parse_choice(str(value), PAID_VIA, N_("payment method"))
        elif key == "paid_to":
            fields[key] = parse_choice(str(value), PAID_TO, N_("payee"))
        elif key == "refund_within":
            fields[key] = parse_within(str(value))
        else:
            raise UserError(N_("Case file: unknown field {field}"), field=key)
    for required in ("provider", "amount", "paid_on"):
        if required not in fields:
            raise UserError(N_("Case file: a case has no {field}"), field=required)
    return fields


#: The keys of a `[[providers]]` entry: `provider set`'s options.
PROVIDER_KEYS = ("name", "credit_code", "address", "licence", "hotline", "email", "aliases", "kind")


def _profile_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """`[profile]`, checked as `profile set` checks it (ID number, capacity, business
    licence)."""
    for key in raw:
        if key not in PROFILE_FIELDS:
            raise UserError(N_("Case file: unknown field {field}"), field=key)
    fields = {k: str(raw[k]) for k in PROFILE_FIELDS if k in raw}
    if "id_number" in fields:
        fields["id_number"] = check_id_number(fields["id_number"])
    if "business_licence" in fields:
        fields["business_licence"] = check_business_licence(fields["business_licence"])
    if "capacity" in fields:
        fields["capacity"] = parse_choice(fields["capacity"], CAPACITIES, N_("capacity"))
    return fields


def _load_providers(led: Ledger, entries: list[Mapping[str, Any]]) -> None:
    """`[[providers]]`, each recorded as `provider set` records it (credit code checked,
    aliases unique)."""
    for raw in entries:
        for key in raw:
            if key not in PROVIDER_KEYS:
                raise UserError(N_("Case file: unknown field {field}"), field=key)
        if "name" not in raw:
            raise UserError(N_("A provider needs its full legal name"))
        text = {k: str(raw[k]) for k in PROVIDER_KEYS if k in raw and k != "aliases"}
        update = provider_update(
            text.pop("name"), aliases=[str(a) for a in raw.get("aliases", [])], **text
        )
        save_provider(led, apply_update(load_providers(led), update))


def load_casefile(led: Ledger, data: Mapping[str, Any], base: Path, today: date) -> list[int]:
    """Add every provider and case of the file; evidence paths are relative to `base`."""
    from depositctl.store.evidence import record_evidence, store_files

    ids: list[int] = []
    with led.atomic():
        profile = data.get("profile", {})
        if profile:
            led.set_profile(ProfileChanges(**_profile_fields(profile)))
        _load_providers(led, data.get("providers", []))
        providers = load_providers(led)
        for raw in data.get("cases", []):
            fields = _case_fields(raw)
            for key in ("provider", "agent_company"):  # an alias names its legal name
                if key in fields:
                    fields[key] = resolve_provider(fields[key], providers)[0]
            case_id = led.add_case(NewCase(**fields))
            ids.append(case_id)
            for p in raw.get("progress", []):
                row_id = led.add_progress(
                    NewProgress(
                        case_id=case_id,
                        on=parse_date(str(p["on"])),
                        volume=parse_money(str(p["volume"])),
                        count=p.get("count"),
                        source=p.get("source", "manual"),
                        note=p.get("note"),
                    )
                )
                _void(led, case_id, "progress", row_id, p)
            for c in raw.get("contacts", []):
                day, at = parse_date_time(str(c["on"]))
                check_after_payment(day, fields["paid_on"])
                contact = check_contact(
                    NewContact(
                        case_id=case_id,
                        on=day,
                        at_time=at,
                        channel=parse_choice(c["channel"], CHANNELS, N_("channel")),
                        to=c.get("to"),
                        ticket=c.get("ticket"),
                        outcome=parse_choice(c["outcome"], OUTCOMES, N_("outcome"))
                        if c.get("outcome")
                        else None,
                        promised_by=parse_date(str(c["promised_by"]))
                        if c.get("promised_by")
                        else None,
                        summary=c.get("summary"),
                        refund_request=bool(c.get("refund_request", False)),
                        incoming=bool(c.get("incoming", False)),
                        reason=c.get("reason"),
                    )
                )
                _void(led, case_id, "contacts", led.add_contact(contact), c)
            for letter in raw.get("sent", []):
                _sent(led, case_id, letter, base, today)
            for r in raw.get("refunds", []):
                row_id = led.add_refund(
                    NewRefund(
                        case_id=case_id,
                        on=parse_date(str(r["on"])),
                        amount=parse_money(str(r["amount"])),
                        note=r.get("note"),
                    )
                )
                _void(led, case_id, "refunds", row_id, r)
            for e in raw.get("evidence", []):
                kind = parse_choice(e.get("kind", "other"), EVIDENCE_KINDS, N_("evidence kind"))
                dated = parse_date(str(e["dated"])) if e.get("dated") else None
                stored = store_files(led, [base / e["file"]])
                for row in record_evidence(
                    led, case_id, stored, kind, e.get("note"), today, dated_on=dated
                ):
                    _void(led, case_id, "evidence", int(row["id"]), e)
    return ids


def _sent(led: Ledger, case_id: int, raw: Mapping[str, Any], base: Path, today: date) -> None:
    """`[[cases.sent]]`: a letter sent, as `depositctl sent` records it (`to`, `on`,
    `via`, `tracking`, `delivered_on`, `file` relative to the case file)."""
    from depositctl.core.deadlines import letter_contact
    from depositctl.core.vocab import RECIPIENT, VIA
    from depositctl.store.evidence import record_evidence, store_files

    for key in raw:
        if key not in ("to", "on", "via", "tracking", "delivered_on", "file", "void"):
            raise UserError(N_("Case file: unknown field {field}"), field=key)
    recipient = parse_choice(str(raw.get("to", "")), RECIPIENT, N_("recipient"))
    on = parse_date(str(raw["on"])) if "on" in raw else None
    if on is None:
        raise UserError(N_("Case file: a case has no {field}"), field="sent.on")
    check_after_payment(on, led.case(case_id).paid_on)
    delivered = parse_date(str(raw["delivered_on"])) if raw.get("delivered_on") else None
    if delivered is not None and delivered < on:
        raise UserError(
            N_("The delivery date {delivered} is before the letter was sent ({sent})"),
            delivered=delivered.isoformat(),
            sent=on.isoformat(),
        )
    contact = letter_contact(
        case_id,
        recipient,
        on,
        parse_choice(str(raw.get("via", "")), VIA, N_("way of sending")),
        str(raw["tracking"]) if raw.get("tracking") else None,
        delivered,
    )
    contact_id = led.add_contact(contact)
    if raw.get("file"):
        stored = store_files(led, [base / str(raw["file"])])
        title = RECIPIENT[recipient].title or None
        record_evidence(
            led, case_id, stored, "letter", title, today, contact_id=contact_id, dated_on=on
        )
    _void(led, case_id, "contacts", contact_id, raw)


def _void(led: Ledger, case_id: int, table: str, row_id: int, raw: Mapping[str, Any]) -> None:
    """`void = "reason"` on a row of the file: the row is taken out of the record as
    `void` takes it (`Ledger.set_void`, logged), so the history replays it."""
    if "void" not in raw:
        return
    reason = unicodedata.normalize("NFC", str(raw["void"])).strip()
    if not isinstance(raw["void"], str) or not reason:
        raise UserError(N_("Case file: void needs the reason the row is wrong, as text"))
    label = next(str(r["label"]) for r in led.labelled_rows(case_id, table) if r["id"] == row_id)
    led.set_void(case_id, table, row_id, label, reason)
