"""Issue 18 items 1, 2 and 6: the booth's QRIS set once (pasted, or read from a photo of the
sticker), checked and journaled; a QRIS payment keeps the exact per-sale payload it showed,
carrying the amount, and that payload reaches the export and the reconciliation; the
command line's ``qris set|show|payload`` and ``sell --pay qris=...``. Refusals are one line
and change nothing. zbarimg (a decoder nobody here wrote) reads the PNG back."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageFilter
from sqlalchemy import text

from pos_app.cli.main import main
from pos_app.domain import qris as qris_rules
from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import Method, Tender
from pos_app.services.access import audit
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.qris import offer, set_qris
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.reconcile import open_payments
from tests.conftest import copy_database
from tests.unit.test_qris import AHASS, BAZNAS, crc, tlv

needs_zbar = pytest.mark.skipif(
    shutil.which("zbarimg") is None and not os.environ.get("LAPAK_REQUIRE_TOOLS"),
    reason="needs zbar-tools (.ci/lib.sh APT_TEST_TOOLS)")


def run(capsys, *argv: str, lang: str = "en") -> tuple[int, str, str]:
    code = main(["--lang", lang, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, demo_template: Path) -> Path:
    path = tmp_path / "booth.db"
    copy_database(demo_template, path)
    return path


def sticker_photo(payload: str, out: Path) -> Path:
    """A phone photo of the printed sticker, roughly: the code small on a grey card, turned
    a little, blurred, saved as a JPEG."""
    from pos_app.services.sale.qris import qr_modules

    rows = qr_modules(payload)
    n = len(rows)
    code = Image.new("L", (n, n), 255)
    code.putdata([0 if dark else 255 for row in rows for dark in row])
    code = code.resize((n * 6, n * 6), Image.Resampling.NEAREST)
    card = Image.new("L", (code.width + 300, code.height + 400), 200)
    card.paste(code, (150, 180))
    card = card.rotate(7, expand=True, fillcolor=170).filter(ImageFilter.GaussianBlur(1.2))
    card.convert("RGB").save(out, "JPEG", quality=70)
    return out


def setting_events(path: Path) -> list[dict]:
    import sqlite3

    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT payload FROM audit_event WHERE action = 'setting'").fetchall()
    con.close()
    return [json.loads(r[0]) for r in rows if json.loads(r[0])["key"] == "qris_payload"]


def test_set_by_text_shows_merchant_city_nmid_and_is_journaled(db, capsys) -> None:
    code, out, err = run(capsys, "--db", str(db), "qris", "set", "--payload", AHASS,
                         "--cashier", "Koordinator")
    assert (code, err) == (0, "")
    assert "Merchant: AHASS TDM Natar" in out and "NMID: ID2021066246392" in out
    code, out, err = run(capsys, "--db", str(db), "--json", "qris", "show")
    assert json.loads(out) == {"merchant": "AHASS TDM Natar", "city": "Jakarta",
                               "nmid": "ID2021066246392", "payload": AHASS}
    [event] = setting_events(db)
    assert event["to"] == AHASS and event["from"] == ""


def test_set_from_a_photo_of_the_sticker(db, tmp_path, capsys) -> None:
    photo = sticker_photo(BAZNAS, tmp_path / "stiker.jpg")
    code, out, err = run(capsys, "--db", str(db), "--json", "qris", "set", "--image",
                         str(photo))
    assert (code, err) == (0, ""), err
    assert json.loads(out)["payload"] == BAZNAS and json.loads(out)["merchant"] == "Baznas"


@pytest.mark.parametrize("argv, says", [
    (["--payload", AHASS[:-4] + "0000"], "This QRIS cannot be used: its checksum (CRC, tag 63) "
                                        "does not match"),
    (["--payload", "https://example.com/pay"], "This QRIS cannot be used: it is not the text"),
    (["--image", "{photo_without_code}"], "No QR code could be read in"),
    (["--image", "{not_an_image}"], "No QR code could be read in"),
    (["--image", "{missing}"], "Cannot read"),
    ([], "give the QRIS as --payload TEXT or --image FILE"),
])
def test_bad_payloads_and_images_are_one_line_and_change_nothing(db, tmp_path, capsys, argv,
                                                                 says) -> None:
    plain = tmp_path / "plain.png"
    Image.new("RGB", (400, 300), "white").save(plain)
    (tmp_path / "notes.png").write_text("not an image")
    files = {"{photo_without_code}": str(plain), "{not_an_image}": str(tmp_path / "notes.png"),
             "{missing}": str(tmp_path / "nowhere.jpg")}
    assert run(capsys, "--db", str(db), "qris", "set", "--payload", AHASS)[0] == 0
    code, out, err = run(capsys, "--db", str(db), "qris", "set",
                         *[files.get(a, a) for a in argv])
    assert code != 0 and out == ""
    assert err.startswith("pos-app: ") and says in err and err.count("\n") == 1, err
    assert "Traceback" not in err and "unexpected" not in err.lower()
    assert len(setting_events(db)) == 1  # only the first, good one
    code, out, _err = run(capsys, "--db", str(db), "--json", "qris", "show")
    assert json.loads(out)["payload"] == AHASS


def test_refusals_are_translated(db, capsys) -> None:
    code, _out, err = run(capsys, "--db", str(db), "qris", "set", "--payload", "halo",
                          lang="id")
    assert code != 0
    assert err == ("pos-app: QRIS ini tidak dapat dipakai: ini bukan teks kode QR pembayaran "
                   "(susunan tag-nya tidak cocok)\n")


@needs_zbar
def test_the_payload_png_reads_back_with_zbarimg(db, tmp_path, capsys) -> None:
    run(capsys, "--db", str(db), "qris", "set", "--payload", AHASS)
    png = tmp_path / "bayar.png"
    code, out, err = run(capsys, "--db", str(db), "--json", "qris", "payload", "--amount",
                         "85000", "--png", str(png))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["with_amount"] is True and data["amount"] == 85_000
    assert data["payload"] == qris_rules.with_amount(AHASS, 85_000)
    read = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert read == data["payload"]
    assert dict(tlv(read))["54"] == "85000" and read[-4:] == crc(read[:-4])
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_above_the_limit_the_static_code_is_given_and_said(db, capsys) -> None:
    run(capsys, "--db", str(db), "qris", "set", "--payload", AHASS)
    code, out, _err = run(capsys, "--db", str(db), "qris", "payload", "--amount", "10000001")
    assert code == 0
    assert out.splitlines()[0] == AHASS
    assert "Above the QRIS limit of 10000000: the static code is shown" in out
    assert run(capsys, "--db", str(db), "settings", "set", "qris_limit", "50000")[0] == 0
    code, out, _err = run(capsys, "--db", str(db), "--json", "qris", "payload", "--amount",
                          "85000")
    assert json.loads(out)["payload"] == AHASS and json.loads(out)["over_limit"] is True


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "9" * 40])
def test_amounts_out_of_range_are_one_line(db, capsys, amount) -> None:
    run(capsys, "--db", str(db), "qris", "set", "--payload", AHASS)
    code, out, err = run(capsys, "--db", str(db), "qris", "payload", f"--amount={amount}")
    assert code != 0 and out == "" and err.count("\n") == 1 and "Traceback" not in err


def test_without_a_qris_the_payload_command_says_how_to_set_one(db, capsys) -> None:
    code, _out, err = run(capsys, "--db", str(db), "qris", "payload", "--amount", "1000")
    assert code != 0 and "This booth has no QRIS yet" in err and "pos-app qris set" in err


def test_a_qris_sale_keeps_the_payload_it_showed_to_export_and_reconciliation(
        db, tmp_path, capsys) -> None:
    run(capsys, "--db", str(db), "qris", "set", "--payload", AHASS)
    code, out, err = run(capsys, "--db", str(db), "--json", "sell", "--item", "KOP-001=1",
                         "--item", "MAK-006=1", "--pay", "qris=60000:RRN-77", "--pay",
                         "cash=100000")
    assert (code, err) == (0, ""), err
    sale = json.loads(out)
    qris_pay = next(p for p in sale["payments"] if p["method"] == "qris")
    cash_pay = next(p for p in sale["payments"] if p["method"] == "cash")
    assert qris_pay["qris_payload"] == qris_rules.with_amount(AHASS, 60_000)
    assert cash_pay["qris_payload"] is None
    booth = Booth.open(db)
    try:
        [open_one] = open_payments(booth)
        assert open_one.qris_payload == qris_pay["qris_payload"] and open_one.amount == 60_000
        with booth.db.read() as s:
            assert audit.verify(s.connection(), booth.context.device_id).ok
    finally:
        booth.close()
    pack = tmp_path / "pack"
    code, _out, err = run(capsys, "--db", str(db), "export", "--format", "pack", "--out",
                          str(pack))
    assert code == 0, err
    with (pack / "csv" / "payments.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["qris_payload"] for r in rows if r["method"] == "qris"] == [qris_pay["qris_payload"]]
    assert [r["qris_payload"] for r in rows if r["method"] == "cash"] == [""]


def test_checkout_refuses_a_shown_payload_of_another_amount(booth: Booth, till_shift) -> None:
    set_qris(booth, payload=AHASS, actor="Koordinator", role="coordinator")
    shown = offer(booth, 50_000).payload
    with pytest.raises(DomainError) as caught:
        checkout(booth, SaleRequest((SaleItem(1, sku="KOP-001"),),
                                    (Tender(Method.QRIS, 85_000, "R1", qris_payload=shown),),
                                    actor="Kasir", shift_id=till_shift.id))
    assert caught.value.code == "qris_amount_differs"
    done = checkout(booth, SaleRequest(
        (SaleItem(1, sku="KOP-001"),),
        (Tender(Method.QRIS, 85_000, "R1", qris_payload=offer(booth, 85_000).payload),),
        actor="Kasir", shift_id=till_shift.id))
    assert done.payments[0].qris_payload == qris_rules.with_amount(AHASS, 85_000)


def test_a_coordinator_sets_it_and_a_cashier_may_not(booth: Booth) -> None:
    with pytest.raises(DomainError) as caught:
        set_qris(booth, payload=AHASS, actor="Kasir", role="cashier")
    assert caught.value.code == "setting_not_allowed"
    assert booth.settings().qris_payload == ""


def test_statement_matching_uses_the_exact_amount_the_code_carried(booth: Booth,
                                                                  till_shift) -> None:
    """Two QRIS sales, Rp85.000 and Rp10.000: each code carried its amount, so the buyer's
    wallet paid exactly that; each statement line matches its own sale, with the payload
    shown beside it, and a line of Rp85.001 (an amount typed by hand) matches none."""
    from datetime import timedelta

    from pos_app.domain.reconcile import StatementLine
    from pos_app.services.shift.reconcile import propose

    set_qris(booth, payload=AHASS, actor="Koordinator", role="coordinator")
    sales = []
    for amount, sku in ((85_000, "KOP-001"), (10_000, "MAK-006")):
        sales.append(checkout(booth, SaleRequest(
            (SaleItem(1, sku=sku),), (Tender(Method.QRIS, amount, f"R{amount}"),),
            actor="Kasir", shift_id=till_shift.id)))
    shown = [s.payments[0].qris_payload for s in sales]
    assert [qris_rules.amount_in(p) for p in shown] == [85_000, 10_000]
    at = sales[0].created_at + timedelta(minutes=3)
    lines = [StatementLine(1, at, 85_000, "RRN1"), StatementLine(2, at, 10_000, "RRN2"),
             StatementLine(3, at, 85_001, "RRN3")]
    found = propose(booth, lines)
    assert sorted((p.sale_number, line.row) for p, line in found.matched) == [
        (sales[0].number, 1), (sales[1].number, 2)]
    assert [p.qris_payload for p, _line in sorted(found.matched, key=lambda m: m[1].row)] \
        == shown
    assert not found.ambiguous and not found.unmatched
    assert [line.row for line in found.unused_lines] == [3]


@pytest.mark.parametrize("shown", [
    "other merchant's sticker", "other merchant's code for the amount", "our sticker",
    "a code carrying Rp1.000.00", "a damaged CRC", "two tags 54", "2,000 characters",
])
def test_checkout_keeps_only_this_booths_code_for_the_payment(booth: Booth, till_shift,
                                                              shown) -> None:
    """Found by attacking it: a payload handed to checkout must be exactly this booth's
    code for the payment's amount; nothing else is kept, and nothing is written."""
    set_qris(booth, payload=AHASS, actor="Koordinator", role="coordinator")
    good = qris_rules.with_amount(AHASS, 85_000)
    body = good[:-8]  # everything before "6304" and the CRC
    payloads = {
        "other merchant's sticker": BAZNAS,
        "other merchant's code for the amount": qris_rules.with_amount(BAZNAS, 85_000),
        "our sticker": AHASS,
        "a code carrying Rp1.000.00": body.replace("540585000", "54071000.00") + "6304"
        + crc(body.replace("540585000", "54071000.00") + "6304"),
        "a damaged CRC": good[:-4] + "0000",
        "two tags 54": body.replace("540585000", "5405850005404100") + "6304"
        + crc(body.replace("540585000", "5405850005404100") + "6304"),
        "2,000 characters": body + "".join(f"{t}99{'X' * 99}" for t in range(80, 100)) + "6304",
    }
    with pytest.raises(DomainError) as caught:
        checkout(booth, SaleRequest((SaleItem(1, sku="KOP-001"),),
                                    (Tender(Method.QRIS, 85_000, "R1",
                                            qris_payload=payloads[shown]),),
                                    actor="Kasir", shift_id=till_shift.id))
    assert caught.value.code == "qris_amount_differs"
    with booth.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM sale")).scalar() == 0


def test_a_pipe_given_as_an_image_is_refused_not_waited_on(db, tmp_path, capsys) -> None:
    fifo = tmp_path / "ff"
    os.mkfifo(fifo)
    code, _out, err = run(capsys, "--db", str(db), "qris", "set", "--image", str(fifo))
    assert code != 0 and "it is not a regular file" in err and err.count("\n") == 1
    code, _out, err = run(capsys, "--db", str(db), "catalog", "photo", "KOP-001", str(fifo))
    assert code != 0 and "it is not a regular file" in err and err.count("\n") == 1
