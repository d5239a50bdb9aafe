"""Bank and e-wallet statements read through a column mapping: every date and amount form a
bank exports, times in the booth's zone kept in UTC, the mapping remembered per source (and
journaled); a bad file rejected whole with row-numbered errors, nothing written."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, time
from pathlib import Path

import openpyxl
import pytest

from pos_app.domain.errors import DomainError, ImportRejected
from pos_app.domain.reconcile import StatementLine
from pos_app.services.setup.booth import Booth
from pos_app.services.shift.statement_import import (
    StatementMapping,
    guess_mapping,
    import_statement,
    read_statement,
    saved_mappings,
)
from tests.integration.journal import events

QRIS = StatementMapping(source="BRI QRIS", date="tanggal", amount="nominal",
                        reference="referensi", description="keterangan")
PLAIN = StatementMapping(source="Mutasi", date="tanggal", amount="nominal")


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table: a rejected file must change none of them."""
    with sqlite3.connect(path) as con:
        tables = [t for (t,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables}
    con.close()
    return rows


def write_csv(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[object]], title: str = "Mutasi") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def one_line(booth: Booth, tmp_path: Path, cell: str, mapping: StatementMapping = QRIS
             ) -> StatementLine:
    f = write_csv(tmp_path / "s.csv", "tanggal,nominal,referensi,keterangan",
                  f'"{cell}",85000,RRN1,QRIS BAYAR')
    [line] = import_statement(booth, f, mapping, save=False).lines
    return line


@pytest.mark.parametrize(("cell", "at"), [
    ("21/11/2026 19:42", utc(2026, 11, 21, 11, 42)),  # WITA is UTC+8
    ("21/11/2026 19:42:05", utc(2026, 11, 21, 11, 42, 5)),
    ("2026-11-21 19:42:05", utc(2026, 11, 21, 11, 42, 5)),
    ("2026-11-21T19:42", utc(2026, 11, 21, 11, 42)),
    ("21 Nov 2026 19:42", utc(2026, 11, 21, 11, 42)),
    ("21-Agt-2026 08.15", utc(2026, 8, 21, 0, 15)),
    ("21 Desember 2026, 19:42", utc(2026, 12, 21, 11, 42)),
    ("21/11/26 19.42", utc(2026, 11, 21, 11, 42)),
    ("2026/11/21 19:42", utc(2026, 11, 21, 11, 42)),
    ("21-11-2026 01:05", utc(2026, 11, 20, 17, 5)),  # after midnight WITA: still 20/11 in UTC
    ("21/11/2026 19:42 WIB", utc(2026, 11, 21, 12, 42)),  # the cell names its zone (UTC+7)
    ("2026-11-21T19:42:05+07:00", utc(2026, 11, 21, 12, 42, 5)),
])
def test_every_date_form_is_read_in_the_booth_zone(booth: Booth, tmp_path: Path, cell: str,
                                                   at: datetime) -> None:
    line = one_line(booth, tmp_path, cell)
    assert (line.at, line.until, line.amount) == (at, None, 85_000)


def test_a_date_without_a_time_is_the_whole_local_day(booth: Booth, tmp_path: Path) -> None:
    line = one_line(booth, tmp_path, "21-11-2026")
    assert (line.at, line.until) == (utc(2026, 11, 20, 16), utc(2026, 11, 21, 16))


def test_the_mapping_can_say_the_statement_is_in_wib(booth: Booth, tmp_path: Path) -> None:
    jakarta = StatementMapping(**{**QRIS.__dict__, "timezone": "Asia/Jakarta"})
    assert one_line(booth, tmp_path, "21/11/2026 19:42", jakarta).at == utc(2026, 11, 21, 12, 42)


def test_a_chosen_date_form_is_held_to(booth: Booth, tmp_path: Path) -> None:
    ymd = StatementMapping(**{**QRIS.__dict__, "date_format": "yyyy-mm-dd"})
    with pytest.raises(ImportRejected) as exc:
        one_line(booth, tmp_path, "21/11/2026 19:42", ymd)
    assert [e.message() for e in exc.value.errors] == [
        "row 2, column tanggal: not a date in the form yyyy-mm-dd: 21/11/2026 19:42"]


