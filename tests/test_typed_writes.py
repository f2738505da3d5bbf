"""Writes pass frozen models whose money is a Decimal in yuan: no Python type can make an
amount mean fen (the old `add_case({"amount": 99})` stored 0.99 yuan)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from depositctl.core.models import (
    CaseChanges,
    NewCase,
    NewProgress,
    NewRefund,
    ProfileChanges,
)
from depositctl.core.recordtype import asdict
from depositctl.store.ledger import Ledger, open_ledger

PAID = date(2025, 3, 5)


@pytest.fixture
def led(tmp_path: Path) -> Any:
    with open_ledger(tmp_path / "ledger.db") as ledger:
        yield ledger


def case_count(led: Ledger) -> int:
    return int(led.db.execute("SELECT count(*) FROM cases").fetchone()[0])


@pytest.mark.parametrize("amount", [99, 9900, 0.99, 99.0, "99", Decimal("0.999")])
def test_money_that_is_not_a_two_decimal_yuan_decimal_is_refused(amount: object) -> None:
    with pytest.raises(ValidationError):
        NewCase(provider="P", amount=amount, paid_on=PAID)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        NewCase(provider="P", amount=Decimal(1), paid_on=PAID, condition_volume=amount)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        CaseChanges(amount=amount)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        NewProgress(case_id=1, on=PAID, volume=amount)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        NewRefund(case_id=1, on=PAID, amount=amount)  # type: ignore[arg-type]


def test_a_decimal_is_yuan_and_is_stored_as_fen(led: Ledger) -> None:
    cid = led.add_case(
        NewCase(provider="P", amount=Decimal("99"), paid_on=PAID, condition_volume=Decimal("0.5"))
    )
    row = led.case_row(cid)
    assert (row["amount_fen"], row["condition_volume_fen"]) == (9900, 50)
    assert led.case(cid).amount == Decimal("99.00")
    led.add_progress(NewProgress(case_id=cid, on=PAID, volume=Decimal("12.34")))
    led.add_refund(NewRefund(case_id=cid, on=PAID, amount=Decimal("1.50")))
    facts = led.facts(cid)
    assert facts.progress[0].volume == Decimal("12.34")
    assert facts.refunds[0].amount == Decimal("1.50")
    assert led.db.execute("SELECT volume_fen FROM progress").fetchone()[0] == 1234
    assert led.db.execute("SELECT amount_fen FROM refunds").fetchone()[0] == 150


def test_the_ledger_refuses_a_loose_dict(led: Ledger) -> None:
    with pytest.raises(TypeError, match="NewCase"):
        led.add_case({"provider": "P", "amount": 99, "paid_on": "2025-03-05"})  # type: ignore[arg-type]
    assert case_count(led) == 0
    cid = led.add_case(NewCase(provider="P", amount=Decimal(99), paid_on=PAID))
    with pytest.raises(TypeError, match="CaseChanges"):
        led.update_case(cid, {"amount": 99})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="NewRefund"):
        led.add_refund({"case_id": cid, "on": PAID, "amount": 99})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ProfileChanges"):
        led.set_profile({"name": "张三"})  # type: ignore[arg-type]
    assert led.case(cid).amount == Decimal("99.00")
    assert led.facts(cid).refunds == ()


def test_write_models_are_frozen_and_closed() -> None:
    case = NewCase(provider="P", amount=Decimal(99), paid_on=PAID)
    with pytest.raises(ValidationError):
        case.amount = Decimal(1)  # type: ignore[misc]
    with pytest.raises(ValidationError):
        NewCase(provider="P", amount_fen=9900, paid_on=PAID)  # type: ignore[call-arg]


def test_changes_are_the_fields_given(led: Ledger) -> None:
    cid = led.add_case(NewCase(provider="P", amount=Decimal(99), paid_on=PAID, serial="SN1"))
    assert led.update_case(cid, CaseChanges()) == {}
    assert led.update_case(cid, CaseChanges(note="n")) == {"note": [None, "n"]}
    assert led.case(cid).serial == "SN1"  # not given, so unchanged
    assert led.update_case(cid, CaseChanges(serial=None)) == {"serial": ["SN1", None]}
    assert led.update_case(cid, CaseChanges(amount=Decimal("120.5"))) == {
        "amount_fen": [9900, 12050]
    }
    for required in ("provider", "amount", "paid_on"):
        with pytest.raises(ValidationError, match="cannot be cleared"):
            CaseChanges.model_validate({required: None})


def test_add_stores_only_the_fields_given(led: Ledger) -> None:
    cid = led.add_case(NewCase(provider="P", amount=Decimal(99), paid_on=PAID))
    logged = led.facts(cid).history[0].changes
    assert set(logged) == {"provider", "amount_fen", "paid_on", "created_at"}
    assert logged["amount_fen"] == 9900


def test_profile_changes_only_the_fields_given(led: Ledger) -> None:
    led.set_profile(ProfileChanges(name="张三", phone="138"))
    led.set_profile(ProfileChanges(phone=None, email="a@b.cn"))
    assert asdict(led.profile()) == {
        "name": "张三",
        "phone": None,
        "address": None,
        "postcode": None,
        "id_number": None,
        "email": "a@b.cn",
        "capacity": None,
        "business_name": None,
        "business_licence": None,
        "payee_account": None,
    }
