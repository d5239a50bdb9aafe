"""Issue 16, after item 5: re-issuing an enrollment (``pos-app central reissue CODE``).

A booth enrolled before head office signed acknowledgements (central migration c0006) has
no head office key, so it refuses every acknowledgement. Against a real PostgreSQL: the
refusal names the command to run at head office; head office writes a new file for the same
device (new password, new bundle key, its public key); the booth enrolls it, keeping its
records and sequence; the acknowledgement refused before and a new bundle's are accepted;
the old file no longer logs in (its open session ends too); an unknown or revoked code is
refused, changing nothing; a file for another device stays refused."""

from __future__ import annotations

import dataclasses
import json
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import func, select

from pos_app.cli.main import main
from pos_app.domain.errors import DomainError
from pos_app.persistence.local import Outbox
from pos_app.services.setup.booth import Booth
from pos_app.services.sync import central, enrollment
from pos_app.services.sync.bundle import apply_ack, export_bundle
from pos_app.services.sync.bundle_import import import_bundle
from tests.central.conftest import drop_administrator, socket_url
from tests.central.test_bundle import run
from tests.central.test_push import make_sales


def old_style(path: Path, out: Path) -> Path:
    """``path`` as ``add-device`` wrote it before c0006: no head office key."""
    e = enrollment.read_file(path)
    enrollment.write_file(out, dataclasses.replace(e, head_office_key=None))
    return out


def outbox(booth: Booth) -> dict[tuple[str, uuid.UUID], tuple[int, str]]:
    with booth.db.read() as s:
        return {(t, i): (seq, st) for t, i, seq, st in s.execute(
            select(Outbox.table_name, Outbox.record_id, Outbox.seq, Outbox.state))}


def record_counter(booth: Booth) -> int:
    with booth.db.read() as s:
        return s.execute(select(func.max(Outbox.seq))).scalar_one()


def central_row(url: str, code: str) -> tuple:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT device_id, role_name, bundle_key, revoked_at FROM"
                            " device_role WHERE code = %s", (code,)).fetchone()


def logs_in(e: enrollment.Enrollment) -> bool:
    try:
        psycopg.connect(**e.conninfo(), autocommit=True).close()
    except psycopg.OperationalError as exc:
        assert "password authentication failed" in str(exc)
        return False
    return True


def test_a_booth_enrolled_before_the_key_is_reissued_and_its_acks_then_work(
        register, secrets, booth, till_shift, central_url, db_path, tmp_path, capsys) -> None:
    code, me = booth.context.device_code, booth.context.device_id
    issued = register(booth)
    first = enrollment.read_file(issued)
    enrollment.enroll(booth, old_style(issued, tmp_path / "old.json"))
    assert "head_office_key" not in enrollment.load_secrets(me)

    make_sales(booth, till_shift, 3)
    export_bundle(booth, tmp_path / "b1.lapak")
    ack1 = import_bundle(tmp_path / "b1.lapak", central_url).ack
    # the refusal names the command head office runs, in English and Indonesian
    rc, out, err = run(capsys, "--db", str(db_path), "bundle", "ack", str(ack1))
    assert rc != 0 and out == ""
    assert err.strip().splitlines() == [
        f"pos-app: This booth was enrolled before head office signed acknowledgements, so it "
        f"cannot check {ack1}; nothing was marked. Head office writes this booth a new "
        f"enrollment file with `pos-app central reissue {code}`; enroll it with "
        "`pos-app enroll FILE`"]
    assert main(["--lang", "id", "--db", str(db_path), "bundle", "ack", str(ack1)]) != 0
    assert f"dengan `pos-app central reissue {code}`" in capsys.readouterr().err
    before, seq_before = outbox(booth), record_counter(booth)
    assert {st for _seq, st in before.values()} == {"pending"}

    # an open session of the old file, as a thief holding it would keep one
    stale = psycopg.connect(**first.conninfo(), autocommit=True)
    new_file = tmp_path / "new.json"
    rc, out, err = run(capsys, "central", "reissue", code, "--url", central_url,
                       "--out", str(new_file))
    assert (rc, err) == (0, "")
    assert out.strip() == (
        f"New enrollment file for device {code}: {new_file} (keep it secret); its old file no "
        "longer logs in, and its bundles signed before it enrolls this one are refused "
        "(export them again)")
    new = enrollment.read_file(new_file)
    with psycopg.connect(central_url, autocommit=True) as conn:
        public = bytes(conn.execute("SELECT public_key FROM head_office_key").fetchone()[0])
    assert (new.device_id, new.device_code, new.user) == (me, code, first.user)
    assert new.head_office_key == public
    assert new.password != first.password and new.signing_key != first.signing_key
    assert central_row(central_url, code) == (me, first.user, new.signing_key, None)
    assert not logs_in(first) and logs_in(new)
    with pytest.raises(psycopg.OperationalError):  # its session was ended
        stale.execute("SELECT 1")
    stale.close()

    rc, out, err = run(capsys, "--db", str(db_path), "enroll", str(new_file))
    assert (rc, err) == (0, "")
    assert out.startswith(f"Enrolled again as {code} with the central database ")
    assert enrollment.load_secrets(me) == {
        "user": new.user, "password": new.password, "signing_key": new.signing_key.hex(),
        "head_office_key": public.hex()}
    booth.refresh()
    after = outbox(booth)
    added = {k: v for k, v in after.items() if k not in before}
    assert {k: after[k] for k in before} == before  # every record, its seq and its state
    assert [(t, seq) for (t, _i), (seq, _st) in added.items()] == [
        ("audit_event", seq_before + 1)]  # the enrollment's own journal event, next in line

    # the acknowledgement refused before now marks what its bundle carried
    res = apply_ack(booth, ack1)
    assert res.marked_sent > 20 and res.marked_quarantined == 0
    sent = {k for k, (_s, st) in outbox(booth).items() if st == "sent"}
    assert len(sent) == res.marked_sent and sent <= set(before)
    # a bundle signed with the old key is refused now; a new one goes and comes back
    with pytest.raises(DomainError) as refused:
        import_bundle(tmp_path / "b1.lapak", central_url)
    assert refused.value.code == "bundle_bad_signature"
    make_sales(booth, till_shift, 2)
    export_bundle(booth, tmp_path / "b2.lapak")
    got = import_bundle(tmp_path / "b2.lapak", central_url)
    assert got.inserted > 0 and not got.quarantined
    assert apply_ack(booth, got.ack).marked_sent == got.records
    assert central_row(central_url, code)[2] == new.signing_key


