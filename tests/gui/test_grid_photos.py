"""Product photos on the sale grid (offscreen): a product with a photo gets a photo tile (its
picture, grabbed from the screen), the others stay text tiles, the setting turns photos off;
only the first screenful of a page is decoded before it counts as shown; and a coordinator
chooses a product's photo on the stock screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from sqlalchemy import select

from pos_app.persistence.models import Product
from pos_app.services.catalog.catalog import categories as catalog_rows
from pos_app.services.catalog.catalog_import import import_catalog
from pos_app.services.catalog.photos import set_photo
from pos_app.services.setup.settings import set_setting
from pos_app.ui.sale.product_grid import FIRST_PHOTOS, PAGE
from pos_app.ui.sale.product_model import PHOTO_ROLE
from pos_app.ui.sale.product_tile import PHOTO_TILE, TILE, fitted_font
from pos_app.ui.stock import stock_product
from tests.gui.cashier import Cashier

RED = (210, 30, 30)


def picture(path: Path, color: tuple[int, int, int], size=(900, 700)) -> Path:
    Image.new("RGB", size, color).save(path, "JPEG", quality=95)
    return path


@pytest.fixture
def red_coffee(booth, tmp_path: Path) -> str:
    """KOP-001 with a red photo, set before the window opens."""
    return set_photo(booth, "KOP-001", picture(tmp_path / "kopi.jpg", RED), actor="Maria",
                     actor_role="coordinator").photo


def tile_image(c: Cashier, sku: str) -> QImage:
    """The tile of ``sku`` on the grid's "All products" page, as the screen shows it."""
    grid = c.screen.grid
    grid.show_category(None)
    c.wait_idle()
    row = next(i for i, r in enumerate(grid.model.rows()) if r.sku == sku)
    index = grid.model.index(row)
    grid.view.scrollTo(index)
    c.qtbot.waitUntil(lambda: grid.model.data(index, PHOTO_ROLE) is not True, timeout=10_000)
    grid.view.viewport().repaint()
    return grid.view.viewport().grab(grid.view.visualRect(index)).toImage()


def red_share(image: QImage) -> float:
    """How much of the tile's top part is the photo's red."""
    hits = total = 0
    for y in range(14, 80, 3):
        for x in range(image.width() // 4, image.width() * 3 // 4, 3):
            c = image.pixelColor(x, y)
            total += 1
            hits += abs(c.red() - RED[0]) < 30 and c.green() < 70 and c.blue() < 70
    return hits / total


def test_a_product_with_a_photo_gets_a_photo_tile_the_others_text(red_coffee, cashier) -> None:
    grid = cashier.screen.grid
    assert grid.view.gridSize().height() == PHOTO_TILE.height()  # a photo on the first page
    photo_tile = tile_image(cashier, "KOP-001")
    text_tile = tile_image(cashier, "TEN-001")  # Tenun: no photo
    assert red_share(photo_tile) > 0.9
    assert red_share(text_tile) == 0
    assert photo_tile.height() == text_tile.height() == PHOTO_TILE.height()
    assert grid.model.data(grid.model.index(0), PHOTO_ROLE) is None  # a text tile


def test_the_setting_turns_photos_off_and_on(red_coffee, cashier, booth) -> None:
    grid = cashier.screen.grid
    app_ctx = cashier.window.app_ctx
    app_ctx.store(set_setting, "grid_photos", "0", "Maria", "coordinator")
    cashier.qtbot.waitUntil(lambda: grid.view.gridSize().height() == TILE.height(),
                            timeout=10_000)
    assert red_share(tile_image(cashier, "KOP-001")) == 0  # text tiles only
    app_ctx.store(set_setting, "grid_photos", "1", "Maria", "coordinator")
    cashier.qtbot.waitUntil(lambda: grid.view.gridSize().height() == PHOTO_TILE.height(),
                            timeout=10_000)
    assert red_share(tile_image(cashier, "KOP-001")) > 0.9


def test_only_the_first_screenful_is_decoded_before_a_page_is_shown(
        booth, tmp_path: Path, cashier) -> None:
    lines = []
    for i in range(PAGE):
        picture(tmp_path / f"p{i:03d}.jpg", (i * 2, (i * 37) % 256, (i * 91) % 256), (64, 48))
        lines.append(f"ZZ-{i:03d},Aa Foto {i:03d},foto,LP-KPG,{1000 + i},p{i:03d}.jpg")
    catalog = tmp_path / "foto.csv"
    catalog.write_text("sku,name,category,facility,price,photo\n" + "\n".join(lines) + "\n",
                       encoding="utf-8")
    assert import_catalog(booth, catalog).photos_made == PAGE
    grid = cashier.screen.grid
    cashier.wait_idle()
    foto = next(r for r in catalog_rows(booth) if r.code == "foto")  # made by the import
    with cashier.qtbot.waitSignal(grid.page_loaded, timeout=10_000):
        grid.show_category(foto)
    model = grid.model
    assert model.rowCount() == PAGE
    shown = [model.data(model.index(i), PHOTO_ROLE) for i in range(PAGE)]
    assert all(isinstance(p, QImage) for p in shown[:FIRST_PHOTOS])
    assert shown[-1] is True  # far below: asked for only now, when its tile would be drawn
    bar = grid.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    cashier.qtbot.waitUntil(lambda: isinstance(model.data(model.index(PAGE - 1), PHOTO_ROLE),
                                               QImage), timeout=10_000)


def test_a_coordinator_chooses_a_products_photo_on_the_stock_screen(
        coordinator_at_till, booth, tmp_path: Path, monkeypatch) -> None:
    c = coordinator_at_till
    photo = picture(tmp_path / "merah.jpg", RED)
    monkeypatch.setattr(stock_product, "ask_open_path", lambda *_a: photo)
    c.press(Qt.Key.Key_F6)
    screen = c.wait_for(lambda: c.window.stock_dialog)
    c.qtbot.waitUntil(lambda: screen.on_hand_model.rowCount() > 0, timeout=10_000)
    c.qtbot.mouseClick(screen.photo_button, Qt.MouseButton.LeftButton)
    assert screen.banner.text() == "Select a product on the On hand list first"
    row = next(i for i in range(screen.on_hand_model.rowCount())
               if screen.on_hand_model.row(i).sku == "KOP-001")
    screen.on_hand_table.selectRow(row)
    c.qtbot.mouseClick(screen.photo_button, Qt.MouseButton.LeftButton)
    c.qtbot.waitUntil(lambda: screen.photos.done is not None, timeout=10_000)
    c.wait_idle()
    with booth.db.read() as s:
        image = s.execute(select(Product.image).where(Product.sku == "KOP-001")).scalar_one()
    assert image == screen.photos.done.photo
    assert screen.banner.text().startswith("Photo of KOP-001 (")
    screen.reject()
    c.wait_idle()
    assert red_share(tile_image(c, "KOP-001")) > 0.9  # the grid heard the catalog change


def test_a_long_price_is_drawn_whole_on_a_narrow_tile(qapp) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    price = QFont()
    price.setPixelSize(17)
    price.setWeight(QFont.Weight.Bold)
    wide = QFontMetrics(price).horizontalAdvance("Rp12.500.000")
    fitted = fitted_font(price, "Rp12.500.000", wide * 0.8)
    assert QFontMetrics(fitted).horizontalAdvance("Rp12.500.000") <= wide * 0.8
    assert 11 <= fitted.pixelSize() < 17
    assert fitted_font(price, "Rp85.000", wide).pixelSize() == 17  # fits: left as it is
