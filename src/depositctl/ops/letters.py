"""Letters, bundles and the calendar: `letter`, `bundle`, `ics`.

Each checks the request (recipient, format, where the output goes, the font) in the
order the CLI always has, reads the case, runs the letter checks of core and renders
the letter; it returns the files and the notices, and the CLI prints and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from depositctl.core.caseview import CaseView
from depositctl.core.errors import N_, UserError
from depositctl.core.letter_checks import (
    PROVIDER,
    LetterOptions,
    Notice,
    Respondents,
    letter_notices,
    letter_refusals,
    respondents_for,
)
from depositctl.core.models import Profile
from depositctl.core.vocab import FILE_FORMATS, FORMATS, RECIPIENT, VIA
from depositctl.ops.env import Env, evaluator, opened
from depositctl.render.recipient_context import (
    RecipientOptions,
    check_options,
    recipient_notes,
    recipient_refusals,
)
from depositctl.store.providers import load_providers

if TYPE_CHECKING:
    from depositctl.core.evaluator import Evaluator
    from depositctl.render.ics import Entry

#: The letter a bundle holds unless the recipient is given: the `next` channel's letter
#: (by the code of the case's next action, core/channels); any other action, the
#: provider's 催告函 included (`write_demand`), gets the provider's letter. Never a report
#: or the court's statement of claim, even when the court is next (`file_court`): suing is
#: a deliberate step, and `bundle --to court --court NAME` names it.
BUNDLE_DEFAULT = {
    "file_12363": "12363",
}
#: What a letter is written as when neither the format nor the output's suffix says.
DEFAULT_FORMAT = "md"
#: The formats of the letter in a bundle, in the bundle's order.
BUNDLE_FORMATS = ("pdf", "docx")


def check_choice(value: str, choices: tuple[str, ...], template: str) -> str:
    v = value.strip().lower()
    if v not in choices:
        raise UserError(template, value=value, choices=", ".join(choices))
    return v


def check_recipient(value: str) -> str:
    found = RECIPIENT.find(value)  # the value, its Chinese name or an alias (消协)
    if found is None:
        raise UserError(
            N_("Unknown recipient: {value} (choose one of: {choices})"),
            value=value,
            choices=RECIPIENT.choices_text(),
        )
    return found


def check_via(value: str | None, recipient: str) -> str | None:
    """`--via`: how the provider's demand is sent (a VIA value, its Chinese name or an
    alias); the other letters go through the recipient's own channel and take none."""
    if value is None:
        return None
    if recipient != PROVIDER:
        raise UserError(
            N_("--via says how the provider letter is sent; the {recipient} letter takes none"),
            recipient=recipient,
        )
    found = VIA.find(value)
    if found is None:
        raise UserError(
            N_("Unknown way of sending: {value} (choose one of: {choices})"),
            value=value,
            choices=VIA.choices_text(),
        )
    return found


def letter_format(fmt: str | None, output: Path | None) -> str:
    """`--format`, else the output's suffix, else Markdown; a document format needs an
    output file, and an output file's suffix (if any) must be the format's (x.doc is
    refused, not filled with Markdown)."""
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if suffix and suffix not in FORMATS:
        raise UserError(
            N_("Cannot write a letter as .{suffix}: the formats are {choices}"),
            suffix=suffix,
            choices=", ".join(FORMATS),
        )
    if fmt is None:
        fmt = suffix or DEFAULT_FORMAT
    form = check_choice(fmt, FORMATS, N_("Unknown format: {value} (choose one of: {choices})"))
    if suffix and suffix != form:
        raise UserError(
            N_("{path} ends in .{suffix}, but the format is {format}"),
            path=str(output),
            suffix=suffix,
            format=form,
        )
    if form in FILE_FORMATS and output is None:
        raise UserError(N_("--format {format} needs -o FILE"), format=form)
    return form


