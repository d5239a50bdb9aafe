"""Product photos, with real picture files and real Pillow: a catalog import's ``photo``/``foto``
column and pictures embedded in an XLSX, one thumbnail per picture however often it is used,
hostile files refused with nothing written, the stock screen's service (a coordinator's
catalog change, journaled) and ``pos-app catalog photo SKU FILE``."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import struct
import zlib
from pathlib import Path

import openpyxl
import pytest
from openpyxl.drawing.image import Image as SheetImage
from PIL import Image

from pos_app.adapters.photo_image import THUMB_SIDE
from pos_app.cli.main import main
from pos_app.domain.errors import DomainError, ImportRejected
from pos_app.domain.ids import catalog_id
from pos_app.services.catalog import photos
from pos_app.services.catalog.catalog_import import import_catalog
from pos_app.services.setup.booth import Booth

HEADER = "sku,name,category,facility,price"
TABLES = ("product", "photo", "outbox", "audit_event", "stock_movement", "category")


def picture(path: Path, color: tuple[int, int, int], size=(1600, 1200), kind="JPEG") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, kind)
    return path


def bomb(path: Path) -> Path:
    """A PNG of a few bytes whose header claims 30000 x 30000 pixels."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\0" * 4096)) + chunk(b"IEND", b""))
    return path


