"""What every check returns, and the network timeout they share."""

from __future__ import annotations

from typing import NamedTuple

# Short timeouts: a doctor that hangs on an unplugged printer helps nobody.
NETWORK_TIMEOUT = 3.0


class Check(NamedTuple):
    name: str
    ok: bool
    message: str


def _mb(size: int) -> str:
    """``12,3 MB`` or ``81,4 GB``."""
    mb = size / (1024 * 1024)
    text = f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.1f} MB"
    return text.replace(".", ",")
