"""Issue 16 item 8: a bundle is checked whole. One signed by the booth's own key (so that the
signature and checksum pass) whose manifest disagrees with what it carries (counts, rupiah
totals, sequence range, journal head) is refused in one line and nothing is imported; the
import streams (a big bundle takes far less memory than its size); an acknowledgement that
cannot be written after the commit says what was imported and how to get it."""

from __future__ import annotations

import hashlib
import json
import shutil
import tracemalloc
from pathlib import Path

import pytest

from pos_app.domain.errors import DomainError
from pos_app.services.sync.bundle import apply_ack, export_bundle, json_line, sign, signing_key
from pos_app.services.sync.bundle_import import import_bundle
from tests.central.test_bundle import central_state, enrolled, run  # noqa: F401 - fixture
from tests.central.test_push import make_sales


def reseal(booth, good: Path, out: Path, manifest_change=None, pad: int = 0) -> Path:
    """``good`` with its manifest changed (and its lines padded by ``pad`` bytes each),
    checksummed and signed again with the booth's own key: what a booth holding its secrets
    could write."""
    lines = good.read_bytes().split(b"\n")[:-1]
    header, body = json.loads(lines[0]), lines[1:-1]
    if pad:
        body = [json_line({**json.loads(line), "pad": "x" * pad}) for line in body]
    manifest = header["manifest"]
    if manifest_change:
        manifest_change(manifest)
    manifest["payload_sha256"] = hashlib.sha256(b"".join(b + b"\n" for b in body)).hexdigest()
    signed = b"".join(line + b"\n" for line in [json_line(header), *body])
    key = signing_key(booth.context.device_id)
    out.write_bytes(signed + json_line({"hmac_sha256": sign(key, signed)}) + b"\n")
    return out


def _more_sales(m):
    m["counts"]["sale"] += 1
    m["records"] += 1


def _totals(m):
    m["totals_rupiah"]["sales"] += 1000


def _range(m):
    [(device, (lo, hi))] = m["seq_ranges"].items()
    m["seq_ranges"][device] = [lo, hi + 5]


def _head_hash(m):
    m["audit_head"]["hash"] = "0" * 64


def _head_index(m):
    m["audit_head"]["index"] -= 1


@pytest.mark.parametrize(("change", "what"), [
    (_more_sales, "record counts"), (_totals, "rupiah totals"), (_range, "sequence range"),
    (_head_hash, "journal head"), (_head_index, "journal head")])
def test_a_manifest_that_disagrees_is_refused_and_nothing_imported(
        enrolled, till_shift, central_url, tmp_path, capsys, change, what) -> None:  # noqa: F811
    make_sales(enrolled, till_shift, 3)
    good = tmp_path / "good.lapak"
    export_bundle(enrolled, good)
    bad = reseal(enrolled, good, tmp_path / "bad.lapak", change)
    with pytest.raises(DomainError) as err:
        import_bundle(bad, central_url)
    assert err.value.code == "bundle_manifest_mismatch"
    assert all(n == 0 for n in central_state(central_url).values())
    assert not (tmp_path / "bad.lapak.ack").exists()
    code, out, text = run(capsys, "bundle", "import", str(bad), "--central", central_url)
    assert (code, out) == (1, "")
    assert text.strip() == (f"pos-app: The bundle {bad} does not match its own manifest "
                            f"({what}); nothing was imported")
    assert all(n == 0 for n in central_state(central_url).values())
    # the same bundle resealed without a change goes in: the check is of the figures
    fine = import_bundle(reseal(enrolled, good, tmp_path / "fine.lapak"), central_url)
    assert fine.inserted == fine.records > 0


def test_a_body_that_lost_a_sale_is_refused(enrolled, till_shift, central_url,  # noqa: F811
                                           tmp_path) -> None:
    """A sale line dropped from the body (checksum and signature made again): the manifest's
    counts and totals no longer match."""
    make_sales(enrolled, till_shift, 2)
    good = tmp_path / "good.lapak"
    export_bundle(enrolled, good)
    lines = good.read_bytes().split(b"\n")[:-1]
    body = [b for b in lines[1:-1] if json.loads(b)["table"] != "sale"] \
        + [b for b in lines[1:-1] if json.loads(b)["table"] == "sale"][1:]
    header = json.loads(lines[0])
    header["manifest"]["payload_sha256"] = hashlib.sha256(
        b"".join(b + b"\n" for b in body)).hexdigest()
    signed = b"".join(line + b"\n" for line in [json_line(header), *body])
    key = signing_key(enrolled.context.device_id)
    bad = tmp_path / "bad.lapak"
    bad.write_bytes(signed + json_line({"hmac_sha256": sign(key, signed)}) + b"\n")
    with pytest.raises(DomainError) as err:
        import_bundle(bad, central_url)
    assert err.value.code == "bundle_manifest_mismatch"
    assert "record counts" in err.value.message()
    assert all(n == 0 for n in central_state(central_url).values())


def test_import_streams_a_big_bundle(enrolled, till_shift, central_url, tmp_path) -> None:  # noqa: F811
    make_sales(enrolled, till_shift, 4)
    good = tmp_path / "good.lapak"
    res = export_bundle(enrolled, good)
    big = reseal(enrolled, good, tmp_path / "big.lapak", pad=400_000)
    size = big.stat().st_size
    assert size > 60 * 2**20  # a reader that loaded it whole would peak above this
    tracemalloc.start()
    try:
        done = import_bundle(big, central_url)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert done.inserted == res.records
    assert peak < size / 8, (peak, size)


def test_an_ack_that_cannot_be_written_says_what_was_imported(
        enrolled, till_shift, central_url, tmp_path, capsys) -> None:  # noqa: F811
    make_sales(enrolled, till_shift, 3)
    stick = tmp_path / "stick"
    stick.mkdir()
    bundle = stick / "b.lapak"
    res = export_bundle(enrolled, bundle)
    (stick / "b.lapak.ack").mkdir()  # the ack cannot go there (as on read-only media)
    code, out, err = run(capsys, "bundle", "import", str(bundle), "--central", central_url)
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1
    assert f"The bundle {bundle} was imported ({res.records} new, 0 already there, " \
           "0 quarantined), but its acknowledgement could not be written to " in err
    assert "import that copy again" in err and "nothing was changed" not in err
    assert central_state(central_url)["sale"] == 3  # it was committed
    # as the message says: a copy from a writable folder, imported again, gives the ack
    copy = tmp_path / "copy.lapak"
    shutil.copyfile(bundle, copy)
    again = import_bundle(copy, central_url)
    assert (again.inserted, again.already_there) == (0, res.records)
    assert apply_ack(enrolled, again.ack).marked_sent == res.records
