"""Render the README pictures of the printed stock documents from the real services.

    .venv/bin/python docs/make_stock_pdfs.py [--lang id|en] [--out docs]

A fresh demo booth in a temporary directory: Lapas Kupang delivers goods (tanda terima), the
booth sells, a count finds differences (variance report, approved with reasons), price tags
are printed for three products (one EAN-13, one handmade piece with a Code 128 tag of its
SKU, one painting made on the spot with an in-store EAN-13), and at close-out the rest goes
back (surat retur). Each PDF's first page goes through ``pdftoppm`` into ``--out``:
docs/tanda-terima.png, docs/variance-report.png, docs/price-tags.png, docs/surat-retur.png.
Nothing is written outside ``--out``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from pos_app import i18n
from pos_app.domain.tenders import Method, Tender
from pos_app.i18n import _
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.clock import FixedClock
from pos_app.services.setup.setup import init_booth
from pos_app.services.shift import shifts
from pos_app.services.stock.stock_counts import approve_count, enter_counts, start_count
from pos_app.services.stock.stock_docs import receive, return_goods
from pos_app.services.stock.stock_print import (
    save_labels_pdf,
    save_stock_document_pdf,
    save_variance_pdf,
)

BOSS = {"actor": "Maria", "actor_role": "coordinator"}


def pdf_to_png(pdf: Path, png: Path, dpi: int) -> Path:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", "-l", "1",
                    str(pdf), str(png.with_suffix(""))], check=True)
    return png


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="id")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = parser.parse_args()
    i18n.set_language(args.lang)
    lang = i18n.language()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ.setdefault("LAPAK_SECRETS_DIR", str(work / "secrets"))
        booth, _summary = init_booth(work / "booth.db", demo=True)
        booth.close()
        clock = FixedClock(datetime(2026, 11, 21, 1, 15, tzinfo=UTC))  # 09:15 WITA
        booth = Booth.open(work / "booth.db", clock=clock)
        try:
            painting = create_product(booth, name="Lukisan Senja di Lasiana 60x90",
                                      facility_code="LP-KPG", category_code="lukisan",
                                      price=1_750_000, **BOSS)
            tt = receive(booth, "LP-KPG", [("KER-001", 2), ("MIN-002", 12), ("ANY-007", 10),
                                           ("MAK-005", 24), (painting.sku, 1)],
                         reference="SJ/LP-KPG/XI/2026/031", **BOSS)
            save_stock_document_pdf(booth, tt.number, work / "tt.pdf", translate=_,
                                    language=lang)
            clock.current = datetime(2026, 11, 21, 4, 0, tzinfo=UTC)
            shift = shifts.open_shift(booth, "Kasir", 200_000)
            for sku, qty in (("MIN-002", 3), ("MAK-005", 6), (painting.sku, 1), ("KER-001", 1)):
                checkout(booth, SaleRequest(items=(SaleItem(qty, sku=sku),),
                                            tenders=(Tender(Method.CASH, 10**8),),
                                            shift_id=shift.id))
            clock.current = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
            so = start_count(booth, "LP-KPG", **BOSS)
            enter_counts(booth, so.number, [("MIN-002", 16), ("MAK-005", 66), ("ANY-007", 26),
                                            ("KER-001", 4), ("ANY-003", 25)], **BOSS)
            approve_count(booth, so.number, reasons={"MIN-002": "damaged"}, **BOSS)
            save_variance_pdf(booth, so.number, work / "so.pdf", translate=_, language=lang)
            save_labels_pdf(booth, [("MIN-002", 3), ("KER-001", 3), (painting.sku, 3)],
                            work / "tags.pdf")
            clock.current = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
            sr = return_goods(booth, "LP-KPG", reference="BA/RETUR/LP-KPG/07", **BOSS)
            save_stock_document_pdf(booth, sr.number, work / "sr.pdf", translate=_,
                                    language=lang)
        finally:
            booth.close()
        args.out.mkdir(parents=True, exist_ok=True)
        for pdf, name, dpi in (("tt.pdf", "tanda-terima.png", 80),
                               ("so.pdf", "variance-report.png", 80),
                               ("tags.pdf", "price-tags.png", 80),
                               ("sr.pdf", "surat-retur.png", 80)):
            print(pdf_to_png(work / pdf, args.out / name, dpi))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
