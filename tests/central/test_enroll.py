"""``pos-app enroll FILE`` on the booth: the secrets go to the keyring (here: its logged file
fallback), the settings keep only where the central database is; a malformed, edited or
foreign file is refused with one line and changes nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import ssl
import stat
import uuid
from pathlib import Path

import pytest

from pos_app.adapters import secrets as secret_store
from pos_app.cli.main import main
from pos_app.domain.errors import DomainError
from pos_app.services.sync import enrollment
from tests.central.test_tls import _key_pem, _pem, make_ca


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
        "user": doc["user"], "password": doc["password"], "signing_key": doc["signing_key"],
        "head_office_key": doc["head_office_key"]}
    assert enrollment.load_secrets(uuid.UUID(device))["password"] == doc["password"]
    assert "no usable OS keyring" in caplog.text

    s = settings(db)
    assert {k: s[k] for k in enrollment.SETTINGS} == {
        "central_device_code": "KPG-01", "central_host": doc["central"]["host"],
        "central_port": str(doc["central"]["port"]), "central_dbname": doc["central"]["dbname"],
        "central_sslmode": "verify-full", "central_user": doc["user"],
        "central_sslrootcert": "system"}  # no CA in the file: the system's trusted roots
    assert not enrollment.ca_path(uuid.UUID(device)).exists()
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


# --- the CA certificate ----------------------------------------------------------------------

def _file(tmp_path: Path, device: str, ca_pem: str | None, name: str) -> Path:
    e = enrollment.Enrollment(uuid.UUID(device), "KPG-01", "central.example.id", 5432,
                              "lapak", "verify-full", "lapak_dev_x", "pw", bytes(32), ca_pem)
    enrollment.write_file(tmp_path / name, e)
    return tmp_path / name


def test_enroll_keeps_the_files_ca_beside_the_secrets(capsys, secrets: Path, tmp_path: Path,
                                                       monkeypatch) -> None:
    from pos_app.services.setup.booth import Booth
    from pos_app.services.sync.sync_status import conninfo_from_enrollment

    db, device = booth_db(tmp_path, capsys)
    ca = _pem(make_ca("Lapak Test CA")[1]).decode()
    file = _file(tmp_path, device, ca, "with-ca.json")
    assert json.loads(file.read_text())["central"]["ca_pem"] == ca
    assert run(capsys, "--db", str(db), "enroll", str(file))[:2] == (0, (
        "Enrolled as KPG-01 with the central database lapak on central.example.id\n"))
    stored = secrets / f"central-ca-{device}.pem"
    assert stored.read_text() == ca and stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert settings(db)["central_sslrootcert"] == "file"
    booth = Booth.open(db)
    try:
        assert conninfo_from_enrollment(booth)["sslrootcert"] == str(stored)
        # found again from the device id: the secrets folder may move
        moved = tmp_path / "moved"
        secrets.rename(moved)
        monkeypatch.setenv(secret_store.ENV_DIR, str(moved))
        assert conninfo_from_enrollment(booth)["sslrootcert"] == str(
            moved / f"central-ca-{device}.pem")
        moved.rename(secrets)
        monkeypatch.setenv(secret_store.ENV_DIR, str(secrets))
        # enrolled again from a file without a CA: the old one goes, the system's roots count
        assert run(capsys, "--db", str(db), "enroll",
                   str(_file(tmp_path, device, None, "no-ca.json")))[0] == 0
        assert not stored.exists() and settings(db)["central_sslrootcert"] == "system"
        assert conninfo_from_enrollment(booth)["sslrootcert"] in (
            "system", ssl.get_default_verify_paths().cafile)
    finally:
        booth.close()


def test_sslrootcert_follows_the_mode_and_the_setting(monkeypatch) -> None:
    device = uuid.uuid4()
    root = enrollment.sslrootcert
    assert root(device, "file", "verify-full") == str(enrollment.ca_path(device))
    assert root(device, "file", "verify-ca") == str(enrollment.ca_path(device))
    assert root(device, "file", "disable") is None and root(device, "file", "require") is None
    assert root(device, None, "verify-full") is None  # enrolled before files carried a CA
    assert root(device, "system", "verify-ca") is None  # libpq: system needs verify-full
    monkeypatch.setenv("SSL_CERT_FILE", "roots.pem")  # OpenSSL's own override: libpq reads it
    assert root(device, "system", "verify-full") == "system"
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    # the psycopg wheel's OpenSSL looks in a folder of its own: the system's bundle instead
    cafile = ssl.get_default_verify_paths().cafile
    assert root(device, "system", "verify-full") == (cafile or "system")


def test_a_ca_file_must_hold_certificates_only(capsys, tmp_path: Path) -> None:
    key, cert = make_ca("Lapak Test CA")
    good = _pem(cert).decode()
    two = good + _pem(make_ca("Second CA")[1]).decode()
    assert enrollment.check_ca_pem("subject=CN = Lapak Test CA\n" + good) == good
    assert enrollment.check_ca_pem(two) == two

    def refused(text: str | bytes) -> str:
        path = tmp_path / "ca.pem"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        out = tmp_path / "KPG-01.json"
        rc, stdout, err = run(capsys, "central", "add-device", "KPG-01", "--out", str(out),
                              "--url", "postgresql://admin@/lapak?host=nowhere", "--ca",
                              str(path))
        assert (rc, stdout) == (1, "") and err.count("\n") == 1 and not out.exists()
        return err.removeprefix(f"pos-app: {path} is not a CA certificate in PEM form: ")

    assert refused(good + _key_pem(key).decode()) == (
        "it contains a private key; give only the certificate\n")
    assert refused("hello\n") == "it has no complete -----BEGIN CERTIFICATE----- block\n"
    assert refused(good[:-30]) == "it has no complete -----BEGIN CERTIFICATE----- block\n"
    body = good.splitlines()
    damaged = "\n".join([body[0], body[1][:10] + "AAAA" + body[1][14:], *body[2:]])
    assert refused(damaged) == "a certificate in it is damaged\n"
    assert refused("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n") \
        == "a certificate in it is damaged\n"
    assert refused("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n") == (
        "it holds something other than certificates\n")
    assert refused(b"\xff\xfe") == "it is not PEM text\n"
    missing = tmp_path / "missing.pem"
    with pytest.raises(DomainError) as caught:
        enrollment.read_ca(missing)
    assert caught.value.code == "ca_unreadable"
    assert caught.value.message().startswith(f"Cannot read the CA certificate {missing}: ")


def test_a_files_ca_is_checked_and_covered_by_the_checksum(tmp_path: Path) -> None:
    key, cert = make_ca("Lapak Test CA")
    e = enrollment.Enrollment(uuid.uuid4(), "KPG-01", "central.example.id", 5432, "lapak",
                              "verify-full", "lapak_dev_x", "pw", bytes(32), _pem(cert).decode())
    doc = enrollment.to_document(e)
    assert enrollment.parse(tmp_path / "f.json", json.dumps(doc).encode()) == e
    swapped = {**doc, "central": {**doc["central"],
                                  "ca_pem": _pem(make_ca("Evil CA")[1]).decode()}}
    with pytest.raises(DomainError) as caught:
        enrollment.parse(tmp_path / "f.json", json.dumps(swapped).encode())
    assert caught.value.code == "enrollment_tampered"
    body = {k: v for k, v in doc.items() if k != "checksum"}
    body["central"] = {**body["central"], "ca_pem": _key_pem(key).decode()}
    raw = json.dumps({**body, "checksum": enrollment._checksum(body)}).encode()
    with pytest.raises(DomainError) as caught:
        enrollment.parse(tmp_path / "f.json", raw)
    assert caught.value.params["field"] == "central.ca_pem"


def test_a_working_keyring_holds_the_enrollment_secrets(capsys, secrets: Path,
                                                        central_url: str, tmp_path: Path,
                                                        monkeypatch, caplog) -> None:
    import keyring

    from tests.integration.test_auth import MemoryKeyring

    db, device = booth_db(tmp_path, capsys)
    file = issue(capsys, central_url, tmp_path, device)
    doc = json.loads(file.read_text())
    ring = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", ring)
    rc, out, err = run(capsys, "--db", str(db), "enroll", str(file))
    assert (rc, err) == (0, "")
    key = ("lapak-pos", enrollment.key_name(uuid.UUID(device)))
    assert json.loads(ring.store[key]) == {
        "user": doc["user"], "password": doc["password"], "signing_key": doc["signing_key"],
        "head_office_key": doc["head_office_key"]}
    assert not (secrets / f"central-{device}").exists()  # no file when the keyring works
    assert "no usable OS keyring" not in caplog.text
    assert enrollment.load_secrets(uuid.UUID(device))["password"] == doc["password"]
