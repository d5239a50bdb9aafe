"""Issue 18: start-up with 20,000 products that all have a photo, against the same start-up
with the same 20,000 products and no photo, in the same run.

Wall time of a fresh subprocess (``QT_QPA_PLATFORM=offscreen``), the two alternating (the
order turns each round): ``python -m pos_app --db DB --smoke``, which prints "smoke ok" and
exits once the sale screen's grid has its first product page shown. With photos, that page
counts as shown only once its first screenful of photos (``FIRST_PHOTOS``) is read and
decoded, so the photo run does the photo work the cashier sees.

* ``plain``  - the baseline: the catalog built by ``make_big_db.build_catalog`` (the app's own
               CSV import), no photo;
* ``photos`` - a copy of it where every product has its own photo, as a booth has them after
               a catalog pull: a thumbnail made by the app's ``make_thumbnail`` from a
               512x384 picture of its own (a colour, shapes and grain, so the JPEG sizes are
               a camera's, about 8-12 kB), in the ``photo`` table, named by ``product.image``.

Fairness checks (untimed; a failed one exits 1 before anything is timed): the two databases
hold the same products (every column but ``image``) and the same rows in every other table
but ``photo``; every product of ``photos`` names a photo of its own that is there; and a
start-up of each, driven like the smoke start and stopped at the same signal, shows photo
tiles with the first screenful decoded on ``photos`` and text tiles only on ``plain``.

Target: photos/plain <= 1.10 (medians). A missed target exits 1 as well: this bench is the
issue's proof that photos do not slow the start.

Usage: .venv/bin/python bench/bench_startup_photos.py [--quick] [--runs N] [--products N]
Databases are cached in ``common.cache_dir()`` (the photo one takes a minute or two once);
their device secrets in a ``secrets`` folder there.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from common import (  # noqa: E402
    REPO,
    cache_dir,
    checkpoint,
    copy_db,
    machine_line,
    percentile,
    ratio,
    remove_tree,
    scratch_dir,
    verdict,
)

RATIO_TARGET = 1.10
GEN_VERSION = 1
PY = sys.executable
SECRETS = cache_dir() / "secrets"
# A start-up driven like ``--smoke`` (same window, same signal), reporting what it showed.
CHECK = """
import sys
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
import pos_app.services.setup.booth as booth_mod
from pos_app.ui.common.app_context import AppContext
from pos_app.ui.common.ops import Ops
from pos_app.ui.main_window import MainWindow
from pos_app.ui.sale.product_grid import FIRST_PHOTOS
from pos_app.ui.sale.product_model import PHOTO_ROLE
app = QApplication([])
booth = booth_mod.Booth.open(sys.argv[1])
ops = Ops()
win = MainWindow(AppContext.load(booth, ops))
grid = win.sale_screen.grid
def shown(count):
    m = grid.model
    first = [m.data(m.index(i), PHOTO_ROLE) for i in range(min(FIRST_PHOTOS, count))]
    print("rows", count, "decoded", sum(isinstance(p, QImage) for p in first),
          "photo_tiles", int(grid.model.photo_mode()), flush=True)
    app.quit()
