"""Rich output for people: the status table, one case in full, the agenda."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from depositctl.core.caseview import Action, CaseView, Deadline, Totals
from depositctl.core.errors import N_
from depositctl.core.fields import ACTION_TABLES, action_label, field_label
from depositctl.core.money import fmt_yuan, from_fen
from depositctl.core.records import OVERDUE, Contact, Evidence, Progress, Row, State
from depositctl.core.recordtype import builder, record
from depositctl.i18n import _, language, ngettext
from depositctl.render.text import (
    action_params,
    action_text,
    basis_text,
    channel_label,
    close_reason_name,
    deadline_text,
    evidence_kind_name,
    outcome_label,
    payee_name,
    payment_name,
    state_label,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import IO, Any, TypeVar

    from rich.console import Console

    from depositctl.render import boxtable

    T = TypeVar("T")

#: History changes of a column holding a vocabulary value: the value by its name.
VALUE_NAMES: dict[str, Callable[[str], str]] = {
    "paid_via": payment_name,
    "paid_to": payee_name,
    "close_reason": close_reason_name,
}

STATE_STYLE = {
    State.OVERDUE: "bold red",
    State.CONDITION_FAILED: "yellow",
    State.REFUND_PENDING: "cyan",
    State.CONDITION_PENDING: "",
    State.AWAITING_ACTIVATION: "dim",
    State.REFUNDED: "green",
    State.CLOSED: "dim",
}


def console(stderr: bool = False, soft_wrap: bool = False) -> Console:
    """A console that keeps tables readable when output goes to a file or pipe.

    `soft_wrap` is for line-oriented output (agenda, show): each line is printed whole
    and the terminal wraps it, so a piped line is never cut in two.
    """
    import shutil

    from rich.console import Console

    con = Console(stderr=stderr, highlight=False, soft_wrap=soft_wrap)
    if not con.is_terminal:
        con.width = max(shutil.get_terminal_size((120, 24)).columns, 120)
    return con


#: Listings longer than this are printed as plain aligned text: a rich Table costs about
#: 1 ms per row (10,000 rows took 12 s), plain text a few microseconds.
RICH_MAX_ROWS = 200


#: The command at the end of a next action's text (after "：" or ": "): where the
#: regular expression `COMMAND` is found in it (`_command`).
COMMAND = r"\s*[:：]?\s*(depositctl\s.*)$"


def split_command(text: str) -> tuple[str, str | None]:
    """A next action in words and its `depositctl …` command (None if it names none)."""
    found = _command(text)
    if found is None:
        return text, None
    start, at = found
    return text[:start].rstrip(" ：:"), text[at:].strip()


def _command(text: str) -> tuple[int, int] | None:
    """Where `re.search(COMMAND, text)` finds its match and its group, without `re`
    (with `enum`, a tenth of a 5-case `status`: issue 12); tests/test_row_line.py
    holds it to the pattern. The group is a `depositctl` followed by whitespace and the
    rest of the text, with no line break but at its very end (`.` is any character but
    a line feed; `$` also matches before a last one, which `split_command` strips); the
    match starts at the whitespace before it, with one colon at most (whitespace is what
    `str.isspace` says it is, as for `re`'s `\\s`)."""
    at = text.find("depositctl")
    while at >= 0:
        after = at + len("depositctl")
        if after < len(text) and text[after].isspace() and "\n" not in text[after + 1 : -1]:
            start = at
            while start and text[start - 1].isspace():
                start -= 1
            if start and text[start - 1] in ":：":
                start -= 1
                while start and text[start - 1].isspace():
                    start -= 1
            return start, at
        at = text.find("depositctl", at + 1)
    return None


@record(kw_only=False)
class StatusRow:
    """One case in the status listing, as text."""

    id: str
    provider: str
    outstanding: str
    state: str
    due: str
    action: str
    command: str | None
    note: str  # the limitation warning, or ""
    #: The marks on the due date (`DUE_MARKS`), each explained by a footnote.
    marks: str = ""
    #: The row's style at a terminal (`STATE_STYLE` of the case's state).
    style: str = ""
    #: The columns the provider (on one line, `_one_line`), the amount, the state and the
    #: due date take in the plain listing (`_width`), as `status_row` knows them; -1 where
    #: not known (a row made otherwise): the listing measures the text then.
    provider_width: int = -1
    outstanding_width: int = -1
    state_width: int = -1
    due_width: int = -1

    def cells(self) -> tuple[str, str, str, str, str, str]:
        """The six columns of the plain listing: the action with its command and note."""
        action = self.action + (_(": ") + self.command if self.command else "")
        return (
            self.id,
            self.provider,
            self.outstanding,
            self.state,
            self.due,
            action + (" " + self.note if self.note else ""),
        )


#: The due date's marks in `status`, in the order they follow the date, and the footnote
#: each adds below the listing.
DUE_MARKS = {
    "*": N_("* due date is depositctl's default or a working-day estimate; see show ID"),
    "~": N_(
        "~ provisional: counted from the day a letter was sent, its delivery is not yet "
        "recorded (depositctl delivered ID LABEL --on DATE moves it)"
    ),
}


def due_marks(d: Deadline) -> str:
    """The marks of a refund due date (`DUE_MARKS`): `*` a default or estimate, `~`
    provisional (counted from an undelivered letter's sending day)."""
    marks = "*" if d.estimate or d.is_default else ""
    return marks + ("~" if d.provisional else "")


def status_row(v: CaseView) -> StatusRow:
    """One case of the listing as text: all `status` keeps of a case it prints.

    What many cases share is worked out once (`_Texts`): the state's words, an amount, a
    due date, a next action without its case number; so is each one's width in the plain
    listing. The cases share those strings too: 80,000 rows held for the sort keep one
    copy of each, not one per case."""
    t = _TEXTS.get(language()) or _new_texts()
    c = v.facts.case
    st = v.state
    known = t.states.get(v.days_overdue if st is OVERDUE else st)  # the name: core/records
    state, state_width, style = known or t.state_text(st, v.days_overdue)
    marks = ""
    d = v.refund_due
    if d is not None:
        due = t.dates.get(d.on) or t.date_text(d.on)
        if d.estimate or d.is_default or d.provisional:
            marks = due_marks(d)
            due += marks
        due_width = len(due)  # a date and the marks: ASCII
    elif v.condition_deadline and st in _CONDITION_STATES:
        on = v.condition_deadline.on
        due, due_width = t.conditions.get(on) or t.condition_text(on)
    else:
        due, due_width = "-", 1
    # The next action's words and command, as `_Texts.action_parts` keeps them, under
    # `action_key(a)` written out here: the call cost the row 3% of its instructions.
    a = v.next_action
    items = tuple(a.params.items())
    case = items[0][1] if items and items[0][0] == "id" else None
    if type(case) is int:
        items = items[1:]
        key: tuple[object, ...] = (a.text, a.estimate, items)
    else:
        case, key = None, (a.text, a.estimate, items, None)
    try:
        action, command, numbered = t.actions[key]
    except (KeyError, TypeError):  # not kept yet, or a value that cannot be a key
        action, command, numbered = t.action_parts(a, case, key, items)
    if numbered:
        number = str(case)
        if command is not None:
            command = command.replace(_CASE, number)
        if numbered > 1:
            action = action.replace(_CASE, number)
    note = ""
    if v.limitation_warning and v.limitation:
        note = _("[limitation ends {date}]").format(
            date=(v.limitation_restart or v.limitation).on.isoformat()
        )
    # The provider, then the terminal on a line of its own (" / " in the plain listing).
    provider = c.provider
    widths = t.widths
    width = widths.get(provider) or t.width_of(provider)
    brand, serial = c.brand, c.serial
    if serial:
        width += len(serial) if serial.isascii() and "\n" not in serial else _line_width(serial)
        if brand:
            provider = f"{provider}\n{brand} {serial}"
            width += 4 + (widths.get(brand) or t.width_of(brand))
        else:
            provider = f"{provider}\n{serial}"
            width += 3
    elif brand:
        provider = f"{provider}\n{brand}"
        width += 3 + (widths.get(brand) or t.width_of(brand))
    amount = v.outstanding
    outstanding, outstanding_width = t.yuan.get(amount) or t.amount_text(amount)
    return _ROW(  # by position, no keyword dict (`recordtype.builder`)
        str(c.id),
        provider,
        outstanding,
        state,
        due,
        action,
        command,
        note,
        marks,
        style,
        width,
        outstanding_width,
        state_width,
        due_width,
    )


_CONDITION_STATES = (State.AWAITING_ACTIVATION, State.CONDITION_PENDING, State.CONDITION_FAILED)
_ROW = builder(StatusRow)

#: Stands for the case number while a next action's words are worked out for every case
#: alike (`_Texts.action_parts`): not a space, a colon, a line break, a letter of
#: "depositctl" or a digit, so the command is split off where it is with the number in.
_CASE = "\x00"


def action_key(a: Action) -> tuple[int | None, tuple[object, ...], tuple[tuple[str, object], ...]]:
    """What `_Texts` keeps a next action's words under, for every case alike: the case
    number (None: no `id` param that is an int), the key (the template, the estimate mark
    and the other params: `_Texts.action_parts`, `_Texts.action_words`), those params."""
    items = tuple(a.params.items())
    case = items[0][1] if items and items[0][0] == "id" else None
    if type(case) is int:
        items = items[1:]
        return case, (a.text, a.estimate, items), items
    return None, (a.text, a.estimate, items, None), items


def _cells_width(text: str) -> int:
    """`_width` of `text`, not kept in `_width`'s memo."""
    if text.isascii():
        return len(text)
    return len(text) + sum(map(_WIDE.__getitem__, text))


class _Wide(dict[str, int]):
    """1 for a character a terminal shows two columns wide (east Asian wide or
    fullwidth), else 0: `unicodedata` asked once per character."""

    def __missing__(self, ch: str) -> int:
        import unicodedata

        wide = self[ch] = int(unicodedata.east_asian_width(ch) in ("W", "F"))
        return wide


_WIDE = _Wide()


def _line_width(text: str) -> int:
    """`_width` of `text` on one line (`_one_line`: a line break is ` / `), not kept."""
    return _cells_width(text) + 2 * text.count("\n")


class _Texts:
    """What `status_row` says alike for many cases in one language, each worked out once:
    a pure function of few distinct values (a state and its days overdue, an amount, a due
    date, a next action without its case number (split for the row, whole for the JSON
    item: render/jsonout.py), a provider's or a brand's width). Each
    table starts again past `MAX` entries: a memo, never all of a big ledger."""

    __slots__ = ("actions", "conditions", "dates", "states", "widths", "words", "yuan")

    MAX = 1 << 14

    def __init__(self) -> None:
        self.states: dict[object, tuple[str, int, str]] = {}
        self.dates: dict[date, str] = {}
        self.conditions: dict[date, tuple[str, int]] = {}
        self.yuan: dict[object, tuple[str, int]] = {}
        self.widths: dict[str, int] = {}
        self.actions: dict[object, tuple[str, str | None, int]] = {}
        self.words: dict[object, tuple[str, bool]] = {}

    def state_text(self, state: State, days: int) -> tuple[str, int, str]:
        text = state_label(state)
        if state is State.OVERDUE:
            text += " " + ngettext("{n} day", "{n} days", days).format(n=days)
        known = (text, _cells_width(text), STATE_STYLE[state])
        return _keep(self.states, days if state is State.OVERDUE else state, known)

    def date_text(self, on: date) -> str:
        return _keep(self.dates, on, on.isoformat())

    def condition_text(self, on: date) -> tuple[str, int]:
        text = _("cond. {date}").format(date=on.isoformat())
        return _keep(self.conditions, on, (text, _cells_width(text)))

    def amount_text(self, amount: Decimal) -> tuple[str, int]:
        text = fmt_yuan(amount)
        known = (text, _cells_width(text))
        return _keep(self.yuan, amount, known) if amount else known  # 0, -0: one key

    def width_of(self, text: str) -> int:
        return _keep(self.widths, text, _line_width(text))

    def action_parts(
        self,
        action: Action,
        case: int | None,
        key: tuple[object, ...],
        items: tuple[tuple[str, object], ...],
    ) -> tuple[str, str | None, int]:
        """`split_command(action_text(action))`, kept under `key` (`action_key`) for
        every case alike: with `_CASE` for the case number `case` (None: no number), and
        where `_CASE` is (0 nowhere, 1 the command, 2 the words too); kept only where
        `_shared_words` is sure of that. Else this case's own words and command (0)."""
        text, shared = _shared_words(action, case, items)
        if shared is None:
            return (*split_command(text), 0)
        # The number is where `_CASE` is and nowhere else, and neither is a space, a
        # colon or a letter of "depositctl": both split alike, for every number.
        words, command = split_command(shared)
        numbered = 0 if case is None else 2 if _CASE in words else 1
        return _keep(self.actions, key, (words, command, numbered))

    def action_words(
        self,
        action: Action,
        case: int | None,
        key: tuple[object, ...],
        items: tuple[tuple[str, object], ...],
    ) -> tuple[str, bool]:
        """`action_text(action)` whole (the JSON item's `next_action`), kept under `key`
        (`action_key`) for every case alike where `_shared_words` is sure of it: the
        words, and whether `_CASE` in them stands for the case number `case` (False: the
        words are this case's as they are)."""
        text, shared = _shared_words(action, case, items)
        if shared is None:
            return text, False
        return _keep(self.words, key, (shared, case is not None))


def _shared_words(
    action: Action, case: int | None, items: tuple[tuple[str, object], ...]
) -> tuple[str, str | None]:
    """`action_text(action)`, and the words every case of its key (`action_key`) has,
    with `_CASE` for the case number `case` (as they are where `case` is None), or None
    where that is not sure. Sure only where the other params (`items`) are all text (a
    number, a decimal or True may be equal as a key and printed otherwise: 1, 1.0, True),
    the number is formatted as `{id}` in the template and `_CASE` is nowhere else."""
    params = action_params(action)
    text = action_text(action, params)
    if any(type(value) is not str for _, value in items):
        return text, None
    if case is None:
        return text, text
    if "{id" not in _(action.text).replace("{id}", ""):
        by_case = action_text(action, {**params, "id": _CASE})
        if by_case.replace(_CASE, str(case)) == text:
            return text, by_case
    return text, None


def _keep(memo: dict[Any, T], key: object, value: T) -> T:
    """`value` kept in `memo` under `key` (`memo` emptied first when it is full)."""
    if len(memo) >= _Texts.MAX:
        memo.clear()
    memo[key] = value
    return value


#: `_Texts` of each language.
_TEXTS: dict[str, _Texts] = {}


def _new_texts() -> _Texts:
    t = _TEXTS[language()] = _Texts()
    return t


def texts() -> _Texts:
    """`_Texts` of the language in use (render/jsonout.py keeps a next action's words
    there, beside the row's)."""
    return _TEXTS.get(language()) or _new_texts()


def status_listing(
    shown: list[CaseView],
    totals: Totals,
    today: date,
    con: Console | None = None,
) -> None:
    """Print the status table of `shown` and the `totals` over all cases; with no case,
    what to do first."""
    print_status([status_row(v) for v in shown], totals, today, con)


def print_status(
    rows: Sequence[StatusRow],
    totals: Totals,
    today: date,
    con: Console | None = None,
) -> None:
    """`status_listing` of the cases' rows (`status_row`)."""
    if _plain(rows, totals):
        out = sys.stdout if con is None else con.file
        write_chunks(_listing_lines(rows, totals, today, "\n"), out)
        return
    _rich_table(_title(today), rows, [r.style for r in rows], con)
    _write(_footer(rows, totals), con)


def status_text(
    shown: list[CaseView],
    totals: Totals,
    today: date,
    width: int,
) -> str | None:
    """What `status_listing` prints to a page `width` cells wide that is not a terminal,
    without rich: the table drawn by render/boxtable, or None where boxtable is not sure
    to draw rich's characters (then rich draws it)."""
    rows = [status_row(v) for v in shown]
    return status_rows_text(rows, totals, today, width)


def status_rows_text(
    rows: Sequence[StatusRow],
    totals: Totals,
    today: date,
    width: int,
) -> str | None:
    """`status_text` of the cases' rows (`status_row`)."""
    lines = status_rows_lines(rows, totals, today, width)
    return None if lines is None else "".join(lines)


def status_rows_lines(
    rows: Sequence[StatusRow],
    totals: Totals,
    today: date,
    width: int,
) -> Iterator[str] | None:
    """`status_rows_text` line by line (each ending in a line break), to be written as
    they come: the plain listing of every case is never one string."""
    if _plain(rows, totals):
        return _listing_lines(rows, totals, today, "\n")
    from depositctl.render import boxtable

    cells, commands = _table_cells(rows)
    after = (_commands_heading(), *("  " + c for c in commands)) if commands else ()
    table = boxtable.render(_title(today), status_columns(width), cells, width, after)
    if table is None:
        return None
    return (line + "\n" for line in (*table, *after, *_footer(rows, totals)))


def _plain(rows: Sequence[StatusRow], totals: Totals) -> bool:
    """The listing is plain lines, not a table (rich's or boxtable's): no case at all, or
    more than RICH_MAX_ROWS of them."""
    return totals.total == 0 or len(rows) > RICH_MAX_ROWS


def _title(today: date) -> str:
    return _("Deposits as of {today}").format(today=today.isoformat())


def _commands_heading() -> str:
    return _("Next actions as commands (each case's number is in its command):")


def _listing_lines(
    rows: Sequence[StatusRow],
    totals: Totals,
    today: date,
    end: str = "",
) -> Iterator[str]:
    """The listing without a rich table: what to do first (no case), or the plain table
    (more than RICH_MAX_ROWS cases) and the totals; each line ends in `end`."""
    title = _title(today)
    if totals.total == 0:
        yield from (
            line + end
            for line in (
                title,
                _("No open cases. Record a terminal's deposit:"),
                "  " + _("depositctl add --provider NAME --amount 99 --paid-on DATE"),
                _("or first see an example ledger:"),
                "  depositctl demo",
                _("Refunded and closed cases:"),
                "  depositctl status --all",
            )
        )
        return
    headers = (
        "#",
        _("Provider / terminal"),
        _("Outstanding"),
        _("State"),
        _("Due"),
        _("Next action"),
    )
    yield from _plain_table(title, headers, rows, end)
    yield from (line + end for line in _footer(rows, totals))


def _footer(rows: Sequence[StatusRow], totals: Totals) -> list[str]:
    """The lines below the table: cases not shown, the totals, the due-date marks' notes."""
    lines = []
    if totals.total > len(rows):
        more = totals.total - len(rows)
        lines.append(
            ngettext(
                "{n} more case not shown (status --limit 0 shows all)",
                "{n} more cases not shown (status --limit 0 shows all)",
                more,
            ).format(n=more)
        )
    lines.append(
        _("Total outstanding {outstanding}; overdue {overdue} in {n} cases").format(
            outstanding=fmt_yuan(totals.outstanding),
            overdue=fmt_yuan(totals.overdue),
            n=totals.n_overdue,
        )
    )
    return lines + footnotes(rows)


def footnotes(rows: Sequence[StatusRow]) -> list[str]:
    """The footnote of each due-date mark the rows carry (`DUE_MARKS`), in their order."""
    used = {m for r in rows for m in r.marks}
    return [_(text) for mark, text in DUE_MARKS.items() if mark in used]


def _write(lines: Iterable[str], con: Console | None) -> None:
    """Plain lines, whole, to stdout (or to `con`'s file), a thousand at a time."""
    write_chunks((line + "\n" for line in lines), sys.stdout if con is None else con.file)


def write_chunks(chunks: Iterable[str | bytes], out: IO[str]) -> None:
    """`chunks` written to `out` joined a thousand at a time: neither one write per line
    nor the whole output as one string (and one encoding of it) in memory. Chunks of
    text, or of UTF-8 (`status --json`, render/jsonout.py `status_item_utf8`): written
    to the stream's bytes as they are where it writes UTF-8 without changing line breaks,
    else (and where a lone surrogate may be in them) as text, which the stream writes or
    refuses as it always did."""
    from itertools import islice

    it = iter(chunks)
    raw = _utf8_bytes_of(out)
    while batch := list(islice(it, 1000)):
        if batch[0].__class__ is not bytes:
            out.write("".join(batch))  # type: ignore[arg-type]
            continue
        data = b"".join(batch)  # type: ignore[arg-type]
        # UTF-8 writes a surrogate (U+D800-DFFF) as ED A0-BF: no ED byte, none there.
        if raw is not None and b"\xed" not in data:
            out.flush()  # what was written as text first
            raw.write(data)
        else:
            out.write(data.decode("utf-8", "surrogatepass"))


def _utf8_bytes_of(out: IO[str]) -> IO[bytes] | None:
    """The binary stream under the text stream `out` where writing UTF-8 there is what
    `out` would write of the same text: its encoding UTF-8 and a line break written as
    it is (`os.linesep`: a standard stream's newline translation). None otherwise."""
    import codecs
    import os

    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is None or not isinstance(encoding, str) or os.linesep != "\n":
        return None
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return None
    return buffer if utf8 else None


def status_columns(width: int) -> tuple[boxtable.Column, ...]:
    """The status table's columns on a page `width` cells wide (rich's and boxtable's):
    narrow, state and due date share one, the next action in words."""
    from depositctl.render.boxtable import Column

    return (
        Column("#", justify="right", no_wrap=True),
        Column(_("Provider / terminal"), overflow="fold", max_width=20 if width >= 100 else 16),
        Column(_("Outstanding"), justify="right", no_wrap=True),
        Column(_("State / due"), no_wrap=True),
        Column(_("Next action"), overflow="fold", min_width=16, ratio=1),
    )


def _table_cells(rows: Sequence[StatusRow]) -> tuple[list[tuple[str, ...]], list[str]]:
    """The table's five cells per case (as text), and the suggested commands."""
    cells: list[tuple[str, ...]] = []
    commands: list[str] = []
    for row in rows:
        action = row.action
        if row.command:
            commands.append(row.command)
        if row.note:
            action += " " + row.note
        state = row.state + ("\n" + row.due if row.due != "-" else "")
        cells.append((row.id, row.provider, row.outstanding, state, action))
    return cells, commands


def _rich_table(
    title: str, rows: Sequence[StatusRow], styles: list[str], con: Console | None = None
) -> None:
    """The table in narrow columns (`status_columns`), then the suggested commands, one
    whole line each below it: a command is never wrapped or cut, so it can be copied as
    it is (80 columns are enough)."""
    from rich.markup import escape
    from rich.table import Table

    con = con or console()
    table = Table(title=title, expand=False)
    for c in status_columns(con.width):
        table.add_column(
            c.header,
            justify=c.justify,
            overflow=c.overflow,
            no_wrap=c.no_wrap,
            min_width=c.min_width,
            max_width=c.max_width,
            ratio=c.ratio,
        )
    cells, commands = _table_cells(rows)
    for row_cells, style in zip(cells, styles, strict=True):
        # Cells are text, not markup: `[limitation ends …]` or a serial like `[a1]` must show.
        table.add_row(*(escape(cell) for cell in row_cells), style=style)
    con.print(table)
    if commands:
        con.print(_commands_heading())
        for command in commands:
            con.print("  " + command, markup=False, highlight=False, no_wrap=True, crop=False)
    con.file.flush()


def _width(text: str, cache: dict[str, int] = {}) -> int:  # noqa: B006 - a memo
    """Columns `text` takes in a terminal (CJK characters take two): `_cells_width`, kept."""
    if text.isascii():
        return len(text)
    w = cache.get(text)
    if w is None:
        w = cache[text] = _cells_width(text)
    return w


def _plain_table(
    title: str, headers: tuple[str, ...], rows: Sequence[StatusRow], end: str = ""
) -> Iterator[str]:
    """The same columns as the rich table, one line per case, aligned, no per-row cost;
    each line ends in `end`.

    The provider and the terminal share a line (`/` between them) and the next action
    is not wrapped, so every case stays on one line for grep and less. Two passes over
    `rows`: the columns' widths, then the lines one by one (80,000 cases are never
    held as lines, only written). A row's widths are the ones `status_row` kept.
    """
    w0, w1, w2, w3, w4 = (_width(h) for h in headers[:5])
    for r in rows:  # the five aligned columns' widths; the sixth is not aligned
        wp = r.provider_width
        if wp < 0:
            wi, wp, wo, ws, wd = _measured(r)
        else:
            wi, wo, ws, wd = len(r.id), r.outstanding_width, r.state_width, r.due_width
        if wi > w0:
            w0 = wi
        if wp > w1:
            w1 = wp
        if wo > w2:
            w2 = wo
        if ws > w3:
            w3 = ws
        if wd > w4:
            w4 = wd
    # What comes before a cell of width w in its column (`before`), or after it with
    # the gap to the next column (`after`), by w: no arithmetic per line, fewer pieces.
    before0, after1, before2, after3, after4 = (
        [" " * (width - w) + gap for w in range(width + 1)]
        for width, gap in ((w0, ""), (w1, "  "), (w2, ""), (w3, "  "), (w4, "  "))
    )
    h = headers
    yield title + end
    yield (
        f"{before0[_width(h[0])]}{h[0]}  {h[1]}{after1[_width(h[1])]}"
        f"{before2[_width(h[2])]}{h[2]}  {h[3]}{after3[_width(h[3])]}"
        f"{h[4]}{after4[_width(h[4])]}{h[5]}{end}"
    )
    rule = "  ".join("-" * w for w in (w0, w1, w2, w3, w4))
    yield f"{rule}  {'-' * max(_width(h[5]), 11)}{end}"
    then, nl, slash = _(": "), "\n", " / "
    for r in rows:
        wp = r.provider_width
        if wp < 0:
            wi, wp, wo, ws, wd = _measured(r)
        else:
            wi, wo, ws, wd = len(r.id), r.outstanding_width, r.state_width, r.due_width
        command, note = r.command, r.note
        yield (
            f"{before0[wi]}{r.id}  {r.provider.replace(nl, slash)}{after1[wp]}"
            f"{before2[wo]}{r.outstanding}  {r.state}{after3[ws]}{r.due}{after4[wd]}{r.action}"
            f"{then if command else ''}{command or ''}{' ' if note else ''}{note}{end}"
        )


def _measured(r: StatusRow) -> tuple[int, int, int, int, int]:
    """The widths of a row's number, provider (on one line), amount, state and due date
    in the plain listing, of a row that does not keep them (not made by `status_row`)."""
    return (
        _width(r.id),
        _width(_one_line(r.provider)),
        _width(r.outstanding),
        _width(r.state),
        _width(r.due),
    )


def _one_line(provider: str) -> str:
    """The provider cell of the plain listing: the provider and terminal on one line."""
    return provider.replace("\n", " / ")


@record(kw_only=False)
class AgendaItem:
    """One line of the agenda."""

    on: date
    case_id: int
    text: str
    late: bool


def open_follow_ups(v: CaseView, more: Sequence[Deadline] = ()) -> list[Deadline]:
    """The follow-ups still open, by date: the latest contact's (`open_follow_up`, also
    once passed) and every other one not yet passed, which `ics` lists too (several
    letters out, each with its reply-by date); none once the case is refunded or closed.
    A view of the listings' cache has no `follow_ups`: `more` gives them (`agenda`)."""
    latest = v.open_follow_up
    if latest is None:
        return []
    others = {
        d.contact_id: d
        for d in (*v.follow_ups, *more)
        if d.contact_id != latest.contact_id and d.on >= v.today
    }
    return sorted([latest, *others.values()], key=lambda d: (d.on, d.contact_id or 0))


def provisional_note(d: Deadline) -> str:
    """` (provisional: …)` after a date counted from an undelivered letter, else "" (and
    for a letter's own reply-by date, whose basis says it: "…, delivery not yet recorded:
    + 15 days (provisional)")."""
    if not d.provisional or d.kind == "follow_up":
        return ""
    return _(" ({note})").format(note=_("provisional: the letter's delivery is not yet recorded"))


def agenda_items(
    views: list[CaseView],
    today: date,
    days: int,
    follow_ups: Mapping[int, Sequence[Deadline]] | None = None,
) -> list[AgendaItem]:
    """What is due from `today` for `days` days; `follow_ups` the follow-ups of each
    case's contacts where its views leave them out (`ops.views.agenda_views`)."""
    end = today + timedelta(days=days)
    follow_ups = follow_ups or {}
    items: list[AgendaItem] = []
    for v in views:
        cid = v.id
        if v.next_deadline is not None and v.next_deadline <= end:
            text = action_text(v.next_action)
            if v.refund_due is not None and v.refund_due.on == v.next_deadline:
                text += provisional_note(v.refund_due)  # the refund due date is this line
            items.append(AgendaItem(v.next_deadline, cid, text, v.next_deadline < today))
        dated: list[tuple[Deadline | None, str]] = [
            (v.condition_deadline, _("condition deadline")),
            (v.refund_due, _("refund due")),
        ]
        # Each sent letter's reply-by date and the latest contact's follow-up.
        dated += [(d, _("follow-up")) for d in open_follow_ups(v, follow_ups.get(cid, ()))]
        dated += [
            (v.limitation, _("limitation period ends")),
            (v.limitation_restart, _("limitation period ends (restarted)")),
        ]
        for d, label in dated:
            if d is None or not today <= d.on <= end:
                continue
            # The next action's own date is its line already, unless another follow-up
            # falls on it too.
            if d.on == v.next_deadline and (d.kind != "follow_up" or d == v.open_follow_up):
                continue
            text = _("{label}: {value}").format(label=label, value=basis_text(d.basis))
            items.append(AgendaItem(d.on, cid, text + provisional_note(d), False))
    items.sort(key=lambda i: (i.on, i.case_id))
    return items


def agenda(
    views: list[CaseView],
    today: date,
    days: int,
    follow_ups: Mapping[int, Sequence[Deadline]] | None = None,
) -> None:
    from rich.markup import escape

    con = console(soft_wrap=True)
    items = agenda_items(views, today, days, follow_ups)
    con.print(
        _("Agenda from {today} to {end}").format(
            today=today.isoformat(), end=(today + timedelta(days=days)).isoformat()
        ),
        style="bold",
    )
    if not items:
        con.print(_("Nothing due."))
        return
    lines = []
    for i in items:
        when = _("today") if i.on <= today else i.on.isoformat()
        if i.late:
            when = _("late since {date}").format(date=i.on.isoformat())
        lines.append(
            f"[bold]{when}[/bold]  #{i.case_id}  {escape(i.text)}"
            if not i.late
            else f"[bold red]{when}[/bold red]  #{i.case_id}  {escape(i.text)}"
        )
    # One print: a print per line costs about 1.5 ms (thousands of lines took seconds).
    con.print("\n".join(lines))


def show_case(v: CaseView) -> None:
    con = console(soft_wrap=True)
    c = v.facts.case
    f = v.facts
    from rich.markup import escape

    con.print(f"[bold]#{c.id} {escape(c.provider)}[/bold]  {escape(state_label(v.state))}")
    facts = [
        (_("Brand / model"), " ".join(x for x in (c.brand, c.model) if x)),
        (_("Serial"), c.serial),
        (_("Merchant number"), c.merchant_no),
        (
            _("Deposit"),
            _("{amount} ({details})").format(
                amount=fmt_yuan(c.amount),
                details=_(", ").join(
                    [c.paid_on.isoformat(), *([payment_name(c.paid_via)] if c.paid_via else [])]
                ),
            ),
        ),
        (_("Refunded"), fmt_yuan(v.refunded)),
        (_("Outstanding"), fmt_yuan(v.outstanding)),
        (_("Agent"), " ".join(x for x in (c.agent_name, c.agent_phone) if x)),
        (_("Agent company"), c.agent_company),
        (_("Paid to"), _paid_to_text(c.paid_to)),
        (_("Activated"), c.activated_on.isoformat() if c.activated_on else None),
        (_("Condition"), _condition_text(v)),
        (_("Condition as agreed"), c.condition_text),
        (
            _("Progress"),
            _("{volume} yuan, {count} transactions").format(
                volume=v.progress_volume, count=v.progress_count
            )
            if f.progress
            else None,
        ),
        (_("Returned"), c.returned_on.isoformat() if c.returned_on else None),
        (_("Note"), c.note),
    ]
    for label, value in facts:
        if value:
            con.print("  " + _("{label}: {value}").format(label=label, value=value), markup=False)
    con.print(_("Deadlines"), style="bold")
    rows = [
        (_("condition deadline"), v.condition_deadline),
        (_("refund due"), v.refund_due),
        *((_("follow-up"), d) for d in open_follow_ups(v)),
        (_("limitation ends"), v.limitation),
        (_("limitation, restarted"), v.limitation_restart),
    ]
    if v.condition_met_on and v.condition_met_basis:
        met = _(", ").join([v.condition_met_on.isoformat(), basis_text(v.condition_met_basis)])
        con.print("  " + _("{label}: {value}").format(label=_("condition met"), value=met))
    for label, d in rows:
        if d is not None:
            value = _(", ").join([deadline_text(d), basis_text(d.basis)]) + provisional_note(d)
            con.print("  " + _("{label}: {value}").format(label=label, value=value), markup=False)
    if v.state is State.OVERDUE:
        con.print("  " + _("{n} days overdue").format(n=v.days_overdue), markup=False)
    if v.limitation_if_demanded_today is not None:
        con.print(
            "  "
            + _(
                "A provable written demand for the refund restarts the limitation period "
                "({citation}): a demand sent today would move its end to {date}."
            ).format(
                citation=_interrupt_citation(),
                date=v.limitation_if_demanded_today.isoformat(),
            ),
            markup=False,
        )
    con.print(_("Next action"), style="bold")
    con.print("  " + action_text(v.next_action), markup=False)
    con.print(_("Timeline"), style="bold")
    for when, text in timeline(v):
        con.print(f"  {when}  {text}", markup=False)
    if f.history:
        con.print(_("History"), style="bold")
        for h in f.history:
            if h.action in ("void", "unvoid"):
                changes = str(h.changes.get("label", ""))
                if h.changes.get("reason"):
                    changes = _("{label}: {value}").format(label=changes, value=h.changes["reason"])
            elif h.action == "delivered":  # a sent letter's delivery day, old → new
                changes = _("{label}: {value}").format(
                    label=str(h.changes.get("label", "")),
                    value=_change_text(h.action, "delivered_on", h.changes.get("delivered_on")),
                )
            else:
                changes = _("; ").join(_change_text(h.action, k, v) for k, v in h.changes.items())
            con.print(
                f"  {local_time(h.at)}  {h.by or '-'}  {_(action_label(h.action))}  {changes}",
                markup=False,
            )


def local_time(at: datetime) -> str:
    """A stored UTC time in the computer's time zone, to the second, without offset."""
    if at.tzinfo is None:  # stored before times carried their zone: UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _interrupt_citation() -> str:
    from depositctl.data import rules

    return rules()["limitation_interrupt"].citation or ""


def _change_text(action: str, key: str, value: object) -> str:
    """`field: old → new` for an edit, in the user's terms (the field's name in the
    chosen language, yuan rather than the fen column, a choice by its name)."""
    table = ACTION_TABLES.get(action)
    name = _(field_label(table, key.removesuffix("_fen")))
    if action == "add" or not (isinstance(value, list) and len(value) == 2):
        return name

    def shown(v: object) -> str:
        if v is None:
            return "-"
        if key.endswith("_fen") and isinstance(v, int):
            return fmt_yuan(from_fen(v))
        if isinstance(v, str) and key in VALUE_NAMES:
            return VALUE_NAMES[key](v)
        return str(v)

    return _("{label}: {value}").format(label=name, value=f"{shown(value[0])} → {shown(value[1])}")


def _paid_to_text(paid_to: str | None) -> str | None:
    """The name letters use (业务员); in English after the word `--paid-to` takes."""
    from depositctl.core.vocab import PAID_TO_NAMES

    if paid_to is None:
        return None
    name = PAID_TO_NAMES.get(paid_to)
    if language() == "zh" or not name:
        return name or paid_to
    return f"{paid_to} ({name})"


def _condition_text(v: CaseView) -> str:
    cond = v.facts.case.condition
    if cond.kind == "none":
        return _("none: refundable on request")
    if cond.kind == "return":
        return _("refund on return of the terminal")
    if cond.kind == "unknown":
        return _("not recorded (treated as refundable on request)")
    parts = []
    if cond.volume is not None:
        parts.append(_("card volume of {volume} yuan").format(volume=cond.volume))
    if cond.count is not None:
        parts.append(_("{count} transactions").format(count=cond.count))
    if cond.days is not None:
        parts.append(_("within {days} days").format(days=cond.days))
    return _(", ").join(parts)


def _row_event(row: Row) -> tuple[str, int, str]:
    """A recorded row in the timeline: its label first, `void` and the reason if it
    was taken out of the record."""
    if isinstance(row, Progress):
        when, order = row.on.isoformat(), 2
        text = _("card volume {volume} yuan recorded").format(volume=row.volume)
    elif isinstance(row, Contact) and row.letter is not None:
        when, order = row.on.isoformat(), 4
        text = _letter_event(row)
    elif isinstance(row, Contact):
        bits = [channel_label(row.channel)]
        if row.to:
            bits.append(row.to)
        if row.ticket:
            bits.append(_("ticket {ticket}").format(ticket=row.ticket))
        if row.outcome:
            bits.append(outcome_label(row.outcome))
        if row.reason:
            bits.append(_("reason: {reason}").format(reason=row.reason))
        if row.promised_by:
            bits.append(_("promised by {date}").format(date=row.promised_by.isoformat()))
        if row.refund_request:
            bits.append(_("refund requested"))
        if row.incoming:  # a reply of the other side, not a contact of the merchant's
            text = _("← reply: {details}").format(details=", ".join(bits))
        else:
            text = _("contact: {details}").format(details=", ".join(bits))
        if row.summary:
            text += _(" ({note})").format(note=row.summary)
        when = row.on.isoformat() + (f" {row.at_time.strftime('%H:%M')}" if row.at_time else "")
        order = 4
    elif isinstance(row, Evidence):
        when, order = row.added_on.isoformat(), 5
        text = _("evidence added: {name} ({kind}, {sha})").format(
            name=row.name, kind=evidence_kind_name(row.kind), sha=row.sha256[:12]
        )
        if row.dated_on:
            text += ", " + _("dated {date}").format(date=row.dated_on.isoformat())
    else:
        when, order = row.on.isoformat(), 6
        text = _("refund received: {amount}").format(amount=fmt_yuan(row.amount))
    if row.void_reason is not None:
        text = _("[void: {reason}]").format(reason=row.void_reason) + " " + text
    return when, order, f"{row.label}  {text}" if row.label else text


def _letter_event(row: Contact) -> str:
    """A letter recorded by `sent`: `sent: 催告函 (provider), EMS, tracking …, delivered …`
    (寄出：催告函（支付机构），EMS…，单号…，签收…)."""
    from depositctl.core.vocab import RECIPIENT, VIA
    from depositctl.i18n import language

    zh = language() == "zh"
    recipient = RECIPIENT.get(row.letter or "")
    title = recipient.title if recipient is not None and recipient.title else str(row.letter)
    whom = (recipient.zh if zh else recipient.value) if recipient is not None else ""
    bits = [_("{title} to {recipient}").format(title=title, recipient=whom)]
    if row.via:
        bits.append(VIA.zh_name(row.via) if zh else row.via)
    if row.tracking:
        bits.append(_("tracking {number}").format(number=row.tracking))
    if row.delivered_on:
        bits.append(_("delivered {date}").format(date=row.delivered_on.isoformat()))
    else:
        bits.append(_("delivery not yet recorded"))
    if row.refund_request:
        bits.append(_("refund requested"))
    text = _("sent: {details}").format(details=", ".join(bits))
    return text + (_(" ({note})").format(note=row.summary) if row.summary else "")


def timeline(v: CaseView) -> list[tuple[str, str]]:
    """The case's events by date; every recorded row with its label, void ones marked."""
    f = v.facts
    c = f.case
    events: list[tuple[str, int, str]] = [
        (c.paid_on.isoformat(), 0, _("deposit of {amount} paid").format(amount=fmt_yuan(c.amount)))
    ]
    if c.activated_on:
        events.append((c.activated_on.isoformat(), 1, _("terminal activated")))
    if v.condition_met_on:
        events.append((v.condition_met_on.isoformat(), 3, _("condition met")))
    if c.returned_on:
        events.append((c.returned_on.isoformat(), 3, _("terminal returned")))
    for row in (*f.progress, *f.contacts, *f.evidence, *f.refunds, *f.voided):
        events.append(_row_event(row))
    if c.closed_on:
        events.append(
            (
                c.closed_on.isoformat(),
                7,
                _("closed ({reason})").format(reason=close_reason_name(c.close_reason or "")),
            )
        )
    events.sort(key=lambda e: (e[0], e[1]))
    return [(w, t) for w, _k, t in events]
