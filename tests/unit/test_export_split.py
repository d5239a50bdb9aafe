"""The pack's settlement split is made on each device's own DPP (net less PPN) and added up, so a head
office pack over several booths equals the sum of the booths' packs to the rupiah (one split
of the combined DPP could put a rupiah elsewhere)."""

from __future__ import annotations

from pos_app.domain.settlement import Shares, split
from pos_app.services.reporting.export_data import Aggregates
from pos_app.services.reporting.export_sheets import _split

SHARES = Shares(4000, 3500, 2000, 500)


def test_the_split_is_the_sum_of_each_devices_split() -> None:
    agg = Aggregates()
    agg.device_dpp = {("booth-a", "LP-KPG"): 3, ("booth-b", "LP-KPG"): 3, ("booth-a", "X"): 7}
    one = split(3, SHARES)
    assert _split(agg, "LP-KPG", SHARES) == {p: 2 * v for p, v in one.items()}
    assert _split(agg, "LP-KPG", SHARES) != split(6, SHARES)  # the combined DPP differs here
    assert sum(_split(agg, "LP-KPG", SHARES).values()) == 6


def test_one_device_is_split_on_its_own_dpp() -> None:
    agg = Aggregates()
    agg.device_dpp = {("booth-a", "LP-KPG"): 123_457}
    assert _split(agg, "LP-KPG", SHARES) == split(123_457, SHARES)
