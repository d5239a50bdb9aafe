"""Fuzzing the command line (issue 17): hostile values in the arguments of the main commands
never reach "unexpected error" or a traceback, exit 0, 1 or 2, and no message shows ``None``.

Hypothesis builds each command line from a command's shape and values a person could type or
paste: thousands of digits, negatives, Cyrillic, a right-to-left override, NUL and other
control characters, empty and very long text, spreadsheet formulas, a folder or a missing
path where a file is named. Each runs in-process against a copy of the demo booth."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.cli.main import main
from tests.conftest import copy_database
from tests.unit.test_qris import AHASS

NUMBER = "KPG-01-000001"

HOSTILE = st.sampled_from([
    "", " ", "0", "-1", "-0", "+5", "1.5", "1,5", "1e9", "9" * 5000, "-" + "9" * 5000,
    "٣", "²", "１２", "Кофе", "\u202eKOP-001", "a\x00b", "\x1b[31mred", "line\nbreak", "\t",
    "=HYPERLINK(\"http://x\",\"y\")", "None", "%", "_", "'", "\"", "x" * 100_000, "🙂",
    "Rp", "Rp 50.000", "50.000.000.000.000.000", "100000=", "=1", "KOP-001=1", "cash=",
    "2026-02-30", "9999-99-99", "\udcff",
])
# The main commands, each with valid values; an example makes one or two of them hostile.
# "{tmp}" is the example's folder (holding "folder", a folder, and "out.pdf", a file).
COMMANDS = [
    ["sell", "--item", "KOP-001=1", "--pay", "cash=100000", "--discount", "10%",
     "--cashier", "Kasir"],
    ["sell", "--item", "KOP-001=1", "--pay", "card=85000:APPR1"],
    ["stock", "receive", "--facility", "LP-ATB", "--item", "KOP-001=5", "--note", "SJ-1",
     "--date", "2026-11-20"],
    ["stock", "adjust", "--facility", "LP-ATB", "--item", "KOP-001=-1", "--reason", "damaged"],
    ["stock", "count", "--facility", "LP-ATB", "--item", "KOP-001=3",
     "--reason", "KOP-001=lost"],
    ["stock", "product-add", "--facility", "LP-ATB", "--category", "KOP", "--name", "Kopi",
     "--price", "50000", "--barcode", "8991234567895"],
    ["stock", "on-hand", "--search", "kopi"],
    ["stock", "movements", "KOP-001"],
    ["stock", "labels", "--item", "KOP-001=2", "--out", "{tmp}/labels.pdf"],
    ["shift", "open", "--cashier", "Kasir", "--float", "100000", "--count", "100000=1"],
    ["shift", "close", "--count", "100000=1", "--cashier", "Kasir"],
    ["settings", "set", "low_stock", "5"],
    ["settings", "set", "booth_name", "Stan Kupang"],
    ["settings", "set", "printer_uri", "tcp://10.0.0.5:9100"],
    ["user", "add", "Ani", "--role", "cashier"],
    ["refund", NUMBER, "--line", "1=1", "--method", "cash", "--reason", "rusak",
     "--reference", "R1"],
    ["void", NUMBER, "--reason", "salah"],
    ["receipt", NUMBER, "--pdf", "{tmp}/r.pdf"],
    ["receipt", NUMBER, "--kwitansi", "--buyer", "Budi", "--purpose", "Kopi", "--pdf",
     "{tmp}/k.pdf"],
    ["export", "--format", "xlsx", "--out", "{tmp}/x.xlsx", "--from", "2026-01-01",
     "--to", "2026-12-31"],
    ["export", "--format", "csv", "--out", "{tmp}/csv"],
    ["report", "settlement", "--facility", "LP-ATB", "--from", "2026-01-01", "--pdf",
     "{tmp}/s.pdf"],
    ["facility", "shares", "LP-ATB", "--pnbp", "40", "--premi", "30", "--modal", "25",
     "--program", "5"],
    ["backup", "--out", "{tmp}/b.db"],
    ["restore", "{tmp}/b.db"],
    ["audit", "verify", "--offline", "--anchor", "1:0123456789abcdef"],
    ["sync", "--batch", "10"],
    ["shift", "report", "--x", "--pdf", "{tmp}/x.pdf"],
    ["qris", "set", "--payload", AHASS],  # issue 18: the booth's QRIS and its payloads
    ["qris", "set", "--image", "{tmp}/out.pdf"],
    ["qris", "payload", "--amount", "85000", "--png", "{tmp}/q.png"],
    ["sell", "--item", "KOP-001=1", "--pay", "qris=85000:RRN-1"],
]
HOSTILE_PATHS = ["{tmp}/folder", "{tmp}/folder/", "{tmp}/nope/x.pdf", "{tmp}/out.pdf", ""]


@st.composite
def command_lines(draw, tmp: Path) -> list[str]:
    """A command with one or two of its values hostile: a whole argument, or what follows
    its ``=`` (``KOP-001=<hostile>``), or what precedes it."""
    argv = list(draw(st.sampled_from(COMMANDS)))
    values = [i for i, arg in enumerate(argv) if not arg.startswith("-")][1:] or [0]
    for _ in range(draw(st.integers(1, 2))):
        i = draw(st.sampled_from(values))
        bad = draw(st.one_of(HOSTILE, st.sampled_from(HOSTILE_PATHS), st.text(max_size=40)))
        key, sep, value = argv[i].partition("=")
        where = draw(st.sampled_from(["whole", "value", "key"])) if sep else "whole"
        argv[i] = {"whole": bad, "value": f"{key}={bad}", "key": f"{bad}={value}"}[where]
    return [arg.replace("{tmp}", str(tmp)) for arg in argv]


def check(argv: list[str], tmp: Path, template: Path, capsys) -> None:
    """Run ``argv`` on a fresh copy of ``template``; fail on anything but a clear outcome."""
    db = tmp / "booth.db"
    shutil.copyfile(template, db)
    code = main(["--lang", "en", "--db", str(db), *argv])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, err)
    assert "unexpected error" not in err and "Traceback" not in err, (argv, err)
    if not any("None" in arg for arg in argv):  # else the message may quote what was typed
        assert "None" not in err, (argv, err)
    if code:
        assert err.startswith("pos-app: ") and out == "", (argv, out, err)


class PinInput(io.StringIO):
    """stdin that gives the same PIN line to every reader."""

    def readline(self, size: int | None = -1) -> str:
        return "2580\n"


@pytest.fixture
def fuzz_booth(tmp_path: Path, demo_template: Path, capsys,
               monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A demo booth with one sale, kept as a template each example copies; a folder and a
    file to name; a PIN on stdin for every command that reads one."""
    monkeypatch.setattr(sys, "stdin", PinInput())
    monkeypatch.chdir(tmp_path)  # a relative path a command writes stays in the test's folder
    template = tmp_path / "template.db"
    copy_database(demo_template, template)
    assert main(["--db", str(template), "sell", "--item", "KOP-001=1",
                 "--pay", "cash=100000"]) == 0
    work = tmp_path / "work"
    (work / "folder").mkdir(parents=True)
    (work / "out.pdf").write_bytes(b"")
    capsys.readouterr()
    return work, template


def fuzz(examples: int):
    def run(fuzz_booth, capsys, data) -> None:
        work, template = fuzz_booth
        check(data.draw(command_lines(work)), work, template, capsys)
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])(
        given(data=st.data())(run))


test_cli_fuzz = fuzz(200)
test_cli_fuzz_long = pytest.mark.slow(fuzz(3000))

