"""Managing users (issue #14 item 2): only an administrator adds users, resets PINs, changes
roles and deactivates; the last active administrator stays; PINs of 4 to 8 digits that are
not trivial and not the previous one; every change journaled with its actor and no PIN."""

from __future__ import annotations

import json

import pytest

from pos_app.domain.errors import DomainError
from pos_app.services.access import auth, users
from pos_app.services.access.auth import AuthUser
from pos_app.services.access.pin_rules import check_new_pin, is_trivial
from pos_app.services.setup.booth import Booth
from tests.integration.journal import events, sql

pytestmark = pytest.mark.usefixtures("secrets")

ADMIN_PIN = "97531"


def code_of(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as err:
        call(*args, **kwargs)
    return err.value.code


def admin(booth: Booth) -> AuthUser:
    auth.create_user(booth, "Ana", "admin", ADMIN_PIN, actor="test")
    return auth.login(booth, "Ana", ADMIN_PIN)


def row(booth: Booth, name: str) -> dict:
    return sql(booth, "SELECT role, active, revision FROM user WHERE name = ?", name)[0]


@pytest.mark.parametrize("pin", ["1234", "0000", "1111", "4321", "123456", "98765432",
                                 "0123", "99999999"])
def test_trivial_pins_are_refused(pin: str) -> None:
    assert is_trivial(pin)
    assert code_of(check_new_pin, pin) == "weak_pin"


@pytest.mark.parametrize("pin", ["2468", "1357", "97531", "1243", "8008", "5550"])
def test_other_pins_of_four_to_eight_digits_pass(pin: str) -> None:
    assert not is_trivial(pin)
    assert check_new_pin(pin) == pin


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "١٢٣٤"])
def test_a_pin_is_four_to_eight_ascii_digits(pin: str) -> None:
    assert code_of(check_new_pin, pin) == "bad_pin_format"


def test_an_admin_adds_a_user_journaled_without_the_pin(booth: Booth) -> None:
    ana = admin(booth)
    info = users.add_user(booth, "Budi", "cashier", "4826", ana)
    assert (info.name, info.role, info.active) == ("Budi", "cashier", True)
    assert auth.login(booth, "Budi", "4826").role == "cashier"
    created = events(booth, "user.create")[-1]
    assert (created["actor"], created["payload"]) == ("Ana", {"name": "Budi", "role": "cashier"})
    assert "4826" not in json.dumps(events(booth, "user.create", "login.ok"))


def test_add_refuses_a_trivial_pin_and_writes_nothing(booth: Booth) -> None:
    ana = admin(booth)
    assert code_of(users.add_user, booth, "Budi", "cashier", "1111", ana) == "weak_pin"
    assert code_of(users.add_user, booth, "Budi", "cashier", "12", ana) == "bad_pin_format"
    assert sql(booth, "SELECT name FROM user WHERE name = 'Budi'") == []


def test_a_coordinator_or_cashier_manages_no_user(booth: Booth) -> None:
    maria = auth.login(booth, "Maria", "2468")
    kasir = auth.login(booth, "Kasir", "1234")
    for who in (maria, kasir):
        for role in ("cashier", "coordinator", "admin"):
            assert code_of(users.add_user, booth, "Budi", role, "4826", who) == "not_allowed"
        assert code_of(users.reset_pin, booth, "Kasir" if who is maria else "Maria", "4826",
                       who) == "not_allowed"
        assert code_of(users.change_role, booth, "Kasir", "coordinator", who) == "not_allowed"
        assert code_of(users.set_active, booth, "Kasir", False, who) == "not_allowed"
    assert [(r["role"], r["active"]) for r in sql(
        booth, "SELECT role, active FROM user ORDER BY name")] == [
        ("cashier", 1), ("coordinator", 1)]
    assert events(booth, "user.role", "user.deactivate", "user.pin") == []


def test_reset_pin_refuses_trivial_and_the_previous_pin(booth: Booth) -> None:
    ana = admin(booth)
    assert code_of(users.reset_pin, booth, "Maria", "0000", ana) == "weak_pin"
    assert code_of(users.reset_pin, booth, "Maria", "2468", ana) == "pin_reused"
    assert code_of(users.reset_pin, booth, "Nobody", "4826", ana) == "unknown_user"
    assert events(booth, "user.pin") == []
    users.reset_pin(booth, "Maria", "4826", ana)
    assert auth.login(booth, "Maria", "4826").name == "Maria"
    assert code_of(auth.login, booth, "Maria", "2468") == "bad_pin"
    pin_events = events(booth, "user.pin")
    assert [(e["actor"], e["payload"]) for e in pin_events] == [("Ana", {"name": "Maria"})]
    assert "4826" not in json.dumps(pin_events)


def test_a_user_resets_their_own_pin(booth: Booth) -> None:
    kasir = auth.login(booth, "Kasir", "1234")
    users.reset_pin(booth, "Kasir", "5829", kasir)
    assert auth.login(booth, "Kasir", "5829").name == "Kasir"
    assert events(booth, "user.pin")[-1]["actor"] == "Kasir"


def test_change_role_is_journaled_and_bumps_the_revision(booth: Booth) -> None:
    ana = admin(booth)
    before = row(booth, "Kasir")["revision"]
    users.change_role(booth, "Kasir", "coordinator", ana)
    assert row(booth, "Kasir")["role"] == "coordinator"
    assert row(booth, "Kasir")["revision"] == before + 1
    assert [(e["actor"], e["payload"]) for e in events(booth, "user.role")] == [
        ("Ana", {"name": "Kasir", "from": "cashier", "to": "coordinator"})]
    assert sql(booth, "SELECT COUNT(*) AS n FROM outbox WHERE table_name = 'user'")[0]["n"] >= 1