grid.page_loaded.connect(shown)
win.resize(1280, 800)
win.show()
app.exec()
win.sync_runner.shutdown(); win.app_ctx.printer.shutdown(); win.app_ctx.wal.shutdown()
ops.wait(); booth.close()
"""


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["QT_QPA_PLATFORM"] = "offscreen"
    e["LAPAK_SECRETS_DIR"] = str(SECRETS)
    e.pop("PYTHONPROFILEIMPORTTIME", None)
    return e


def head() -> str:
    from pos_app.persistence.migrate import HEAD

    return HEAD


def plain_db(n: int) -> Path:
    """20,000 products through the app's import (make_big_db's catalog), built once."""
    path = cache_dir() / f"photos-plain-p{n}-g{GEN_VERSION}-s{head()}.db"
    if not path.exists():
        from make_big_db import build_catalog

        print(f"building {path.name} (once) ...", flush=True)
        tmp = path.with_suffix(".tmp")
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
        build_catalog(tmp, n)
        tmp.rename(path)
    return path


def picture(i: int, rng: random.Random) -> bytes:
    """A 512x384 JPEG of its own: a colour, a few shapes, some grain."""
    import io

    from PIL import Image, ImageDraw

    base = tuple(rng.randrange(40, 220) for _ in range(3))
    image = Image.new("RGB", (512, 384), base)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(0, 480), rng.randrange(0, 350)
        draw.ellipse((x, y, x + rng.randrange(30, 200), y + rng.randrange(30, 150)),
                     fill=tuple(rng.randrange(0, 256) for _ in range(3)))
    draw.text((10 + i % 300, 10 + i % 200), f"{i}", fill=(255, 255, 255))
    grain = Image.effect_noise((512, 384), 24).convert("RGB")
    image = Image.blend(image, grain, 0.18)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def photo_db(n: int) -> Path:
    """The plain catalog with a photo of its own for every product (as pulled: no outbox
    rows, no revision change), built once."""
    path = cache_dir() / f"photos-with-p{n}-g{GEN_VERSION}-s{head()}.db"
    if path.exists():
        return path
    from pos_app.adapters.photo_image import make_thumbnail

    print(f"building {path.name} (once: {n} thumbnails) ...", flush=True)
    tmp = path.with_suffix(".tmp")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    copy_db(plain_db(n), tmp)
    rng = random.Random(2026)
    t0 = time.perf_counter()
    con = sqlite3.connect(tmp)
    try:
        ids = [r[0] for r in con.execute("SELECT id FROM product ORDER BY sku")]
        con.execute("BEGIN")
        for i, pid in enumerate(ids):
            thumb = make_thumbnail(picture(i, rng), f"{i}.jpg")
            now = "2026-11-20T01:00:00.000000+00:00"
            con.execute("INSERT INTO photo (hash, data, kind, width, height, source_sha256,"
                        " created_at, sent_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)",
                        (thumb.hash, thumb.data, thumb.kind, thumb.width, thumb.height, now,
                         now))
            con.execute("UPDATE product SET image = ? WHERE id = ?", (thumb.hash, pid))
        con.execute("COMMIT")
    finally:
        con.close()
    checkpoint(tmp)
    print(f"  {len(ids)} thumbnails in {time.perf_counter() - t0:.0f} s", flush=True)
    tmp.rename(path)
    return path


def fairness(plain: Path, photos: Path) -> list[str]:
    """What differs between the two databases beyond the photos (empty: fair)."""
    wrong = []
    a, b = sqlite3.connect(plain), sqlite3.connect(photos)
    try:
        tables = [r[0] for r in a.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                          " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        cols = [r[1] for r in a.execute("PRAGMA table_info(product)") if r[1] != "image"]

        def digest(con, sql: str) -> str:
            h = hashlib.sha256()
            for row in con.execute(sql):
                h.update(repr(row).encode())
            return h.hexdigest()

        if digest(a, f"SELECT {', '.join(cols)} FROM product ORDER BY id") != \
                digest(b, f"SELECT {', '.join(cols)} FROM product ORDER BY id"):
            wrong.append("the products differ")
        for t in tables:
            if t in ("product", "photo") or t.startswith("product_fts"):
                continue
            if digest(a, f'SELECT * FROM "{t}" ORDER BY 1') != \
                    digest(b, f'SELECT * FROM "{t}" ORDER BY 1'):
                wrong.append(f"table {t} differs")
        products = b.execute("SELECT count(*) FROM product").fetchone()[0]
        named = b.execute("SELECT count(DISTINCT p.image) FROM product p JOIN photo f"
                          " ON f.hash = p.image").fetchone()[0]
        if named != products:
            wrong.append(f"{products - named} products without a photo of their own")
        if a.execute("SELECT count(*) FROM photo").fetchone()[0] or \
                a.execute("SELECT count(*) FROM product WHERE image IS NOT NULL").fetchone()[0]:
            wrong.append("the plain catalog has photos")
    finally:
        a.close()
        b.close()
    return wrong


def shown(db: Path) -> str:
    p = subprocess.run([PY, "-c", CHECK, str(db)], capture_output=True, text=True, env=env(),
                       cwd=REPO, timeout=120)
    lines = [line for line in p.stdout.splitlines() if line.startswith("rows")]
    return lines[-1] if lines else f"failed: {(p.stdout + p.stderr)[-400:]}"


def run_once(cmd: list[str]) -> tuple[float, bool, str]:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env(), cwd=REPO, timeout=120)
    dt = time.perf_counter() - t0
    return dt, p.returncode == 0 and "smoke ok" in p.stdout, (p.stdout + p.stderr)[-400:]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5 runs each instead of 11")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--products", type=int, default=20_000)
    args = ap.parse_args(argv)
    runs = args.runs or (5 if args.quick else 11)
    os.environ["LAPAK_SECRETS_DIR"] = str(SECRETS)  # the builds' device secrets: not in home
    SECRETS.mkdir(mode=0o700, exist_ok=True)
    print(f"bench_startup_photos: {runs} cold starts each, {args.products} products, "
          f"{machine_line()}", flush=True)
    plain_src, photo_src = plain_db(args.products), photo_db(args.products)
    work = scratch_dir("startup-photos")
    try:
        dbs = {"plain": work / "plain.db", "photos": work / "photos.db"}
        shutil.copyfile(plain_src, dbs["plain"])
        shutil.copyfile(photo_src, dbs["photos"])
        sizes = {k: v.stat().st_size / 2**20 for k, v in dbs.items()}
        print(f"databases: plain {sizes['plain']:.0f} MB, photos {sizes['photos']:.0f} MB")
        wrong = fairness(dbs["plain"], dbs["photos"])
        seen = {name: shown(db) for name, db in dbs.items()}
        print(f"first page shown: plain [{seen['plain']}], photos [{seen['photos']}]")
        from pos_app.ui.sale.product_grid import FIRST_PHOTOS, PAGE

        if seen["plain"] != f"rows {PAGE} decoded 0 photo_tiles 0":
            wrong.append("the plain start showed photos")
        if seen["photos"] != f"rows {PAGE} decoded {FIRST_PHOTOS} photo_tiles 1":
            wrong.append("the photo start did not show its first screenful of photos")
        print(f"fairness: {'OK' if not wrong else 'FAIL: ' + '; '.join(wrong)}")
        if wrong:
            return 1
        cmds = {name: [PY, "-m", "pos_app", "--db", str(db), "--smoke"]
                for name, db in dbs.items()}
        for name, cmd in cmds.items():  # untimed: byte code compiled, page cache warm
            dt, ok, tail = run_once(cmd)
            if not ok:
                print(f"{name} failed: {tail}")
                return 1
        timings: dict[str, list[float]] = {n: [] for n in cmds}
        for i in range(runs):
            for name in (cmds if i % 2 == 0 else reversed(list(cmds))):
                dt, ok, tail = run_once(cmds[name])
                if not ok:
                    print(f"{name} run {i} failed: {tail}")
                    return 1
                timings[name].append(dt)
        print()
        for name, xs in timings.items():
            xs = sorted(xs)
            print(f"{name:8} n={len(xs):<3} median {statistics.median(xs):6.3f} s   "
                  f"p95 {percentile(xs, 95):6.3f} s   min {xs[0]:6.3f} s   max {xs[-1]:6.3f} s")
        rm = ratio(statistics.median(timings["photos"]), statistics.median(timings["plain"]))
        rmin = ratio(min(timings["photos"]), min(timings["plain"]))
        print(f"ratio photos/plain: median {rm:.3f}x, best {rmin:.3f}x (target <= "
              f"{RATIO_TARGET:.2f}x)  -> {verdict(rm <= RATIO_TARGET)}")
        return 0 if rm <= RATIO_TARGET else 1
    finally:
        remove_tree(work)


if __name__ == "__main__":
    sys.exit(main())
