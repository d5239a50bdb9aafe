"""PIN hashes at production cost, once: the rest of the suite logs in with the cheap test
profile (``LAPAK_ARGON2_PROFILE=test``, set by tests/conftest.py), which a production run
never uses."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type

from pos_app.services.access import auth, pin_hash

ROOT = Path(__file__).resolve().parents[2]
PEPPER = bytes(range(32))

# In a fresh interpreter without the variable: hash a PIN the way the app does.
_PRODUCTION_RUN = """
from pos_app.services.access import auth, pin_hash
print(pin_hash.HASHER.time_cost, pin_hash.HASHER.memory_cost, pin_hash.HASHER.parallelism)
stored = auth.hash_pin(bytes(range(32)), "1234")
print(stored)
print(auth.verify_pin(stored, "1234", bytes(range(32))), auth.verify_pin(stored, "1235", bytes(range(32))))
"""


@pytest.fixture(scope="module")
def production_run() -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != pin_hash.ENV}
    done = subprocess.run([sys.executable, "-c", _PRODUCTION_RUN], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.splitlines()


def test_without_the_variable_the_app_hashes_at_production_cost(production_run) -> None:
    hasher, stored, checks = production_run
    assert hasher == "3 65536 4"
    found = re.fullmatch(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$"
                         r"[A-Za-z0-9+/]+", stored)
    assert found, stored
    m, t, p = map(int, found.groups())
    assert m >= 19456 and t >= 2 and p >= 1  # OWASP: argon2id, 19 MiB, t=2, p=1
    assert (m, t, p) == (65536, 3, 4)  # RFC 9106 low-memory profile
    params = auth.hash_parameters(stored)
    assert params == pin_hash.PRODUCTION
    assert (params.type, params.memory_cost, params.time_cost, params.parallelism) == (
        Type.ID, 65536, 3, 4)
    assert "1234" not in stored
    assert checks == "True False"
    # ...and this (test-profile) process verifies it too: the parameters travel in the hash
    assert auth.verify_pin(stored, "1234", PEPPER) is True
    assert auth.verify_pin(stored, "4321", PEPPER) is False


def test_the_suite_runs_on_the_cheap_profile() -> None:
    assert os.environ[pin_hash.ENV] == "test"
    assert pin_hash.HASHER.time_cost == 1 and pin_hash.HASHER.memory_cost == 8
    stored = auth.hash_pin(PEPPER, "1234")
    assert auth.hash_parameters(stored) == pin_hash.TEST
    assert auth.hash_parameters(stored).type == Type.ID  # still argon2id


@pytest.mark.parametrize(("environ", "frozen", "expected"), [
    ({}, False, "production"),
    ({pin_hash.ENV: "test"}, False, "test"),
    ({pin_hash.ENV: "test"}, True, "production"),  # the installed app never takes it
    ({pin_hash.ENV: "TEST"}, False, "production"),
    ({pin_hash.ENV: ""}, False, "production"),
    ({pin_hash.ENV: "fast"}, False, "production"),
])
def test_the_test_profile_is_used_only_when_asked_for(environ, frozen, expected) -> None:
    chosen = pin_hash.chosen_parameters(environ, frozen=frozen)
    assert chosen == {"production": pin_hash.PRODUCTION, "test": pin_hash.TEST}[expected]


def test_a_test_profile_hash_is_replaced_at_a_production_login() -> None:
    production = PasswordHasher.from_parameters(pin_hash.PRODUCTION)
    assert production.check_needs_rehash(auth.hash_pin(PEPPER, "1234")) is True
