"""Reading rows and journal events straight from a booth's database file, for assertions."""

from __future__ import annotations

import json
import sqlite3

from pos_app.services.setup.booth import Booth


def sql(booth: Booth, query: str, *params) -> list[dict]:
    with sqlite3.connect(booth.db.path) as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(query, params)]


def events(booth: Booth, *actions: str) -> list[dict]:
    """The journal events with these actions, in chain order, payloads decoded."""
    marks = ",".join("?" * len(actions))
    rows = sql(booth, f"SELECT actor, action, subject_kind, subject_id, payload FROM audit_event "
                      f"WHERE action IN ({marks}) ORDER BY chain_index", *actions)
    return [{**r, "payload": json.loads(r["payload"])} for r in rows]
