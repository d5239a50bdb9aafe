"""The argon2id parameters PINs are hashed with: production's, or a cheap profile for tests.

Production (the default, and always in the frozen app) is argon2-cffi's
``RFC_9106_LOW_MEMORY`` profile: t=3, m=64 MiB, p=4, about 0.1 s a hash -- above OWASP's
minimum for argon2id (m=19 MiB, t=2, p=1).

The test suite sets ``LAPAK_ARGON2_PROFILE=test`` before it imports the app, so its hundreds
of logins cost a fraction of a millisecond each. Nothing else is read from the variable: any
other value, or none, means production; and a hash made with the test profile is replaced by a
production one at the next successful login of a production run (``check_needs_rehash``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from argon2 import Parameters, PasswordHasher, Type, profiles

ENV = "LAPAK_ARGON2_PROFILE"

PRODUCTION: Parameters = profiles.RFC_9106_LOW_MEMORY
# argon2id still, the smallest cost argon2 accepts: 8 KiB, one pass, one lane.
TEST: Parameters = Parameters(type=Type.ID, version=19, salt_len=16, hash_len=32,
                              time_cost=1, memory_cost=8, parallelism=1)


def chosen_parameters(environ: Mapping[str, str] | None = None,
                      frozen: bool | None = None) -> Parameters:
    """``TEST`` only when ``LAPAK_ARGON2_PROFILE`` is ``test`` and this is not the frozen
    (installed) app; ``PRODUCTION`` otherwise."""
    environ = os.environ if environ is None else environ
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if not frozen and environ.get(ENV) == "test":
        return TEST
    return PRODUCTION


HASHER = PasswordHasher.from_parameters(chosen_parameters())
