"""DESIGN.md's "Who may do what", row by row, at the services: each guarded service called as
a cashier, a coordinator and an admin. Allowed: it does its work (a row written, a file made,
the journal grows). Refused: a translated DomainError naming the user, and nothing written.

Rows not here yet: users (add, role, PIN reset, deactivate) beyond ``create_user`` and the
restore of a backup come with their services (issue 14, items 2 and 6).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.domain.errors import DomainError
from pos_app.domain.reconcile import StatementLine
from pos_app.domain.settlement import Shares
from pos_app.domain.tenders import Method, Tender
from pos_app.services.access import auth
from pos_app.services.access.auth import AuthUser
from pos_app.services.catalog.catalog_edit import create_product
from pos_app.services.reporting.booth_export import export_booth
from pos_app.services.reporting.export_pack import export_pack_as
from pos_app.services.reporting.reports import report_as
from pos_app.services.sale.checkout import SaleItem, SaleRequest, checkout
from pos_app.services.sale.refunds import void_sale
from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings import set_setting
from pos_app.services.setup.settings_model import SPECS, SYSTEM, parse_value
from pos_app.services.shift import shifts
from pos_app.services.shift.reconcile import confirm
from pos_app.services.shift.settlement import set_shares
from pos_app.services.stock import stock_counts
from pos_app.services.stock.back_office import adjust_stock, receive_goods, return_remaining
from pos_app.services.stock.counting import count_stock
from tests.unit.test_qris import AHASS

ROLES = ("cashier", "coordinator", "admin")
NAMES = {"cashier": "Kasir", "coordinator": "Maria", "admin": "Ana"}
ALLOWED = {"cashier": ROLES, "coordinator": ROLES[1:], "admin": ROLES[2:]}
REFUSED = ("not_allowed", "setting_not_allowed")


def rows(booth: Booth, query: str) -> int:
    with sqlite3.connect(booth.db.path) as con:
        return con.execute(query).fetchone()[0]


def journal_length(booth: Booth) -> int:
    return rows(booth, "SELECT count(*) FROM audit_event")


@dataclass(frozen=True)
class Case:
    """One row of the table: ``prepare(booth)`` sets the scene (a sale, an open count);
    ``call(booth, name, role, tmp, prepared)`` does the action; ``state(booth, tmp)`` is what
    it changes (compared before and after)."""

    call: Callable[[Booth, str, str, Path, object], object]
    state: Callable[[Booth, Path], object]
    least: str
    refusal: tuple[str, ...] = REFUSED  # the codes a refused role gets
    prepare: Callable[[Booth], object] = lambda _booth: None
    journaled: bool = True  # reading (reports, exports) writes no journal event


def qris_payment(booth: Booth) -> uuid.UUID:
    shift = shifts.open_shift(booth, "Kasir", 0)
    sale = checkout(booth, SaleRequest(items=(SaleItem(1, sku="KOP-001"),),
                                       tenders=(Tender(Method.QRIS, 85_000, "QR-7"),),
                                       shift_id=shift.id))
    with sqlite3.connect(booth.db.path) as con:
        pid = con.execute("SELECT p.id FROM payment p JOIN sale s ON s.id = p.sale_id WHERE "
                          "s.number = ?", (sale.number,)).fetchone()[0]
    return uuid.UUID(pid)


def an_open_count(booth: Booth) -> str:
    count = stock_counts.start_count(booth, "LP-END", actor="Maria", actor_role="coordinator")
    stock_counts.enter_counts(booth, count.number, [("KOP-001", 39)], actor="Maria",
                              actor_role="coordinator")
    return count.number


def a_sale(booth: Booth) -> str:
    shift = shifts.open_shift(booth, "Kasir", 0)
    sale = checkout(booth, SaleRequest(items=(SaleItem(1, sku="KOP-001"),),
                                       tenders=(Tender(Method.CASH, 85_000),),
                                       shift_id=shift.id))
    return sale.number


def movements(kind: str) -> Callable[[Booth, Path], int]:
    return lambda booth, _tmp: rows(
        booth, f"SELECT count(*) FROM stock_movement WHERE kind = '{kind}'")


def table_rows(table: str) -> Callable[[Booth, Path], int]:
    return lambda booth, _tmp: rows(booth, f'SELECT count(*) FROM "{table}"')


CASES: dict[str, Case] = {
    "stock: receive": Case(
        lambda b, n, r, _t, _p: receive_goods(b, "LP-END", [("KOP-001", 5)], reference="TT-1",
                                          actor=n, actor_role=r),
        movements("receive"), "coordinator"),
    "stock: adjust": Case(
        lambda b, n, r, _t, _p: adjust_stock(b, "LP-END", [("KOP-001", -1)], reason="damaged",
                                         actor=n, actor_role=r),
        movements("adjust"), "coordinator"),
    "stock: return (close-out)": Case(
        lambda b, n, r, _t, _p: return_remaining(b, "LP-END", actor=n, actor_role=r),
        movements("return"), "coordinator"),
    "stock: count": Case(
        lambda b, n, r, _t, _p: count_stock(b, "LP-END", [("KOP-001", 40)], actor=n,
                                        actor_role=r),
        table_rows("stock_count_line"), "cashier"),
    "stock: approve a count": Case(
        lambda b, n, r, _t, number: stock_counts.approve_count(b, number, actor=n,
                                                               actor_role=r),
        movements("count"), "coordinator", prepare=an_open_count),
    "catalog: new product": Case(
        lambda b, n, r, _t, _p: create_product(b, name="Tenun Ikat Sumba Kecil", price=150_000,
                                           facility_code="LP-END", category_code="kopi",
                                           actor=n, actor_role=r),
        table_rows("product"), "coordinator"),
    "settlement: a facility's shares": Case(
        lambda b, n, r, _t, _p: set_shares(b, "LP-END", Shares(4000, 3500, 2000, 500), actor=n,
                                       actor_role=r),
        lambda b, _t: journal_length(b), "coordinator"),
    "reconciliation: confirm a payment": Case(
        lambda b, n, r, _t, payment: confirm(b, payment, StatementLine(
            1, datetime(2026, 11, 21, 11, 40, tzinfo=UTC), 85_000, "RRN-1"), actor=n,
            actor_role=r),
        table_rows("payment_match"), "coordinator", prepare=qris_payment),
    "reports": Case(
        lambda b, n, r, t, _p: (t / "report.txt").write_text(str(report_as(
            b, actor=n, actor_role=r).totals)),
        lambda _b, t: (t / "report.txt").exists(), "coordinator", journaled=False),
    "export: the pack (screen)": Case(
        lambda b, n, r, t, _p: export_pack_as(b, t / "pack", actor=n, actor_role=r),
        lambda _b, t: (t / "pack").exists(), "coordinator", journaled=False),
    "export: a file (command line)": Case(
        lambda b, n, r, t, _p: export_booth(b, t / "sales.xlsx", "xlsx", actor=n, actor_role=r),
        lambda _b, t: (t / "sales.xlsx").exists(), "coordinator", journaled=False),
    "void (a cashier needs a coordinator's PIN)": Case(
        lambda b, n, r, _t, number: void_sale(b, number, actor=n, actor_role=r,
                                              reason="wrong item"),
        table_rows("sale"), "coordinator", ("approval_required",), prepare=a_sale),
}


def run_case(booth: Booth, tmp_path: Path, case: Case, role: str) -> None:
    prepared = case.prepare(booth)
    before, journal_before = case.state(booth, tmp_path), journal_length(booth)
    if role in ALLOWED[case.least]:
        case.call(booth, NAMES[role], role, tmp_path, prepared)
        assert case.state(booth, tmp_path) != before
        assert journal_length(booth) > journal_before or not case.journaled
        return
    with pytest.raises(DomainError) as err:
        case.call(booth, NAMES[role], role, tmp_path, prepared)
    assert err.value.code in case.refusal
    assert err.value.message() != ""  # said in words (translated at the edge)
    if err.value.code in REFUSED:
        assert err.value.params["name"] == NAMES[role]
    assert case.state(booth, tmp_path) == before
    assert journal_length(booth) == journal_before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(CASES))
def test_each_guarded_service_by_role(booth: Booth, tmp_path: Path, name: str,
                                      role: str) -> None:
    run_case(booth, tmp_path, CASES[name], role)


# -- settings, key by key ----------------------------------------------------------------------
def another_value(key: str, folder: Path) -> str:
    """A valid value of ``key`` other than its default."""
    folder.mkdir(exist_ok=True)
    for candidate in ("1", "0", "80", "block", "en", "05:00", "11", "7", "1/2", str(folder),
                      "teks", "tcp://10.0.0.9:9100", "window", '{"LP-END": "teks"}', AHASS):
        try:
            parse_value(key, candidate)
        except ValueError:
            continue
        if candidate != SPECS[key].default:
            return candidate
    raise AssertionError(f"no test value for {key}")


EDITABLE = [key for key, spec in SPECS.items() if spec.role != SYSTEM]
# DESIGN.md's rows for the settings: a cashier changes the language; printer (and the
# receipt's texts), QRIS payload or image, stock rules and the backup folder are the
# coordinator's; the device (tax, the day's cut-off, PINs and locking, the scanner) and sync
# are the admin's. A key added later without a row here is checked against its own role.
DESIGN_ROLE = {
    "language": "cashier",
    **dict.fromkeys((
        "printer_uri", "printer_width", "printer_timeout", "drawer_enabled", "auto_print",
        "booth_name", "receipt_footer", "kwitansi_place", "qris_image", "qris_payload",
        "negative_stock", "low_stock", "label_cols", "label_rows", "backup_dir", "backup_keep",
        "statement_mappings", "customer_display", "customer_display_screen",
        "facility_texts"), "coordinator"),
    **dict.fromkeys(("qris_limit", "qris_with_amount"), "coordinator"),
    **dict.fromkeys((
        "ppn_rate", "ppn_dpp", "business_day_cutoff", "lockout_attempts", "approval_minutes",
        "discount_approval_percent", "idle_lock_minutes", "scan_max_gap_ms", "scan_min_length",
        "sync_warn_hours", "sync_minutes", "sync_batch"), "admin"),
}


@pytest.mark.parametrize("key", EDITABLE)
def test_each_setting_by_role(booth: Booth, tmp_path: Path, key: str) -> None:
    value = another_value(key, tmp_path / "folder")
    least = DESIGN_ROLE.get(key, SPECS[key].role)
    for role in ROLES:
        stored = booth.settings()[key]
        if role in ALLOWED[least]:
            set_setting(booth, key, value if stored != value else SPECS[key].default,
                        actor=NAMES[role], role=role)
            assert booth.settings()[key] != stored
        else:
            with pytest.raises(DomainError) as err:
                set_setting(booth, key, value, actor=NAMES[role], role=role)
            assert err.value.params == {"name": NAMES[role], "role": role, "key": key}
            assert booth.settings()[key] == stored


def test_the_settings_roles_are_designs() -> None:
    assert {k: SPECS[k].role for k in DESIGN_ROLE} == DESIGN_ROLE
    assert [k for k in EDITABLE if SPECS[k].role == "cashier"] == ["language"]


# -- users ---------------------------------------------------------------------------------------
@pytest.fixture
def people(booth: Booth) -> dict[str, AuthUser]:
    """Kasir, Maria and an administrator Ana, as logged-in users; Yohana, a second cashier."""
    auth.create_user(booth, "Ana", "admin", "8642", actor="setup")
    auth.create_user(booth, "Yohana", "cashier", "5791", actor="setup")
    return {u.role: AuthUser(u.id, u.name, u.role) for u in auth.users(booth)
            if u.name in NAMES.values()}


def user_row(booth: Booth, name: str):
    return next(u for u in auth.users(booth) if u.name == name)


@pytest.mark.parametrize("role", ROLES)
def test_unlocking_a_user(booth: Booth, people, role: str) -> None:
    for _n in range(booth.settings().lockout_attempts):
        with pytest.raises(DomainError):
            auth.login(booth, "Yohana", "0000")
    assert user_row(booth, "Yohana").locked
    if role in ALLOWED["coordinator"]:
        auth.unlock_user(booth, "Yohana", by=people[role])
        assert not user_row(booth, "Yohana").locked
    else:
        with pytest.raises(DomainError) as err:
            auth.unlock_user(booth, "Yohana", by=people[role])
        assert (err.value.code, err.value.params["name"]) == ("not_allowed", "Kasir")
        assert user_row(booth, "Yohana").locked


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_user(booth: Booth, people, role: str) -> None:
    if role in ALLOWED["admin"]:
        auth.create_user(booth, "Rini", "cashier", "3917", actor=people[role])
        assert user_row(booth, "Rini").role == "cashier"
    else:
        with pytest.raises(DomainError) as err:
            auth.create_user(booth, "Rini", "cashier", "3917", actor=people[role])
        assert (err.value.code, err.value.params["name"]) == ("not_allowed", NAMES[role])
        assert "Rini" not in {u.name for u in auth.users(booth)}



def test_a_cashier_closes_only_her_own_shift(booth) -> None:
    """DESIGN: open / close a till shift - a cashier her own; another's is a coordinator's."""
    from pos_app.domain.errors import DomainError
    from pos_app.services.access import auth as auth_service
    from pos_app.services.access import users as users_service
    from pos_app.services.shift import shifts as shift_service

    users_service.add_user(booth, "Ana", "cashier", "4826", "os:test")  # the CLI's back office
    kasir = auth_service.login(booth, "Kasir", "1234")
    shift = shift_service.open_shift(booth, kasir.name, 0)
    with pytest.raises(DomainError) as exc:
        shift_service.close_shift(booth, shift.id, {100_000: 0}, "Ana")
    assert exc.value.code == "not_allowed"
    assert shift_service.current_shift(booth) is not None  # nothing changed
    closed = shift_service.close_shift(booth, shift.id, {100_000: 0}, "Maria")  # coordinator
    assert closed.shift_id == shift.id
