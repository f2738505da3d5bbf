"""Guided `add` and `contact` on a terminal: one question at a time, through rich.prompt.

Prompting is UI, so it lives in cli. Every answer goes through the parser the command
uses for the option's value (handed in as `parse(name, text)`: money, dates, vocabulary
words, counts, time limits), text answers also through `check_text`, the write models'
own validator; a bad answer is shown with its error and asked again, the answers before
it kept. Ctrl-C or end of input at any question raises `Cancelled` (exit 130): nothing
is written, because the command makes its one call into ops only after the last
question and the confirmation. Questions, the summary and a bad answer's error go to
stdout, the terminal the user answers on (prompting needs stdin and stdout to be one).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from depositctl.core.errors import N_, UserError
from depositctl.i18n import _, language

if TYPE_CHECKING:
    from rich.console import Console

    from depositctl.core.vocab import Vocabulary

T = TypeVar("T")
#: How a command parses an option's value: `parse(name, text)`; raises UserError.
Parse = Callable[[str, str], Any]


class Cancelled(UserError):
    """Ctrl-C or end of input at a question: nothing was written."""

    exit_code = 130


class Declined(UserError):
    """The summary was not confirmed: nothing was written."""

    exit_code = 1


def on_terminal() -> bool:
    """Both stdin and stdout are terminals: a person is there to answer."""
    return all(s is not None and s.isatty() for s in (sys.stdin, sys.stdout))


#: Answers read as yes and no (after NFKC, ASCII lower-cased).
YES = frozenset({"y", "yes", "是", "是的", "对", "好", "要", "有"})
NO = frozenset({"n", "no", "否", "不", "不是", "没有", "无", "不要"})


def parse_yes_no(text: str) -> bool:
    from depositctl.core.vocab import normalize_word

    word = normalize_word(text)
    if word in YES:
        return True
    if word in NO:
        return False
    raise UserError(N_("Answer y (是) or n (否), not {text}"), text=text)


class _Lines:
    """A stream of answers (tests) whose end is end of input, as on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def readline(self) -> str:
        line = self.stream.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")  # as input() gives it: Enter alone is ""


@dataclass
class Asker:
    """Asks questions on `console`; answers come from the terminal, or from `stream`."""

    console: Console
    stream: TextIO | None = None

    @classmethod
    def terminal(cls) -> Asker:
        from rich.console import Console

        return cls(Console(highlight=False, soft_wrap=True))

    # -- the loop ---------------------------------------------------------------------
    def line(self, question: str, default: str | None = None) -> str:
        """One answer as typed (stripped); Enter gives `default` (or "")."""
        from rich.prompt import Prompt
        from rich.text import Text

        prompt = Prompt(Text(question), console=self.console, show_default=default is not None)
        prompt.prompt_suffix = "：" if language() == "zh" else ": "
        stream: Any = _Lines(self.stream) if self.stream is not None else None
        try:
            answer = prompt(default=default if default is not None else "", stream=stream)
        except (KeyboardInterrupt, EOFError):
            self.console.print()
            raise Cancelled(N_("Interrupted; nothing was written.")) from None
        return str(answer).strip()

    def ask(
        self,
        question: str,
        parse: Callable[[str], T],
        *,
        default: str | None = None,
        optional: bool = False,
    ) -> T | None:
        """Ask until `parse` takes the answer; an empty answer is None when `optional`."""
        if optional:
            question += _(" (Enter: skip)")
        while True:
            text = self.line(question, default)
            if not text:
                if optional:
                    return None
                self.error(_("An answer is needed here."))
                continue
            try:
                return parse(text)
            except UserError as exc:
                from depositctl.cli.errors import message

                self.error(message(exc))

    def error(self, text: str) -> None:
        from rich.text import Text

        from depositctl.cli.errors import one_line

        line = _("Error: {message}").format(message=one_line(text))
        self.console.print(Text(line + " " + _("Try again."), style="red"))

    def say(self, text: str, style: str | None = None) -> None:
        from rich.text import Text

        self.console.print(Text(text, style=style or ""))

    def choose(
        self,
        question: str,
        options: Sequence[tuple[str, str]],
        parse: Callable[[str], T],
        *,
        optional: bool = False,
    ) -> T | None:
        """Ask for one of `options` (value, name as listed): its number, or a word that
        `parse` takes (the value, its Chinese name, an alias)."""
        for i, (_value, name) in enumerate(options, 1):
            self.say(f"  {i}. {name}")

        def pick(text: str) -> T:
            if text.isascii() and text.isdigit() and 1 <= int(text) <= len(options):
                return parse(options[int(text) - 1][0])
            return parse(text)

        return self.ask(question, pick, optional=optional)

    def confirm(self, question: str, *, default: bool) -> bool:
        zh = language() == "zh"
        shown = ("是" if default else "否") if zh else ("y" if default else "n")
        answer = self.ask(question + ("（是/否）" if zh else " (y/n)"), parse_yes_no, default=shown)
        return bool(answer)


