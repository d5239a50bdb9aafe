"""The USB bundle against a real PostgreSQL: export on the booth, import at head office (as
the admin), acknowledge on the booth. Importing twice changes nothing; a flipped byte or a
cut file is refused whole; a changed acknowledgement is refused."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from pos_app.cli.main import main
from pos_app.domain.errors import DomainError
from pos_app.persistence.models import PUSHED
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import catalog_authority, enrollment
from pos_app.services.sync.bundle import apply_ack, export_bundle
from pos_app.services.sync.bundle_import import import_bundle
from tests.central.test_push import central_ids, local_ids, make_sales, states


@pytest.fixture
def enrolled(register, secrets: Path, booth: Booth) -> Booth:
    """The central database set up, the demo booth registered and enrolled (its bundle key
    in its own secrets folder)."""
    enrollment.enroll(booth, register(booth, publish=False))  # its catalog goes by bundle
    return booth


def central_state(url: str) -> dict[str, object]:
    with psycopg.connect(url, autocommit=True) as conn:
        state: dict[str, object] = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                                    for t in (*PUSHED, "catalog_version", "product")}
        state["quarantine"] = conn.execute("SELECT count(*) FROM sync_quarantine").fetchone()[0]
    return state


def catalog_rows(booth) -> int:
    """Rows of the demo catalog: every one was a change of this booth (it loaded them)."""
    from sqlalchemy import func, select

    from pos_app.persistence.models import Category, Facility, Product

    with booth.db.read() as s:
        return sum(s.execute(select(func.count()).select_from(m)).scalar_one()
                   for m in (Facility, Category, Product))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_import_counts_equal_and_twice_changes_nothing(enrolled, till_shift, central_url,
                                                              tmp_path) -> None:
    make_sales(enrolled, till_shift, 6)
    res = export_bundle(enrolled, tmp_path / "b.lapak")
    counts = res.manifest["counts"]
    assert res.records == sum(counts.values()) > 0
    assert counts["sale"] == 6
    assert res.manifest["totals_rupiah"]["sales"] > 0
    assert res.manifest["audit_head"]["index"] > 0

    first = import_bundle(tmp_path / "b.lapak", central_url)
    assert first.inserted == res.records and not first.quarantined
    state = central_state(central_url)
    assert {t: state[t] for t in (*PUSHED, "catalog_version")} == counts
    assert counts["catalog_version"] == catalog_rows(enrolled) > 0  # the catalog goes too
    assert state["product"] == 0  # ... as proposals: head office decides (central c0009)
    mine, theirs = local_ids(enrolled), central_ids(central_url)
    for t in PUSHED:
        assert set(theirs[t]) == mine[t], t
    ack = (tmp_path / "b.lapak.ack").read_bytes()

    second = import_bundle(tmp_path / "b.lapak", central_url)
    assert second.inserted == 0 and second.already_there == res.records
    assert central_state(central_url) == state
    assert (tmp_path / "b.lapak.ack").read_bytes() == ack
    accepted = catalog_authority.accept_device(central_url, "KPG-01")
    assert len(accepted) == counts["catalog_version"]  # ... and becomes the central catalog
    assert central_state(central_url)["product"] > 0


@pytest.mark.parametrize("damage", ["first", "middle", "signature", "last", "half", "cut1"])
def test_flipped_byte_or_truncated_bundle_is_rejected_whole(enrolled, till_shift, central_url,
                                                            tmp_path, damage) -> None:
    make_sales(enrolled, till_shift, 3)
    good = tmp_path / "b.lapak"
    export_bundle(enrolled, good)
    data = bytearray(good.read_bytes())
    sig_start = data.rindex(b"\n", 0, len(data) - 1) + 1
    flip = {"first": 0, "middle": len(data) // 2, "signature": sig_start + 20,
            "last": len(data) - 3}
    if damage in flip:
        data[flip[damage]] ^= 0xFF
    elif damage == "half":
        data = data[:len(data) // 2]
    else:
        data = data[:-1]
    bad = tmp_path / "bad.lapak"
    bad.write_bytes(bytes(data))
    before = central_state(central_url)

    with pytest.raises(DomainError) as err:
        import_bundle(bad, central_url)
    assert err.value.code in {"bundle_damaged", "bundle_bad_signature", "bundle_bad_checksum",
                              "bundle_unknown_device"}
    assert central_state(central_url) == before
    assert all(n == 0 for n in before.values())
    assert not (tmp_path / "bad.lapak.ack").exists()


def test_cli_refuses_a_tampered_bundle_with_one_line(enrolled, till_shift, central_url, tmp_path,
                                                     db_path, capsys) -> None:
    make_sales(enrolled, till_shift, 2)
    out = tmp_path / "b.lapak"
    code, text, err = run(capsys, "--db", str(db_path), "bundle", "export", "--out", str(out))
    assert code == 0 and "Bundle written" in text, err
    data = bytearray(out.read_bytes())
    data[len(data) // 3] ^= 0x01
    out.write_bytes(bytes(data))
    code, text, err = run(capsys, "bundle", "import", str(out), "--central", central_url)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "nothing was imported" in err
    assert all(n == 0 for n in central_state(central_url).values())


def test_ack_marks_sent_and_a_second_export_is_empty(enrolled, till_shift, central_url, tmp_path,
                                                     db_path, capsys) -> None:
    make_sales(enrolled, till_shift, 4)
    bundle = tmp_path / "b.lapak"
    assert export_bundle(enrolled, bundle).records > 0
    code, text, err = run(capsys, "bundle", "import", str(bundle), "--central", central_url)
    assert code == 0, err
    assert "pending" in states(enrolled)
    code, text, err = run(capsys, "--db", str(db_path), "bundle", "ack",
                          str(tmp_path / "b.lapak.ack"))
    assert code == 0, err
    assert set(states(enrolled)) == {"sent"}
    again = export_bundle(enrolled, tmp_path / "again.lapak")
    assert again.records == 0 and again.manifest["seq_ranges"] == {
        str(enrolled.context.device_id): None}
    everything = export_bundle(enrolled, tmp_path / "all.lapak", everything=True)
    assert everything.records == sum(len(v) for v in local_ids(enrolled).values()) \
        + catalog_rows(enrolled)


def test_a_changed_acknowledgement_is_refused(enrolled, till_shift, central_url, tmp_path) -> None:
    make_sales(enrolled, till_shift, 2)
    bundle = tmp_path / "b.lapak"
    export_bundle(enrolled, bundle)
    import_bundle(bundle, central_url)
    ack = tmp_path / "b.lapak.ack"
    header, signature = ack.read_bytes().split(b"\n")[:2]
    doc = json.loads(header)
    doc["received"]["sale"] = doc["received"]["sale"][:1]  # claim fewer: still refused
    forged = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    ack.write_bytes(forged + signature + b"\n")
    before = states(enrolled)
    with pytest.raises(DomainError) as err:
        apply_ack(enrolled, ack)
    assert err.value.code == "ack_not_head_office"
    assert states(enrolled) == before and set(before) == {"pending"}


def test_catalog_changes_travel_by_bundle_and_a_later_change_stays_pending(
        enrolled, central_url, tmp_path) -> None:
    from sqlalchemy import select

    from pos_app.persistence.models import Outbox
    from pos_app.services.catalog.catalog_edit import create_product
    from pos_app.services.sync.bundle import apply_ack
    from tests.central.test_catalog_sync import KOPI, product, set_price

    first = tmp_path / "1.lapak"
    export_bundle(enrolled, first)
    import_bundle(first, central_url)
    apply_ack(enrolled, tmp_path / "1.lapak.ack")
    catalog_authority.accept_device(central_url, "KPG-01")  # head office takes the catalog
    made = create_product(enrolled, name="Tenun Sotis Mini", facility_code="LP-KPG",
                          category_code="tenun", price=175_000, actor="Maria",
                          actor_role="coordinator")
    set_price(enrolled, KOPI, 87_500, tmp_path)
    second = tmp_path / "2.lapak"
    res = export_bundle(enrolled, second)
    assert res.manifest["counts"]["catalog_version"] == 2
    got = import_bundle(second, central_url)
    assert not got.quarantined
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT name, price FROM product WHERE id = %s",
                            (made.id,)).fetchall() == [("Tenun Sotis Mini", 175_000)]
        assert conn.execute("SELECT price FROM product WHERE sku = %s",
                            (KOPI,)).fetchall() == [(85_000,)]  # a proposal, until accepted
    assert len(catalog_authority.accept_device(central_url, "KPG-01")) == 1
    with psycopg.connect(central_url, autocommit=True) as conn:
        assert conn.execute("SELECT price FROM product WHERE sku = %s",
                            (KOPI,)).fetchall() == [(87_500,)]

    set_price(enrolled, KOPI, 86_000, tmp_path)  # changed again before the ack comes back
    apply_ack(enrolled, tmp_path / "2.lapak.ack")
    with enrolled.db.read() as s:
        states = dict(s.execute(select(Outbox.record_id, Outbox.state).where(
            Outbox.table_name == "product", Outbox.state == "pending")).all())
    assert states == {product(enrolled, KOPI).id: "pending"}  # the newer change waits
    third = export_bundle(enrolled, tmp_path / "3.lapak")
    assert third.manifest["counts"]["catalog_version"] == 1


def test_a_bundle_of_a_revoked_device_is_refused_whole(enrolled, till_shift, central_url, tmp_path,
                                                       capsys) -> None:
    make_sales(enrolled, till_shift, 2)
    export_bundle(enrolled, tmp_path / "b.lapak")
    code, _out, err = run(capsys, "central", "revoke-device", "KPG-01", "--url", central_url)
    assert code == 0, err
    before = central_state(central_url)
    code, out, err = run(capsys, "bundle", "import", str(tmp_path / "b.lapak"), "--central",
                         central_url)
    assert (code, out) == (1, "")
    assert err.startswith("pos-app: Device KPG-01 was revoked on ") and err.count("\n") == 1
    assert central_state(central_url) == before
    assert not (tmp_path / "b.lapak.ack").exists()
