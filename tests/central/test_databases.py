"""The central tests leave no database behind: one is made per test and dropped after it."""

from __future__ import annotations

import psycopg

from tests.central.conftest import databases, fresh_database, socket_url


def test_a_fresh_database_is_dropped_even_with_a_connection_open(pg_server) -> None:
    _server, socket_dir = pg_server
    before = databases(socket_dir)
    for _ in range(3):
        with fresh_database(socket_dir) as name:
            assert databases(socket_dir) == before | {name}
            held = psycopg.connect(socket_url(socket_dir, name), autocommit=True)
            held.execute("CREATE TABLE sale (id int)")
        held.close()  # the server ended it when the database was dropped
        assert databases(socket_dir) == before


def test_the_count_does_not_grow_from_test_to_test(pg_server, central_url: str) -> None:
    # central_url's database is the only one there: those of the tests run before this one
    # are gone (and any left over fails the session, in the pg_server fixture).
    _server, socket_dir = pg_server
    name = central_url.split("?")[0].rsplit("/", 1)[1]
    assert name in databases(socket_dir)
    assert {d for d in databases(socket_dir) if d.startswith("central_")} == {name}
