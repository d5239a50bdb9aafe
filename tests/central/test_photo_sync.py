"""Product photos travel with the catalog, against a real PostgreSQL: up in the catalog's turn
of a sync (never with the sales), down to another booth of the event, stored once centrally
whoever sends them; by USB bundle too. Central holds a photo's name to its bytes, a booth
keeps only a picture that is what its name says, and nobody rewrites one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg
import pytest
from PIL import Image
from sqlalchemy import select, update

from pos_app.persistence.local import Photo
from pos_app.persistence.models import Product
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.catalog.photos import set_photo, thumbnail
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import enrollment
from pos_app.services.sync.bundle import export_bundle
from pos_app.services.sync.bundle_import import import_bundle
from pos_app.services.sync.photo_sync import PhotoResult, pull_photos
from pos_app.services.sync.sync_status import run_catalog, run_push, run_sync
from tests.central.test_catalog_sync import accept_all, central_rows
from tests.central.test_push import make_sales


def picture(path: Path, color: tuple[int, int, int]) -> Path:
    Image.new("RGB", (1024, 768), color).save(path, "JPEG")
    return path


def image_of(b: Booth, sku: str) -> str | None:
    with b.db.read() as s:
        return s.execute(select(Product.image).where(Product.sku == sku)).scalar_one()


def kept(b: Booth) -> dict[str, bytes]:
    with b.db.read() as s:
        return {p.hash: p.data for p in s.scalars(select(Photo))}


def coordinator_sets(b: Booth, sku: str, path: Path) -> str:
    return set_photo(b, sku, path, actor="Maria", actor_role="coordinator").photo


def test_a_catalog_sync_carries_photos_to_another_booth_of_the_event(
        booth, till_shift, other, enroll, central_url, tmp_path) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    run_sync(booth, connect=a_connect)
    run_sync(b, connect=b_connect)
    made = create_product(booth, name="Lukisan Danau Kelimutu", facility_code="LP-KPG",
                          category_code="lukisan", price=950_000, actor="Maria",
                          actor_role="coordinator")
    painting = coordinator_sets(booth, made.sku, picture(tmp_path / "lukisan.jpg", (30, 90, 160)))
    coffee = coordinator_sets(booth, "KOP-001", picture(tmp_path / "kopi.jpg", (110, 70, 30)))
    make_sales(booth, till_shift, 3)

    pushed = run_push(booth, connect=a_connect)  # the sales' turn: no photo goes with it
    assert pushed.sent > 0
    assert central_rows(central_url, "SELECT count(*) FROM photo") == [(0,)]
    up = run_catalog(booth, a_connect)
    assert (up.photos.sent, up.photos.already, up.photos.refused) == (2, 0, [])
    assert sorted(central_rows(central_url, "SELECT hash, device_id, data FROM photo")) == sorted(
        [(h, booth.context.device_id, kept(booth)[h]) for h in (painting, coffee)])
    assert run_sync(booth, connect=a_connect).catalog.photos == PhotoResult()  # sent once

    got = run_sync(b, connect=b_connect).catalog  # the new product is the event's at once
    assert got.photos.received == 1 and image_of(b, made.sku) == painting
    assert image_of(b, "KOP-001") is None  # a shared product's photo waits for head office
    accept_all(central_url, "KPG-01")
    got = run_sync(b, connect=b_connect).catalog
    assert got.photos.received == 1 and image_of(b, "KOP-001") == coffee
    assert kept(b) == kept(booth)
    assert thumbnail(b, coffee) == kept(booth)[coffee]
    assert hashlib.sha256(thumbnail(b, painting)).hexdigest() == painting
    assert run_sync(b, connect=b_connect).catalog.photos == PhotoResult()


def test_the_same_picture_from_two_booths_is_kept_once_and_sent_once(
        booth, other, enroll, central_url, tmp_path) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    same = picture(tmp_path / "tenun.jpg", (150, 20, 40))
    mine = create_product(booth, name="Selendang A", facility_code="LP-KPG",
                          category_code="tenun", price=300_000, actor="Maria",
                          actor_role="coordinator")
    theirs = create_product(b, name="Selendang B", facility_code="LP-KPG",
                            category_code="tenun", price=300_000, actor="Maria",
                            actor_role="coordinator")
    digest = coordinator_sets(booth, mine.sku, same)
    assert coordinator_sets(b, theirs.sku, same) == digest
    assert run_sync(booth, connect=a_connect).catalog.photos.sent == 1
    second = run_sync(b, connect=b_connect).catalog.photos
    assert (second.sent, second.already, second.received) == (0, 1, 0)  # asked, not sent
    assert central_rows(central_url, "SELECT count(*), min(device_id::text) FROM photo") == [
        (1, str(booth.context.device_id))]


def test_central_holds_a_photo_to_its_bytes_and_nobody_rewrites_one(
        booth, other, enroll, central_url, tmp_path) -> None:
    a_connect = enroll(booth)
    b = other()
    b_connect = enroll(b)
    digest = coordinator_sets(booth, "KOP-001", picture(tmp_path / "k.jpg", (1, 2, 3)))
    run_sync(booth, connect=a_connect)
    me = booth.context.device_id
    with a_connect() as conn:
        with pytest.raises(psycopg.errors.CheckViolation):  # other bytes under a name
            conn.execute("INSERT INTO photo (hash, device_id, data, kind, width, height)"
                         " VALUES (%s, %s, %s, 'jpeg', 1, 1)", ("0" * 64, me, b"not it"))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # as another booth
            conn.execute("INSERT INTO photo (hash, device_id, data, kind, width, height)"
                         " VALUES (%s, %s, %s, 'jpeg', 1, 1)",
                         (hashlib.sha256(b"x").hexdigest(), b.context.device_id, b"x"))
        for sql in ("UPDATE photo SET kind = 'png'", "DELETE FROM photo"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
        # bytes that are what their name says, but no picture: central takes them ...
        junk = b"\xff\xd8 not really a jpeg"
        name = hashlib.sha256(junk).hexdigest()
        conn.execute("INSERT INTO photo (hash, device_id, data, kind, width, height)"
                     " VALUES (%s, %s, %s, 'jpeg', 8, 8)", (name, me, junk))
    assert central_rows(central_url, "SELECT data FROM photo WHERE hash = %s", digest) == [
        (kept(booth)[digest],)]
    # ... and a booth whose product names them keeps none: the tile stays text
    with b.db.write() as s:
        s.execute(update(Product).where(Product.sku == "TEN-001").values(image=name))
    result = PhotoResult()
    with b_connect() as conn:
        pull_photos(b, conn, result)
    assert result.received == 0 and result.refused == [(name, "not the picture its name says")]
    assert name not in kept(b) and thumbnail(b, name) is None


def test_a_bundle_carries_the_photos_of_the_products_it_carries(
        register, secrets, booth, other, enroll, central_url, tmp_path) -> None:
    b = other()
    b_connect = enroll(b)  # head office's catalog: the demo one
    enrollment.enroll(booth, register(booth, publish=False))  # this booth goes by USB
    digest = coordinator_sets(booth, "KOP-001", picture(tmp_path / "kopi.jpg", (90, 60, 20)))
    res = export_bundle(booth, tmp_path / "b.lapak")
    assert res.manifest["counts"]["photo"] == 1
    first = import_bundle(tmp_path / "b.lapak", central_url)
    assert first.photos == 1 and not first.quarantined
    assert central_rows(central_url, "SELECT hash, device_id, data FROM photo") == [
        (digest, booth.context.device_id, kept(booth)[digest])]
    assert import_bundle(tmp_path / "b.lapak", central_url).photos == 0  # twice: kept once
    accept_all(central_url, "KPG-01")  # head office takes the booth's new photo of KOP-001
    got = run_sync(b, connect=b_connect).catalog
    assert got.photos.received == 1 and image_of(b, "KOP-001") == digest
    assert kept(b) == {digest: kept(booth)[digest]}