# -- what choices are called --------------------------------------------------------------
def term_options(vocabulary: Vocabulary[Any]) -> list[tuple[str, str]]:
    """A vocabulary's terms as a question lists them: the short Chinese name in Chinese
    (首刷, 微信), the English label with it in English."""
    if language() == "zh":
        return [(t.value, t.short) for t in vocabulary]
    return [(t.value, f"{_(t.label)} ({t.short})") for t in vocabulary]


def shown(value: Any, vocabulary: Vocabulary[Any] | None = None) -> str:
    """A parsed answer as the summary shows it."""
    from depositctl.core.models import RefundWithin
    from depositctl.core.money import fmt_yuan

    if vocabulary is not None and isinstance(value, str):
        from depositctl.render.text import term_name

        return term_name(vocabulary, value)
    if isinstance(value, bool):
        return ("是" if value else "否") if language() == "zh" else ("yes" if value else "no")
    if isinstance(value, Decimal):
        return fmt_yuan(value)
    if isinstance(value, date | time):
        return value.isoformat(timespec="minutes") if isinstance(value, time) else value.isoformat()
    if isinstance(value, RefundWithin):
        if value.unit == "wd":
            return _("{n} working days").format(n=value.n)
        return _("{n} days").format(n=value.n)
    return str(value)


# -- shared steps ------------------------------------------------------------------------
def _checked(name: str, parse: Parse) -> Callable[[str], Any]:
    """`parse` for field `name`, a text value also checked as the write models check it."""
    from depositctl.core.inputs import check_text

    def run(text: str) -> Any:
        value = parse(name, text)
        if isinstance(value, str):
            check_text(value, name)
        return value

    return run


def _legal_name(asker: Asker, name: str, question: str, parse: Parse, *, optional: bool) -> Any:
    """A provider or agent company: a name without a company form at the end is kept
    only when the user says it is a recorded alias (the ledger resolves it on writing)."""
    from depositctl.core.respondents import looks_like_legal_name

    while True:
        value = asker.ask(question, _checked(name, parse), optional=optional)
        if value is None or looks_like_legal_name(value):
            return value
        asker.say(
            _(
                "{name} is not a company's legal name (it has no company form such as 公司 "
                "at the end); letters must name the legal entity, as on the contract or the "
                "business licence. An alias recorded with depositctl provider set is stored "
                "as its legal name."
            ).format(name=value),
            style="yellow",
        )
        if asker.confirm(_("Keep {name} (a recorded alias)?").format(name=value), default=False):
            return value


def confirm_summary(asker: Asker, title: str, rows: Sequence[tuple[str, str]], ask: str) -> None:
    """Show what will be recorded and ask before writing; `Declined` if not confirmed."""
    from rich.table import Table

    table = Table(title=title, show_header=False, box=None, padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, value)
    asker.console.print()
    asker.console.print(table)
    if not asker.confirm(ask, default=True):
        raise Declined(N_("Not recorded; nothing was written."))


# -- add ---------------------------------------------------------------------------------
CONDITION_KINDS = (
    ("targets", N_("a target: card volume, transactions and/or days")),
    ("return", N_("return of the terminal")),
    ("none", N_("no condition: refundable on request")),
    ("unknown", N_("not known (record it later with edit)")),
)
#: What a condition's kind may be called when typed instead of its number.
CONDITION_WORDS = {
    "targets": ("target", "达标", "目标"),
    "return": ("退机", "退还机器", "退回机器"),
    "none": ("无条件", "无", "no"),
    "unknown": ("不知道", "不清楚", "未知"),
}