@pytest.mark.parametrize(("cell", "amount"), [
    ("1.250.000", 1_250_000), ("1,250,000.00", 1_250_000), ("Rp 250.000", 250_000),
    ("250000", 250_000), ("1.250.000,00", 1_250_000), ("Rp250.000,-", 250_000),
    ("IDR 250,000", 250_000), ("Rp. 85.000", 85_000), ("250,000.00 CR", 250_000),
    ("250000.00", 250_000), ("1.250", 1_250), ("+75.000", 75_000),
])
def test_every_amount_form_is_whole_rupiah(booth: Booth, tmp_path: Path, cell: str,
                                           amount: int) -> None:
    f = write_csv(tmp_path / "s.csv", "tanggal,nominal,referensi,keterangan",
                  f'21/11/2026 19:42,"{cell}",,')
    [line] = import_statement(booth, f, QRIS, save=False).lines
    assert line.amount == amount and type(line.amount) is int


def test_separate_date_and_time_and_credit_debit_columns(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "bri.csv",
                  "Tanggal,Jam,Keterangan,No. Referensi,Debet,Kredit,Saldo",
                  "21/11/2026,19:42:10,QRIS NMID ID102,RRN-881,,85.000,1.085.000",
                  "21/11/2026,19:50,BIAYA ADM,,2.500,,1.082.500",
                  "21/11/2026,20:05,TRF DARI YOHANES,TRF-12,0,250.000,1.332.500",
                  "22/11/2026,,SETORAN,ST-1,,100.000,1.432.500")
    mapping = guess_mapping(read_statement(f).header, "BRI Giro")
    assert mapping == StatementMapping(
        source="BRI Giro", date="tanggal", time="jam", credit="kredit", debit="debet",
        reference="no. referensi", description="keterangan")
    statement = import_statement(booth, f, mapping, save=False)
    assert statement.skipped == 1  # the bank's fee is money out
    assert statement.lines == (
        StatementLine(2, utc(2026, 11, 21, 11, 42, 10), 85_000, "RRN-881", "QRIS NMID ID102"),
        StatementLine(4, utc(2026, 11, 21, 12, 5), 250_000, "TRF-12", "TRF DARI YOHANES"),
        StatementLine(5, utc(2026, 11, 21, 16), 100_000, "ST-1", "SETORAN",
                      until=utc(2026, 11, 22, 16)),  # no time given: that whole day
    )


def test_money_out_in_a_signed_amount_column_is_left_out(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "bca.csv", "tanggal,keterangan,nominal",
                  "21/11/2026 19:42,QRIS,\"85,000.00 CR\"",
                  "21/11/2026 19:43,TARIK TUNAI,\"50,000.00 DB\"",
                  "21/11/2026 19:44,KOREKSI,-10000",
                  "21/11/2026 19:45,TRANSFER,\"(20,000.00)\"")
    mapping = StatementMapping(source="BCA", date="tanggal", amount="nominal",
                               description="keterangan")
    statement = import_statement(booth, f, mapping, save=False)
    assert [(ln.row, ln.amount, ln.text) for ln in statement.lines] == [(2, 85_000, "QRIS")]
    assert statement.skipped == 3


def test_semicolon_csv_with_indonesian_decimals(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "mandiri.csv", "Tanggal;Nominal;Referensi;Keterangan",
                  "21/11/2026 19:42;1.250.000,00;RRN-1;QR BAYAR, TOKO LAPAK",
                  "21/11/2026 20:10;85.000,00;RRN-2;QR BAYAR")
    statement = import_statement(booth, f, QRIS, save=False)
    assert [(ln.row, ln.amount, ln.reference, ln.text) for ln in statement.lines] == [
        (2, 1_250_000, "RRN-1", "QR BAYAR, TOKO LAPAK"), (3, 85_000, "RRN-2", "QR BAYAR")]
    assert statement.date_format == "dd/mm/yyyy"


