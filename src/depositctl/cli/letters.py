"""`letter`, `bundle`, `ics`: the complaint letter, the submission zip, the calendar file."""

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from depositctl.cli.context import err, evaluator, ledger, out, parse_id, settings
from depositctl.cli.options import case_id_arg
from depositctl.core.errors import N_, UserError
from depositctl.i18n import _

if TYPE_CHECKING:
    from depositctl.core.deadlines import CaseView
    from depositctl.core.evaluator import Evaluator
    from depositctl.core.models import Profile
    from depositctl.render.letters import Notice

RECIPIENTS = ("consumer-association", "12315", "12363", "provider")
FORMATS = ("md", "txt", "docx", "pdf")
#: The letter a bundle holds unless --to says otherwise: the next step of the ladder.
BUNDLE_DEFAULT = {
    "file_12315": "12315",
    "write_consumer_association": "consumer-association",
    "file_12363": "12363",
    "small_claims": "12363",
}


def warn(notices: "list[Notice]") -> None:
    for n in notices:
        text = _(n.text).format(**n.params)
        err(_("Warning: {message}").format(message=text))


def check_choice(value: str, choices: tuple[str, ...], template: str) -> str:
    v = value.strip().lower()
    if v not in choices:
        raise UserError(template, value=value, choices=", ".join(choices))
    return v


def check_recipient(value: str) -> str:
    return check_choice(
        value, RECIPIENTS, N_("Unknown recipient: {value} (choose one of: {choices})")
    )


