"""A bad command line is refused in one line in the user's language: argparse's own English
("the following arguments are required") is said again from the catalog, the names and values
it quotes kept; nothing is written to the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos_app.cli import usage_words
from pos_app.cli.main import main
from pos_app.services.setup.booth import Booth


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def written_rows(db: Path) -> int:
    with sqlite3.connect(db) as con:
        count = con.execute("SELECT (SELECT count(*) FROM audit_event) + (SELECT count(*) FROM sale)").fetchone()[0]
    con.close()
    return count


@pytest.mark.parametrize(("argv", "indonesian", "english"), [
    (["refund", "KPG-01-000001", "--line", "1=1"],
     "pos-app: argumen berikut wajib diisi: --method, --reason",
     "pos-app: the following arguments are required: --method, --reason"),
    (["refund", "KPG-01-000001", "--line", "1=1", "--method", "bitcoin", "--reason", "x"],
     "pos-app: argumen --method: pilihan tidak sah: 'bitcoin' (pilih dari 'cash', 'qris', "
     "'transfer', 'card')",
     "pos-app: argument --method: invalid choice: 'bitcoin' (choose from 'cash', 'qris', "
     "'transfer', 'card')"),
    (["sell", "--item"], "pos-app: argumen --item: perlu satu nilai",
     "pos-app: argument --item: expected one value"),
    (["audit", "verify", "--bogus"], "pos-app: argumen tidak dikenal: --bogus",
     "pos-app: unrecognized arguments: --bogus"),
])
def test_bad_command_lines_are_one_translated_line(booth: Booth, db_path: Path, capsys, argv,
                                                   indonesian, english) -> None:
    db = str(db_path)
    before = written_rows(db_path)
    for lang, expected in (("id", indonesian), ("en", english)):
        code, out, err = cli(capsys, "--lang", lang, "--db", db, *argv)
        assert code == 2
        assert out == ""
        assert err.strip() == expected
        assert "\n" not in err.strip() and "usage:" not in err
    assert written_rows(db_path) == before


def test_every_argparse_message_has_its_words() -> None:
    """Each pattern recognises the English argparse writes, and a message that is ours
    already (from a type= check) passes unchanged."""
    samples = {
        "expected at least one argument": "expected at least one value",
        "expected at most one argument": "expected at most one value",
        "expected 2 arguments": "expected 2 values",
        "invalid int value: 'x'": "invalid int value: 'x'",
        "one of the arguments --a --b is required": "one of the arguments --a --b is required",
        "not allowed with argument --a": "not allowed with argument --a",
        "ambiguous option: --pr could match --print, --printer":
            "ambiguous option: --pr could mean --print, --printer",
        "argument --qty: Jumlah harus bilangan bulat": "argument --qty: Jumlah harus bilangan bulat",
        "something of ours": "something of ours",
    }
    for english, said in samples.items():
        assert usage_words.translate(english) == said