def test_reissue_of_an_unknown_or_revoked_code_is_refused_changing_nothing(
        register, booth, other, central_url, tmp_path, capsys) -> None:
    mine = enrollment.read_file(register(booth))
    b = other("KPG-02")
    theirs = enrollment.read_file(register(b))
    central.revoke_device(central_url, "KPG-02")
    rows = {c: central_row(central_url, c) for c in (mine.device_code, "KPG-02")}
    out = tmp_path / "re.json"

    rc, stdout, err = run(capsys, "central", "reissue", "KPG-99", "--url", central_url,
                          "--out", str(out))
    assert (rc != 0, stdout) == (True, "")
    assert err.strip().splitlines() == ["pos-app: No device KPG-99 is registered centrally"]
    rc, stdout, err = run(capsys, "central", "reissue", "KPG-02", "--url", central_url,
                          "--out", str(out))
    lines = err.strip().splitlines()
    assert (rc != 0, stdout, len(lines)) == (True, "", 1)
    assert lines[0].startswith("pos-app: Device KPG-02 was revoked on ")
    assert lines[0].endswith("; its enrollment cannot be reissued and nothing was changed")
    assert main(["--lang", "id", "central", "reissue", "KPG-02", "--url", central_url,
                 "--out", str(out)]) != 0
    assert "tidak dapat diterbitkan ulang" in capsys.readouterr().err

    assert not out.exists()
    assert {c: central_row(central_url, c) for c in rows} == rows
    assert logs_in(mine)  # the registered booth keeps its password
    with psycopg.connect(central_url, autocommit=True) as conn:  # still no login
        assert conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s",
                            (theirs.user,)).fetchone() == (False,)


def test_a_file_for_another_device_stays_refused_on_an_enrolled_booth(
        register, secrets, booth, other, db_path, capsys) -> None:
    me = booth.context.device_id
    mine = register(booth)
    enrollment.enroll(booth, mine)
    kept = enrollment.load_secrets(me)
    settings_before = {k: booth.stored(k) for k in enrollment.SETTINGS}
    assert settings_before["central_user"] == enrollment.read_file(mine).user
    b = other("KPG-02")
    foreign = register(b)
    rc, out, err = run(capsys, "--db", str(db_path), "enroll", str(foreign))
    assert (rc != 0, out) == (True, "")
    assert err.strip().splitlines() == [
        f"pos-app: The enrollment file is for device KPG-02 ({b.context.device_id}), not "
        f"this booth ({me})"]
    assert enrollment.load_secrets(me) == kept
    assert enrollment.load_secrets(b.context.device_id) is None
    booth.refresh()
    assert {k: booth.stored(k) for k in enrollment.SETTINGS} == settings_before