def truncated_png(path: Path) -> Path:
    out = io.BytesIO()
    Image.effect_noise((400, 400), 60).convert("RGB").save(out, "PNG")
    path.write_bytes(out.getvalue()[: len(out.getvalue()) // 2])
    return path


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql, params).fetchall()


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return {t: sorted(rows(db, f"SELECT * FROM {t}"), key=repr) for t in TABLES}


def image_of(db: Path, sku: str) -> str | None:
    return rows(db, "SELECT image FROM product WHERE sku = ?", sku)[0][0]


def stored(db: Path, digest: str) -> Image.Image:
    data, = rows(db, "SELECT data FROM photo WHERE hash = ?", digest)[0]
    assert hashlib.sha256(data).hexdigest() == digest  # named by its content
    return Image.open(io.BytesIO(data))


def center(image: Image.Image) -> tuple[int, ...]:
    return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def near(a, b, by: int = 12) -> bool:
    return all(abs(x - y) <= by for x, y in zip(a, b, strict=True))


# --- the catalog import ----------------------------------------------------------------------

def test_a_photo_column_gives_products_their_thumbnails_each_stored_once(
        booth: Booth, tmp_path: Path) -> None:
    picture(tmp_path / "kopi.jpg", (120, 60, 20))
    (tmp_path / "foto").mkdir()
    (tmp_path / "foto" / "sama.jpg").write_bytes((tmp_path / "kopi.jpg").read_bytes())
    picture(tmp_path / "foto" / "tenun.png", (20, 40, 160), (300, 900), "PNG")
    catalog = tmp_path / "katalog.csv"
    catalog.write_text(f"{HEADER},foto\n"
                       "KOP-001,Kopi Arabika Flores Bajawa 250 g,kopi,LP-END,85000,kopi.jpg\n"
                       "NEW-1,Kopi Kedua,kopi,LP-END,50000,foto/sama.jpg\n"
                       "NEW-2,Selendang Biru,tenun,LP-END,250000,foto\\tenun.png\n"
                       "NEW-3,Tanpa Foto,kopi,LP-END,10000,\n", encoding="utf-8")
    done = import_catalog(booth, catalog)
    db = booth.db.path
    assert (done.products_added, done.products_updated, done.photos_made) == (3, 1, 2)
    kopi, tenun = image_of(db, "KOP-001"), image_of(db, "NEW-2")
    assert image_of(db, "NEW-1") == kopi  # two files, one picture: one thumbnail
    assert image_of(db, "NEW-3") is None
    assert rows(db, "SELECT count(*) FROM photo") == [(2,)]
    assert stored(db, kopi).size == (THUMB_SIDE, 192) and stored(db, kopi).format == "JPEG"
    assert stored(db, tenun).size == (85, THUMB_SIDE)
    assert near(center(stored(db, kopi)), (120, 60, 20))
    assert near(center(stored(db, tenun)), (20, 40, 160))
    assert rows(db, "SELECT revision FROM product WHERE sku = 'KOP-001'") == [(2,)]
    # the same file again: nothing shrunk again, nothing changed; a blank cell keeps a photo
    catalog.write_text(f"{HEADER},photo\n"
                       "KOP-001,Kopi Arabika Flores Bajawa 250 g,kopi,LP-END,85000,\n"
                       "NEW-1,Kopi Kedua,kopi,LP-END,50000,kopi.jpg\n", encoding="utf-8")
    again = import_catalog(booth, catalog)
    assert (again.products_updated, again.photos_made) == (0, 0)
    assert image_of(db, "KOP-001") == kopi
    assert rows(db, "SELECT count(*) FROM photo") == [(2,)]


def test_pictures_embedded_in_an_xlsx_go_to_the_product_of_their_row(
        booth: Booth, tmp_path: Path) -> None:
    red = picture(tmp_path / "red.png", (200, 20, 20), (640, 480), "PNG")
    blue = picture(tmp_path / "blue.jpg", (20, 20, 200), (480, 640))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "produk"
    for row in (["sku", "name", "category", "facility", "price"],
                ["NEW-1", "Tanpa Gambar", "kopi", "LP-END", 10000],
                ["NEW-2", "Gambar Merah", "kopi", "LP-END", 10000],
                ["NEW-3", "Gambar Biru", "kopi", "LP-END", 10000]):
        ws.append(row)
    ws.add_image(SheetImage(str(red)), "F3")  # on NEW-2's row
    ws.add_image(SheetImage(str(blue)), "G4")  # on NEW-3's row
    ws.add_image(SheetImage(str(blue)), "A8")  # on no product's row: ignored
    book = tmp_path / "katalog.xlsx"
    wb.save(book)
    done = import_catalog(booth, book)
    db = booth.db.path
    assert (done.products_added, done.photos_made) == (3, 2)
    assert image_of(db, "NEW-1") is None
    assert near(center(stored(db, image_of(db, "NEW-2"))), (200, 20, 20))
    assert near(center(stored(db, image_of(db, "NEW-3"))), (20, 20, 200))
    assert stored(db, image_of(db, "NEW-3")).size == (192, THUMB_SIDE)
    assert rows(db, "SELECT count(*) FROM photo") == [(2,)]


@pytest.mark.parametrize("cell, make, code", [
    ("notes.jpg", lambda f: (f / "notes.jpg").write_text("just words"), "photo_not_image"),
    ("cut.png", lambda f: truncated_png(f / "cut.png"), "photo_damaged"),
    ("bomb.png", lambda f: bomb(f / "bomb.png"), "photo_too_many_pixels"),
    ("../kopi.jpg", None, "photo_path"),
    ("sub/../../kopi.jpg", None, "photo_path"),
    ("/etc/hostname", None, "photo_path"),
    ("C:\\foto\\kopi.jpg", None, "photo_path"),
    ("link.jpg", lambda f: (f / "link.jpg").symlink_to(f.parent / "kopi.jpg"), "photo_path"),
    ("absent.jpg", None, "photo_missing"),
    ("sub", lambda f: (f / "sub").mkdir(), "photo_missing"),
    ("a\x00b.jpg", None, "control_char photo_path"),  # a NUL (was an unexpected error)
    ("good.jpg\x00", None, "control_char photo_path"),
])
def test_a_hostile_photo_rejects_the_import_and_nothing_is_written(
        booth: Booth, tmp_path: Path, cell: str, make, code: str) -> None:
    picture(tmp_path / "kopi.jpg", (10, 200, 10))  # outside the catalog's folder
    folder = tmp_path / "katalog"
    picture(folder / "good.jpg", (200, 200, 10))
    if make is not None:
        make(folder)
    catalog = folder / "katalog.csv"
    catalog.write_text(f"{HEADER},photo\n"
                       "NEW-1,Baik,kopi,LP-END,10000,good.jpg\n"
                       f"NEW-2,Buruk,kopi,LP-END,10000,{cell}\n", encoding="utf-8")
    before = snapshot(booth.db.path)
    with pytest.raises(ImportRejected) as caught:
        import_catalog(booth, catalog)
    assert [(e.row, e.column, e.code) for e in caught.value.errors] == [
        (3, "photo", one) for one in code.split()]
    assert snapshot(booth.db.path) == before  # not even the good picture is kept


# --- the service the stock screen and the command line use -----------------------------------

def test_a_coordinator_sets_a_photo_as_a_journaled_catalog_change(
        booth: Booth, tmp_path: Path) -> None:
    db = booth.db.path
    photo = picture(tmp_path / "kopi.jpg", (90, 50, 30), (3000, 2000))
    done = photos.set_photo(booth, "kop-001", photo, actor="Maria", actor_role="coordinator")
    assert (done.sku, done.width, done.height, done.kind, done.changed) == \
        ("KOP-001", THUMB_SIDE, 171, "jpeg", True)
    assert image_of(db, "KOP-001") == done.photo
    assert rows(db, "SELECT revision FROM product WHERE sku = 'KOP-001'") == [(2,)]
    (payload,), = rows(db, "SELECT payload FROM audit_event WHERE action = 'product.photo'")
    assert json.loads(payload) == {"sku": "KOP-001", "photo": done.photo, "was": None,
                                   "file": "kopi.jpg"}
    pid, = rows(db, "SELECT id FROM product WHERE sku = 'KOP-001'")[0]
    assert rows(db, "SELECT count(*) FROM outbox WHERE table_name = 'product' AND "
                    "record_id = ? AND state = 'pending'", pid) == [(2,)]  # made + photo
    before = snapshot(db)
    again = photos.set_photo(booth, "KOP-001", photo, actor="Maria", actor_role="coordinator")
    assert again.changed is False and snapshot(db) == before
    # what the screens read
    data = photos.thumbnail(booth, done.photo)
    assert hashlib.sha256(data).hexdigest() == done.photo
    assert photos.thumbnail(booth, catalog_id("product", "KOP-001")) == data
    assert photos.thumbnail(booth, "0" * 64) is None
    assert photos.thumbnails(booth, [done.photo, "f" * 64, "bad"]) == {done.photo: data}
    shown = photos.products_with_photos(booth)
    assert [(p.sku, p.facility_code, p.photo) for p in shown] == [
        ("KOP-001", "LP-END", done.photo)]


@pytest.mark.parametrize("make, code", [
    (lambda p: p.write_bytes(b"%PDF-1.4 not a picture"), "photo_not_image"),
    (truncated_png, "photo_damaged"),
    (bomb, "photo_too_many_pixels"),
    (lambda p: p.write_bytes(b"\xff" * (20 * 2**20 + 1)), "photo_too_big"),
])
def test_a_bad_picture_is_one_error_and_nothing_is_written(booth: Booth, tmp_path: Path,
                                                           make, code: str) -> None:
    path = tmp_path / "file.png"
    make(path)
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as caught:
        photos.set_photo(booth, "KOP-001", path, actor="Maria", actor_role="coordinator")
    assert caught.value.code == code
    assert snapshot(booth.db.path) == before


def test_only_a_coordinator_sets_a_photo(booth: Booth, tmp_path: Path) -> None:
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as caught:
        photos.set_photo(booth, "KOP-001", picture(tmp_path / "k.jpg", (1, 2, 3)),
                         actor="Kasir", actor_role="cashier")
    assert caught.value.code == "not_allowed"
    assert snapshot(booth.db.path) == before


# --- pos-app catalog photo SKU FILE ------------------------------------------------------------

def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_sets_a_photo_and_refuses_a_bad_one_in_one_line(
        tmp_path: Path, capsys) -> None:
    db = tmp_path / "cli.db"
    assert cli(capsys, "--db", str(db), "init", "--demo")[0] == 0
    photo = picture(tmp_path / "tenun.jpg", (150, 30, 30), (800, 800))
    code, out, err = cli(capsys, "--lang", "en", "--db", str(db), "catalog", "photo",
                         "TEN-001", str(photo), "--json")
    assert (code, err) == (0, "")
    done = json.loads(out)
    assert (done["sku"], done["width"], done["height"], done["changed"]) == \
        ("TEN-001", THUMB_SIDE, THUMB_SIDE, True)
    assert image_of(db, "TEN-001") == done["photo"]
    code, out, err = cli(capsys, "--lang", "en", "--db", str(db), "catalog", "photo",
                         "TEN-001", str(photo))
    assert (code, err) == (0, "")
    assert out.startswith("TEN-001 (") and out.endswith(
        ") already has this photo; nothing was changed\n")
    before = snapshot(db)
    bad = tmp_path / "bad.jpg"
    bad.write_text("not a picture")
    assert cli(capsys, "--lang", "en", "--db", str(db), "catalog", "photo", "TEN-001",
               str(bad)) == (1, "", f"pos-app: {bad} is not a picture (use a JPEG or PNG "
                                    "photo); nothing was changed\n")
    assert cli(capsys, "--lang", "id", "--db", str(db), "catalog", "photo", "TEN-001",
               str(bomb(tmp_path / "bomb.png"))) == (
        1, "", f"pos-app: Gambar {tmp_path / 'bomb.png'} lebih dari 64 megapiksel; gunakan "
               "foto yang lebih kecil; tidak ada yang diubah\n")
    assert cli(capsys, "--lang", "en", "--db", str(db), "catalog", "photo", "NOPE-9",
               str(photo)) == (1, "", "pos-app: Unknown product: NOPE-9\n")
    assert snapshot(db) == before
