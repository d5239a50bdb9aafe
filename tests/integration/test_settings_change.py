"""Changing a setting goes through the typed model: the value is validated, the changer's
role is checked, the change is journaled; what services read is the typed value."""

from __future__ import annotations

import pytest

from pos_app.domain.errors import DomainError
from pos_app.services.sale.printing import printer_config, printer_settings
from pos_app.services.setup.booth import Booth, booth_name, write_setting
from pos_app.services.setup.settings import set_setting
from tests.integration.journal import events


def setting_events(booth: Booth) -> list[tuple[str, dict]]:
    return [(e["actor"], e["payload"]) for e in events(booth, "setting")]


def test_a_valid_change_is_stored_typed_and_journaled(booth: Booth) -> None:
    set_setting(booth, "printer_width", "80", actor="Maria", role="coordinator")
    set_setting(booth, "printer_width", "80", actor="Maria", role="coordinator")  # no change
    assert booth.settings().printer_width == 80
    assert setting_events(booth) == [
        ("Maria", {"key": "printer_width", "from": "58", "to": "80", "role": "coordinator"})]


@pytest.mark.parametrize("key, value, reason", [
    ("printer_width", "72", "one of: 58, 80"),
    ("low_stock", "-1", "a whole number from 0 to 100000"),
    ("lockout_attempts", "lots", "a whole number from 1 to 100"),
    ("printer_timeout", "121", "a whole number from 1 to 120"),
    ("drawer_enabled", "yes", "1 (on) or 0 (off)"),
    ("ppn_rate", "101", "a number from 0 to 100"),
    ("ppn_dpp", "0", "a number above 0 and at most 1"),
    ("business_day_cutoff", "4 pagi", "a time of day as HH:MM"),
    ("language", "fr", "one of: id, en")])
def test_a_value_the_key_does_not_take_is_refused(booth: Booth, key: str, value: str,
                                                  reason: str) -> None:
    before = booth.settings()
    with pytest.raises(DomainError) as err:
        set_setting(booth, key, value)
    assert (err.value.code, err.value.params["key"], err.value.params["value"]) == (
        "bad_setting", key, value)
    assert err.value.message() == (f"{value} is not a valid value for the setting {key}: "
                                   f"it takes {reason}")
    assert booth.settings() == before and setting_events(booth) == []


def test_a_refusal_reads_in_indonesian(booth: Booth) -> None:
    from pos_app import i18n

    previous = i18n.language()
    i18n.set_language("id")
    try:
        with pytest.raises(DomainError) as err:
            set_setting(booth, "printer_timeout", "0")
        assert err.value.message(i18n._) == ("0 bukan nilai yang sah untuk pengaturan "
                                             "printer_timeout: isinya harus bilangan bulat "
                                             "dari 1 sampai 120")
        with pytest.raises(DomainError) as err:
            set_setting(booth, "qris_image", "x.png", actor="Kasir", role="cashier")
        assert err.value.message(i18n._) == ("Kasir (cashier) tidak boleh mengubah "
                                             "pengaturan qris_image")
    finally:
        i18n.set_language(previous)


def test_a_role_below_the_keys_role_is_refused(booth: Booth) -> None:
    with pytest.raises(DomainError) as err:
        set_setting(booth, "lockout_attempts", "3", actor="Kasir", role="cashier")
    assert (err.value.code, str(err.value)) == (
        "setting_not_allowed", "Kasir (cashier) may not change the setting lockout_attempts")
    with pytest.raises(DomainError):
        set_setting(booth, "statement_mappings", "{}", actor="Kasir", role="cashier")
    with pytest.raises(DomainError):
        set_setting(booth, "lockout_attempts", "3", actor="Maria", role="coordinator")
    set_setting(booth, "statement_mappings", '{"a": {}}', actor="Maria", role="coordinator")
    set_setting(booth, "lockout_attempts", "3", actor="Ana", role="admin")
    assert booth.settings().lockout_attempts == 3
    assert [actor for actor, _payload in setting_events(booth)] == ["Maria", "Ana"]
    with pytest.raises(ValueError):  # only enrollment writes where the central database is
        set_setting(booth, "central_host", "db.example")


def test_a_hand_edited_bad_value_reads_as_the_default(booth: Booth) -> None:
    with booth.db.write() as s:
        write_setting(s, "printer_uri", "tcp://127.0.0.1:9100")
        write_setting(s, "printer_width", "wide")
        write_setting(s, "printer_timeout", "2")
        write_setting(s, "drawer_enabled", "1")
    config = printer_config(booth)
    assert (config.uri, config.width_mm, config.timeout, config.drawer, config.columns) == (
        "tcp://127.0.0.1:9100", 58, 2.0, True, 32)
    assert printer_settings(booth.settings()).auto_print


def test_no_printer_and_the_paper_width() -> None:
    from pos_app.services.setup.settings_model import parse_settings

    assert printer_config(parse_settings({"printer_width": "80"})) is None
    setup = printer_settings(parse_settings({"printer_uri": " pdf://receipts ",
                                             "printer_width": "80", "auto_print": "0"}))
    assert (setup.configured, setup.config.uri, setup.config.columns, setup.auto_print) == (
        True, "pdf://receipts", 48, False)


def test_one_booth_name_fallback(booth: Booth) -> None:
    assert booth_name(" Lapak Lapas ", "Festival") == "Lapak Lapas"
    assert booth_name("", "Festival") == "Festival"
    assert booth_name("", "") == "Lapak"
    assert booth.name() == booth.context.event_name
    set_setting(booth, "booth_name", "Stan Kriya")
    assert booth.name() == "Stan Kriya"
