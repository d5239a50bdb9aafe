"""``pos-app settings list|get|set``: every key of the typed model, a good value stored and
journaled with the command line's actor, a bad value or an unknown key refused in one line
(naming the key and the reason, in the reader's language) with nothing written."""

from __future__ import annotations

import getpass
import json
import sqlite3
from pathlib import Path

import pytest

from pos_app.services.setup.settings_model import SPECS
from tests.integration.test_cli import run


@pytest.fixture
def db(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "setelan.db"
    code, _out, err = run(capsys, "--db", str(path), "init", "--demo")
    assert (code, err) == (0, "")
    return path


def stored(path: Path) -> dict[str, str]:
    """The setting rows as they are in the file."""
    with sqlite3.connect(path) as con:
        return dict(con.execute("SELECT key, value FROM setting").fetchall())


def setting_events(path: Path) -> list[tuple[str, dict]]:
    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT actor, payload FROM audit_event WHERE action = 'setting' "
                           "ORDER BY chain_index").fetchall()
    return [(actor, json.loads(payload)) for actor, payload in rows]


def test_list_shows_every_key_of_the_model(db: Path, capsys) -> None:
    code, out, err = run(capsys, "--db", str(db), "settings", "list", "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)["settings"]
    assert [r["key"] for r in rows] == list(SPECS)  # whatever keys the model has
    by_key = {r["key"]: r for r in rows}
    assert by_key["printer_width"] == {"key": "printer_width", "value": "58", "default": "58",
                                       "role": "coordinator"}
    assert by_key["language"]["role"] == "cashier"
    assert by_key["central_host"]["role"] == "system"

    code, out, err = run(capsys, "--db", str(db), "settings", "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["Setting", "Value", "Changed", "by"]
    assert "negative_stock" in out and lines[1 + list(SPECS).index("negative_stock")].split(
    ) == ["negative_stock", "warn", "coordinator"]


@pytest.mark.parametrize("key, value, typed", [
    ("printer_width", "80", 80), ("negative_stock", "block", "block"),
    ("ppn_rate", "11", 11), ("business_day_cutoff", "05:30", "05:30"),
    ("receipt_footer", "Terima kasih, sampai jumpa!", "Terima kasih, sampai jumpa!")])
def test_a_good_value_is_stored_and_journaled_with_the_actor(db: Path, capsys, key: str,
                                                           value: str, typed) -> None:
    before = stored(db).get(key, SPECS[key].default)
    code, out, err = run(capsys, "--db", str(db), "settings", "set", key, value)
    assert (code, err) == (0, "")
    shown = before or '""'  # an empty value is shown as ""
    assert out.strip() == f"{key} changed from {shown} to {value}"
    assert stored(db)[key] == value
    actor = f"os:{getpass.getuser()}"
    assert setting_events(db) == [(actor, {"key": key, "from": before, "to": value,
                                           "role": "admin"})]
    code, out, err = run(capsys, "--db", str(db), "settings", "get", key)
    assert (code, out, err) == (0, f"{value}\n", "")

    code, out, err = run(capsys, "--db", str(db), "settings", "set", key, value,
                         "--cashier", "Maria")  # the same again: nothing changes
    assert (code, out.strip()) == (0, f"{key} is already {value}")
    assert len(setting_events(db)) == 1


def test_the_actor_can_be_named(db: Path, capsys) -> None:
    code, out, _err = run(capsys, "--db", str(db), "settings", "set", "low_stock", "5",
                          "--cashier", "Maria", "--json")
    assert code == 0
    assert json.loads(out) == {"key": "low_stock", "from": "3", "to": "5", "changed": True,
                               "actor": "Maria"}
    assert setting_events(db) == [("Maria", {"key": "low_stock", "from": "3", "to": "5",
                                             "role": "admin"})]


@pytest.mark.parametrize("key, value, reason", [
    ("printer_width", "72", "one of: 58, 80"),
    ("printer_timeout", "0", "a whole number from 1 to 120"),
    ("low_stock", "-1", "a whole number from 0 to 100000"),
    ("negative_stock", "maybe", "one of: warn, block"),
    ("auto_print", "yes", "1 (on) or 0 (off)"),
    ("ppn_rate", "12,5%", "a number from 0 to 100"),
    ("business_day_cutoff", "25:00", "a time of day as HH:MM"),
])
def test_a_bad_value_is_refused_naming_the_key_and_the_reason(db: Path, capsys, key: str,
                                                              value: str, reason: str) -> None:
    before = stored(db)
    code, out, err = run(capsys, "--db", str(db), "settings", "set", key, value)
    assert (code, out) == (1, "")
    assert err == (f"pos-app: {value} is not a valid value for the setting {key}: "
                   f"it takes {reason}\n")
    assert stored(db) == before and setting_events(db) == []


def test_the_refusal_reads_in_indonesian(db: Path, capsys) -> None:
    from pos_app.cli.main import main

    code = main(["--lang", "id", "--db", str(db), "settings", "set", "printer_width", "72"])
    _out, err = capsys.readouterr()
    assert code == 1
    assert err == ("pos-app: 72 bukan nilai yang sah untuk pengaturan printer_width: isinya "
                   "harus salah satu dari: 58, 80\n")


@pytest.mark.parametrize("argv, message", [
    (("set", "colour", "teal"), "There is no setting called colour"),
    (("get", "colour"), "There is no setting called colour"),
    (("set", "central_host", "db.example"),
     "The setting central_host is written by the app itself, not by hand"),
])
def test_an_unknown_or_app_written_key_is_one_clear_line(db: Path, capsys, argv,
                                                         message: str) -> None:
    before = stored(db)
    code, out, err = run(capsys, "--db", str(db), "settings", *argv)
    assert (code, out, err) == (1, "", f"pos-app: {message}\n")
    assert stored(db) == before and setting_events(db) == []
