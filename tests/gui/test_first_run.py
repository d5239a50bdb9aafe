"""The first run asks: a real booth or a demo (issue #14 item 3). A real booth starts empty
or with an imported catalog and only the administrator it creates; a demo loads the demo
catalog and users and says DEMO on screen and on every receipt. Each test reads back what
was written."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from pos_app.services.access import auth
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.setup import DEMO_USERS
from pos_app.ui.setup.first_run import ADMIN, CHOOSE, FirstRunDialog
from tests.gui.cashier import Cashier, journal
from tests.integration.journal import sql
from tests.integration.test_users import pins_that_open


@pytest.fixture
def booth(empty_booth: Booth) -> Booth:
    """A new laptop: the database made by the app's first start, no catalog, no user."""
    return empty_booth


@pytest.fixture
def visitor(qtbot, door, ops) -> Cashier:
    return Cashier(qtbot, door, ops)


def start(visitor: Cashier) -> FirstRunDialog:
    dialog = visitor.window.first_run()
    visitor.activate(dialog)
    visitor.qtbot.waitUntil(lambda: dialog.pages.currentIndex() == CHOOSE, timeout=5000)
    assert dialog.real_button.isVisible() and dialog.demo_button.isVisible()
    assert not dialog.save_button.isVisible()
    return dialog


def create_admin(visitor: Cashier, dialog: FirstRunDialog, name: str, pin: str) -> None:
    visitor.qtbot.keyClicks(dialog.name_edit, name)
    visitor.qtbot.keyClicks(dialog.pin_edit, pin)
    visitor.qtbot.keyClicks(dialog.again_edit, pin)
    visitor.qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    visitor.wait_idle()


def catalog_file(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in {
        "Fasilitas": [["code", "name", "kind", "region"],
                      ["LP-LBJ", "Lapas Kelas III Labuan Bajo", "lapas", "Manggarai Barat"]],
        "Produk": [["SKU", "Barcode", "Name", "Category", "Facility", "Price", "Stock"],
                   ["XL-001", 8991234567891, "Kopi Komodo", "kopi", "LP-LBJ", 55000, 7]],
    }.items():
        sheet = wb.create_sheet(title)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return path


def test_a_real_booth_imports_its_catalog_and_has_no_known_pin(visitor: Cashier, booth,
                                                               tmp_path) -> None:
    window = visitor.window
    assert not window.statusBar().demo_label.isVisible()
    dialog = start(visitor)
    visitor.qtbot.mouseClick(dialog.real_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == ADMIN and dialog.catalog_box.isVisible()
    dialog.import_radio.setChecked(True)
    create_admin(visitor, dialog, "Yohanes", "86420")
    assert dialog.error.text() == "Choose the catalog file, or start with an empty catalog"
    dialog.use_catalog(catalog_file(tmp_path / "katalog.xlsx"))
    dialog.pin_edit.clear()
    dialog.again_edit.clear()
    dialog.name_edit.clear()
    create_admin(visitor, dialog, "Yohanes", "1234")
    assert dialog.error.text().startswith("That PIN is too easy to guess")
    assert sql(booth, "SELECT name FROM user") == []
    for edit in (dialog.name_edit, dialog.pin_edit, dialog.again_edit):
        edit.clear()
    create_admin(visitor, dialog, "Yohanes", "86420")
    visitor.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert sql(booth, "SELECT name, role FROM user") == [{"name": "Yohanes", "role": "admin"}]
    assert sql(booth, "SELECT sku, price FROM product") == [{"sku": "XL-001", "price": 55_000}]
    assert pins_that_open(booth) == []
    assert booth.stored("demo") is None and not window.statusBar().demo_label.isVisible()
    [created] = journal(booth, "user.create")
    assert (created.actor, json.loads(created.payload)) == (
        "setup", {"name": "Yohanes", "role": "admin"})
    visitor.qtbot.waitUntil(lambda: list(window.login_screen.picker.buttons) == ["Yohanes"],
                            timeout=5000)


def test_a_real_booth_may_start_empty(visitor: Cashier, booth) -> None:
    dialog = start(visitor)
    visitor.qtbot.mouseClick(dialog.real_button, Qt.MouseButton.LeftButton)
    assert dialog.empty_radio.isChecked()
    create_admin(visitor, dialog, "Yohanes", "86420")
    visitor.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert sql(booth, "SELECT COUNT(*) AS n FROM product") == [{"n": 0}]
    assert [(u.name, u.role) for u in auth.users(booth)] == [("Yohanes", "admin")]


def test_a_demo_loads_the_demo_users_and_says_demo(visitor: Cashier, booth) -> None:
    """The administrator first (on a database with no user), then the demo's users with
    their published PINs: never a moment when the demo's users exist and no administrator
    (issue 17: that moment let whoever came next make one)."""
    window = visitor.window
    dialog = start(visitor)
    visitor.qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == ADMIN and not dialog.catalog_box.isVisible()
    assert auth.users(booth) == [] and booth.stored("demo") is None  # nothing loaded yet
    create_admin(visitor, dialog, "Yohanes", "86420")
    visitor.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    assert booth.stored("demo") == "1"
    assert sorted(pins_that_open(booth)) == [("Kasir", "1234"), ("Maria", "2468")]
    assert sql(booth, "SELECT COUNT(*) AS n FROM product")[0]["n"] > 50
    [first] = sql(booth, "SELECT name FROM user ORDER BY seq LIMIT 1")
    assert first == {"name": "Yohanes"}
    bar = window.statusBar()
    visitor.qtbot.waitUntil(lambda: bar.demo_label.isVisible(), timeout=5000)
    assert bar.demo_label.text() == "DEMO"
    names = [name for name, _role, _pin in DEMO_USERS]
    visitor.qtbot.waitUntil(lambda: sorted(window.login_screen.picker.buttons) == sorted(
        [*names, "Yohanes"]), timeout=5000)


def test_a_database_with_users_goes_straight_to_the_administrator(visitor: Cashier,
                                                                  booth) -> None:
    auth.create_user(booth, "Kasir", "cashier", "4826", actor="test")
    dialog = visitor.window.first_run()
    visitor.qtbot.waitUntil(lambda: dialog.pages.currentIndex() == ADMIN, timeout=5000)
    assert not dialog.catalog_box.isVisible() and dialog.save_button.isVisible()
    dialog.reject()
