"""The remembered sync result goes round: what ``run_sync`` writes (``describe`` of the
push and of the catalog, or a failure) reads back into the same numbers and reasons, so the
sync screen can say it in the cashier's language."""

from __future__ import annotations

import uuid

from pos_app.services.sync.sync_catalog import CatalogResult
from pos_app.services.sync.sync_catalog import describe as describe_catalog
from pos_app.services.sync.sync_push import PushResult, Quarantined
from pos_app.services.sync.sync_status import ResultPart, describe, read_result


def test_a_whole_sync_reads_back_into_its_numbers() -> None:
    push = PushResult(sent=1234, inserted=1200, already_there=34,
                      quarantined=[Quarantined("sale", uuid.uuid4(), "x")] * 2)
    catalog = CatalogResult(sent=5, added=3, updated=4, superseded=1,
                            conflicts=[("product", "KOP-001", "UNIQUE")])
    text = f"{describe(push)}; {describe_catalog(catalog)}"
    assert read_result(text) == [ResultPart("push", (1234, 1200, 34, 2)),
                                 ResultPart("catalog", (5, 7, 1, 1))]


def test_failures_and_unknown_parts_read_back_as_text() -> None:
    push = PushResult(sent=0)
    text = f"{describe(push)}; catalog failed: Cannot reach the central database: x; y"
    assert read_result(text) == [
        ResultPart("push", (0, 0, 0, 0)),
        ResultPart("catalog_failed", text="Cannot reach the central database: x"),
        ResultPart("text", text="y")]
    assert read_result("failed: The central database refused: z") == [
        ResultPart("failed", text="The central database refused: z")]
    assert read_result("") == []