def parse_condition_kind(text: str) -> str:
    from depositctl.core.vocab import normalize_word

    word = normalize_word(text)
    for kind, words in CONDITION_WORDS.items():
        if word == kind or word in words:
            return kind
    raise UserError(
        N_("Choose a number from the list, not {text}"),
        text=text,
    )


def case_answers(asker: Asker, given: Mapping[str, Any], parse: Parse) -> dict[str, Any]:
    """Ask for every field a letter needs that `given` (the options) lacks: the legal
    name, amount, payment date, how paid, the condition and its wording, the refund time
    limit, serial, agent. Returns the parsed answers by field name."""
    from depositctl.core.vocab import PAYMENT_METHOD

    answers: dict[str, Any] = {}

    def missing(name: str) -> bool:
        return given.get(name) in (None, False)

    def field(name: str, question: str, *, optional: bool = True) -> None:
        if missing(name):
            value = asker.ask(_(question), _checked(name, parse), optional=optional)
            if value is not None:
                answers[name] = value

    if missing("provider"):
        answers["provider"] = _legal_name(
            asker,
            "provider",
            _("Payment institution (its full legal name, or a recorded alias)"),
            parse,
            optional=False,
        )
    field("amount", N_("Deposit amount (e.g. 99, 人民币99元, 99块)"), optional=False)
    field("paid_on", N_("Date paid (e.g. 2025-03-05, 今天, 昨天, 3月5日)"), optional=False)
    if missing("paid_via"):
        value = asker.choose(
            _("How was it paid"),
            term_options(PAYMENT_METHOD),
            _checked("paid_via", parse),
            optional=True,
        )
        if value is not None:
            answers["paid_via"] = value
    condition = ("condition_volume", "condition_count", "condition_days", "condition_return")
    if all(missing(n) for n in (*condition, "no_condition")):
        kind = asker.choose(
            _("The refund condition"),
            [(k, _(name)) for k, name in CONDITION_KINDS],
            parse_condition_kind,
        )
        if kind == "targets":
            answers.update(_targets(asker, parse))
            if "condition_days" in answers:
                field("activated_on", N_("Activation date (the days count from it)"))
        elif kind == "return":
            answers["condition_return"] = True
        elif kind == "none":
            answers["no_condition"] = True
    field("condition_text", N_("The condition as agreed (the contract's or agent's words)"))
    field("refund_within", N_("Refund time limit (e.g. 15个工作日, 30天, 15wd)"))
    field("serial", N_("Serial number (SN) of the terminal"))
    field("agent_name", N_("The sales agent's name"))
    if missing("agent_company"):
        value = _legal_name(
            asker,
            "agent_company",
            _("The agent company that sold the terminal (legal name)"),
            parse,
            optional=True,
        )
        if value is not None:
            answers["agent_company"] = value
    return answers


def _targets(asker: Asker, parse: Parse) -> dict[str, Any]:
    """Card volume, transactions, days: at least one, asked again as a group if none."""
    questions = (
        ("condition_volume", N_("Card volume to reach (e.g. 5万, 50000)")),
        ("condition_count", N_("Number of transactions to reach")),
        ("condition_days", N_("Days allowed to reach it (from activation, else payment)")),
    )
    while True:
        found: dict[str, Any] = {}
        for name, question in questions:
            value = asker.ask(_(question), _checked(name, parse), optional=True)
            if value is not None:
                found[name] = value
        if found:
            return found
        asker.error(_("Give at least one target, or choose another kind of condition."))


#: The fields of a case the summary lists, in this order, with the vocabulary naming them.
CASE_SUMMARY = (
    "provider",
    "amount",
    "paid_on",
    "paid_via",
    "brand",
    "model",
    "serial",
    "merchant_no",
    "activated_on",
    "condition_volume",
    "condition_count",
    "condition_days",
    "condition_return",
    "no_condition",
    "condition_text",
    "refund_within",
    "promised_refund_on",
    "agent_name",
    "agent_phone",
    "agent_company",
    "paid_to",
    "note",
)


