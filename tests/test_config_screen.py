"""``[screen] cursor_blink``: typed, checked, off by default, kept in demo mode (issue 20)."""

from __future__ import annotations

import pytest

from tests.test_config_strict import GOOD, write
from tui_desk.config import ConfigError, UnknownKeyError, demo_config, load, load_file


def test_the_cursor_does_not_blink_unless_configured(tmp_path):
    assert load_file(write(tmp_path, GOOD)).cursor_blink is False
    assert demo_config().cursor_blink is False
    cfg = load_file(write(tmp_path, GOOD + "\n[screen]\ncursor_blink = true\n"))
    assert cfg.cursor_blink is True


def test_a_value_that_is_not_true_or_false_names_the_key(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_file(write(tmp_path, GOOD + '\n[screen]\ncursor_blink = "ja"\n'))
    assert "screen.cursor_blink" in str(err.value)
    assert "true or false" in str(err.value)


def test_a_misspelt_screen_key_names_the_right_one(tmp_path):
    with pytest.raises(UnknownKeyError) as err:
        load_file(write(tmp_path, GOOD + "\n[screen]\ncursor_blinks = true\n"))
    assert "bedoelt u `cursor_blink`?" in str(err.value)


def test_demo_mode_keeps_the_files_screen_setting(tmp_path):
    cfg = load(str(write(tmp_path, GOOD + "\n[screen]\ncursor_blink = true\n")), demo=True)
    assert cfg.cursor_blink is True
