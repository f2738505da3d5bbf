"""The submission bundle: letter (pdf, docx), every evidence file, a manifest of SHA-256 sums.

Evidence is streamed from its file in the store (the caller says where each one is) and
hashed on the way into the zip, numbered in the letter's order;
a file whose hash no longer matches the ledger stops the bundle (nothing is written).
Non-ASCII names get the zip's UTF-8 flag (Python's zipfile sets it for them).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from depositctl.core.caseview import CaseView
from depositctl.core.errors import N_, UserError
from depositctl.core.letter_checks import evidence_in_order

CHUNK = 1024 * 1024
EVIDENCE_FOLDER = "证据"


def entry_name(name: str) -> str:
    """A name as one zip entry component: no path separators, no control, format or line
    separator characters, no leading dots (so never `..`), at most 200 characters."""

    def clean(ch: str) -> str:
        cat = unicodedata.category(ch)
        if ch in "/\\:" or cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return "_"
        return " " if cat == "Zs" else ch

    cleaned = "".join(clean(ch) for ch in name).strip().lstrip(".").strip()
    return cleaned[:200] or "file"


def evidence_path(number: int, name: str) -> str:
    """`证据/01-首刷扣押金凭证.txt`: numbered as in the letter's evidence list; the name
    as one safe component (`entry_name`), so no entry leaves the zip's folder."""
    return f"{EVIDENCE_FOLDER}/{number:02d}-{entry_name(name)}"


def _open_blob(blob: Path, size: int) -> IO[bytes] | None:
    """The stored file, if it is a regular file (a symlink is not followed) of the
    recorded size; None if it is missing or anything else (a device, a FIFO, a link)."""
    try:
        fd = os.open(
            blob, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        return None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_size != size:
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")


def _info(path: str, today: date) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=(today.year, today.month, today.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def write_bundle(
    out: IO[bytes],
    view: CaseView,
    letters: Sequence[tuple[str, bytes]],
    evidence_files: Mapping[int, Path],
    recipient: str,
    head: tuple[int, str | None] | None = None,
) -> list[dict[str, Any]]:
    """Write the zip to `out` (`evidence_files`: each evidence id's file in the store;
    `head`: the ledger's history count and last hash, recorded in the manifest so the
    bundle proves the ledger's state that day); return the manifest rows."""
    today = view.today
    rows: list[dict[str, Any]] = []
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in letters:
            zf.writestr(_info(name, today), data)
            rows.append(
                {
                    "path": name,
                    "number": None,
                    "name": name,
                    "kind": "letter",
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "added_on": today.isoformat(),
                    "note": None,
                }
            )
        for number, e in enumerate(evidence_in_order(view), 1):
            path = evidence_path(number, e.name)
            blob = evidence_files[e.id]
            digest = hashlib.sha256()
            size = 0
            src = _open_blob(blob, e.size)
            if src is None:
                raise UserError(
                    N_(
                        "Evidence file {name} of #{id} is missing from the store, or is not "
                        "the regular file of the size and SHA-256 the ledger recorded; run "
                        "depositctl check"
                    ),
                    name=entry_name(e.name),
                    id=view.id,
                )
            with src, zf.open(_info(path, today), "w") as dst:
                while size < e.size and (chunk := src.read(min(CHUNK, e.size - size))):
                    digest.update(chunk)
                    dst.write(chunk)
                    size += len(chunk)
            if digest.hexdigest() != e.sha256:
                raise UserError(
                    N_(
                        "Evidence file {name} of #{id} no longer matches its SHA-256; "
                        "run depositctl check"
                    ),
                    name=entry_name(e.name),
                    id=view.id,
                )
            rows.append(
                {
                    "path": path,
                    "number": number,
                    "name": e.name,
                    "kind": e.kind,
                    "size": size,
                    "sha256": e.sha256,
                    "added_on": e.added_on.isoformat(),
                    "note": e.note,
                }
            )
        manifest = {
            "case_id": view.id,
            "provider": view.facts.case.provider,
            "recipient": recipient,
            "created_on": today.isoformat(),
            **({"ledger_head": {"count": head[0], "hash": head[1]}} if head is not None else {}),
            "files": rows,
        }
        zf.writestr(
            _info("manifest.json", today),
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
        )
        zf.writestr(_info("manifest.txt", today), manifest_text(manifest))
    return rows


def manifest_text(manifest: dict[str, Any]) -> str:
    """One line per file: path, kind, size, SHA-256 (tab-separated, UTF-8), under a
    header and column labels in the chosen language; a kind by its name."""
    from depositctl.i18n import _
    from depositctl.render.text import evidence_kind_name

    head = [
        _("depositctl evidence bundle: #{id} {provider}, {date}").format(
            id=manifest["case_id"], provider=manifest["provider"], date=manifest["created_on"]
        ),
    ]
    if manifest.get("ledger_head"):
        head.append(
            _("ledger state: {count} history entries, last {hash}").format(
                count=manifest["ledger_head"]["count"], hash=manifest["ledger_head"]["hash"]
            )
        )
    head.append("\t".join((_("file"), _("kind"), _("size (bytes)"), "SHA-256")))

    def kind(value: str) -> str:
        return _("letter") if value == "letter" else evidence_kind_name(value)

    lines = [
        f"{r['path']}\t{kind(r['kind'])}\t{r['size']}\t{r['sha256']}" for r in manifest["files"]
    ]
    return "\n".join(head + lines) + "\n"