def test_xlsx_with_date_cells_and_numbers(booth: Booth, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "dana.xlsx", [
        ["Waktu Transaksi", "Nominal", "ID Transaksi"],
        [datetime(2026, 11, 21, 19, 42, 5), 85000, "DN-1"],
        [datetime(2026, 11, 21, 20, 0), 250000.0, "DN-2"]])
    mapping = StatementMapping(source="DANA", date="waktu transaksi", amount="nominal",
                               reference="id transaksi")
    statement = import_statement(booth, f, mapping, save=False)
    assert [(ln.at, ln.amount, ln.reference) for ln in statement.lines] == [
        (utc(2026, 11, 21, 11, 42, 5), 85_000, "DN-1"), (utc(2026, 11, 21, 12), 250_000, "DN-2")]


def test_xlsx_date_cells_at_midnight_are_days(booth: Booth, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "harian.xlsx", [
        ["Tanggal", "Nominal"], [datetime(2026, 11, 21), 85000], [datetime(2026, 11, 22), 5000]])
    lines = import_statement(booth, f, StatementMapping(source="Harian", date="tanggal",
                                                        amount="nominal"), save=False).lines
    assert [(ln.at, ln.until) for ln in lines] == [
        (utc(2026, 11, 20, 16), utc(2026, 11, 21, 16)),
        (utc(2026, 11, 21, 16), utc(2026, 11, 22, 16))]


def test_xlsx_time_cells_in_their_own_column(booth: Booth, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "jam.xlsx", [
        ["Tanggal", "Jam", "Kredit"], [datetime(2026, 11, 21), time(19, 42), 85000]])
    [line] = import_statement(booth, f, StatementMapping(
        source="Jam", date="tanggal", time="jam", credit="kredit"), save=False).lines
    assert line.at == utc(2026, 11, 21, 11, 42)


# -- the mapping, kept per source ------------------------------------------------------------
def test_the_mapping_is_saved_journaled_and_offered_again(booth: Booth, tmp_path: Path) -> None:
    assert saved_mappings(booth) == {}
    f = write_csv(tmp_path / "qris.csv", "Tanggal,Nominal,Referensi,Keterangan",
                  "21/11/2026 19:42,85.000,RRN-1,QRIS")
    import_statement(booth, f, QRIS, actor="Maria")
    assert saved_mappings(booth) == {"BRI QRIS": QRIS}
    [event] = events(booth, "setting")
    assert event["actor"] == "Maria" and event["payload"]["key"] == "statement_mappings"
    assert json.loads(event["payload"]["to"]) == {"BRI QRIS": {
        "date": "tanggal", "amount": "nominal", "reference": "referensi",
        "description": "keterangan", "date_format": "auto"}}

    # the same mapping again: nothing new is written
    before = snapshot(booth.db.path)
    import_statement(booth, f, saved_mappings(booth)["BRI QRIS"], actor="Maria")
    assert snapshot(booth.db.path) == before

    # a second source is kept beside the first; a changed mapping replaces its own only
    dana = StatementMapping(source="DANA", date="tanggal", amount="nominal",
                            date_format="dd/mm/yyyy", timezone="Asia/Jakarta")
    import_statement(booth, f, dana, actor="Maria")
    changed = StatementMapping(source="BRI QRIS", date="tanggal", amount="nominal")
    import_statement(booth, f, changed, actor="Yohana")
    assert saved_mappings(booth) == {"BRI QRIS": changed, "DANA": dana}
    assert [e["actor"] for e in events(booth, "setting")] == ["Maria", "Maria", "Yohana"]


def test_column_names_are_matched_as_the_reader_gives_them(booth: Booth,
                                                          tmp_path: Path) -> None:
    f = write_csv(tmp_path / "s.csv", "Tanggal,Nominal", "21/11/2026 19:42,85.000")
    mapping = StatementMapping(source="X", date=" Tanggal", amount="NOMINAL")
    assert (mapping.date, mapping.amount) == ("tanggal", "nominal")
    assert [ln.amount for ln in import_statement(booth, f, mapping, save=False).lines] == [
        85_000]