def confirm_case(asker: Asker, fields: Mapping[str, Any]) -> None:
    """The case to be recorded, every field given or answered; asks before writing."""
    from depositctl.core.fields import field_label
    from depositctl.core.vocab import PAYEE, PAYMENT_METHOD

    vocabularies: dict[str, Vocabulary[Any]] = {"paid_via": PAYMENT_METHOD, "paid_to": PAYEE}
    rows = [
        (_(field_label("cases", name)), shown(fields[name], vocabularies.get(name)))
        for name in CASE_SUMMARY
        if fields.get(name) not in (None, False)
    ]
    if not any(
        fields.get(n) for n in ("condition_volume", "condition_count", "condition_days")
    ) and not (fields.get("condition_return") or fields.get("no_condition")):
        rows.append((_("condition"), _("not recorded")))
    confirm_summary(asker, _("The new case"), rows, _("Record this case?"))


# -- contact -----------------------------------------------------------------------------
def contact_answers(
    asker: Asker, given: Mapping[str, Any], parse: Parse, today: date
) -> dict[str, Any]:
    """Ask for what `contact` lacks: date (default today), channel, whether it is the
    other side's reply, to whom, ticket, outcome (with the promised date or the reason it
    calls for), summary, and whether it asked for the refund. Returns the parsed answers
    by option name (`on` gives a (date, time) pair)."""
    from depositctl.core.vocab import CHANNEL, OUTCOME

    answers: dict[str, Any] = {}

    def missing(name: str) -> bool:
        return given.get(name) in (None, False)

    def field(name: str, question: str, **kw: Any) -> None:
        if missing(name):
            value = asker.ask(_(question), _checked(name, parse), **kw)
            if value is not None:
                answers[name] = value

    field(
        "on",
        N_("Date, optionally with time (e.g. 今天, 11月20日, 2025-09-01 10:30)"),
        default=today.isoformat(),
    )
    if missing("channel"):
        answers["channel"] = asker.choose(
            _("Channel"), term_options(CHANNEL), _checked("channel", parse)
        )
    if not given.get("incoming") and not given.get("refund_request"):
        answers["incoming"] = asker.confirm(
            _("Is this a reply from the other side (not your own call or complaint)?"),
            default=False,
        )
    incoming = bool(given.get("incoming") or answers.get("incoming"))
    field(
        "to",
        N_("Who replied (name, staff number)") if incoming else N_("Whom you reached"),
        optional=True,
    )
    field("ticket", N_("Ticket number"), optional=True)
    outcome = None if missing("outcome") else parse("outcome", given["outcome"])
    if missing("outcome"):
        outcome = asker.choose(
            _("Outcome"), term_options(OUTCOME), _checked("outcome", parse), optional=True
        )
        if outcome is not None:
            answers["outcome"] = outcome
    if outcome in ("promised", "refund-promised"):
        field("promised_by", N_("Date they promised to answer or pay by"), optional=True)
    if outcome == "rejected":
        field("reason", N_("The reason they gave for not taking it"), optional=True)
    field("summary", N_("What was said"), optional=True)
    if not incoming and not given.get("refund_request"):
        answers["refund_request"] = asker.confirm(
            _("Did you ask for the refund in this contact?"), default=False
        )
    return answers


def confirm_contact(asker: Asker, case_id: int, fields: Mapping[str, Any]) -> None:
    """The contact to be recorded; asks before writing."""
    from depositctl.core.fields import field_label
    from depositctl.core.vocab import CHANNEL, OUTCOME

    columns = {"on": "on_date", "to": "to_whom"}
    vocabularies: dict[str, Vocabulary[Any]] = {"channel": CHANNEL, "outcome": OUTCOME}
    rows = []
    for name in (
        "on",
        "at_time",
        "channel",
        "incoming",
        "to",
        "ticket",
        "outcome",
        "promised_by",
        "reason",
        "summary",
        "refund_request",
    ):
        value = fields.get(name)
        if value is None or (value is False and name not in ("incoming", "refund_request")):
            continue
        rows.append(
            (
                _(field_label("contacts", columns.get(name, name))),
                shown(value, vocabularies.get(name)),
            )
        )
    confirm_summary(
        asker,
        _("The contact for case #{id}").format(id=case_id),
        rows,
        _("Record this contact?"),
    )
