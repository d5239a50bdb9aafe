"""Issue 17, item 6: no way in without a credential. The first run's administrator is made
only on a database with no user at all; user names compare case-insensitively and with
compatibility forms folded, and a name mixing alphabets (a Cyrillic а in "Kаsir") is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.cli.main import main
from pos_app.domain.errors import DomainError
from pos_app.services.access import auth
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.setup import create_first_admin, init_booth
from tests.integration.journal import events


def code_of(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as err:
        call(*args, **kwargs)
    return err.value.code


def test_the_first_admin_is_refused_on_a_database_with_users(booth: Booth) -> None:
    """The demo: a cashier and a coordinator, no administrator."""
    assert auth.needs_admin(booth) and not auth.has_no_users(booth)
    before = [u.name for u in auth.users(booth)], len(events(booth))
    assert code_of(create_first_admin, booth, "Yohanes", "86420") == "first_admin_refused"
    assert code_of(create_first_admin, booth, "Yohanes", "86420", demo=True) == \
        "first_admin_refused"
    assert ([u.name for u in auth.users(booth)], len(events(booth))) == before
    assert auth.needs_admin(booth)


def test_the_first_admin_on_an_empty_database_then_the_demo(tmp_path: Path) -> None:
    booth, _ = init_booth(tmp_path / "new.db", device_code="KPG-07")
    try:
        assert auth.has_no_users(booth)
        create_first_admin(booth, "Yohanes", "86420", demo=True)
        assert [(u.name, u.role) for u in auth.users(booth)] == [
            ("Kasir", "cashier"), ("Maria", "coordinator"), ("Yohanes", "admin")]
        assert booth.stored("demo") == "1"
        # a second try (the dialog twice, a race): refused, nothing more
        assert code_of(create_first_admin, booth, "Agus", "97531") == "first_admin_refused"
        assert len(auth.users(booth)) == 3
    finally:
        booth.close()


@pytest.mark.parametrize(("name", "code"), [
    ("kasir", "user_exists"), ("KASIR", "user_exists"), ("  Kasir ", "user_exists"),
    ("\uff2basir", "user_exists"),  # a full-width K
    ("K\u0430sir", "user_name_mixed_scripts"),  # a Cyrillic а among Latin letters
    ("\u041a\u0430sir", "user_name_mixed_scripts"),
    ("MARIA", "user_exists"),
])
def test_names_that_look_the_same_are_one_name(booth: Booth, name: str, code: str) -> None:
    before = len(auth.users(booth))
    assert code_of(auth.create_user, booth, name, "cashier", "86420", actor="test") == code
    assert len(auth.users(booth)) == before


def test_the_refusal_names_the_user_already_there(booth: Booth) -> None:
    with pytest.raises(DomainError) as err:
        auth.create_user(booth, "kasir", "cashier", "86420", actor="test")
    assert err.value.message() == "A user named Kasir already exists"


def test_a_name_in_one_other_alphabet_is_a_name_of_its_own(booth: Booth) -> None:
    made = auth.create_user(booth, "Мария", "cashier", "86420", actor="test")  # all Cyrillic
    assert made.name == "Мария"


def test_login_finds_the_user_whatever_the_case(booth: Booth) -> None:
    assert auth.login(booth, "kasir", "1234").name == "Kasir"
    assert auth.login(booth, "\uff2basir", "1234").name == "Kasir"


def test_the_cli_refuses_a_lookalike_in_one_translated_line(booth: Booth, tmp_path: Path,
                                                            capsys, monkeypatch) -> None:
    pin = tmp_path / "pin"
    pin.write_text("86420\n")
    monkeypatch.setattr("sys.stdin", pin.open())
    assert main(["--lang", "id", "--db", str(booth.db.path), "user", "add", "K\u0430sir",
                 "--role", "cashier"]) == 1
    assert capsys.readouterr().err == (
        "pos-app: \"K\u0430sir\" mencampur huruf dari abjad yang berbeda (misalnya Latin dan "
        "Sirilik); ketik nama dengan satu abjad\n")
