"""A catalog pull reaches the open sale grid: another booth adds a facility, a category and a
product and syncs; this booth's background sync brings them down and says ``catalog`` on the
app's change signal, and the grid shows the new category button, the new facility and the
product without the cashier doing anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.services.catalog import catalog
from pos_app.services.catalog.catalog_import import import_catalog
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import enrollment
from pos_app.services.sync.sync_status import run_sync
from pos_app.ui.common.changes import Change
from tests.gui import conftest as gui
from tests.gui.cashier import TIMEOUT, Cashier

# The main window during Kasir's shift, and a cashier at it (the GUI tests' own fixtures).
cashier, window, ops, english, kasir, shift = (
    gui.cashier, gui.window, gui.ops, gui.english, gui.kasir, gui.shift)


@pytest.fixture
def booth(secrets: Path, booth: Booth) -> Booth:
    """The demo booth with this test's own secrets folder (the enrollment's password)."""
    return booth


def add_to_catalog(b: Booth, tmp_path: Path) -> None:
    """Head office's new facility, with a new category and one product of it."""
    facilities = tmp_path / "facilities.csv"
    facilities.write_text("code,name,kind,region\nLP-WKB,Lapas Waikabubak,Lapas,Sumba Barat\n")
    categories = tmp_path / "categories.csv"
    categories.write_text("code,name,sort\nselendang,Selendang,110\n")
    products = tmp_path / "products.csv"
    products.write_text("sku,name,category,facility,price\n"
                        "SEL-001,Selendang Tenun Sumba,selendang,LP-WKB,650000\n")
    for f in (facilities, categories, products):
        import_catalog(b, f)


def test_a_catalog_pull_shows_in_the_open_sale_grid(register, enroll, other, booth: Booth,
                                                    cashier: Cashier, qtbot,
                                                    tmp_path: Path) -> None:
    enrollment.enroll(booth, register(booth))
    head_office = other()
    add_to_catalog(head_office, tmp_path)
    assert run_sync(head_office, connect=enroll(head_office)).catalog.sent > 0

    grid = cashier.window.sale_screen.grid
    assert "Selendang Tenun Sumba" not in cashier.grid_names()
    categories = [b.text() for b in grid.category_buttons()]
    facilities = grid.facility_combo.count()
    said: list[frozenset[Change]] = []
    cashier.window.app_ctx.changes.changed.connect(said.append)

    runner = cashier.window.sync_runner
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT):
        runner.sync_now()
    assert said == [frozenset({Change.SYNC, Change.CATALOG})]
    qtbot.waitUntil(lambda: "Selendang Tenun Sumba" in cashier.grid_names(), timeout=TIMEOUT)
    cashier.wait_idle()
    now = [b.text() for b in grid.category_buttons()]
    assert now == [now[0], *(c.name.replace("&", "&&") for c in catalog.categories(booth))]
    assert sorted(now) == sorted([*categories, "Selendang"])  # the one new, none doubled
    assert grid.facility_combo.count() == facilities + 1
    texts = [grid.facility_combo.itemText(i) for i in range(grid.facility_combo.count())]
    assert "Lapas Waikabubak (LP-WKB)" in texts

    [selendang] = [b for b in grid.category_buttons() if b.text() == "Selendang"]
    selendang.click()  # the new category shows its product
    qtbot.waitUntil(lambda: cashier.grid_names() == ["Selendang Tenun Sumba"], timeout=TIMEOUT)