def test_a_hand_edited_setting_keeps_only_the_mappings_that_make_sense(booth: Booth) -> None:
    from pos_app.services.setup.settings import set_setting

    set_setting(booth, "statement_mappings", json.dumps({
        "BRI QRIS": {"date": "tanggal", "amount": "nominal"},
        "no amount": {"date": "tanggal"},
        "odd format": {"date": "tanggal", "amount": "nominal", "date_format": "mm/dd"},
        "not a mapping": ["tanggal"], "": {"date": "tanggal", "amount": "nominal"}}))
    assert saved_mappings(booth) == {"BRI QRIS": StatementMapping(
        source="BRI QRIS", date="tanggal", amount="nominal")}
    set_setting(booth, "statement_mappings", "{not json")
    assert saved_mappings(booth) == {}


def test_a_mapping_needs_a_source_a_date_and_one_amount_column(booth: Booth,
                                                              tmp_path: Path) -> None:
    f = write_csv(tmp_path / "s.csv", "tanggal,nominal,kredit", "21/11/2026 19:42,85000,85000")
    for mapping, code in [
        (StatementMapping(source=" ", date="tanggal", amount="nominal"), "statement_no_source"),
        (StatementMapping(source="X", amount="nominal"), "statement_no_date_column"),
        (StatementMapping(source="X", date="tanggal"), "statement_no_amount_column"),
        (StatementMapping(source="X", date="tanggal", amount="nominal", credit="kredit"),
         "statement_no_amount_column"),
    ]:
        with pytest.raises(DomainError) as exc:
            import_statement(booth, f, mapping)
        assert exc.value.code == code
    assert saved_mappings(booth) == {}


# -- bad files: rejected whole, every row named, nothing written -------------------------------
def rejected(booth: Booth, path: Path, mapping: StatementMapping = PLAIN) -> list[str]:
    before = snapshot(booth.db.path)
    with pytest.raises(ImportRejected) as exc:
        import_statement(booth, path, mapping, actor="Maria")
    assert exc.value.message() == (
        f"Nothing was imported: {len(exc.value.errors)} error(s) in {path}")
    assert snapshot(booth.db.path) == before
    assert saved_mappings(booth) == {}
    return [e.message() for e in exc.value.errors]


def test_wrong_columns(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "lain.csv", "Tanggal,Jumlah,Ref",
                  "21/11/2026 19:42,85.000,RRN-1")
    assert rejected(booth, f, QRIS) == [
        "row 1, column nominal: the file has no such column",
        "row 1, column referensi: the file has no such column",
        "row 1, column keterangan: the file has no such column"]


def test_bad_dates(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "tgl.csv", "tanggal,nominal",
                  "21/11/2026 19:42,85.000",
                  "31/11/2026 19:50,85.000",
                  "kemarin,85.000",
                  ",85.000",
                  "21/11/2026 24:10,85.000",
                  "2026-11-21 19:42,85.000")
    assert rejected(booth, f) == [
        "row 3, column tanggal: not a date in the form dd/mm/yyyy: 31/11/2026 19:50",
        "row 4, column tanggal: not a date in the form dd/mm/yyyy: kemarin",
        "row 5, column tanggal: a value is required",
        "row 6, column tanggal: not a date in the form dd/mm/yyyy: 21/11/2026 24:10",
        "row 7, column tanggal: not a date in the form dd/mm/yyyy: 2026-11-21 19:42"]


def test_bad_times_in_their_own_column(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "jam.csv", "tanggal,jam,kredit",
                  "21/11/2026,19:42,85.000", "21/11/2026,malam,85.000")
    mapping = StatementMapping(source="X", date="tanggal", time="jam", credit="kredit")
    assert rejected(booth, f, mapping) == [
        "row 3, column jam: not a time of day (HH:MM): malam"]


def test_non_numeric_amounts(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "nominal.csv", "tanggal,nominal",
                  "21/11/2026 19:42,85.000",
                  "21/11/2026 19:43,delapan puluh ribu",
                  "21/11/2026 19:44,",
                  '21/11/2026 19:45,"1.250,000"',
                  "21/11/2026 19:46,Rp",
                  "21/11/2026 19:47,1e5")
    assert rejected(booth, f) == [
        "row 3, column nominal: not an amount of rupiah: delapan puluh ribu",
        "row 4, column nominal: a value is required",
        "row 5, column nominal: not an amount of rupiah: 1.250,000",
        "row 6, column nominal: not an amount of rupiah: Rp",
        "row 7, column nominal: not an amount of rupiah: 1e5"]


