"""The remembered sync result is data: what ``run_sync`` writes (the push's and the catalog's
figures, per table, or a failure's code and parameters) goes round through its JSON into the
same record, and :func:`describe` says it in the reader's language."""

from __future__ import annotations

import json
import uuid

from pos_app import i18n
from pos_app.domain.errors import DomainError, Message
from pos_app.services.sync.record import (
    CatalogFigures,
    PushFigures,
    SyncFailure,
    SyncRecord,
    describe,
    failure_of,
    record_of,
)
from pos_app.services.sync.sync_catalog import CatalogResult
from pos_app.services.sync.sync_push import PushResult, Quarantined

PUSH = PushResult(sent=1234, inserted=1200, already_there=34,
                  quarantined=[Quarantined("sale", uuid.uuid4(), "x")] * 2)
CATALOG = CatalogResult(sent=5, added=3, updated=4, superseded=1,
                        quarantined=[("product", uuid.uuid4(), "y")],
                        conflicts=[("product", "KOP-001", "UNIQUE")])
ENGLISH = i18n.load("en").gettext
INDONESIAN = i18n.load("id").gettext


def test_a_whole_sync_goes_round_with_its_figures_per_table() -> None:
    record = record_of(PUSH, CATALOG)
    assert record == SyncRecord(PushFigures(1234, 1200, 34, 2), CatalogFigures(5, 7, 1, 1),
                                {"product": {"conflicts": 1, "quarantined": 1},
                                 "sale": {"quarantined": 2}})
    stored = record.to_json()
    assert json.loads(stored)["push"] == {"sent": 1234, "new": 1200, "already_there": 34,
                                          "quarantined": 2}
    assert SyncRecord.from_json(stored) == record
    assert describe(record, ENGLISH) == (
        "Sent 1234 (new 1200, already there 34), quarantined 2; "
        "catalog: sent 5, received 7, superseded 1, conflicts 1")


def test_a_failure_keeps_its_code_and_parameters_and_is_said_in_indonesian() -> None:
    exc = DomainError("central_unreachable", reason="connection refused")
    record = record_of(PushResult(sent=3, inserted=3), failure=failure_of("catalog", exc))
    again = SyncRecord.from_json(record.to_json())
    assert again == record
    assert again.failure == SyncFailure("catalog", "central_unreachable",
                                        {"reason": "connection refused"})
    assert describe(again, ENGLISH) == (
        "Sent 3 (new 3, already there 0), quarantined 0; "
        "catalog failed: Cannot reach the central database: connection refused")
    assert describe(again, INDONESIAN) == (
        "Terkirim 3 (baru 3, sudah ada 0), dikarantina 0; katalog gagal: "
        "Tidak dapat menghubungi basis data pusat: connection refused")


def test_a_push_failure_with_a_message_parameter_is_translated_whole() -> None:
    exc = DomainError("bad_product", field="sku", reason=Message("use letters, digits, - and _"))
    record = SyncRecord.from_json(record_of(None, failure=failure_of("push", exc)).to_json())
    assert record.push is None
    assert record.failure.params == {"field": "sku",
                                     "reason": {"message": "use letters, digits, - and _"}}
    assert describe(record, ENGLISH) == f"Failed: {exc.message(ENGLISH)}"
    assert describe(record, INDONESIAN) == (
        INDONESIAN("Failed: {reason}").format(reason=exc.message(INDONESIAN)))
    assert "huruf" in describe(record, INDONESIAN)  # the inner message too


def test_nothing_yet_and_an_old_english_line() -> None:
    assert SyncRecord.from_json("") == SyncRecord() and SyncRecord().empty
    assert describe(SyncRecord.from_json(""), ENGLISH) == "—"
    old = "sent 1 (new 1, already there 0), quarantined 0"
    assert describe(SyncRecord.from_json(old), ENGLISH) == old  # shown as it was
    assert SyncRecord.from_json('{"v": 99}').text == '{"v": 99}'