def test_the_last_active_admin_is_neither_demoted_nor_deactivated(booth: Booth) -> None:
    ana = admin(booth)
    assert code_of(users.change_role, booth, "Ana", "coordinator", ana) == "last_admin"
    assert code_of(users.set_active, booth, "Ana", False, ana) == "last_admin"
    assert (row(booth, "Ana")["role"], row(booth, "Ana")["active"]) == ("admin", 1)
    # with a second admin, the first one may go
    users.add_user(booth, "Yohanes", "admin", "58203", ana)
    users.set_active(booth, "Ana", False, ana)
    assert row(booth, "Ana")["active"] == 0
    assert code_of(auth.login, booth, "Ana", ADMIN_PIN) == "bad_pin"  # inactive
    yohanes = auth.login(booth, "Yohanes", "58203")
    assert code_of(users.change_role, booth, "Yohanes", "cashier", yohanes) == "last_admin"
    # a deactivated admin's old login acts no more
    assert code_of(users.add_user, booth, "Citra", "cashier", "4826", ana) == "not_allowed"


def test_deactivate_and_reactivate(booth: Booth) -> None:
    ana = admin(booth)
    users.set_active(booth, "Kasir", False, ana)
    assert code_of(auth.login, booth, "Kasir", "1234") == "bad_pin"
    assert [u.active for u in auth.users(booth) if u.name == "Kasir"] == [False]
    users.set_active(booth, "Kasir", True, ana)
    assert auth.login(booth, "Kasir", "1234").name == "Kasir"
    assert [(e["action"], e["actor"], e["payload"]) for e in events(
        booth, "user.deactivate", "user.activate")] == [
        ("user.deactivate", "Ana", {"name": "Kasir"}), ("user.activate", "Ana", {"name": "Kasir"})]


def test_the_command_line_is_the_back_office(booth: Booth) -> None:
    users.add_user(booth, "Ana", "admin", ADMIN_PIN, "os:alice")
    users.change_role(booth, "Kasir", "coordinator", "os:alice")
    assert code_of(users.set_active, booth, "Ana", False, "os:alice") == "last_admin"
    assert events(booth, "user.role")[-1]["actor"] == "os:alice"


# --- no known PIN at a real event (issue #14 item 3) ------------------------------------------

COMMON_PINS = ("1234", "0000", "1111", "2468", "1357", "123456", "4321", "9999", "1212",
               "2580", "0852", "12345678", "00000000", "1004", "2000", "6969", "7777")


def pins_that_open(booth: Booth) -> list[tuple[str, str]]:
    """(user, PIN) for every user whose PIN is one of :data:`COMMON_PINS`, checked with the
    real verify function and this device's secret."""
    from pos_app.services.setup import pepper

    secret = pepper.load(booth.context.device_id)
    rows = sql(booth, "SELECT name, pin_hash FROM user")
    return [(r["name"], pin) for r in rows for pin in COMMON_PINS
            if auth.verify_pin(r["pin_hash"], pin, secret)]


def cli(capsys, monkeypatch, stdin: str, *argv: str) -> tuple[int, str, str]:
    import io
    import sys

    from pos_app.cli.main import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_without_demo_leaves_no_user_with_a_common_pin(tmp_path, capsys,
                                                            monkeypatch) -> None:
    db = str(tmp_path / "real.db")
    code, out, err = cli(capsys, monkeypatch, "", "init", "--db", db, "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["demo_loaded"] is False
    booth = Booth.open(db)
    try:
        assert sql(booth, "SELECT name FROM user") == []
        assert auth.needs_admin(booth) and not booth.context.demo
        code, out, err = cli(capsys, monkeypatch, "", "init", "--db", db)  # again: the hint
        assert out.splitlines()[-1] == (
            "No administrator yet: add one with `pos-app user add NAME --role admin` (the PIN "
            "is read from stdin), or at the app's first run")
        # the first administrator from the command line, with the PIN rules
        code, out, err = cli(capsys, monkeypatch, "1234\n", "user", "add", "Ana", "--role",
                             "admin", "--db", db)
        assert code == 1 and "too easy to guess" in err
        assert cli(capsys, monkeypatch, "86420\n", "user", "add", "Ana", "--role", "admin",
                   "--db", db) == (0, "User Ana (admin) added\n", "")
        assert not auth.needs_admin(booth)
        assert sql(booth, "SELECT name, role FROM user") == [{"name": "Ana", "role": "admin"}]
        assert pins_that_open(booth) == []
        assert booth.stored("demo") is None
    finally:
        booth.close()


def test_the_demo_is_marked_and_its_pins_are_known(booth: Booth) -> None:
    """The control for the test above: the same check finds the demo's published PINs."""
    assert sorted(pins_that_open(booth)) == [("Kasir", "1234"), ("Maria", "2468")]
    assert booth.context.demo and booth.stored("demo") == "1"


def test_init_refuses_a_trivial_admin_pin(tmp_path) -> None:
    from pos_app.services.setup.setup import init_booth

    path = tmp_path / "new.db"
    assert code_of(init_booth, path, admin_name="Ana", admin_pin="0000") == "weak_pin"
    assert not path.exists()