def test_non_numeric_debits_and_negative_credits(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "dk.csv", "tanggal,debet,kredit",
                  "21/11/2026 19:42,,85.000", "21/11/2026 19:43,biaya,",
                  "21/11/2026 19:44,,-5.000")
    mapping = StatementMapping(source="X", date="tanggal", credit="kredit", debit="debet")
    assert rejected(booth, f, mapping) == [
        "row 3, column debet: not an amount of rupiah: biaya",
        "row 4, column kredit: out of range: -5.000"]


def test_fractional_rupiah(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "sen.csv", "tanggal,nominal",
                  '21/11/2026 19:42,"85.000,00"',
                  '21/11/2026 19:43,"85.000,50"',
                  "21/11/2026 19:44,85000.25",
                  "21/11/2026 19:45,12.5")
    assert rejected(booth, f) == [
        "row 3, column nominal: has a fraction of a rupiah: 85.000,50",
        "row 4, column nominal: has a fraction of a rupiah: 85000.25",
        "row 5, column nominal: has a fraction of a rupiah: 12.5"]


def test_fractional_rupiah_in_an_xlsx_number_cell(booth: Booth, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "sen.xlsx", [["tanggal", "nominal"],
                                           ["21/11/2026 19:42", 85000],
                                           ["21/11/2026 19:43", 85000.5]])
    assert rejected(booth, f) == [
        "sheet Mutasi, row 3, column nominal: has a fraction of a rupiah: 85000.5"]


def test_every_problem_of_a_file_is_listed_at_once(booth: Booth, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "semua.csv", "tanggal,nominal",
                  "besok,abc", '21/11/2026 19:42,"1,5"')
    assert rejected(booth, f) == [
        "row 2, column tanggal: not a date in the form dd/mm/yyyy: besok",
        "row 2, column nominal: not an amount of rupiah: abc",
        "row 3, column nominal: has a fraction of a rupiah: 1,5"]


@pytest.mark.parametrize("content", ["", "\n\n", "tanggal,nominal\n", "tanggal;nominal\n\n"])
def test_an_empty_file(booth: Booth, tmp_path: Path, content: str) -> None:
    f = tmp_path / "kosong.csv"
    f.write_text(content, encoding="utf-8")
    before = snapshot(booth.db.path)
    with pytest.raises(DomainError) as exc:
        import_statement(booth, f, QRIS)
    assert exc.value.code == "import_no_rows"
    assert exc.value.message() == f"{f} has no data rows"
    assert snapshot(booth.db.path) == before


def test_not_a_statement_file(booth: Booth, tmp_path: Path) -> None:
    f = tmp_path / "mutasi.pdf"
    f.write_bytes(b"%PDF-1.4")
    with pytest.raises(DomainError) as exc:
        read_statement(f)
    assert exc.value.code == "import_unknown_format"


def test_the_preview_shows_the_header_and_first_rows(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "p.csv", "Tanggal,Nominal,,Ket",
                  *(f"2{i}/11/2026 19:4{i},{i}000,,baris {i}" for i in range(1, 10)))
    shown = read_statement(f)
    assert shown.header == ["tanggal", "nominal", "ket"]
    assert shown.rows == 9 and len(shown.preview) == 8
    assert shown.preview[0] == (2, ["21/11/2026 19:41", "1000", "baris 1"])


def test_a_windows_1252_statement_is_read_and_a_missing_one_is_one_line(tmp_path: Path) -> None:
    f = tmp_path / "mutasi.csv"
    f.write_bytes("Tanggal,Nominal,Ket\n21/11/2026 19:41,1000,Café Ré\n".encode("cp1252"))
    shown = read_statement(f)
    assert shown.preview == [(2, ["21/11/2026 19:41", "1000", "Café Ré"])]
    with pytest.raises(DomainError) as exc:
        read_statement(tmp_path / "tidak-ada.csv")
    assert exc.value.message() == (f"Cannot read {tmp_path / 'tidak-ada.csv'}: there is no such "
                                   "file or folder")