def check_output(path: Path) -> Path:
    """The target's folder must exist and the target must not be a folder."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(N_("No such folder: {path}"), path=str(folder))
    if path.is_dir():
        raise UserError(N_("That is a folder, not a file: {path}"), path=str(path))
    return path


def check_font(font: Path | None) -> None:
    if font is not None and not font.is_file():
        raise UserError(N_("No such font file: {path}"), path=str(font))


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside `path`, then rename it into place (never half-written)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(
            N_("Cannot write {path}: {reason}"), path=str(path), reason=exc.strerror
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(
            N_("Cannot write {path}: {reason}"), path=str(path), reason=exc.strerror
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_file(path) as fh:
        fh.write(data)


def letter_bytes(
    view: "CaseView",
    profile: "Profile",
    ev: "Evaluator",
    recipient: str,
    forms: tuple[str, ...],
    font: Path | None = None,
) -> dict[str, bytes]:
    """The letter in each of `forms`; what it lacks (and how it was made) warned first."""
    from depositctl.render.letters import letter_files, letter_notices

    warn(letter_notices(view, profile, recipient, ev.rules))
    files, notices = letter_files(view, profile, ev.rules, ev.calendar, recipient, forms, font)
    warn(notices)
    return files


def font_option() -> typer.models.OptionInfo:
    info: typer.models.OptionInfo = typer.Option(
        "--font",
        envvar="DEPOSITCTL_FONT",
        help=_("A Chinese TrueType font (.ttf/.ttc) to embed in the PDF"),
        show_default=False,
    )
    return info


def register(app: typer.Typer) -> None:
    @app.command(
        "letter",
        help=_(
            "Write the complaint letter of one case, in Chinese, for one recipient: "
            "consumer-association, 12315, 12363 or provider. Missing facts are listed as "
            "warnings first.\n\n"
            "Examples: depositctl letter 1 --to consumer-association; "
            "depositctl letter 1 --to provider --format pdf -o 催告函.pdf"
        ),
    )
    def letter(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        to: Annotated[
            str,
            typer.Option(
                "--to",
                help=_("Recipient: consumer-association, 12315, 12363 or provider"),
                show_default=False,
            ),
        ],
        fmt: Annotated[
            str | None,
            typer.Option(
                "--format",
                "-f",
                help=_("md, txt, docx or pdf (default: from the -o suffix, else md)"),
                show_default=False,
            ),
        ] = None,
        output: Annotated[
            Path | None,
            typer.Option(
                "--output",
                "-o",
                help=_("Write to this file (needed for docx and pdf)"),
                show_default=False,
            ),
        ] = None,
        font: Annotated[Path | None, font_option()] = None,
    ) -> None:
        cid = parse_id(case_id)
        recipient = check_recipient(to)
        if fmt is None:
            suffix = output.suffix.lower().lstrip(".") if output is not None else ""
            fmt = suffix if suffix in FORMATS else "md"
        form = check_choice(fmt, FORMATS, N_("Unknown format: {value} (choose one of: {choices})"))
        if form in ("docx", "pdf") and output is None:
            raise UserError(N_("--format {format} needs -o FILE"), format=form)
        target = check_output(output) if output is not None else None
        check_font(font)

        led = ledger(ctx)
        ev = evaluator(ctx, led)
        view = ev(led.facts(cid))
        data = letter_bytes(view, led.profile(), ev, recipient, (form,), font)[form]
        if target is None:
            sys.stdout.write(data.decode("utf-8"))
            return
        write_bytes(target, data)
        out(_("Letter written to {path}").format(path=target))

    @app.command(
        "bundle",
        help=_(
            "A zip for submission: the letter as pdf and docx, every evidence file "
            "(numbered as in the letter) and a manifest of SHA-256 sums. The letter is for "
            "--to, by default the next step the case's next action names.\n\n"
            "Example: depositctl bundle 1 -o case1.zip"
        ),
    )
    def bundle(
        ctx: typer.Context,
        case_id: Annotated[str, case_id_arg()],
        output: Annotated[
            Path,
            typer.Option("--output", "-o", help=_("The zip file to write"), show_default=False),
        ],
        to: Annotated[
            str | None,
            typer.Option(
                "--to",
                help=_("Recipient of the letter (default: from the next action, else provider)"),
                show_default=False,
            ),
        ] = None,
        font: Annotated[Path | None, font_option()] = None,
    ) -> None:
        from depositctl.render.bundle import write_bundle
        from depositctl.render.letters import TITLES

        cid = parse_id(case_id)
        recipient = check_recipient(to) if to is not None else None
        target = check_output(output)
        check_font(font)
        led = ledger(ctx)
        ev = evaluator(ctx, led)
        view = ev(led.facts(cid))
        if recipient is None:
            recipient = BUNDLE_DEFAULT.get(view.next_action.code, "provider")
        profile = led.profile()
        files = letter_bytes(view, profile, ev, recipient, ("pdf", "docx"), font)
        title = TITLES[recipient]
        letters = [(f"{title}.{fmt}", data) for fmt, data in files.items()]
        with atomic_file(target) as fh:
            rows = write_bundle(fh, view, letters, led.evidence_dir, recipient)
        evidence = sum(1 for r in rows if r["kind"] != "letter")
        out(
            _("Bundle written to {path}: {recipient} letter, {n} evidence files, manifest").format(
                path=target, recipient=recipient, n=evidence
            )
        )

    @app.command(
        "ics",
        help=_(
            "Every upcoming deadline of the open cases as an iCalendar file, one all-day "
            "event each with a reminder the day before; importing it again updates the "
            "events.\n\nExamples: depositctl ics -o deposits.ics; depositctl ics > deposits.ics"
        ),
    )
    def ics(
        ctx: typer.Context,
        output: Annotated[
            Path | None,
            typer.Option(
                "--output", "-o", help=_("Write to this file (default: stdout)"), show_default=False
            ),
        ] = None,
    ) -> None:
        from depositctl import __version__
        from depositctl.ops.views import case_views
        from depositctl.render.ics import calendar_bytes, upcoming

        target = check_output(output) if output is not None else None
        led = ledger(ctx)
        views = case_views(led, evaluator(ctx, led))
        entries = upcoming(views, settings(ctx).today)
        data = calendar_bytes(entries, __version__)
        if target is None:
            sys.stdout.write(data.decode("utf-8"))
            return
        write_bytes(target, data)
        out(_("{n} deadlines written to {path}").format(n=len(entries), path=target))
