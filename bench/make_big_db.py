"""Big booth databases for the lookup and startup benchmarks, built once and cached.

* ``catalog_db(n)``: a fresh booth (``init_booth``) plus ``n`` products with realistic NTT
  names, loaded through the app's own CSV import (``import_catalog``: validation, FTS
  triggers, outbox rows, opening stock), with ~20 facilities and 12 categories.
* ``sales_db(n, m)``: that catalog plus ``m`` past sales over a 10-day event, made like
  real ones by :mod:`past_sales` (shifts, lines, payments, stock movements, journal events,
  outbox rows, most of them sent).

Cached under ``common.cache_dir()`` keyed by sizes, generator version and schema head.
``python bench/make_big_db.py [--products N] [--sales M]`` builds (or finds) them.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import cache_dir, checkpoint, copy_db, remove_tree, scratch_dir  # noqa: E402
from past_sales import add_sales  # noqa: E402

GEN_VERSION = 4  # 2: shifts, journal events, a cashier with a PIN; 3: migration 0006 whole
SEED = 2026

FACILITIES = [
    ("LP-KPG", "Lapas Kelas IIA Kupang", "Lapas", "Kota Kupang"),
    ("LPP-KPG", "Lapas Perempuan Kelas III Kupang", "Lapas", "Kota Kupang"),
    ("LPKA-KPG", "LPKA Kelas I Kupang", "LPKA", "Kota Kupang"),
    ("BP-KPG", "Bapas Kelas II Kupang", "Bapas", "Kota Kupang"),
    ("RT-KPG", "Rutan Kelas IIB Kupang", "Rutan", "Kabupaten Kupang"),
    ("RT-SOE", "Rutan Kelas IIB Soe", "Rutan", "Timor Tengah Selatan"),
    ("LP-ATB", "Lapas Kelas IIB Atambua", "Lapas", "Belu"),
    ("RT-KFM", "Rutan Kelas IIB Kefamenanu", "Rutan", "Timor Tengah Utara"),
    ("LP-WGP", "Lapas Kelas IIA Waingapu", "Lapas", "Sumba Timur"),
    ("RT-WKB", "Rutan Kelas IIB Waikabubak", "Rutan", "Sumba Barat"),
    ("LP-MME", "Lapas Kelas IIB Maumere", "Lapas", "Sikka"),
    ("RT-RTG", "Rutan Kelas IIB Ruteng", "Rutan", "Manggarai"),
    ("LP-END", "Lapas Kelas IIB Ende", "Lapas", "Ende"),
    ("RT-BJW", "Rutan Kelas IIB Bajawa", "Rutan", "Ngada"),
    ("LP-LRT", "Lapas Kelas III Larantuka", "Lapas", "Flores Timur"),
    ("RT-LBJ", "Rutan Kelas IIB Labuan Bajo", "Rutan", "Manggarai Barat"),
    ("RT-KLB", "Rutan Kelas IIB Kalabahi", "Rutan", "Alor"),
    ("LP-LBT", "Lapas Kelas III Lembata", "Lapas", "Lembata"),
    ("RT-BAA", "Rutan Kelas IIB Ba'a", "Rutan", "Rote Ndao"),
    ("RT-SBU", "Rutan Kelas IIB Seba", "Rutan", "Sabu Raijua"),
]

PLACES = ["Flores", "Sumba", "Timor", "Kupang", "Sikka", "Ende", "Bajawa", "Manggarai",
          "Ruteng", "Alor", "Rote", "Sabu", "Lembata", "Belu", "Insana", "Amarasi", "Mollo",
          "Lio", "Larantuka", "Soe", "Atambua", "Waingapu", "Maumere", "Labuan Bajo"]

# category code, name, sku prefix, price range (rupiah), name templates
CATEGORIES = [
    ("kopi", "Kopi", "KOP", (25_000, 250_000), [
        ("Kopi", ["Arabika", "Robusta", "Kolo", "Luwak", "Jahe", "Bubuk", "Biji Sangrai",
                  "Lanang", "Wine"], "@place", ["100 g", "200 g", "250 g", "500 g", "1 kg"])]),
    ("tenun", "Tenun Ikat", "TEN", (150_000, 3_500_000), [
        (["Sarung", "Selendang", "Kain", "Selimut", "Syal", "Tais Feto", "Tais Mane",
          "Kain Hinggi", "Kain Songke", "Dompet", "Taplak"],
         ["Tenun Ikat", "Tenun", "Tenun Buna", "Tenun Sotis"], "@place",
         ["Motif Kuda", "Motif Manusia", "Motif Buaya", "Motif Kakatua", "Motif Rusa",
          "Motif Bunga", "Motif Ayam", "Motif Cicak", "Motif Lintang", "Warna Alam",
          "Merah Mengkudu", "Biru Nila", "Hitam"])]),
    ("anyaman", "Anyaman", "ANY", (15_000, 450_000), [
        (["Tas", "Topi", "Tikar", "Bakul", "Kotak Tisu", "Keranjang", "Dompet", "Sokal",
          "Haik", "Nyiru", "Oko Mama", "Topi Ti'i Langga"],
         ["Anyaman Lontar", "Anyaman Pandan", "Anyaman Bambu", "Anyaman Rotan",
          "Anyaman Gewang", "Daun Lontar"], "@place", ["Kecil", "Sedang", "Besar", ""])]),
    ("makanan", "Makanan Ringan", "MAK", (8_000, 120_000), [
        ("Keripik", ["Pisang", "Pisang Kepok", "Singkong", "Ubi Ungu", "Talas", "Sukun",
                     "Jagung", "Nangka"], "@place",
         ["Original 100 g", "Pedas 100 g", "Balado 200 g", "Manis 250 g"]),
        (["Jagung Titi", "Jagung Bose", "Kue Rambut", "Kue Kompiang", "Rengginang Jagung",
          "Dodol Rumput Laut", "Kacang Mete", "Kacang Tanah Sangrai", "Sambal Lu'at",
          "Se'i Sapi", "Se'i Babi", "Gula Lempeng Lontar"], "", "@place",
         ["150 g", "250 g", "500 g", "1 kg"])]),
    ("madu", "Madu Hutan", "MAD", (45_000, 350_000), [
        ("Madu", ["Hutan", "Lebah Liar", "Klanceng", "Hutan Murni"], "@place",
         ["250 ml", "350 ml", "500 ml", "1 L"])]),
    ("lukisan", "Lukisan", "LUK", (250_000, 7_500_000), [
        ("Lukisan", ["Kanvas", "Cat Minyak", "Akrilik", "Pasir", "Cat Air"],
         ["Pantai Lasiana", "Danau Kelimutu", "Komodo", "Pasola Sumba", "Penari Caci",
          "Kuda Sandelwood", "Sunset Kupang", "Penenun Perempuan", "Wae Rebo",
          "Pantai Maumere", "Bukit Wairinding", "Sasando"],
         ["30x40 cm", "40x60 cm", "50x70 cm", "60x90 cm", "80x120 cm"])]),
    ("miniatur", "Miniatur", "MIN", (35_000, 1_500_000), [
        ("Miniatur", ["Rumah Adat Sumba", "Mbaru Niang Wae Rebo", "Sasando", "Perahu Phinisi",
                      "Perahu Peledang Lamalera", "Ume Kbubu Timor", "Moko Alor",
                      "Kuda Sumba", "Komodo", "Lopo Timor", "Rumah Adat Belu"],
         ["Kayu Cendana", "Kayu Jati", "Kayu Mahoni", "Bambu", "Lontar"],
         ["Kecil", "Sedang", "Besar", ""])]),
    ("kerajinan", "Kerajinan Kayu", "KER", (15_000, 2_000_000), [
        (["Asbak", "Patung", "Tempat Tisu", "Gantungan Kunci", "Kotak Perhiasan", "Talenan",
          "Mangkuk", "Sendok Set", "Tongkat", "Ukiran Dinding"],
         ["Kayu Cendana", "Kayu Jati", "Kayu Mahoni", "Kayu Kelapa", "Kayu Ukir"], "@place",
         ["", "Motif Sumba", "Motif Timor", "Motif Alor"])]),
    ("sabun", "Sabun & Minyak", "SAB", (10_000, 150_000), [
        (["Sabun", "Minyak"], ["Sereh", "Kelapa Dalam", "Kayu Putih", "Susu Kambing", "Cendana",
                               "Kopi", "Kemiri", "Kelor"], "@place",
         ["10 ml", "60 ml", "100 ml", "500 ml", "1 batang", ""])]),
    ("kelor", "Kelor", "KEL", (20_000, 180_000), [
        (["Teh", "Serbuk", "Kapsul", "Kue", "Mi"], "Daun Kelor", "@place",
         ["50 g", "100 g", "250 g", "60 kapsul"])]),
    ("aksesoris", "Aksesoris", "AKS", (15_000, 900_000), [
        (["Gelang", "Kalung", "Anting", "Bros", "Ikat Kepala", "Gantungan Tas"],
         ["Manik", "Tenun", "Perak", "Kerang", "Tempurung", "Mutisalah"], "@place",
         ["", "Motif Kuda", "Motif Bunga"])]),
    ("bangunan", "Bahan Bangunan", "BAN", (2_500, 15_000), [
        (["Paving Block", "Batako Press", "Batako Berlubang", "Roster Beton"],
         ["Segi Enam", "Bata", "Cacing", "10x20x40", "8 cm", "6 cm"], "",
         ["(per buah)"])]),
]


CASHIER, CASHIER_PIN = "Kasir", "1234"


def _pick(rng: random.Random, part, place: str) -> str:
    if part == "@place":
        return place
    if isinstance(part, list):
        return rng.choice(part)
    return part


def product_names(n: int, rng: random.Random) -> list[tuple[str, str, int, str]]:
    """``n`` (category code, name, price, sku prefix), weighted like a real NTT fair."""
    weights = [14, 16, 10, 14, 6, 6, 6, 8, 5, 4, 7, 4]
    out = []
    for _ in range(n):
        code, _name, prefix, (lo, hi), templates = rng.choices(CATEGORIES, weights)[0]
        template = rng.choice(templates)
        place = rng.choice(PLACES)
        name = " ".join(w for w in (_pick(rng, p, place) for p in template) if w)
        price = rng.randint(lo // 500, hi // 500) * 500
        out.append((code, name, price, prefix))
    return out


def ean13(body12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def barcode_for(i: int) -> str:
    """Valid EAN-13 with the Indonesian prefix 899; ``i`` >= 10**8 are never in the DB."""
    return ean13(f"899{i:09d}")


def _head() -> str:
    from pos_app.persistence.migrate import HEAD

    return HEAD


def catalog_path(n_products: int) -> Path:
    return cache_dir() / f"catalog-p{n_products}-g{GEN_VERSION}-s{_head()}.db"


def sales_path(n_products: int, n_sales: int) -> Path:
    return cache_dir() / f"sales-p{n_products}-s{n_sales}-g{GEN_VERSION}-s{_head()}.db"


def write_catalog_csvs(folder: Path, n_products: int) -> tuple[Path, Path, Path]:
    rng = random.Random(SEED)
    fac = folder / "facilities.csv"
    cat = folder / "categories.csv"
    prod = folder / "products.csv"
    with fac.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "kind", "region"])
        w.writerows(FACILITIES)
    with cat.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "sort"])
        for k, c in enumerate(CATEGORIES, start=1):
            w.writerow([c[0], c[1], k * 10])
    counters: dict[str, int] = {}
    with prod.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["sku", "barcode", "name", "category", "facility", "price", "tax_mode",
                    "active", "stock"])
        for i, (code, name, price, prefix) in enumerate(product_names(n_products, rng)):
            counters[prefix] = counters.get(prefix, 0) + 1
            sku = f"{prefix}-{counters[prefix]:05d}"
            barcode = barcode_for(i + 1) if rng.random() < 0.9 else ""  # 10% unlabelled
            tax = rng.choices(["none", "included", "added"], [80, 15, 5])[0]
            active = "1" if rng.random() < 0.97 else "0"
            w.writerow([sku, barcode, name, code, rng.choice(FACILITIES)[0], price, tax,
                        active, rng.randint(5, 400)])
    return fac, cat, prod


def build_catalog(path: Path, n_products: int, verbose: bool = True) -> float:
    """A booth DB with ``n_products`` imported the app's way; returns the import seconds."""
    from pos_app.services.catalog.catalog_import import import_catalog
    from pos_app.services.setup.setup import init_booth

    work = scratch_dir("gen")
    try:
        booth, _ = init_booth(path, device_code="KPG-01", event_name="Festival UMKM Kupang 2026")
        from pos_app.services.access.auth import create_user

        create_user(booth, CASHIER, "cashier", CASHIER_PIN, actor="os:bench")
        files = write_catalog_csvs(work, n_products)
        t0 = time.perf_counter()
        for f in files:
            import_catalog(booth, f)
        took = time.perf_counter() - t0
        booth.close()
        checkpoint(path)
        if verbose:
            print(f"  imported {n_products} products via import_catalog in {took:.1f} s")
        return took
    finally:
        remove_tree(work)


def catalog_db(n_products: int, verbose: bool = True) -> Path:
    path = catalog_path(n_products)
    if not path.exists():
        if verbose:
            print(f"building {path.name} (once; cached in {path.parent}) ...")
        tmp = path.with_suffix(".tmp")
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
        build_catalog(tmp, n_products, verbose)
        tmp.rename(path)
    return path


def sales_db(n_products: int, n_sales: int, verbose: bool = True) -> Path:
    path = sales_path(n_products, n_sales)
    if not path.exists():
        src = catalog_db(n_products, verbose)
        if verbose:
            print(f"building {path.name} (once; cached in {path.parent}) ...")
        tmp = path.with_suffix(".tmp")
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
        copy_db(src, tmp)
        add_sales(tmp, n_sales, verbose)
        tmp.rename(path)
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="build (or find) the cached big databases")
    ap.add_argument("--products", type=int, default=20_000)
    ap.add_argument("--sales", type=int, default=100_000)
    args = ap.parse_args(argv)
    print(catalog_db(args.products))
    if args.sales:
        print(sales_db(args.products, args.sales))
    return 0


if __name__ == "__main__":
    sys.exit(main())
