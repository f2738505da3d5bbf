"""Golden letters for every recipient × every scenario of tests/letter_scenarios.py.

The recipients come from the vocabulary (core/vocab.py RECIPIENTS), so a new recipient
joins the matrix by being added there. A pair the letter checks refuse is not written:
the test asserts the refusal (one line, non-zero exit, no file) instead of a golden file.
Some refusals are fixed here as expectations, so the matrix does not merely mirror the
checks. Regenerate on purpose and review the diff:

    DEPOSITCTL_UPDATE_GOLDENS=1 .venv/bin/pytest tests/test_letter_matrix.py
    git diff tests/golden/matrix/
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from depositctl.core.vocab import RECIPIENTS
from tests.conftest import TODAY, Cli, built_once
from tests.letter_scenarios import SCENARIOS

#: The ledger head in the footers is deterministic (history at a fixed time and user).
pytestmark = pytest.mark.usefixtures("fixed_history_clock")
GOLDEN = Path(__file__).parent / "golden" / "matrix"
#: Pairs that must be refused whatever else changes: a company is no financial consumer
#: (PBoC rules Art. 2).
MUST_REFUSE = {
    ("company", "12363"),
    # 12315 and the consumer association serve daily-life consumption: not a business
    # (an individual business or a company) unless --force.
    *((s, r) for s in ("company", "partial-refund") for r in ("12315", "consumer-association")),
    # 12363 comes after a complaint to the institution itself: none is recorded.
    ("no-condition", "12363"),
    ("failed", "12363"),
}
#: Recipients whose letter every other scenario must get (all are overdue or argue a
#: failed condition, and the institution has an address).
WRITTEN_TO = ("consumer-association", "12315", "12363", "provider")


def refusal(cli: Cli, cid: int, recipient: str) -> str | None:
    """What the letter checks of core say about this letter: the first refusal, or None."""
    from depositctl.core.letter_checks import letter_refusals, respondents_for
    from depositctl.data import rules as load_rules
    from depositctl.store.calendar import make_evaluator
    from depositctl.store.ledger import open_ledger
    from depositctl.store.providers import load_providers

    with open_ledger(cli.db) as led:
        ev = make_evaluator(led, date.fromisoformat(TODAY))
        view = ev(led.facts(cid))
        found = respondents_for(view.facts.case, load_providers(led))
        notices = letter_refusals(view, recipient, load_rules(), found, led.profile())
    return notices[0].code if notices else None


@pytest.mark.parametrize("recipient", RECIPIENTS)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_letter_matrix(cli: Cli, tmp_path: Path, scenario: str, recipient: str) -> None:
    # Each scenario's ledger (and the evidence files it writes in the working folder) is
    # built once per session, then copied for its other recipients.
    cid = built_once(f"scenario {scenario}", cli, lambda: SCENARIOS[scenario](cli), Path.cwd())
    refused = refusal(cli, cid, recipient)
    if (scenario, recipient) in MUST_REFUSE:
        assert refused is not None
    else:
        assert refused is None or recipient not in WRITTEN_TO, refused
    if (scenario, recipient) not in MUST_REFUSE and recipient in WRITTEN_TO:
        assert refused is None, refused
    target = tmp_path / "letter.md"
    if refused is not None:
        r = cli.fails("letter", str(cid), "--to", recipient, "-o", str(target))
        assert "not written" in r.stderr and r.stdout == ""
        assert not target.exists()
        return
    r = cli.run("letter", str(cid), "--to", recipient)
    assert r.exit_code == 0, r.stderr
    assert "Traceback" not in r.stderr
    text = r.stdout
    assert "None" not in text and "（）" not in text and "：\n" not in text
    assert "暂行办法" not in text  # never the repealed SAMR order 20
    path = GOLDEN / f"{scenario}-{recipient}.md"
    if os.environ.get("DEPOSITCTL_UPDATE_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run with DEPOSITCTL_UPDATE_GOLDENS=1"
    assert text == path.read_text(encoding="utf-8")