def test_the_readmes_administrator_reissues_a_booth_it_registered(
        pg_server, secrets, booth, tmp_path) -> None:
    """As ``CREATEROLE BYPASSRLS`` (no superuser), like ``add-device``: it changes the
    password of a role it made and ends that role's sessions."""
    _server, socket_dir = pg_server
    name = f"admin_{uuid.uuid4().hex[:10]}"
    db = f"central_{uuid.uuid4().hex[:10]}"
    superuser = socket_url(socket_dir, "postgres")
    with psycopg.connect(superuser, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN CREATEROLE BYPASSRLS PASSWORD 'rahasia'")
        conn.execute(f'CREATE DATABASE "{db}" OWNER {name}')
        for group in ("lapak_head_office", "lapak_catalog", "lapak_device"):  # made by an earlier database
            conn.execute(f"""DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE
                rolname = '{group}') THEN GRANT {group} TO {name} WITH ADMIN OPTION;
                END IF; END $$""")
    url = (f"postgresql://{name}:rahasia@/{db}?host={quote(str(socket_dir), safe='')}"
           "&sslmode=disable")
    try:
        central.init_central(url)
        central.add_device(url, "KPG-01", tmp_path / "a.json", device_id=booth.context.device_id)
        first = enrollment.read_file(tmp_path / "a.json")
        role = first.user
        stale = psycopg.connect(**first.conninfo(), autocommit=True)
        res = central.reissue_device(url, "KPG-01", tmp_path / "b.json")
        assert (res.device_id, res.role, res.sessions_ended) == (booth.context.device_id,
                                                                 role, 1)
        with pytest.raises(psycopg.OperationalError):
            stale.execute("SELECT 1")
        stale.close()
        new = enrollment.read_file(tmp_path / "b.json")
        assert not logs_in(first) and logs_in(new)
        assert enrollment.enroll(booth, tmp_path / "b.json").again is False
    finally:
        with psycopg.connect(superuser, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
            drop_administrator(conn, name)


def test_the_stored_secrets_are_replaced_whole(register, secrets, booth, central_url,
                                               tmp_path) -> None:
    """The fallback file (no keyring here) holds exactly the new file's secrets."""
    me = booth.context.device_id
    enrollment.enroll(booth, old_style(register(booth), tmp_path / "old.json"))
    stored = enrollment.secret_path(me)
    old_text = stored.read_text(encoding="utf-8")
    central.reissue_device(central_url, booth.context.device_code, tmp_path / "new.json")
    res = enrollment.enroll(booth, tmp_path / "new.json")
    assert res.again is True and res.stored_in == str(stored)
    doc = json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))
    assert json.loads(stored.read_text(encoding="utf-8")) == {
        k: doc[k] for k in ("user", "password", "signing_key", "head_office_key")}
    assert stored.read_text(encoding="utf-8") != old_text


def test_a_role_named_by_its_device_id_gets_a_random_name_on_reissue(
        central_url, register, booth, tmp_path) -> None:
    """Roles made before c0007 are named ``lapak_dev_<device id>``, which every login can read
    in ``pg_roles``; a reissue renames such a role and the new file logs in by the new name."""
    me = booth.context.device_id
    first = enrollment.read_file(register(booth))
    old_style = f"lapak_dev_{me.hex}"
    with psycopg.connect(central_url, autocommit=True) as conn:
        conn.execute(f'ALTER ROLE "{first.user}" RENAME TO "{old_style}"')
        conn.execute("UPDATE device_role SET role_name = %s WHERE device_id = %s",
                     (old_style, me))
    new = None
    try:
        res = central.reissue_device(central_url, booth.context.device_code,
                                     tmp_path / "b.json")
        new = enrollment.read_file(tmp_path / "b.json")
        assert res.role == new.user != old_style
        assert me.hex not in new.user
        assert central_row(central_url, booth.context.device_code)[1] == new.user
        with psycopg.connect(central_url, autocommit=True) as conn:
            names = [r[0] for r in conn.execute("SELECT rolname FROM pg_roles")]
        assert not [n for n in names if me.hex in n]
        assert logs_in(new)
        with psycopg.connect(**new.conninfo(), autocommit=True) as conn:  # still this device
            assert conn.execute("SELECT device_id FROM device_role").fetchone() == (me,)
    finally:
        with psycopg.connect(central_url, autocommit=True) as conn:
            for name in (old_style, new.user if new else None):
                if name:
                    conn.execute(f'DROP ROLE IF EXISTS "{name}"')