def check_output(path: Path) -> Path:
    """The target's folder must exist and the target must not be a folder."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(N_("No such folder: {path}"), path=str(folder))
    if path.is_dir():
        raise UserError(N_("That is a folder, not a file: {path}"), path=str(path))
    from depositctl.store.outfile import check_target

    return check_target(path)  # a symlink or block device: refused before any work


def check_font(font: Path | None) -> None:
    if font is not None and not font.is_file():
        raise UserError(N_("No such font file: {path}"), path=str(font))


@dataclass(frozen=True)
class Letter:
    """One case's letter to one recipient, and what it lacks (checks first, then how the
    files were made)."""

    recipient: str
    format: str
    files: dict[str, bytes]
    notices: list[Notice]
    #: Where it goes (checked); None: to stdout.
    target: Path | None = None
    #: What to know about the route (which court, the fee; a report brings no refund).
    notes: list[Notice] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        return self.files[self.format]


def letter(
    env: Env,
    case_id: int,
    recipient: str,
    fmt: str | None = None,
    output: Path | None = None,
    font: Path | None = None,
    options: RecipientOptions | None = None,
    footer: bool = True,
    force: bool = False,
    via: str | None = None,
) -> Letter:
    """`letter`: the letter of `case_id` for `recipient` in one format (`options`: the
    court letter's `--court` and `--also-agent`). A letter the checks refuse
    (`letter_refusals`, `recipient_refusals`) raises before anything is written; `force`
    lets a letter to a third party be written before the refund is due (it then says so)."""
    recipient = check_recipient(recipient)
    check_options(recipient, options)
    how = check_via(via, recipient)
    form = letter_format(fmt, output)
    target = check_output(output) if output is not None else None
    check_font(font)
    with opened(env) as led:
        ev = evaluator(env, led)
        view = ev(led.facts(case_id))
        profile = led.profile()
        respondents = respondents_for(view.facts.case, load_providers(led))
        head = led.head()
    letter_options = LetterOptions(force=force, via=how, grace_days=ev.grace_days, ledger_head=head)
    refusals = letter_refusals(view, recipient, ev.rules, respondents, profile, force)
    refusals += recipient_refusals(view, recipient, respondents, options)
    if refusals:
        raise UserError(refusals[0].text, **refusals[0].params)
    files, notices = _letter_files(
        view, profile, ev, recipient, (form,), font, respondents, letter_options, options, footer
    )
    notes = recipient_notes(view, profile, ev.rules, recipient, respondents)
    return Letter(recipient, form, files, notices, target, notes)


@dataclass(frozen=True)
class Bundle:
    """What the submission zip holds: the letter files (named by the letter's title),
    each evidence id's file in the store, and the notices of the letter."""

    view: CaseView
    recipient: str
    letters: list[tuple[str, bytes]]
    evidence_files: dict[int, Path]
    notices: list[Notice]
    target: Path
    notes: list[Notice] = field(default_factory=list)
    #: The ledger's history count and last hash (for the manifest).
    head: tuple[int, str | None] | None = None


def bundle(
    env: Env,
    case_id: int,
    output: Path,
    recipient: str | None = None,
    font: Path | None = None,
    options: RecipientOptions | None = None,
    footer: bool = True,
    force: bool = False,
) -> Bundle:
    """`bundle`: the letter (to `recipient`, by default the next step of the case) as pdf
    and docx, with the evidence files to put beside it. The default is never a report
    (12315-report, pcac) or the court's statement of claim: those are deliberate steps,
    bundled only when `--to` names them.

    The letter checks apply as to `letter`: a recipient given with `--to` that they
    refuse is refused (nothing written); a default recipient they refuse gives way to
    the provider letter (always written), with a notice saying why."""
    from depositctl.store.evidence import blob_path

    chosen = check_recipient(recipient) if recipient is not None else None
    check_options(chosen or "", options)
    target = check_output(output)
    check_font(font)
    with opened(env) as led:
        ev = evaluator(env, led)
        view = ev(led.facts(case_id))
        profile = led.profile()
        store = led.evidence_dir
        respondents = respondents_for(view.facts.case, load_providers(led))
        head = led.head()
    skipped: list[Notice] = []
    if chosen is None:
        chosen = BUNDLE_DEFAULT.get(view.next_action.code, PROVIDER)
        refused = letter_refusals(view, chosen, ev.rules, respondents, profile, force)
        if refused:
            skipped = [_instead_of(refused[0], chosen)]
            chosen = PROVIDER
    refusals = letter_refusals(view, chosen, ev.rules, respondents, profile, force)
    refusals += recipient_refusals(view, chosen, respondents, options)
    if refusals:
        raise UserError(refusals[0].text, **refusals[0].params)
    letter_options = LetterOptions(force=force, grace_days=ev.grace_days, ledger_head=head)
    files, notices = _letter_files(
        view,
        profile,
        ev,
        chosen,
        BUNDLE_FORMATS,
        font,
        respondents,
        letter_options,
        options,
        footer,
    )
    title = RECIPIENT[chosen].title
    return Bundle(
        view=view,
        recipient=chosen,
        letters=[(f"{title}.{fmt}", data) for fmt, data in files.items()],
        evidence_files={e.id: blob_path(store, e.sha256) for e in view.facts.evidence},
        notices=[*skipped, *notices],
        target=target,
        notes=recipient_notes(view, profile, ev.rules, chosen, respondents),
        head=head,
    )


def _instead_of(refusal: Notice, recipient: str) -> Notice:
    """The notice of a bundle whose default letter is refused: why, and what instead."""
    return Notice(
        "bundle_instead",
        N_("{reason}; the bundle holds the provider letter instead"),
        {"id": refusal.params.get("id"), "reason": refusal, "recipient": recipient},
    )


def _letter_files(
    view: CaseView,
    profile: Profile,
    ev: Evaluator,
    recipient: str,
    formats: tuple[str, ...],
    font: Path | None,
    respondents: Respondents,
    options: LetterOptions,
    recipient_options: RecipientOptions | None = None,
    footer: bool = True,
) -> tuple[dict[str, bytes], list[Notice]]:
    """The letter in each format, and its notices: what it lacks first, then how it was
    made (a PDF without an embedded font). The caller has run `letter_refusals`."""
    from depositctl.render.letters import letter_files

    checks = letter_notices(view, profile, recipient, ev.rules, ev.calendar, respondents)
    files, made = letter_files(
        view,
        profile,
        ev.rules,
        ev.calendar,
        recipient,
        formats,
        font,
        respondents,
        options,
        recipient_options,
        footer,
    )
    return files, [*checks, *made]


@dataclass(frozen=True)
class Calendar:
    """`ics`: every upcoming deadline of the open cases, by date, and where it goes."""

    entries: list[Entry]
    #: Where it goes (checked); None: to stdout.
    target: Path | None = None


def ics(env: Env, output: Path | None = None) -> Calendar:
    """`ics`: the deadlines on or after today of every open case."""
    from depositctl.ops.views import case_views
    from depositctl.render.ics import upcoming

    target = check_output(output) if output is not None else None
    with opened(env) as led:
        views = case_views(led, evaluator(env, led))
    return Calendar(upcoming(views, env.today), target)
