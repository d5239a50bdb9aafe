"""A cashier's day, in the real window on a real X display (run under Xvfb with
QT_QPA_PLATFORM=xcb; tests/walkthrough/test_walkthrough.py does).

The app starts as ``pos-app`` starts it (``pos_app.ui.app.run_app``: a fresh booth with the
NTT demo catalog, in Indonesian); a person then taps and types through xdotool: log in with a
PIN, open the shift with a counted float, tap a tile, tap a category and scan a barcode,
search and tap, type a quantity on a cart line and "3 *" before a scan, park a sale, serve the
next buyer, resume it, pay it part cash part QRIS, refund one item with a coordinator's PIN,
and close the shift blind. Afterwards the booth database is read back and checked.

    python -m tests.walkthrough.cashier_day OUT_DIR [--prefix walkthrough-1024-]

Exit code 0 when every step reached its state and the rows are right; screenshots in OUT_DIR.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

# The day gets its own booth, secrets and log, never the user's own.
WORK = Path(tempfile.mkdtemp(prefix="lapak-walk-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)
os.environ["LAPAK_SECRETS_DIR"] = str(WORK / "secrets")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ.setdefault("XDG_STATE_HOME", str(WORK / "state"))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from shiboken6 import isValid  # noqa: E402

from pos_app.domain.tenders import Method  # noqa: E402
from pos_app.i18n import _  # noqa: E402
from pos_app.services.sale.qris import set_qris  # noqa: E402
from pos_app.services.setup.setup import init_booth  # noqa: E402
from pos_app.ui.app import run_app  # noqa: E402
from pos_app.ui.common.buttons import TouchButton  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402
from tests.unit.test_qris import ours  # noqa: E402
from tests.walkthrough.day_rows import check_rows  # noqa: E402
from tests.walkthrough.person import Person, WalkFailed  # noqa: E402
from tests.walkthrough.plan import (  # noqa: E402
    ADMIN_PIN,
    ARABIKA,
    CASH_PART,
    DRAWER,
    FLOAT,
    JAHE,
    JAHE_CODE,
    KASIR_PIN,
    MARIA_PIN,
    PAVING,
    PAVING_CODE,
    ROBUSTA,
    ROBUSTA_CODE,
    SELENDANG,
)

BOOTH_QRIS = ours("KOPERASI KARYA WBP NTT")  # a made-up static QRIS (tests/unit/test_qris.py)

class Day:
    def __init__(self, app: QApplication, person: Person) -> None:
        self.app, self.p = app, person
        self.scans: list[str] = []
        self.facts: dict = {}

    @property
    def win(self) -> MainWindow:
        return next(w for w in self.app.topLevelWidgets() if isinstance(w, MainWindow))

    @property
    def screen(self):
        return self.win.sale_screen

    def cart(self) -> list[tuple[str, int]]:
        return [(line.product.name, line.qty) for line in self.screen.cart.lines]

    def expect_cart(self, expected: list[tuple[str, int]], what: str) -> None:
        self.p.wait(lambda: self.cart() == expected and not self.win.app_ctx.ops.busy,
                    f"{what}: cart {expected}")
        if self.cart() != expected:
            raise WalkFailed(f"{what}: the cart is {self.cart()}, not {expected}")

    def scan(self, code: str) -> None:
        """A scanner burst, which the app's scanner filter must take as one scan."""
        before = list(self.scans)
        self.p.scan(code)
        self.p.wait(lambda: len(self.scans) > len(before), f"the scan of {code}", timeout=5)
        if self.scans != [*before, code]:
            raise WalkFailed(f"the scanner filter saw {self.scans[len(before):]}, not one scan "
                             f"of {code}: the burst was not taken as a scan")

    def idle(self) -> bool:
        return not self.win.app_ctx.ops.busy

    # -- the day --------------------------------------------------------------------------------
    def run(self) -> None:
        win = self.win
        # No window manager under Xvfb: do what one does for showMaximized (fill the screen).
        win.setGeometry(self.app.primaryScreen().availableGeometry())
        win.scanner.scanned.connect(self.scans.append)
        self.p.wait(lambda: win.isVisible() and win.windowHandle().isExposed(), "the window")
        for step in (self.log_in, self.open_shift, self.tap_tile, self.category_and_scan,
                     self.search_and_tap, self.typed_quantities, self.park_and_serve_next,
                     self.resume_and_pay_split, self.refund_with_approval, self.close_blind):
            with self.p.step(step.__name__.replace("_", " ")):
                step()
        win.close()

    def log_in(self) -> None:
        login = self.win.login_screen
        self.p.wait(lambda: "Kasir" in login.picker.buttons and self.screen.grid.loaded,
                    "the login screen with Kasir")
        self.p.shot("login")
        self.p.tap(login.picker.buttons["Kasir"], "Kasir's name")
        for digit in KASIR_PIN:
            self.p.tap(login.pad.buttons[digit], f"PIN key {digit}")
        self.p.tap(login.pad.buttons["OK"], "PIN OK")

    def open_shift(self) -> None:
        from pos_app.ui.shift.shift_dialogs import OpenShiftDialog

        flow = self.win.flow
        self.p.wait(lambda: isinstance(flow.dialog, OpenShiftDialog) and flow.dialog.isVisible(),
                    "the open-shift dialog after the PIN")
        dialog = flow.dialog
        for value, pieces in FLOAT.items():
            self.p.tap(dialog.count.fields[("note", value)], f"the Rp{value} pieces")
            self.p.type(str(pieces))
        self.p.wait(lambda: dialog.count.total() == sum(v * n for v, n in FLOAT.items()),
                    "the float counted")
        self.p.tap(dialog.open_button, "Open shift")
        self.p.wait(lambda: self.win.login_state.ready and self.screen.isVisible()
                    and self.screen.grid.loaded and self.idle(), "the sale screen")

    def tile(self, name: str):
        """The grid's tile of ``name`` (its view and the point to tap), shown on screen."""
        view = self.screen.grid.view
        names = [row.name for row in self.screen.grid.model.rows()]
        if name not in names:
            raise WalkFailed(f"{name} is not on the grid: {names[:8]}…")
        rect = view.visualRect(view.model().index(names.index(name), 0))
        if not view.viewport().rect().contains(rect.center()):
            raise WalkFailed(f"the tile of {name} is not on screen ({rect})")
        return view.viewport(), rect.center()

    def category(self, name: str, sku_prefix: str) -> None:
        """Tap the category ``name``; its tiles (SKUs ``sku_prefix``…) fill the grid."""
        grid = self.screen.grid
        button = next(b for b in grid.category_buttons() if b.label() == name)
        self.p.tap(button, f"the {name} category")
        self.p.wait(lambda: grid.model.rowCount() and all(
            r.sku.startswith(sku_prefix) for r in grid.model.rows()) and self.idle(),
            f"the {name} tiles")

    def tap_tile(self) -> None:
        self.category("Kopi", "KOP-")
        viewport, point = self.tile(ARABIKA)
        self.p.tap(viewport, f"the tile of {ARABIKA}", point)
        self.expect_cart([(ARABIKA, 1)], "a tapped tile")

    def category_and_scan(self) -> None:
        self.category("Tenun Ikat", "TEN-")
        self.scan(PAVING_CODE)
        self.expect_cart([(ARABIKA, 1), (PAVING, 1)], "a scan after a category tap")

    def search_and_tap(self) -> None:
        grid = self.screen.grid
        self.p.tap(self.screen.scan_box, "the search box")
        self.p.type("selendang sumba")
        self.p.wait(lambda: grid._query == "selendang sumba" and self.idle()  # noqa: SLF001
                    and SELENDANG in [r.name for r in grid.model.rows()],
                    f"{SELENDANG} found by the search")
        viewport, point = self.tile(SELENDANG)
        self.p.tap(viewport, f"the tile of {SELENDANG}", point)
        self.expect_cart([(ARABIKA, 1), (PAVING, 1), (SELENDANG, 1)], "a searched tile")

    def typed_quantities(self) -> None:
        view = self.screen.panel.view
        rect = view.visualRect(view.model().index(1, 0))
        self.p.tap(view.viewport(), "the paving block's cart line", rect.center())
        self.p.wait(lambda: view.selected_row() == 1, "the paving line selected")
        self.p.type("25")
        self.p.key("Return")
        self.expect_cart([(ARABIKA, 1), (PAVING, 25), (SELENDANG, 1)], "25 typed on a line")
        self.p.tap(self.screen.scan_box, "the search box")
        self.p.key("Escape")  # clears the search left from before
        self.p.wait(lambda: not self.screen.scan_box.text(), "an empty search box")
        self.p.type("3*")
        self.p.wait(lambda: self.screen.intake.multiplier == 3, "“3 ×” waiting for a product")
        self.scan(ROBUSTA_CODE)
        self.expect_cart([(ARABIKA, 1), (PAVING, 25), (SELENDANG, 1), (ROBUSTA, 3)],
                         "3 * then a scan")
        self.p.shot("cart")

    def park_and_serve_next(self) -> None:
        screen = self.screen
        self.facts["parked_cart"] = self.cart()
        self.p.tap(screen.panel.park_button, "Park")
        self.p.wait(lambda: screen.park_dialog is not None and screen.park_dialog.isVisible(),
                    "the park dialog")
        dialog = screen.park_dialog
        self.p.tap(dialog.label_edit, "the parked sale's name")
        self.p.type("ibu baju merah")
        self.p.tap(dialog.park_button, "Park (in the dialog)")
        self.expect_cart([], "a parked sale")
        # the next buyer: one scan, exact cash
        self.scan(JAHE_CODE)
        self.expect_cart([(JAHE, 1)], "the next buyer's scan")
        self.p.tap(screen.panel.pay_button, "Pay")
        self.p.wait(lambda: screen.payment_dialog is not None
                    and screen.payment_dialog.isVisible(), "the payment dialog")
        pay = screen.payment_dialog
        self.p.tap(pay.form.quick_buttons[0], "Exact amount")
        self.p.tap(pay.pay_button, "Complete sale")
        self.p.wait(lambda: getattr(pay, "result", None) is not None and not pay.isVisible(),
                    "the next buyer's sale recorded")
        self.facts["quick_sale"] = pay.result.number
        self.expect_cart([], "after the quick sale")

    def resume_and_pay_split(self) -> None:
        screen = self.screen
        self.p.tap(screen.panel.resume_button, "Resume")
        self.p.wait(lambda: screen.parked_dialog is not None and screen.parked_dialog.isVisible()
                    and screen.parked_dialog.model.rowCount() == 1, "one parked sale listed")
        dialog = screen.parked_dialog
        rect = dialog.table.visualRect(dialog.model.index(0, 1))
        self.p.tap(dialog.table.viewport(), "the parked sale", rect.center())
        self.p.tap(dialog.resume_button, "Resume (in the dialog)")
        self.expect_cart(self.facts["parked_cart"], "the resumed sale")
        self.p.tap(screen.panel.pay_button, "Pay")
        self.p.wait(lambda: screen.payment_dialog is not None and screen.payment_dialog.isVisible()
                    and screen.payment_dialog.cart.lines, "the payment dialog")
        pay = screen.payment_dialog
        self.p.wait(lambda: pay.form.amount_edit.hasFocus(), "the cursor in the amount")
        self.p.type(str(CASH_PART))
        self.p.wait(lambda: pay.form.draft_amount() == CASH_PART, "the cash part typed")
        self.p.tap(pay.add_button, "Add payment")
        self.p.wait(lambda: len(pay.tenders) == 1, "the cash part kept")
        self.p.tap(pay.method_buttons[Method.QRIS], "QRIS")
        self.p.wait(lambda: pay.form.method is Method.QRIS
                    and pay.form.draft_amount() == pay.total - CASH_PART, "QRIS for the rest")
        self.p.wait(lambda: pay.form.qris_offer is not None and pay.form.qr.modules is not None
                    and pay.form.qris_offer.amount == pay.total - CASH_PART,
                    "the QRIS carrying the rest's amount")
        self.facts["qris_shown"] = pay.form.qris_offer.payload
        self.p.shot("payment-split")
        self.p.tap(pay.pay_button, "Complete sale")
        self.p.wait(lambda: getattr(pay, "result", None) is not None and not pay.isVisible(),
                    "the split sale recorded")
        self.facts["split_sale"], self.facts["split_total"] = pay.result.number, pay.total
        self.expect_cart([], "after the split sale")

    def refund_with_approval(self) -> None:
        win = self.win
        self.p.tap(win.toolbar.widgetForAction(win.history_action), "Sales history")
        number = self.facts["split_sale"]
        self.p.wait(lambda: win.history_dialog is not None and win.history_dialog.isVisible()
                    and number in [r.number for r in win.history_dialog.model.rows()],
                    f"sale {number} in the history")
        history = win.history_dialog
        row = [r.number for r in history.model.rows()].index(number)
        rect = history.table.visualRect(history.model.index(row, 0))
        self.p.tap(history.table.viewport(), f"sale {number}", rect.center())
        self.p.wait(lambda: history.current is not None and history.current.number == number,
                    f"sale {number} picked")
        self.p.tap(history.refund_button, "Refund…")
        self.p.wait(lambda: history.reversal_dialog is not None
                    and history.reversal_dialog.isVisible(), "the refund dialog")
        refund = history.reversal_dialog
        line = next(li for li in refund.refundable.lines if li.name == SELENDANG)
        self.p.tap(refund.plus_buttons[line.line_no], f"+ on {SELENDANG}")
        self.p.wait(lambda: refund.qty[line.line_no] == 1, "one selendang to refund")
        damaged = next(b for b in refund.form.findChildren(TouchButton)
                       if b.label() == _("Damaged goods"))
        self.p.tap(damaged, "the reason “Damaged goods”")
        self.p.tap(refund.confirm_button, "Refund (in the dialog)")
        self.p.wait(lambda: refund.approval_dialog is not None
                    and refund.approval_dialog.isVisible()
                    and "Maria" in refund.approval_dialog.picker.buttons,
                    "the coordinator's PIN pad")
        approval = refund.approval_dialog
        self.p.tap(approval.picker.buttons["Maria"], "Maria's name")
        for digit in MARIA_PIN:
            self.p.tap(approval.pad.buttons[digit], f"PIN key {digit}")
        self.p.shot("refund-approval")
        self.p.tap(approval.approve_button, "Approve")
        self.p.wait(lambda: refund.result is not None, "the refund recorded")
        self.facts["refund"] = refund.result.number
        self.p.shot("refund-done")
        self.p.tap(refund.close_button, "Close (the refund)")
        close = next(b for b in history.findChildren(TouchButton)
                     if b.label() == _("Close") and b.window() is history)
        self.p.tap(close, "Close (the history)")
        self.p.wait(lambda: not isValid(history) or not history.isVisible(),
                    "the history closed")

    def close_blind(self) -> None:
        from pos_app.ui.shift.close_shift_dialog import CloseShiftDialog

        menu = self.win.shift_menu
        action = menu.close_action
        armed = self.p.arm_tap(lambda: menu.menu,
                               lambda m: m.actionGeometry(action).center())
        self.p.tap(menu.button, "Shift ▾")
        self.p.wait(lambda: isinstance(menu.dialog, CloseShiftDialog)
                    and menu.dialog.isVisible(), "the close-shift dialog")
        armed.stop()
        dialog = menu.dialog
        for value, pieces in DRAWER.items():
            self.p.tap(dialog.count.fields[("note", value)], f"the Rp{value} pieces")
            self.p.type(str(pieces))
        self.facts["counted"] = sum(v * n for v, n in DRAWER.items())
        self.p.wait(lambda: dialog.count.total() == self.facts["counted"], "the drawer counted")
        self.p.shot("close-count")
        self.p.tap(dialog.confirm_button, "Confirm count and close shift")
        self.p.wait(lambda: dialog.result is not None, "the shift closed")
        self.p.shot("close-result")
        self.facts["expected"] = dialog.result.expected
        self.p.tap(dialog.done_button, "Done")
        self.p.wait(lambda: self.win.login_state.user is None, "back at the login screen")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the screenshots")
    parser.add_argument("--prefix", default="", help="put before each screenshot's name")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    db_path = WORK / "booth.db"
    # Set up as `pos-app init --demo --admin Admin` sets a booth up: the demo catalog, its
    # cashier and coordinator, and an administrator (else the app asks for one first).
    booth, _result = init_booth(db_path, demo=True, admin_name="Admin", admin_pin=ADMIN_PIN)
    # and, before the event, the booth's QRIS sticker as the coordinator sets it once
    set_qris(booth, payload=BOOTH_QRIS, actor="Admin", role="admin")
    booth.close()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    person = Person(app, args.out, args.prefix)
    day = Day(app, person)
    outcome: dict = {"error": None, "unhandled": []}

    def drive() -> None:
        previous = sys.excepthook  # run_app's: it logs a slot's error and carries on

        def hook(kind, value, tb) -> None:
            outcome["unhandled"].append("".join(traceback.format_exception(kind, value, tb)))
            previous(kind, value, tb)

        sys.excepthook = hook
        try:
            day.run()
        except BaseException as exc:  # noqa: BLE001 - reported and failed below
            outcome["error"] = exc
            outcome["trace"] = traceback.format_exc()
            try:
                person.shot("failed")  # what the screen showed when the step gave up
            except Exception:  # noqa: BLE001 - the failure above is the one to report
                pass
            for widget in app.topLevelWidgets():
                widget.hide()
            app.exit(1)

    QTimer.singleShot(0, drive)
    code = run_app(db_path, language="id")  # the app's own start-up, to the login screen
    if outcome["error"] is not None:
        print(outcome["trace"], file=sys.stderr)
        print(f"walkthrough FAILED: {outcome['error']}", file=sys.stderr)
        return 1
    if outcome["unhandled"]:
        print("unhandled errors in the app:\n" + "\n".join(outcome["unhandled"]),
              file=sys.stderr)
        return 1
    if code != 0:
        print(f"the app exited with {code}", file=sys.stderr)
        return 1
    check_rows(db_path, day.facts)
    total_taps = sum(t for _s, t, _b in person.log)
    total_bursts = sum(b for _s, _t, b in person.log)
    print(f"the day: {total_taps} taps, {total_bursts} key bursts, "
          f"{len(person.saved)} screenshots", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
