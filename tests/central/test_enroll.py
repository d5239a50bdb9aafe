"""``pos-app enroll FILE`` on the booth: the secrets go to the keyring (here: its logged file
fallback), the settings keep only where the central database is; a malformed, edited or
foreign file is refused with one line and changes nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest

from pos_app.cli import main
from pos_app.services import enrollment


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def booth_db(tmp_path: Path, capsys) -> tuple[Path, str]:
    path = tmp_path / "booth.db"
    assert run(capsys, "--db", str(path), "init", "--device", "KPG-01")[0] == 0
    with sqlite3.connect(path) as con:
        device = con.execute("SELECT value FROM setting WHERE key = 'device_id'").fetchone()[0]
    con.close()
    return path, device


def settings(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as con:
        rows = dict(con.execute("SELECT key, value FROM setting").fetchall())
    con.close()
    return rows


def issue(capsys, url: str, tmp_path: Path, device_hex: str) -> Path:
    out = tmp_path / "enroll-KPG-01.json"
    assert run(capsys, "central", "init", "--url", url)[0] == 0
    rc, _, err = run(capsys, "central", "add-device", "KPG-01", "--url", url, "--out", str(out),
                     "--device-id", str(uuid.UUID(device_hex)))
    assert (rc, err) == (0, "")
    return out


def test_enroll_stores_secrets_and_settings(capsys, secrets: Path, central_url: str,
                                            tmp_path: Path, caplog) -> None:
    db, device = booth_db(tmp_path, capsys)
    file = issue(capsys, central_url, tmp_path, device)
    doc = json.loads(file.read_text())

    rc, out, err = run(capsys, "--db", str(db), "enroll", str(file))
    assert (rc, err) == (0, "")
    assert out.startswith("Enrolled as KPG-01 with the central database central_")

    stored = secrets / f"central-{device}"
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert json.loads(stored.read_text()) == {
        "user": doc["user"], "password": doc["password"], "signing_key": doc["signing_key"]}
    assert enrollment.load_secrets(uuid.UUID(device))["password"] == doc["password"]
    assert "no usable OS keyring" in caplog.text

    s = settings(db)
    assert {k: s[k] for k in enrollment.SETTINGS} == {
        "central_device_code": "KPG-01", "central_host": doc["central"]["host"],
        "central_port": str(doc["central"]["port"]), "central_dbname": doc["central"]["dbname"],
        "central_sslmode": "disable", "central_user": doc["user"]}
    with sqlite3.connect(db) as con:  # the password is nowhere in the booth's database
        dump = "\n".join(con.iterdump())
    con.close()
    assert doc["password"] not in dump and doc["signing_key"] not in dump
    assert "'enroll'" in dump  # journaled


def refused(capsys, db: Path, file: Path, secrets: Path) -> str:
    before = settings(db)
    rc, out, err = run(capsys, "--db", str(db), "enroll", str(file))
    assert (rc, out) == (1, "")
    assert err.count("\n") == 1
    assert settings(db) == before
    assert list(secrets.glob("central-*")) == []
    return err


def test_enroll_refuses_a_tampered_file(capsys, secrets: Path, central_url: str,
                                        tmp_path: Path) -> None:
    db, device = booth_db(tmp_path, capsys)
    file = issue(capsys, central_url, tmp_path, device)
    doc = json.loads(file.read_text())
    doc["central"]["host"] = "evil.example.com"
    file.write_text(json.dumps(doc))
    err = refused(capsys, db, file, secrets)
    assert err == (f"pos-app: The enrollment file {file} was changed or damaged after head "
                   "office made it; ask for a new one\n")


def test_enroll_refuses_a_malformed_file(capsys, secrets: Path, tmp_path: Path) -> None:
    db, _ = booth_db(tmp_path, capsys)
    file = tmp_path / "bad.json"
    file.write_text("{not json")
    assert refused(capsys, db, file, secrets) == (
        f"pos-app: {file} is not a valid Lapak enrollment file (bad JSON)\n")
    file.write_text(json.dumps({"format": "something else"}))
    assert refused(capsys, db, file, secrets) == (
        f"pos-app: {file} is not a valid Lapak enrollment file (bad format)\n")
    missing = tmp_path / "missing.json"
    assert refused(capsys, db, missing, secrets).startswith(
        f"pos-app: Cannot read the enrollment file {missing}: ")


def test_enroll_refuses_another_devices_file(capsys, secrets: Path, central_url: str,
                                             tmp_path: Path) -> None:
    db, device = booth_db(tmp_path, capsys)
    file = tmp_path / "other.json"
    assert run(capsys, "central", "init", "--url", central_url)[0] == 0
    assert run(capsys, "central", "add-device", "KPG-02", "--url", central_url,
               "--out", str(file))[0] == 0
    other = json.loads(file.read_text())["device_id"]
    assert refused(capsys, db, file, secrets) == (
        f"pos-app: The enrollment file is for device KPG-02 ({other}), not this booth "
        f"({uuid.UUID(device)})\n")


def test_a_well_formed_file_with_a_bad_field_is_malformed(tmp_path: Path) -> None:
    from pos_app.domain.errors import DomainError

    e = enrollment.Enrollment(uuid.uuid4(), "KPG-01", "central.example.id", 5432, "lapak",
                              "verify-full", "lapak_dev_x", "pw", bytes(32))
    doc = enrollment.to_document(e)
    body = {k: v for k, v in doc.items() if k != "checksum"}
    body["central"] = {**body["central"], "port": 70000}
    raw = json.dumps({**body, "checksum": enrollment._checksum(body)}).encode()
    with pytest.raises(DomainError) as caught:
        enrollment.parse(tmp_path / "f.json", raw)
    assert caught.value.code == "enrollment_malformed"
    assert caught.value.params["field"] == "central.port"
    assert enrollment.parse(tmp_path / "f.json", json.dumps(doc).encode()) == e
