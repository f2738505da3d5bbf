"""Render pages 1 and 2 of each recipient's PDF letter of the demo ledger to PNG, to look at.

    .venv/bin/python docs/render_pngs.py            # writes docs/letter-<recipient>.png

For every recipient in `core.vocab.RECIPIENTS` (new recipients are picked up as they are
added), the demo ledger's case 1 is written as a PDF by the installed `depositctl` (as a
merchant would run it, as of 2026-11-24 like the golden letters), then pages 1 and 2 are
rasterised with poppler's `pdftoppm` (pypdfium2 where it is installed, if pdftoppm is not)
and put side by side in one PNG. Not a test: look at the pictures.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from PIL import Image

from depositctl import data
from depositctl.core.vocab import RECIPIENTS
from depositctl.store.casefile import load_casefile, read_casefile
from depositctl.store.ledger import open_ledger

TODAY = "2026-11-24"
HERE = Path(__file__).resolve().parent


def demo_ledger(db: Path) -> None:
    example = data.path("examples", "demo-ledger.toml")
    led = open_ledger(db)
    try:
        load_casefile(led, read_casefile(example), example.parent, date.fromisoformat(TODAY))
    finally:
        led.close()


def pages(pdf: Path, dpi: int) -> list[Image.Image]:
    """Pages 1 and 2 (or 1 alone) as images."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is not None:
        prefix = pdf.with_suffix("")
        subprocess.run(
            [pdftoppm, "-f", "1", "-l", "2", "-r", str(dpi), "-png", str(pdf), str(prefix)],
            check=True,
        )
        return [Image.open(p) for p in sorted(pdf.parent.glob(f"{prefix.name}-*.png"))]
    try:
        import pypdfium2
    except ImportError:
        sys.exit("needs poppler's pdftoppm (apt-get install poppler-utils) or pypdfium2")
    doc = pypdfium2.PdfDocument(str(pdf))
    return [doc[i].render(scale=dpi / 72).to_pil() for i in range(min(2, len(doc)))]


def side_by_side(images: list[Image.Image]) -> Image.Image:
    gap = 16
    width = sum(i.width for i in images) + gap * (len(images) + 1)
    height = max(i.height for i in images) + 2 * gap
    sheet = Image.new("RGB", (width, height), (200, 200, 200))
    x = gap
    for image in images:
        sheet.paste(image, (x, gap))
        x += image.width + gap
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the PNGs")
    parser.add_argument("--dpi", type=int, default=72)
    parser.add_argument("--case", default="1")
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("depositctl")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "ledger.db"
        demo_ledger(db)
        for recipient in RECIPIENTS:
            pdf = folder / f"{recipient}.pdf"
            cmd = [str(exe), "--db", str(db), "--today", TODAY, "--lang", "zh"]
            cmd += ["letter", args.case, "--to", recipient, "-o", str(pdf)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{recipient}: no letter: {done.stderr.strip()}")
                continue
            target = args.out / f"letter-{recipient}.png"
            side_by_side(pages(pdf, args.dpi)).convert("L").save(target, optimize=True)
            print(f"{recipient}: {target}")


if __name__ == "__main__":
    main()
