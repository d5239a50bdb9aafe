"""The exact ESC/POS bytes of a fixed receipt at 58 and 80 mm (python-escpos's Dummy), against
golden files, plus structural checks that hold whatever the golden file says.

Regenerate the golden files after an intended change, then LOOK at them before committing:

    LAPAK_REGEN_GOLDEN=1 .venv/bin/pytest tests/integration/test_escpos_golden.py
    python -c "import sys; print(open(sys.argv[1], 'rb').read())" \
        tests/integration/golden/receipt-58.bin
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pos_app.adapters.printing.escpos_receipt import receipt_bytes
from pos_app.domain.receipt import (
    ReceiptDoc,
    ReceiptLine,
    ReceiptPayment,
    Text,
    receipt_elements,
)

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("LAPAK_REGEN_GOLDEN") == "1"
SALE_ID = "5f0c2a9e-8d41-4b7a-b3c6-1e2f3a4b5c6d"
PAYLOAD = f"LAPAK:KPG-01-000123:{SALE_ID}".encode("ascii")
COLUMNS = {58: 32, 80: 48}

ESC, GS, LF = 0x1B, 0x1D, 0x0A
# ESC/GS commands the renderer may emit: (prefix, fixed total length) - GS ( k is variable.
COMMANDS = {b"\x1b@": 2, b"\x1bp": 5, b"\x1b!": 3, b"\x1bE": 3, b"\x1ba": 3, b"\x1bt": 3,
            b"\x1bd": 3, b"\x1d!": 3, b"\x1dV": 3}


def golden_doc() -> ReceiptDoc:
    """Three facilities, a discount, PPN added and included, QRIS awaiting verification,
    cash with change, non-ASCII text that must fold (é, –, “ ”)."""
    return ReceiptDoc(
        sale_id=SALE_ID, number="KPG-01-000123", kind="sale",
        issued_at=datetime(2026, 11, 21, 19, 30, tzinfo=ZoneInfo("Asia/Makassar")),
        tz_label="WITA", cashier="Yohana Bria", booth_name="Festival UMKM Kupang 2026",
        device_code="KPG-01",
        lines=(
            ReceiptLine("Kopi Café Ende – 250 g", 2, 85_000, 170_000, 10_000, 15_856,
                        "included", 160_000, "Lapas Kelas IIB Ende"),
            ReceiptLine("Se'i Sapi 250 g", 1, 45_000, 45_000, 0, 4_950, "added", 49_950,
                        "Lapas Kelas IIA Kupang"),
            ReceiptLine("Selendang “Amarasi”", 1, 250_000, 250_000, 0, 0, "none", 250_000,
                        "Lapas Perempuan Kelas III Kupang"),
        ),
        subtotal=465_000, discount=10_000, tax=20_806, total=459_950,
        payments=(ReceiptPayment("qris", 200_000, 200_000, 0, "QR-88213", False),
                  ReceiptPayment("cash", 259_950, 300_000, 40_050, None, True)),
        change=40_050, footer=("Terima kasih", "Thank you for supporting the work of NTT's "
                                               "correctional facilities"),
    )


def tokens(data: bytes) -> list[tuple[str, bytes]]:
    """Split printer bytes into ("cmd", bytes) and ("text", bytes); fails on an unknown
    ESC/GS command (the renderer must only emit what we know)."""
    out: list[tuple[str, bytes]] = []
    i, text = 0, bytearray()
    while i < len(data):
        if data[i] in (ESC, GS):
            if text:
                out.append(("text", bytes(text)))
                text.clear()
            if data[i:i + 3] == b"\x1d(k":
                size = 5 + data[i + 3] + 256 * data[i + 4]
            elif data[i:i + 2] == b"\x1dV":
                size = 4 if data[i + 2] in (65, 66) else 3  # GS V 65/66 n: feed and cut
            else:
                size = COMMANDS.get(data[i:i + 2], 0)
                assert size, f"unknown command {data[i:i + 4]!r} at {i}"
            out.append(("cmd", data[i:i + size]))
            i += size
        else:
            text.append(data[i])
            i += 1
    if text:
        out.append(("text", bytes(text)))
    return out


def printed_lines(data: bytes) -> list[tuple[bool, bytes]]:
    """(double width?, line) for every LF-terminated text line."""
    lines, current, wide = [], bytearray(), False
    for kind, chunk in tokens(data):
        if kind == "cmd":
            if chunk[:2] == b"\x1b!":
                wide = bool(chunk[2] & 0x20)
            continue
        for byte in chunk:
            if byte == LF:
                lines.append((wide, bytes(current)))
                current.clear()
            else:
                current.append(byte)
    return lines


@pytest.mark.parametrize("width", [58, 80])
def test_matches_golden_file(width: int) -> None:
    data = receipt_bytes(receipt_elements(golden_doc()), width)
    path = GOLDEN / f"receipt-{width}.bin"
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"{path} is missing: run with LAPAK_REGEN_GOLDEN=1 and review it"
    assert data == path.read_bytes()


def test_the_two_widths_differ() -> None:
    doc = receipt_elements(golden_doc())
    assert receipt_bytes(doc, 58) != receipt_bytes(doc, 80)
    assert receipt_bytes(doc, 58) == receipt_bytes(doc, 58)  # deterministic


@pytest.mark.parametrize("width", [58, 80])
def test_structure(width: int) -> None:
    data = receipt_bytes(receipt_elements(golden_doc()), width)
    assert data.startswith(b"\x1b@")
    assert b"\x1ba\x01" in data and b"\x1ba\x00" in data
    before_total = data[:data.index(b"TOTAL")]
    assert before_total.rfind(b"\x1bE\x01") > before_total.rfind(b"\x1bE\x00")
    assert before_total.rfind(b"\x1b!\x30") > before_total.rfind(b"\x1b!\x00")  # large
    qr = re.findall(rb"\x1d\(k(..)1P0", data, re.S)
    assert len(qr) == 1
    store = 3 + len(PAYLOAD)
    assert qr[0] == bytes([store % 256, store // 256])
    assert b"\x1d(k" + qr[0] + b"1P0" + PAYLOAD in data
    assert b"\x1d(k\x03\x001Q0" in data  # print the stored symbol
    assert b"\x1bp" not in data  # no drawer unless asked

    texts = b"".join(chunk for kind, chunk in tokens(data) if kind == "text")
    assert max(texts) < 0x80
    assert all(b >= 0x20 or b == LF for b in texts)
    assert b"Kopi Cafe Ende - 250 g" in texts
    assert b'Selendang "Amarasi"' in texts
    for money in (b"Rp85.000", b"Rp170.000", b"-Rp10.000", b"Rp4.950", b"Rp465.000",
                  b"Rp459.950", b"Rp200.000", b"Rp300.000", b"Rp40.050", b"QR-88213",
                  b"21/11/2026 19:30 WITA", b"KPG-01-000123", b"Yohana Bria"):
        assert money in texts, money

    lines = printed_lines(data)
    assert len(lines) >= 30
    for wide, line in lines:
        limit = COLUMNS[width] // 2 if wide else COLUMNS[width]
        assert len(line) <= limit, (wide, line)
    # the rule spans the paper exactly; the TOTAL pair ends exactly at the last column
    assert (False, b"-" * COLUMNS[width]) in lines
    total = [line for wide, line in lines if line.startswith(b"TOTAL")]
    assert total == [b"TOTAL".ljust(COLUMNS[width] // 2 - len(b"Rp459.950")) + b"Rp459.950"]


@pytest.mark.parametrize("width", [58, 80])
def test_a_receipt_ends_with_a_paper_cut(width: int) -> None:
    """GS V 66 0 (feed to the cutter, then cut) at both widths, whatever the python-escpos
    profile declares: the ZJ-5870 (58 mm) profile claims no cutter, yet many have one."""
    data = receipt_bytes(receipt_elements(golden_doc()), width)
    assert data.endswith(b"\x1b!\x00\x1bE\x00\x1ba\x00\x1dVB\x00")
    assert data.count(b"\x1dV") == 1


@pytest.mark.parametrize("width", [58, 80])
def test_drawer_pulse_comes_before_any_text(width: int) -> None:
    data = receipt_bytes(receipt_elements(golden_doc()), width, drawer=True)
    pulse = b"\x1bp\x00\x32\x32"
    assert data.count(pulse) == 1
    first_text = next(i for i, (kind, _c) in enumerate(tokens(data)) if kind == "text")
    assert ("cmd", pulse) in tokens(data)[:first_text]
    assert data.index(pulse) < data.index(b"Festival")
    # the same receipt with the pulse removed is the receipt without a drawer
    assert data.replace(pulse, b"", 1) == receipt_bytes(receipt_elements(golden_doc()), width)


def test_copy_prints_copy() -> None:
    from dataclasses import replace

    data = receipt_bytes(receipt_elements(replace(golden_doc(), copy=True)), 58)
    assert b"COPY\n" in data
    assert b"COPY" not in receipt_bytes(receipt_elements(golden_doc()), 58)


def test_data_cannot_inject_printer_commands() -> None:
    """BUG: control characters in catalog text (here GS V 0 = cut, ESC @ = reset) pass
    through ascii_fold unchanged and reach the printer as commands."""
    data = receipt_bytes([Text("Tas\x1dV\x00Lontar\x1b@ Alor")], 80)
    line = data[data.index(b"Tas"):data.index(b"Alor\n")]
    assert all(b >= 0x20 for b in line), line
    assert data.count(b"\x1dV") == 1
