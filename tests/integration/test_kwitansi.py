"""The kwitansi states the money kept: numbered per device (KPG-01-KW-000001), journaled,
refused for void and refund documents and for voided or fully refunded sales, net of refunds
(named) for a partly refunded sale, SALINAN on a second print. PDFs read with pdftotext."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from pos_app import i18n
from pos_app.domain.cart import Discount
from pos_app.domain.errors import DomainError
from pos_app.domain.kwitansi import RefundNote
from pos_app.domain.tenders import Method, Tender
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.history import find_sales
from pos_app.services.sale.kwitansi import (
    check_kwitansi,
    kwitansi_for,
    kwitansi_plan,
    save_kwitansi_pdf,
)
from pos_app.services.sale.refunds import refund, void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.shifts import ShiftRow

BOSS = {"actor": "os:budi", "actor_role": "coordinator"}
INDONESIAN = i18n.load("id").gettext


def sell(booth: Booth, till_shift: ShiftRow, *items: tuple[str, int]):
    return checkout(booth, SaleRequest(items=tuple(SaleItem(q, sku=s) for s, q in items),
                                       tenders=(Tender(Method.CASH, 10**7),),
                                       shift_id=till_shift.id))


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


def journal(booth: Booth) -> list[tuple[str, str, dict]]:
    with sqlite3.connect(booth.db.path) as con:
        rows = con.execute("SELECT action, actor, payload FROM audit_event "
                           "WHERE action LIKE 'kwitansi.%' ORDER BY chain_index").fetchall()
    con.close()
    return [(action, actor, json.loads(payload)) for action, actor, payload in rows]


def refused(booth: Booth, ref: str) -> DomainError:
    with pytest.raises(DomainError) as info:
        kwitansi_for(booth, ref, "Dinas Koperasi")
    with pytest.raises(DomainError) as checked:
        check_kwitansi(booth, ref)
    assert checked.value.code == info.value.code
    return info.value


def test_numbered_per_device_across_sales_and_journaled(booth: Booth,
                                                       till_shift: ShiftRow) -> None:
    first = sell(booth, till_shift, ("KOP-001", 2), ("MAK-003", 1))
    second = sell(booth, till_shift, ("TEN-002", 1))
    a = kwitansi_for(booth, first.number, " Ibu Maria ", "Dinas Koperasi", actor="Yohana")
    b = kwitansi_for(booth, second.number, "Bpk. Yosef", actor="Yohana")
    assert (a.number, a.sale_number, a.amount, a.copy) == (
        "KPG-01-KW-000001", "KPG-01-000001", 219_950, False)
    assert (b.number, b.sale_number, b.amount, b.copy) == (
        "KPG-01-KW-000002", "KPG-01-000002", 1_500_000, False)
    assert journal(booth) == [
        ("kwitansi.issue", "Yohana", {
            "number": "KPG-01-KW-000001", "sale": "KPG-01-000001", "amount": 219_950,
            "buyer": "Ibu Maria", "institution": "Dinas Koperasi", "refunds": [],
            "purpose": a.purpose, "replaces": None}),
        ("kwitansi.issue", "Yohana", {
            "number": "KPG-01-KW-000002", "sale": "KPG-01-000002", "amount": 1_500_000,
            "buyer": "Bpk. Yosef", "institution": "", "refunds": [],
            "purpose": b.purpose, "replaces": None}),
    ]


def test_second_print_keeps_the_number_and_says_salinan(booth: Booth, till_shift: ShiftRow,
                                                        tmp_path: Path) -> None:
    sold = sell(booth, till_shift, ("TEN-002", 1))
    first = save_kwitansi_pdf(booth, sold.number, tmp_path / "1.pdf", "Ibu Maria",
                              translate=INDONESIAN)
    again = save_kwitansi_pdf(booth, sold.number, tmp_path / "2.pdf", "Ibu Maria",
                              translate=INDONESIAN)
    one, two = pdf_text(first), pdf_text(again)
    assert "No. KPG-01-KW-000001" in one and "SALINAN" not in one
    assert "No. KPG-01-KW-000001" in two and "SALINAN" in two
    assert "Satu juta lima ratus ribu rupiah" in two
    assert [(action, p["number"]) for action, _actor, p in journal(booth)] == [
        ("kwitansi.issue", "KPG-01-KW-000001"), ("kwitansi.copy", "KPG-01-KW-000001")]
    # Another sale still gets the next number: a copy uses none.
    other = sell(booth, till_shift, ("KOP-001", 1))
    assert kwitansi_for(booth, other.number, "X").number == "KPG-01-KW-000002"


def test_partly_refunded_sale_states_the_net_amount_and_names_the_refund(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    sold = sell(booth, till_shift, ("KOP-001", 2), ("MAK-003", 1))  # 170.000 + 49.950
    back = refund(booth, sold.number, {2: 1}, method="cash", reason="salah beli",
                  shift_id=till_shift.id, **BOSS)
    assert (back.number, back.total) == ("KPG-01-000002", 49_950)
    doc = kwitansi_for(booth, sold.number, "Ibu Maria", translate=INDONESIAN)
    assert (doc.amount, doc.refunds) == (170_000, (RefundNote("KPG-01-000002", 49_950),))
    assert doc.amount_in_words == "Seratus tujuh puluh ribu rupiah"
    out = save_kwitansi_pdf(booth, sold.number, tmp_path / "k.pdf", "Ibu Maria",
                            translate=INDONESIAN)
    text = pdf_text(out)
    assert "Rp170.000" in text and "Rp219.950" not in text
    assert "Seratus tujuh puluh ribu rupiah" in text
    assert "Pembelian produk hasil karya WBP: 2 Kopi Arabika Flores Bajawa 250 g " \
           "Penjualan : KPG-01-000001" in text  # the refunded Se'i is not listed
    assert "Se'i" not in text
    assert "Pengembalian : KPG-01-000002 Rp49.950" in text
    assert journal(booth)[0][2]["refunds"] == [["KPG-01-000002", 49_950]]


def test_a_refund_after_the_kwitansi_gets_a_new_number_naming_the_old(
        booth: Booth, till_shift: ShiftRow) -> None:
    sold = sell(booth, till_shift, ("KOP-001", 2), ("MAK-003", 1))
    assert kwitansi_for(booth, sold.number, "Ibu Maria").amount == 219_950
    refund(booth, sold.number, {2: 1}, method="cash", reason="salah", shift_id=till_shift.id,
           **BOSS)
    doc = kwitansi_for(booth, sold.number, "Ibu Maria")
    assert (doc.number, doc.amount, doc.copy) == ("KPG-01-KW-000002", 170_000, False)
    assert journal(booth)[-1][2]["replaces"] == "KPG-01-KW-000001"


def test_refusals(booth: Booth, till_shift: ShiftRow) -> None:
    voided = sell(booth, till_shift, ("TEN-002", 1))  # 000001
    void = void_sale(booth, voided.number, reason="salah", shift_id=till_shift.id, **BOSS)
    partly = sell(booth, till_shift, ("KOP-001", 2), ("MAK-003", 1))  # 000003
    back = refund(booth, partly.number, {2: 1}, method="cash", reason="salah",
                  shift_id=till_shift.id, **BOSS)  # 000004
    full = sell(booth, till_shift, ("KOP-001", 1))  # 000005
    refund(booth, full.number, {1: 1}, method="cash", reason="salah", shift_id=till_shift.id,
           **BOSS)  # 000006
    err = refused(booth, void.number)
    assert (err.code, err.message()) == (
        "kwitansi_void_document",
        "KPG-01-000002 is a void document; a kwitansi is made only for a sale")
    err = refused(booth, back.number)
    assert (err.code, err.message()) == (
        "kwitansi_refund_document",
        "KPG-01-000004 is a refund document (money paid out); a kwitansi is made only for "
        "a sale")
    err = refused(booth, voided.number)
    assert (err.code, err.message()) == (
        "kwitansi_voided_sale", "Sale KPG-01-000001 was voided (KPG-01-000002); it gets no "
        "kwitansi")
    assert err.message(INDONESIAN) == (
        "Penjualan KPG-01-000001 sudah dibatalkan (KPG-01-000002); tidak dapat dibuatkan "
        "kwitansi")
    err = refused(booth, full.number)
    assert (err.code, err.message()) == (
        "kwitansi_refunded_sale", "Sale KPG-01-000005 was refunded in full; it gets no kwitansi")
    assert journal(booth) == []  # a refusal writes nothing, not even a number
    assert check_kwitansi(booth, partly.number) == 170_000
    assert kwitansi_for(booth, partly.number, "X").number == "KPG-01-KW-000001"
    # The history says the same, for the Kwitansi button.
    can = {s.number: (s.can_kwitansi, s.kept) for s in find_sales(booth)}
    assert can == {"KPG-01-000001": (False, 1_500_000), "KPG-01-000002": (False, 1_500_000),
                   "KPG-01-000003": (True, 170_000), "KPG-01-000004": (False, 49_950),
                   "KPG-01-000005": (False, 0), "KPG-01-000006": (False, 85_000)}


# -- issue 15 follow-up: a failed save, copies, Rp0, the typed text, the replacement ----------

def no_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_save_that_cannot_be_written_uses_no_number(booth: Booth, till_shift: ShiftRow,
                                                      tmp_path: Path, monkeypatch) -> None:
    """A folder as the target, a file where a folder should be, a full disk while rendering:
    one translated refusal, no number used, nothing journaled; the next good save is the
    original (KW-000001, no SALINAN)."""
    from pos_app.adapters.pdf import kwitansi_pdf

    sold = sell(booth, till_shift, ("TEN-002", 1))
    with pytest.raises(DomainError) as info:
        save_kwitansi_pdf(booth, sold.number, tmp_path, "Ibu Maria")
    assert info.value.code == "cannot_write"
    assert info.value.message(INDONESIAN) == (
        f"Tidak dapat menulis {tmp_path}: itu folder, bukan berkas")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(DomainError) as info:
        save_kwitansi_pdf(booth, sold.number, tmp_path / "afile" / "k.pdf", "Ibu Maria")
    assert info.value.message() == (
        f"Cannot write {tmp_path / 'afile' / 'k.pdf'}: part of the path is a file, not a folder")

    real = kwitansi_pdf.render_kwitansi_pdf

    def disk_full(doc, out, *args):
        real(doc, out, *args)  # the temporary file is written, then the disk fills up
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kwitansi_pdf, "render_kwitansi_pdf", disk_full)
    target = tmp_path / "k.pdf"
    target.write_bytes(b"an older file the user chose to overwrite")
    with pytest.raises(DomainError) as info:
        save_kwitansi_pdf(booth, sold.number, target, "Ibu Maria")
    assert info.value.message(INDONESIAN) == f"Tidak dapat menulis {target}: disk penuh"
    assert target.read_bytes() == b"an older file the user chose to overwrite"
    assert journal(booth) == [] and no_leftovers(tmp_path) == []
    monkeypatch.setattr(kwitansi_pdf, "render_kwitansi_pdf", real)

    save_kwitansi_pdf(booth, sold.number, target, "Ibu Maria", translate=INDONESIAN)
    text = pdf_text(target)
    assert "No. KPG-01-KW-000001" in text and "SALINAN" not in text
    assert [(a, p["number"]) for a, _actor, p in journal(booth)] == [
        ("kwitansi.issue", "KPG-01-KW-000001")]
    assert no_leftovers(tmp_path) == []


def test_a_copy_repeats_the_original_buyer_institution_and_purpose(
        booth: Booth, till_shift: ShiftRow, tmp_path: Path) -> None:
    sold = sell(booth, till_shift, ("TEN-002", 1))
    first = kwitansi_for(booth, sold.number, "Ibu Maria", "Dinas Koperasi",
                         "Kain tenun untuk seragam")
    assert (first.number, first.copy) == ("KPG-01-KW-000001", False)
    for buyer, institution, purpose in (("Bpk. Yosef", "", None),
                                        ("Ibu Maria", "Dinas Pariwisata", None),
                                        ("Ibu Maria", "", "Paving block")):
        with pytest.raises(DomainError) as info:
            kwitansi_for(booth, sold.number, buyer, institution, purpose)
        assert (info.value.code, info.value.message()) == (
            "kwitansi_copy_differs", "Kwitansi KPG-01-KW-000001 was issued to Ibu Maria; a "
            "copy repeats its buyer, institution and purpose")
    assert info.value.message(INDONESIAN) == (
        "Kwitansi KPG-01-KW-000001 sudah dibuat atas nama Ibu Maria; salinannya memuat nama "
        "pembeli, instansi, dan keperluan pembayaran yang sama")
    # The same buyer (any case and spacing), the rest left empty: the original, repeated.
    out = save_kwitansi_pdf(booth, sold.number, tmp_path / "c.pdf", " ibu  MARIA ",
                            translate=INDONESIAN)
    text = pdf_text(out)
    assert "SALINAN" in text and "No. KPG-01-KW-000001" in text
    assert "Telah terima dari : Ibu Maria" in text and "Dinas Koperasi" in text
    assert "Kain tenun untuk seragam" in text
    assert [(a, p["number"], p["buyer"], p["institution"]) for a, _actor, p in journal(booth)] \
        == [("kwitansi.issue", "KPG-01-KW-000001", "Ibu Maria", "Dinas Koperasi"),
            ("kwitansi.copy", "KPG-01-KW-000001", "Ibu Maria", "Dinas Koperasi")]
    plan = kwitansi_plan(booth, sold.number)
    assert (plan.copy_of, plan.buyer, plan.institution, plan.purpose) == (
        "KPG-01-KW-000001", "Ibu Maria", "Dinas Koperasi", "Kain tenun untuk seragam")


def test_a_sale_with_nothing_paid_gets_its_own_refusal(booth: Booth,
                                                       till_shift: ShiftRow) -> None:
    free = checkout(booth, SaleRequest(
        items=(SaleItem(1, sku="KOP-001", discount=Discount.percent(100)),),
        tenders=(), source="cli", shift_id=till_shift.id))  # back office: no approval
    assert free.total == 0
    err = refused(booth, free.number)
    assert (err.code, err.message()) == (
        "kwitansi_nothing_paid",
        "Nothing was paid for sale KPG-01-000001 (Rp0); it gets no kwitansi")
    assert err.message(INDONESIAN) == (
        "Tidak ada yang dibayar untuk penjualan KPG-01-000001 (Rp0); tidak dapat dibuatkan "
        "kwitansi")
    assert journal(booth) == []


@pytest.mark.parametrize(("buyer", "institution", "purpose", "code", "indonesian"), [
    ("   ", "", None, "kwitansi_no_buyer", "Kwitansi memerlukan nama pembeli"),
    ("x" * 121, "", None, "kwitansi_too_long",
     '"Telah terima dari" pada kwitansi paling banyak 120 karakter'),
    ("Ibu Maria", "y" * 161, None, "kwitansi_too_long",
     '"Instansi" pada kwitansi paling banyak 160 karakter'),
    ("Ibu Maria", "", "z" * 301, "kwitansi_too_long",
     '"Untuk pembayaran" pada kwitansi paling banyak 300 karakter'),
    ("Ibu\x00Maria", "", None, "kwitansi_control_char",
     '"Telah terima dari" pada kwitansi tidak boleh berisi karakter kendali (seperti NUL, '
     'tab, atau ganti baris)'),
    ("Ibu Maria", "Dinas\nKoperasi", None, "kwitansi_control_char",
     '"Instansi" pada kwitansi tidak boleh berisi karakter kendali (seperti NUL, tab, atau '
     'ganti baris)'),
    ("Ibu Maria", "", "Kain\u202etenun", "kwitansi_control_char",
     '"Untuk pembayaran" pada kwitansi tidak boleh berisi karakter kendali (seperti NUL, '
     'tab, atau ganti baris)'),
])
def test_the_typed_text_is_checked(booth: Booth, till_shift: ShiftRow, tmp_path: Path,
                                   buyer, institution, purpose, code, indonesian) -> None:
    sold = sell(booth, till_shift, ("TEN-002", 1))
    with pytest.raises(DomainError) as info:
        save_kwitansi_pdf(booth, sold.number, tmp_path / "k.pdf", buyer, institution, purpose)
    assert (info.value.code, info.value.message(INDONESIAN)) == (code, indonesian)
    assert journal(booth) == [] and not (tmp_path / "k.pdf").exists()
    # At the cap is fine.
    doc = kwitansi_for(booth, sold.number, "x" * 120, "y" * 160, "z" * 300)
    assert (doc.number, doc.buyer) == ("KPG-01-KW-000001", "x" * 120)


def test_a_replacement_says_on_paper_what_it_replaces(booth: Booth, till_shift: ShiftRow,
                                                      tmp_path: Path) -> None:
    sold = sell(booth, till_shift, ("KOP-001", 2), ("MAK-003", 1))
    first = save_kwitansi_pdf(booth, sold.number, tmp_path / "1.pdf", "Ibu Maria")
    assert "Replaces" not in pdf_text(first)
    refund(booth, sold.number, {2: 1}, method="cash", reason="salah", shift_id=till_shift.id,
           **BOSS)
    plan = kwitansi_plan(booth, sold.number)
    assert (plan.copy_of, plan.replaces, plan.buyer, plan.amount) == (
        None, "KPG-01-KW-000001", "Ibu Maria", 170_000)
    second = save_kwitansi_pdf(booth, sold.number, tmp_path / "2.pdf", "Ibu Maria")
    text = pdf_text(second)
    assert "No. KPG-01-KW-000002" in text and "Replaces kwitansi KPG-01-KW-000001" in text
    again = save_kwitansi_pdf(booth, sold.number, tmp_path / "3.pdf", "Ibu Maria",
                              translate=INDONESIAN)
    text = pdf_text(again)
    assert "SALINAN" in text and "Menggantikan kwitansi KPG-01-KW-000001" in text
