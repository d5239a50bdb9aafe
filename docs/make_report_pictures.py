"""Render the README pictures of the end-of-event work from the real app and its PDFs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_report_pictures.py [--lang id|en] [--out docs]

A fresh demo booth in a temporary directory with two festival days of sales (a fixed random
seed: cash, QRIS, transfer and card, discounts, a refund and a void). Writes
docs/reports-screen.png (the reports screen, Overview tab), docs/reconcile.png (a BRI QRIS
statement matched: three matched, an ambiguous pair, unmatched lines), docs/settlement.png
(the first page of the settlement statement PDF) and docs/summary.png (the first page of the
end-of-event pack's PDF summary). Nothing is written outside ``--out``.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from make_stock_pdfs import pdf_to_png  # noqa: E402 - the sibling script, run from docs/
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from pos_app import i18n  # noqa: E402
from pos_app.domain.cart import Cart, Discount  # noqa: E402
from pos_app.domain.tenders import Method, Tender  # noqa: E402
from pos_app.i18n import _  # noqa: E402
from pos_app.services.access import auth
from pos_app.services.catalog import catalog
from pos_app.services.reporting.export_pack import export_pack  # noqa: E402
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout  # noqa: E402
from pos_app.services.sale.refunds import refund, void_sale  # noqa: E402
from pos_app.services.setup.booth import Booth  # noqa: E402
from pos_app.services.setup.clock import FixedClock  # noqa: E402
from pos_app.services.setup.setup import init_booth  # noqa: E402
from pos_app.services.shift import shifts
from pos_app.services.shift.settlement_print import save_settlement_pdf  # noqa: E402
from pos_app.ui.common import style
from pos_app.ui.common.app_context import AppContext  # noqa: E402
from pos_app.ui.common.ops import Ops  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402

BOSS = {"actor": "Maria", "actor_role": "coordinator"}
SIZE = (1280, 800)
STATEMENT_HEAD = "Tanggal,Jam,Keterangan,No. Referensi,Debet,Kredit,Saldo"


def spin(ms: int = 50) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(done, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        spin(20)




def festival(booth: Booth, clock: FixedClock) -> list:
    """Two evenings of sales; returns the QRIS sales of the second (number, time, amount)."""
    rnd = random.Random(2026)
    products = [p for p in catalog.products(booth) if p.price <= 600_000]
    tax = booth.context.tax
    qris = []
    for day, start in ((20, 2), (21, 1)):  # 10:00 / 09:00 WITA
        clock.current = datetime(2026, 11, day, start, 5, tzinfo=UTC)
        shift = shifts.open_shift(booth, "Kasir", 200_000)
        numbers = []
        while clock.current.hour < 14:
            cart = Cart()
            for _i in range(rnd.choice((1, 1, 1, 2, 2, 3))):
                cart.add(rnd.choice(products[:25] if rnd.random() < 0.8 else products).ref(),
                         rnd.choice((1, 1, 1, 2, 3)))
            cart.discount = Discount.percent(5) if rnd.random() < 0.1 else None
            total = cart.price(tax).total
            method = rnd.choices((Method.CASH, Method.QRIS, Method.TRANSFER, Method.CARD),
                                 (45, 30, 12, 13))[0]
            reference = None if method is Method.CASH else f"R{rnd.randint(1000, 9999)}"
            sale = checkout(booth, SaleRequest(
                items=tuple(SaleItem(line.qty, product_id=line.product.id)
                            for line in cart.lines),
                tenders=(Tender(method, total, reference),), discount=cart.discount,
                shift_id=shift.id, cashier="Kasir"))
            numbers.append(sale.number)
            if day == 21 and method is Method.QRIS:
                qris.append((sale.number, clock.current, total))
            clock.advance(minutes=rnd.choice((4, 7, 9, 12, 15, 20, 25)))
            if len(numbers) == 15:
                refund(booth, numbers[3], {1: 1}, method="cash", reason="rusak",
                       shift_id=shift.id, **BOSS)
            if len(numbers) == 30:
                void_sale(booth, numbers[-1], reason="salah input", shift_id=shift.id, **BOSS)
        if day == 20:
            shifts.close_shift(booth, shift.id, {100_000: 1}, "Kasir")
    return qris


def rupiah_text(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default="id")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    style.apply(app)
    i18n.set_language(args.lang)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ.setdefault("LAPAK_SECRETS_DIR", str(work / "secrets"))
        booth, _summary = init_booth(work / "r.db", demo=True)
        booth.close()
        clock = FixedClock(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
        booth = Booth.open(work / "r.db", clock=clock)
        qris = festival(booth, clock)
        clock.current = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)  # 23:00 WITA: closing
        save_settlement_pdf(booth, work / "settlement.pdf", facility_code="LP-KPG",
                            translate=_, language=i18n.language())
        export_pack(booth, work / "pack", translate=_, language=i18n.language())
        print(pdf_to_png(work / "settlement.pdf", args.out / "settlement.png", 80))
        print(pdf_to_png(work / "pack" / "summary.pdf", args.out / "summary.png", 80))

        # the statement (a BRI QRIS export, WITA): the first four QRIS sales of the evening
        # a minute after each, one of them twice (a pair the coordinator has to pick from),
        # a fee going out and a payment nobody at the booth rang up
        tz = booth_tz(booth)
        rows = [STATEMENT_HEAD]
        for k, (_n, at, amount) in enumerate(qris[:4]):
            local = at.astimezone(tz)
            rows.append(f"21/11/2026,{local:%H}:{local.minute + 1:02d}:40,QRIS NMID ID1026 "
                        f"LAPAK NTT,RRN 6331{k:02d},,{rupiah_text(amount)},")
        last = qris[3][1].astimezone(tz)
        rows.append(f"21/11/2026,{last:%H}:{last.minute + 3:02d}:05,QRIS NMID ID1026 LAPAK "
                    f"NTT,RRN 633199,,{rupiah_text(qris[3][2])},")
        rows.append("21/11/2026,22:10:00,BIAYA ADM QRIS,,2.500,,")
        rows.append("21/11/2026,22:40:18,QRIS NMID ID1026 LAPAK NTT,RRN 633455,,75.000,")
        statement = work / "mutasi-bri-qris-21nov.csv"
        statement.write_text("\n".join(rows) + "\n", encoding="utf-8")

        ops = Ops()
        window = MainWindow(AppContext.load(booth, ops))
        window.resize(*SIZE)
        window.show()
        wait_until(lambda: window.sale_screen.grid.loaded and not ops.busy)
        maria = auth.login(booth, "Maria", "2468")
        window.app_ctx.login_state.start(maria, shifts.current_shift(booth))
        wait_until(lambda: not ops.busy)

        window.open_reports()
        reports = window.reports_dialog
        reports.resize(*SIZE)
        wait_until(lambda: reports.report is not None and not ops.busy)
        spin(400)
        reports.grab().save(str(args.out / "reports-screen.png"))
        reports.reject()
        wait_until(lambda: not ops.busy)

        window.open_reconcile()
        rec = window.reconcile_dialog
        wait_until(lambda: not ops.busy)
        rec.page.source_box.setEditText("BRI QRIS")
        rec.open_file(statement)
        wait_until(lambda: rec.page.file is not None and not ops.busy)
        rec.page.load_button.click()
        wait_until(lambda: rec.review is not None and not ops.busy)
        rec.resize(*SIZE)
        spin(300)
        rec.grab().save(str(args.out / "reconcile.png"))
        ops.wait()
        window.app_ctx.printer.shutdown()
        booth.close()
    print("wrote", ", ".join(str(args.out / n) for n in (
        "reports-screen.png", "reconcile.png", "settlement.png", "summary.png")))
    return 0


def booth_tz(booth: Booth):
    from zoneinfo import ZoneInfo

    return ZoneInfo(booth.context.timezone)


if __name__ == "__main__":
    raise SystemExit(main())
