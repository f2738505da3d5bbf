"""Letters, bundles and the calendar: `letter`, `bundle`, `ics`.

Each checks the request (recipient, format, where the output goes, the font) in the
order the CLI always has, reads the case, runs the letter checks of core and renders
the letter; it returns the files and the notices, and the CLI prints and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from depositctl.core.caseview import CaseView
from depositctl.core.errors import N_, UserError
from depositctl.core.letter_checks import (
    Notice,
    Respondents,
    letter_notices,
    letter_refusals,
    respondents_for,
)
from depositctl.core.models import Profile
from depositctl.core.vocab import FILE_FORMATS, FORMATS, RECIPIENT
from depositctl.ops.env import Env, evaluator, opened
from depositctl.store.providers import load_providers

if TYPE_CHECKING:
    from depositctl.core.evaluator import Evaluator
    from depositctl.render.ics import Entry

#: The letter a bundle holds unless the recipient is given: the next step of the ladder
#: (by the code of the case's next action); any other action gets the provider's letter.
BUNDLE_DEFAULT = {
    "file_12315": "12315",
    "write_consumer_association": "consumer-association",
    "file_12363": "12363",
    "small_claims": "12363",
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


def letter_format(fmt: str | None, output: Path | None) -> str:
    """`--format`, else the output's suffix if it names a format, else Markdown; a
    document format needs an output file."""
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        fmt = suffix if suffix in FORMATS else DEFAULT_FORMAT
    form = check_choice(fmt, FORMATS, N_("Unknown format: {value} (choose one of: {choices})"))
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
) -> Letter:
    """`letter`: the letter of `case_id` for `recipient` in one format."""
    recipient = check_recipient(recipient)
    form = letter_format(fmt, output)
    target = check_output(output) if output is not None else None
    check_font(font)
    with opened(env) as led:
        ev = evaluator(env, led)
        view = ev(led.facts(case_id))
        profile = led.profile()
        respondents = respondents_for(view.facts.case, load_providers(led))
    files, notices = _letter_files(view, profile, ev, recipient, (form,), font, respondents)
    return Letter(recipient, form, files, notices, target)


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


def bundle(
    env: Env,
    case_id: int,
    output: Path,
    recipient: str | None = None,
    font: Path | None = None,
) -> Bundle:
    """`bundle`: the letter (to `recipient`, by default the next step of the case) as pdf
    and docx, with the evidence files to put beside it."""
    from depositctl.store.evidence import blob_path

    chosen = check_recipient(recipient) if recipient is not None else None
    target = check_output(output)
    check_font(font)
    with opened(env) as led:
        ev = evaluator(env, led)
        view = ev(led.facts(case_id))
        profile = led.profile()
        store = led.evidence_dir
        respondents = respondents_for(view.facts.case, load_providers(led))
    if chosen is None:
        chosen = BUNDLE_DEFAULT.get(view.next_action.code, "provider")
    files, notices = _letter_files(view, profile, ev, chosen, BUNDLE_FORMATS, font, respondents)
    title = RECIPIENT[chosen].title
    return Bundle(
        view=view,
        recipient=chosen,
        letters=[(f"{title}.{fmt}", data) for fmt, data in files.items()],
        evidence_files={e.id: blob_path(store, e.sha256) for e in view.facts.evidence},
        notices=notices,
        target=target,
    )


def _letter_files(
    view: CaseView,
    profile: Profile,
    ev: Evaluator,
    recipient: str,
    formats: tuple[str, ...],
    font: Path | None,
    respondents: Respondents,
) -> tuple[dict[str, bytes], list[Notice]]:
    """The letter in each format, and its notices: what it lacks first, then how it was
    made (a PDF without an embedded font). A letter the recipient would refuse outright
    (`letter_refusals`: no address for the respondent) is not rendered at all."""
    from depositctl.render.letters import letter_files

    refusals = letter_refusals(view, recipient, ev.rules, respondents)
    if refusals:
        raise UserError(refusals[0].text, **refusals[0].params)
    checks = letter_notices(view, profile, recipient, ev.rules, ev.calendar, respondents)
    files, made = letter_files(
        view, profile, ev.rules, ev.calendar, recipient, formats, font, respondents
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
