"""`letter`, `bundle`, `ics`: the complaint letter, the submission zip, the calendar file."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from depositctl.cli.context import env, err, out, parse_id
from depositctl.cli.options import case_id_arg
from depositctl.i18n import _

if TYPE_CHECKING:
    from depositctl.core.letter_checks import Notice


def warn(notices: "list[Notice]") -> None:
    from depositctl.render.text import notice_text

    for n in notices:
        err(_("Warning: {message}").format(message=notice_text(n)))


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """Write `path` the one way every output file is written (ops.output)."""
    from depositctl.ops.output import output_file

    with output_file(path) as fh:
        yield fh


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_file(path) as fh:
        fh.write(data)


def font_option() -> typer.models.OptionInfo:
    info: typer.models.OptionInfo = typer.Option(
        "--font",
        envvar="DEPOSITCTL_FONT",
        help=_("A Chinese TrueType font (.ttf/.ttc) to embed in the PDF"),
        show_default=False,
    )
    return info


def register(app: typer.Typer) -> None:
    from depositctl.core.vocab import RECIPIENT

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
                help=_("Recipient, one of: {choices}").format(choices=RECIPIENT.choices_text()),
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
        from depositctl.ops.letters import letter as make_letter

        result = make_letter(env(ctx), parse_id(case_id), to, fmt, output, font)
        warn(result.notices)
        if result.target is None:
            sys.stdout.write(result.data.decode("utf-8"))
            return
        write_bytes(result.target, result.data)
        out(_("Letter written to {path}").format(path=result.target))

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
        from depositctl.ops.letters import bundle as make_bundle
        from depositctl.render.bundle import write_bundle

        result = make_bundle(env(ctx), parse_id(case_id), output, to, font)
        warn(result.notices)
        with atomic_file(result.target) as fh:
            rows = write_bundle(
                fh, result.view, result.letters, result.evidence_files, result.recipient
            )
        evidence = sum(1 for r in rows if r["kind"] != "letter")
        out(
            _("Bundle written to {path}: {recipient} letter, {n} evidence files, manifest").format(
                path=result.target, recipient=result.recipient, n=evidence
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
        from depositctl.ops.letters import ics as upcoming_deadlines
        from depositctl.render.ics import calendar_bytes

        result = upcoming_deadlines(env(ctx), output)
        data = calendar_bytes(result.entries, __version__)
        if result.target is None:
            sys.stdout.write(data.decode("utf-8"))
            return
        write_bytes(result.target, data)
        out(_("{n} deadlines written to {path}").format(n=len(result.entries), path=result.target))
