"""Users, PINs, login and lockout (issue #4 item 1): argon2id over a peppered PIN, the same
answer for a wrong PIN and an unknown name, a lockout derived from the journal that survives
a restart (also in another process), coordinator unlock, roles; the device secret's storage;
the first-run admin; the ``pos-app user`` commands."""

from __future__ import annotations

import io
import json
import logging
import os
import sqlite3
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import keyring.core
import pytest
from keyring.backend import KeyringBackend

from pos_app.cli.main import main
from pos_app.domain.errors import DomainError
from pos_app.services.access import auth
from pos_app.services.access.auth import AuthUser
from pos_app.services.setup import pepper
from pos_app.services.setup.booth import Booth, write_setting
from pos_app.services.setup.setup import init_booth
from tests.integration.journal import events, sql

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("secrets")


def user_id(booth: Booth, name: str) -> str:
    return sql(booth, "SELECT id FROM user WHERE name = ?", name)[0]["id"]


def code_of(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as err:
        call(*args, **kwargs)
    return err.value.code


def fail_logins(booth: Booth, name: str, times: int, pin: str = "0000") -> list[str]:
    return [code_of(auth.login, booth, name, pin) for _ in range(times)]


def admin(booth: Booth) -> AuthUser:
    auth.create_user(booth, "Ana", "admin", "97531", actor="test")
    return auth.login(booth, "Ana", "97531")


# --- hashing --------------------------------------------------------------------------------
# (the production argon2 parameters are checked in test_pin_hash.py)

def test_the_hash_is_keyed_by_the_device_secret(booth: Booth) -> None:
    stored = sql(booth, "SELECT pin_hash FROM user WHERE name = 'Kasir'")[0]["pin_hash"]
    secret = pepper.load(booth.context.device_id)
    assert len(secret) == 32
    assert auth.verify_pin(stored, "1234", secret) is True
    assert auth.verify_pin(stored, "1235", secret) is False
    assert auth.verify_pin(stored, "1234", bytes(32)) is False  # another device's secret
    assert auth.verify_pin(stored, "1234", os.urandom(32)) is False
    with pytest.raises(Exception):  # noqa: B017 - the bare PIN is not what was hashed
        auth.HASHER.verify(stored, "1234")


def test_a_database_copied_off_the_device_cannot_check_pins(booth: Booth, tmp_path: Path,
                                                           monkeypatch) -> None:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(booth.db.path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    monkeypatch.setenv(pepper.ENV_DIR, str(tmp_path / "other-laptop"))
    pepper.forget_cache()
    stolen = Booth.open(copy)
    try:
        assert code_of(auth.login, stolen, "Kasir", "1234") == "secret_unavailable"
        assert code_of(auth.create_user, stolen, "Budi", "cashier", "4321",
                       actor="thief") == "secret_unavailable"
        assert events(stolen, "login.failed", "login.ok") == []  # no guess counted or leaked
    finally:
        stolen.close()
    assert not (tmp_path / "other-laptop").exists()  # and no new secret was made for it


def test_a_lost_secret_is_never_replaced(booth: Booth, secrets: Path) -> None:
    secret_file = pepper.file_path(booth.context.device_id)
    assert secret_file.parent == secrets
    secret_file.unlink()
    pepper.forget_cache()
    assert code_of(auth.login, booth, "Kasir", "1234") == "secret_unavailable"
    assert code_of(auth.set_pin, booth, "Kasir", "5555", actor="test") == "secret_unavailable"
    assert not secret_file.exists()  # no new pepper made (the journal's secret stays)
    assert [p.name for p in secrets.iterdir()] == [f"journal-{booth.context.device_id.hex}"]
    assert events(booth, "login.failed") == []


def test_a_pin_is_four_to_eight_ascii_digits(booth: Booth) -> None:
    for bad in ("123", "123456789", "12a4", "١٢٣٤", " 1234", "1234\n", "", "12 34"):
        assert code_of(auth.create_user, booth, "Budi", "cashier", bad,
                       actor="test") == "bad_pin_format", bad
        assert code_of(auth.login, booth, "Kasir", bad) == "bad_pin_format", bad
    assert events(booth, "login.failed") == []  # a malformed PIN is no guess
    for good in ("1234", "12345678", "0000"):
        auth.create_user(booth, f"Budi{good}", "cashier", good, actor="test")
        assert auth.login(booth, f"Budi{good}", good).name == f"Budi{good}"


# --- login and lockout ------------------------------------------------------------------------

def test_login_returns_the_user_and_is_journaled(booth: Booth) -> None:
    user = auth.login(booth, "Maria", "2468")
    assert user == AuthUser(uuid.UUID(user_id(booth, "Maria")), "Maria", "coordinator")
    assert events(booth, "login.ok") == [{"actor": "Maria", "action": "login.ok",
                                          "subject_kind": "user",
                                          "subject_id": user_id(booth, "Maria"),
                                          "payload": {"name": "Maria"}}]


def test_a_wrong_pin_and_an_unknown_name_look_the_same(booth: Booth) -> None:
    with pytest.raises(DomainError) as wrong:
        auth.login(booth, "Kasir", "9999")
    with pytest.raises(DomainError) as unknown:
        auth.login(booth, "Nobody", "1234")
    assert (wrong.value.code, unknown.value.code) == ("bad_pin", "bad_pin")
    assert str(wrong.value) == str(unknown.value) == "Wrong name or PIN"
    failed = events(booth, "login.failed")
    assert [(e["actor"], e["subject_id"], e["payload"]["reason"]) for e in failed] == [
        ("Kasir", user_id(booth, "Kasir"), "bad_pin"), ("Nobody", None, "unknown")]
    assert failed[0]["payload"] == {"purpose": "login", "name": "Kasir", "reason": "bad_pin",
                                    "attempt": 1}
    assert all("9999" not in json.dumps(e) and "1234" not in json.dumps(e) for e in failed)
    assert code_of(auth.login, booth, "2468", "2468") == "bad_pin"  # a PIN in the name field
    assert events(booth, "login.failed")[-1]["actor"] == "?"
    assert "2468" not in json.dumps(events(booth, "login.failed")[-1])


def test_the_fourth_wrong_pin_does_not_lock(booth: Booth) -> None:
    assert fail_logins(booth, "Kasir", 4) == ["bad_pin"] * 4
    assert auth.is_locked(booth, "Kasir") is False
    assert auth.login(booth, "Kasir", "1234").name == "Kasir"


def test_a_success_resets_the_count(booth: Booth) -> None:
    assert fail_logins(booth, "Kasir", 4) == ["bad_pin"] * 4
    auth.login(booth, "Kasir", "1234")
    assert fail_logins(booth, "Kasir", 4) == ["bad_pin"] * 4
    assert auth.login(booth, "Kasir", "1234").name == "Kasir"
    assert auth.failures_of(booth, "Kasir") == 0


LOGIN_CHILD = """
import sys
from pos_app.domain.errors import DomainError
from pos_app.services.access.auth import login
from pos_app.services.setup.booth import Booth
booth = Booth.open(sys.argv[1])
try:
    print(login(booth, sys.argv[2], sys.argv[3]).name)
except DomainError as exc:
    print(exc.code)
"""


def child_env(secrets: Path) -> dict[str, str]:
    return {**os.environ, pepper.ENV_DIR: str(secrets),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def child_login(booth: Booth, secrets: Path, name: str, pin: str) -> str:
    done = subprocess.run([sys.executable, "-c", LOGIN_CHILD, str(booth.db.path), name, pin],
                          capture_output=True, text=True, timeout=120, env=child_env(secrets),
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_lockout_survives_a_restart_and_another_process(booth: Booth, clock,
                                                         secrets: Path) -> None:
    path = booth.db.path
    assert fail_logins(booth, "Kasir", 5) == ["bad_pin"] * 5
    booth.close()

    reopened = Booth.open(path, clock=clock)  # a restart: nothing kept in memory
    pepper.forget_cache()
    try:
        assert auth.is_locked(reopened, "Kasir") is True
        assert code_of(auth.login, reopened, "Kasir", "1234") == "account_locked"
        assert child_login(reopened, secrets, "Kasir", "1234") == "account_locked"
        assert child_login(reopened, secrets, "Kasir", "0000") == "account_locked"
        assert [u.locked for u in auth.users(reopened) if u.name == "Kasir"] == [True]

        maria = auth.login(reopened, "Maria", "2468")
        auth.unlock_user(reopened, "Kasir", by=maria)
        assert auth.is_locked(reopened, "Kasir") is False
        assert child_login(reopened, secrets, "Kasir", "1234") == "Kasir"
        assert auth.login(reopened, "Kasir", "1234").name == "Kasir"
        unlock = events(reopened, "user.unlock")
        assert unlock == [{"actor": "Maria", "action": "user.unlock", "subject_kind": "user",
                           "subject_id": user_id(reopened, "Kasir"),
                           "payload": {"name": "Kasir", "failures": 8}}]
        # 5 wrong, then 1 refused here and 2 in the child: each journaled, none checked
        failed = events(reopened, "login.failed")
        assert [e["payload"]["reason"] for e in failed] == ["bad_pin"] * 5 + ["locked"] * 3
        assert [e["payload"]["attempt"] for e in failed] == list(range(1, 9))
    finally:
        reopened.close()


def test_the_lockout_threshold_is_a_setting(booth: Booth) -> None:
    with booth.db.write() as s:
        write_setting(s, "lockout_attempts", "3")
    assert fail_logins(booth, "Kasir", 4) == ["bad_pin"] * 3 + ["account_locked"]


def test_a_locked_user_cannot_even_try(booth: Booth) -> None:
    fail_logins(booth, "Kasir", 5)
    assert code_of(auth.login, booth, "Kasir", "1234") == "account_locked"
    assert code_of(auth.login, booth, "Kasir", "0000") == "account_locked"
    assert auth.is_locked(booth, "Maria") is False  # others are not affected
    assert code_of(auth.is_locked, booth, "Nobody") == "unknown_user"


def test_who_may_unlock(booth: Booth) -> None:
    boss = admin(booth)
    kasir = auth.login(booth, "Kasir", "1234")
    maria = auth.login(booth, "Maria", "2468")
    fail_logins(booth, "Kasir", 5)
    fail_logins(booth, "Ana", 5, pin="11111")
    assert code_of(auth.unlock_user, booth, "Kasir", by=kasir) == "not_allowed"  # a cashier
    assert code_of(auth.unlock_user, booth, "Ana", by=maria) == "not_allowed"  # a higher role
    assert code_of(auth.unlock_user, booth, "Ana", by=boss) == "not_allowed"  # oneself
    assert code_of(auth.unlock_user, booth, "Nobody", by=maria) == "unknown_user"
    assert events(booth, "user.unlock") == []
    auth.unlock_user(booth, "Kasir", by=maria)
    assert (auth.is_locked(booth, "Kasir"), auth.is_locked(booth, "Ana")) == (False, True)


# --- users and roles -------------------------------------------------------------------------

def test_create_user_journals_no_pin_material(booth: Booth) -> None:
    info = auth.create_user(booth, " Budi ", "coordinator", "8642", actor="os:ana")
    assert (info.name, info.role, info.has_pin, info.locked) == ("Budi", "coordinator", True,
                                                                 False)
    [row] = sql(booth, "SELECT * FROM user WHERE name = 'Budi'")
    assert (row["role"], row["active"], row["revision"]) == ("coordinator", 1, 1)
    assert row["pin_hash"].startswith("$argon2id$")
    [event] = events(booth, "user.create")[-1:]
    assert event == {"actor": "os:ana", "action": "user.create", "subject_kind": "user",
                     "subject_id": row["id"], "payload": {"name": "Budi", "role": "coordinator"}}
    assert sql(booth, "SELECT count(*) AS n FROM outbox WHERE table_name = 'user' "
                      "AND record_id = ?", row["id"]) == [{"n": 1}]
    assert code_of(auth.create_user, booth, "Budi", "cashier", "1111",
                   actor="x") == "user_exists"
    assert code_of(auth.create_user, booth, "  ", "cashier", "1111",
                   actor="x") == "bad_user_name"
    assert auth.login(booth, "Budi", "8642").role == "coordinator"


def test_only_an_admin_manages_users_and_never_above_their_role(booth: Booth) -> None:
    maria = auth.login(booth, "Maria", "2468")
    kasir = auth.login(booth, "Kasir", "1234")
    assert code_of(auth.create_user, booth, "Budi", "cashier", "1111",
                   actor=kasir) == "not_allowed"
    assert code_of(auth.create_user, booth, "Budi", "cashier", "1111",
                   actor=maria) == "not_allowed"
    boss = admin(booth)
    auth.create_user(booth, "Budi", "cashier", "1111", actor=boss)
    auth.create_user(booth, "Citra", "admin", "2222", actor=boss)
    assert [e["actor"] for e in events(booth, "user.create")][-2:] == ["Ana", "Ana"]


def test_set_pin_bumps_the_revision_queues_the_row_and_clears_failures(booth: Booth) -> None:
    kid = user_id(booth, "Kasir")
    outbox = sql(booth, "SELECT count(*) AS n FROM outbox WHERE record_id = ?", kid)[0]["n"]
    fail_logins(booth, "Kasir", 4)
    kasir = AuthUser(uuid.UUID(kid), "Kasir", "cashier")
    maria = auth.login(booth, "Maria", "2468")
    assert code_of(auth.set_pin, booth, "Maria", "1357", actor=kasir) == "not_allowed"
    auth.set_pin(booth, "Kasir", "7777", actor=kasir)  # one's own PIN
    [row] = sql(booth, "SELECT revision, updated_at FROM user WHERE id = ?", kid)
    assert row["revision"] == 2 and row["updated_at"] is not None
    assert sql(booth, "SELECT count(*) AS n FROM outbox WHERE record_id = ?",
               kid)[0]["n"] == outbox + 1
    assert events(booth, "user.pin")[-1]["payload"] == {"name": "Kasir"}
    assert auth.failures_of(booth, "Kasir") == 0
    assert code_of(auth.login, booth, "Kasir", "1234") == "bad_pin"
    assert auth.login(booth, "Kasir", "7777").name == "Kasir"
    assert code_of(auth.set_pin, booth, "Kasir", "1234", actor=maria) == "not_allowed"


def test_roles_and_actions() -> None:
    cashier = AuthUser(uuid.uuid4(), "Kasir", "cashier")
    coord = AuthUser(uuid.uuid4(), "Maria", "coordinator")
    boss = AuthUser(uuid.uuid4(), "Ana", "admin")
    table = {a: [auth.can(u, a) for u in (cashier, coord, boss)] for a in auth.ACTIONS}
    assert table == {
        "sell": [True, True, True],
        "void": [False, True, True], "refund": [False, True, True],
        "discount": [False, True, True], "price_override": [False, True, True],
        "open_drawer": [False, True, True], "unlock_user": [False, True, True],
        "manage_users": [False, False, True],
    }
    assert all(len(a) <= 16 for a in auth.ACTIONS)  # approval.action is VARCHAR(16)
    assert auth.needs_approval(cashier, "void") and not auth.needs_approval(coord, "void")
    with pytest.raises(DomainError) as err:
        auth.require(cashier, "refund")
    assert (err.value.code, str(err.value)) == ("not_allowed", "Kasir (cashier) may not refund")
    auth.require(boss, "manage_users")
    with pytest.raises(KeyError):
        auth.can(boss, "launch_rockets")


# --- first run --------------------------------------------------------------------------------

def test_first_run_makes_no_user_until_an_admin_is_given(tmp_path: Path) -> None:
    booth, result = init_booth(tmp_path / "kosong.db")
    try:
        assert (result.admin, auth.needs_admin(booth), auth.users(booth)) == (None, True, [])
    finally:
        booth.close()
    booth, result = init_booth(tmp_path / "kosong.db", admin_name="Ana", admin_pin="97531")
    try:
        assert (result.created_device, result.admin, auth.needs_admin(booth)) == (
            False, "Ana", False)
        assert [(u.name, u.role) for u in auth.users(booth)] == [("Ana", "admin")]
        assert auth.login(booth, "Ana", "97531").role == "admin"
        assert events(booth, "user.create")[0]["actor"] == "setup"
    finally:
        booth.close()


def test_a_bad_admin_pin_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    assert code_of(init_booth, path, admin_name="Ana", admin_pin="12") == "bad_pin_format"
    assert not path.exists()


def test_the_demo_has_a_cashier_and_a_coordinator(booth: Booth) -> None:
    assert [(u.name, u.role, u.has_pin) for u in auth.users(booth)] == [
        ("Kasir", "cashier", True), ("Maria", "coordinator", True)]
    assert auth.login(booth, "Kasir", "1234").role == "cashier"
    assert auth.login(booth, "Maria", "2468").role == "coordinator"
    assert auth.needs_admin(booth) is True  # the demo has no admin


# --- the device secret -----------------------------------------------------------------------

def test_without_a_keyring_the_secret_is_a_0600_file_logged_once(tmp_path: Path, secrets: Path,
                                                                  caplog) -> None:
    device = uuid.uuid4()
    with caplog.at_level(logging.WARNING, logger="pos_app"):
        first = pepper.load(device, create=True)
        pepper.forget_cache()
        again = pepper.load(device, create=True)
        third = pepper.load(device)
    path = secrets / f"pepper-{device.hex}"
    assert first == again == third and len(first) == 32
    assert path.read_text() == first.hex() + "\n"
    assert [p.name for p in secrets.iterdir()] == [path.name]  # no temporary file left
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    warnings = [r for r in caplog.records if r.name == "pos_app"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING  # and nothing else
    assert "no usable OS keyring" in warnings[0].getMessage()
    assert str(path) in warnings[0].getMessage()


def test_the_secret_is_the_same_in_another_process(secrets: Path) -> None:
    device = uuid.uuid4()
    mine = pepper.load(device, create=True)
    child = ("import sys, uuid; from pos_app.services.setup import pepper; "
             "print(pepper.load(uuid.UUID(sys.argv[1])).hex())")
    done = subprocess.run([sys.executable, "-c", child, device.hex], capture_output=True,
                          text=True, timeout=60, env=child_env(secrets), cwd=ROOT)
    assert (done.returncode, done.stdout.strip()) == (0, mine.hex()), done.stderr


def test_a_missing_or_corrupt_secret_is_an_error_not_a_new_secret(secrets: Path) -> None:
    device = uuid.uuid4()
    with pytest.raises(pepper.PepperMissing):
        pepper.load(device)
    assert not secrets.exists()
    secrets.mkdir(mode=0o700)
    path = secrets / f"pepper-{device.hex}"
    path.write_text("not hex at all\n")
    for create in (False, True):
        with pytest.raises(pepper.PepperError) as err:
            pepper.load(device, create=create)
        assert not isinstance(err.value, pepper.PepperMissing)
    assert path.read_text() == "not hex at all\n"


class MemoryKeyring(KeyringBackend):
    priority = 10

    def __init__(self, keep: bool = True) -> None:
        super().__init__()
        self.keep, self.store = keep, {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        if self.keep:
            self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


def test_a_working_keyring_holds_the_secret(secrets: Path, monkeypatch, caplog) -> None:
    ring = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", ring)
    device = uuid.uuid4()
    with caplog.at_level(logging.WARNING, logger="pos_app"):
        value = pepper.load(device, create=True)
    assert ring.store == {("lapak-pos", f"pepper:{device.hex}"): value.hex()}
    assert not secrets.exists() and caplog.records == []
    pepper.forget_cache()
    assert pepper.load(device) == value


def test_a_keyring_that_keeps_nothing_falls_back_to_the_file(secrets: Path,
                                                              monkeypatch) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", MemoryKeyring(keep=False))
    device = uuid.uuid4()
    value = pepper.load(device, create=True)
    assert (secrets / f"pepper-{device.hex}").read_text() == value.hex() + "\n"


def test_an_existing_secret_file_wins_over_a_keyring_that_appears_later(
        secrets: Path, monkeypatch) -> None:
    device = uuid.uuid4()
    value = pepper.load(device, create=True)  # no keyring yet: a file
    pepper.forget_cache()
    ring = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", ring)
    assert pepper.load(device, create=True) == value
    assert ring.store == {}


# --- the command line -------------------------------------------------------------------------

def cli(capsys, monkeypatch, stdin: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_user_add_list_and_unlock(booth: Booth, capsys, monkeypatch) -> None:
    db = str(booth.db.path)
    code, out, err = cli(capsys, monkeypatch, "4444\n", "user", "add", "Budi", "--db", db)
    assert (code, out, err) == (1, "", "pos-app: That PIN is too easy to guess (one digit "
                                "repeated or a run such as 1234); choose another\n")
    assert cli(capsys, monkeypatch, "4844\n", "user", "add", "Budi", "--role", "cashier",
               "--db", db) == (0, "User Budi (cashier) added\n", "")
    code, out, err = cli(capsys, monkeypatch, "44\n", "user", "add", "Citra", "--db", db)
    assert (code, out, err) == (1, "", "pos-app: A PIN is 4 to 8 digits\n")
    code, out, err = cli(capsys, monkeypatch, "4844\n", "user", "add", "Budi", "--db", db)
    assert (code, out, err) == (1, "", "pos-app: A user named Budi already exists\n")

    fail_logins(booth, "Budi", 5)
    code, out, err = cli(capsys, monkeypatch, "", "user", "list", "--json", "--db", db)
    assert (code, err) == (0, "")
    assert [(u["name"], u["role"], u["locked"], u["has_pin"]) for u in json.loads(out)["users"]
            ] == [("Budi", "cashier", True, True), ("Kasir", "cashier", False, True),
                  ("Maria", "coordinator", False, True)]
    assert cli(capsys, monkeypatch, "", "user", "list", "--db", db)[1] == (
        "Budi\tcashier\tlocked\nKasir\tcashier\nMaria\tcoordinator\n")

    code, out, err = cli(capsys, monkeypatch, "1234\n", "user", "unlock", "Budi", "--by",
                         "Kasir", "--db", db)
    assert (code, out, err) == (1, "", "pos-app: Kasir (cashier) may not unlock_user\n")
    code, out, err = cli(capsys, monkeypatch, "1111\n", "user", "unlock", "Budi", "--by",
                         "Maria", "--db", db)
    assert (code, out, err) == (1, "", "pos-app: Wrong name or PIN\n")
    assert cli(capsys, monkeypatch, "2468\n", "user", "unlock", "Budi", "--by", "Maria",
               "--db", db) == (0, "Budi unlocked\n", "")
    assert auth.login(booth, "Budi", "4844").name == "Budi"
    assert events(booth, "user.create")[-1]["actor"].startswith("os:")


def test_cli_init_with_an_admin(tmp_path: Path, capsys, monkeypatch) -> None:
    db = str(tmp_path / "baru.db")
    code, out, err = cli(capsys, monkeypatch, "97531\n", "init", "--admin", "Ana", "--json",
                         "--db", db)
    assert (code, err) == (0, "")
    assert json.loads(out)["admin"] == "Ana"
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text("86420\n")
    code, out, err = cli(capsys, monkeypatch, "", "init", "--admin", "Budi",
                         "--admin-pin-file", str(pin_file), "--db", db)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "Admin Budi created"
    booth = Booth.open(db)
    try:
        assert auth.login(booth, "Ana", "97531").role == "admin"
        assert auth.login(booth, "Budi", "86420").role == "admin"
    finally:
        booth.close()
    code, out, err = cli(capsys, monkeypatch, "1\n", "init", "--admin", "Citra", "--db",
                         str(tmp_path / "lain.db"))
    assert (code, out, err) == (1, "", "pos-app: A PIN is 4 to 8 digits\n")
    assert not (tmp_path / "lain.db").exists()


def test_cli_user_commands_in_a_real_process(booth: Booth, secrets: Path) -> None:
    db = str(booth.db.path)

    def run(stdin: str, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pos_app", "--lang", "en", *argv],
                              input=stdin, capture_output=True, text=True, timeout=120,
                              env=child_env(secrets), cwd=ROOT)

    added = run("5768\n", "user", "add", "Dewi", "--role", "coordinator", "--db", db)
    assert (added.returncode, added.stdout, added.stderr) == (
        0, "User Dewi (coordinator) added\n", "")
    fail_logins(booth, "Kasir", 5)
    done = run("5768\n", "user", "unlock", "Kasir", "--by", "Dewi", "--db", db)
    assert (done.returncode, done.stdout, done.stderr) == (0, "Kasir unlocked\n", "")
    assert auth.login(booth, "Kasir", "1234").name == "Kasir"
