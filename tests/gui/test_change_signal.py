"""One change signal: an op says what it changed, the app's hub (``app_ctx.changes``) says it
once the op has succeeded, and the open sale grid re-reads its categories, facilities and
products when the catalog changed (here a product made on the spot; the catalog pull is in
tests/central/test_change_signal_gui.py)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from shiboken6 import isValid

from pos_app import i18n
from pos_app.domain.errors import DomainError
from pos_app.services.access import auth
from pos_app.services.catalog import catalog
from pos_app.services.setup.booth import write_setting
from pos_app.services.sync.record import failure_of, record_of
from pos_app.services.sync.sync_push import PushResult
from pos_app.services.sync.sync_status import LAST_RESULT
from pos_app.ui.common.changes import Change, ChangeHub
from pos_app.ui.common.ops import Ops
from pos_app.ui.stock.stock_product import NewProductDialog
from tests.gui.cashier import TIMEOUT, Cashier


def heard(hub: ChangeHub) -> list[frozenset[Change]]:
    got: list[frozenset[Change]] = []
    hub.changed.connect(got.append)
    return got


def test_an_op_says_what_it_changed_once_it_has_succeeded(qtbot, ops: Ops) -> None:
    got = heard(ops.changes)
    order: list[str] = []
    ops.changes.changed.connect(lambda _c: order.append("announced"))
    ops.run(lambda: 1, on_success=lambda _r: order.append("delivered"),
            changes={Change.CATALOG, Change.STOCK})
    ops.run(lambda: 2)  # changed nothing: nothing said
    qtbot.waitUntil(lambda: not ops.busy, timeout=TIMEOUT)
    assert got == [frozenset({Change.CATALOG, Change.STOCK})]
    assert order == ["delivered", "announced"]


def test_a_failed_op_says_nothing_and_a_gone_asker_does_not_stop_the_news(qtbot,
                                                                         ops: Ops) -> None:
    got = heard(ops.changes)
    ops.error_sink = lambda _f: None
    ops.run(lambda: (_ for _ in ()).throw(DomainError("empty_cart")),
            changes={Change.SALES})
    owner = QObject()
    ops.run(lambda: 3, on_success=lambda _r: None, owner=owner, changes={Change.SALES})
    owner.deleteLater()
    qtbot.waitUntil(lambda: not ops.busy, timeout=TIMEOUT)
    assert got == [frozenset({Change.SALES})]  # once: the data changed all the same


def test_a_listener_hears_only_its_kinds_and_goes_with_its_owner(qtbot) -> None:
    hub = ChangeHub()
    owner = QObject()
    seen: list[frozenset[Change]] = []
    hub.listen(owner, {Change.CATALOG}, seen.append)
    hub.notify({Change.SALES})
    hub.notify([Change.CATALOG, Change.SYNC])
    hub.notify(())
    assert seen == [frozenset({Change.CATALOG, Change.SYNC})]
    owner.deleteLater()
    qtbot.waitUntil(lambda: not isValid(owner), timeout=TIMEOUT)
    hub.notify({Change.CATALOG})
    assert len(seen) == 1


def test_a_product_made_on_the_spot_appears_in_the_open_sale_grid(qtbot, window, ops, booth,
                                                                  shift) -> None:
    c = Cashier(qtbot, window, ops)
    grid = window.sale_screen.grid
    [lukisan] = [r for r in catalog.categories(booth) if r.code == "lukisan"]
    [lpka] = [f for f in catalog.facilities(booth) if f.code == "LPKA-KPG"]
    # the cashier is looking at the paintings of LPKA Kupang
    [button] = [b for b in grid.category_buttons() if b.text() == lukisan.name]
    button.click()
    combo = grid.facility_combo
    combo.setCurrentIndex([combo.itemData(i) for i in range(combo.count())].index(lpka.id))
    c.wait_idle()
    before = c.grid_names()
    assert before and "Lukisan Sasando Biru 30x40" not in before
    assert {r.facility_code for r in grid.model.rows()} == {"LPKA-KPG"}

    window.app_ctx.login_state.start(auth.login(booth, "Maria", "2468"), shift)
    dialog = NewProductDialog(window.app_ctx, lpka, catalog.categories(booth), window)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Lukisan Sasando Biru 30x40")
    dialog.category_box.setCurrentIndex(dialog.category_box.findData("lukisan"))
    dialog.price_edit.setText("275.000")
    dialog.confirm()
    qtbot.waitUntil(lambda: "Lukisan Sasando Biru 30x40" in c.grid_names(), timeout=TIMEOUT)
    c.wait_idle()
    assert sorted(c.grid_names()) == sorted([*before, "Lukisan Sasando Biru 30x40"])
    # what the cashier had picked is still picked, the lists are whole and not doubled
    assert grid.facility_combo.currentData() == lpka.id
    assert grid.facility_combo.count() == 1 + len(catalog.facilities(booth))
    assert [b.text() for b in grid.category_buttons() if b.isChecked()] == [lukisan.name]
    assert len(grid.category_buttons()) == 1 + len(catalog.categories(booth))


def test_the_status_bar_says_the_last_sync_in_the_readers_language(qtbot, window, ops,
                                                                  booth) -> None:
    failed = record_of(PushResult(sent=2, inserted=2), failure=failure_of(
        "catalog", DomainError("central_unreachable", reason="timeout")))
    with booth.db.write() as s:
        write_setting(s, LAST_RESULT, failed.to_json())
    label = window.sync_label
    try:
        i18n.set_language("id")
        window.app_ctx.changes.notify({Change.SYNC})  # as the runner says it after a sync
        qtbot.waitUntil(lambda: "katalog gagal" in label.toolTip(), timeout=TIMEOUT)
    finally:
        i18n.set_language("en")
    assert label.toolTip().splitlines()[-1] == (
        "Hasil terakhir: Terkirim 2 (baru 2, sudah ada 0), dikarantina 0; katalog gagal: "
        "Tidak dapat menghubungi basis data pusat: timeout")
