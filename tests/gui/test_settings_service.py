"""services.settings: stored settings (language, QRIS image) with the booth's cache refreshed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.services.setup.booth import Booth
from pos_app.services.setup.settings import set_language, set_qris_image, set_setting


def test_language_is_stored(booth: Booth) -> None:
    assert booth.settings()["language"] == "id"
    assert set_language(booth, "en") == "en"
    assert booth.settings()["language"] == "en"


def test_unknown_language_and_unknown_key_are_refused(booth: Booth) -> None:
    with pytest.raises(ValueError):
        set_language(booth, "fr")
    with pytest.raises(KeyError):
        set_setting(booth, "colour", "teal")
    assert booth.settings()["language"] == "id"
    assert "colour" not in booth.settings()


def test_qris_image_is_stored_absolute_and_can_be_forgotten(booth: Booth, tmp_path: Path,
                                                             monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert set_qris_image(booth, "qris.png") == str(tmp_path.resolve() / "qris.png")
    assert booth.settings()["qris_image"] == str(tmp_path.resolve() / "qris.png")
    assert set_qris_image(booth, None) == ""
    assert booth.settings()["qris_image"] == ""


def test_a_change_refreshes_the_cached_context(booth: Booth) -> None:
    before = booth.context
    set_setting(booth, "ppn_rate", "11")
    assert booth.context is not before
    assert booth.context.tax.rate_percent == 11
