"""Staff PINs: stored only as a salted scrypt hash, ``scrypt$n$r$p$<salt hex>$<hash hex>``."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCHEME = "scrypt"
N = 16384
R = 8
P = 1
SALT_BYTES = 16
HASH_BYTES = 32
# Bounds for parameters read back from a stored hash, so a damaged or hostile value cannot make
# verification take minutes or gigabytes.
_MAX_N = 2**20
_MAX_R = 32
_MAX_P = 16
_MAXMEM = 256 * 1024 * 1024


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=dklen
    )


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """Hash a PIN with scrypt and a random 16-byte salt (``salt`` only for reproducible data).

    >>> stored = hash_pin("1234", salt=bytes(16))
    >>> stored.startswith("scrypt$16384$8$1$00000000000000000000000000000000$")
    True
    """
    if not pin:
        raise ValueError("empty PIN")
    if salt is None:
        salt = secrets.token_bytes(SALT_BYTES)
    if len(salt) != SALT_BYTES:
        raise ValueError(f"salt must be {SALT_BYTES} bytes")
    digest = _scrypt(pin, salt, N, R, P, HASH_BYTES)
    return f"{SCHEME}${N}${R}${P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str | None) -> bool:
    """True when ``pin`` matches the stored hash; False for a wrong PIN or an unusable hash.

    >>> stored = hash_pin("1234")
    >>> verify_pin("1234", stored), verify_pin("4321", stored)
    (True, False)
    """
    if not pin or not stored:
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = bytes.fromhex(parts[4])
        expected = bytes.fromhex(parts[5])
    except ValueError:
        return False
    if not (1 < n <= _MAX_N and n & (n - 1) == 0 and 0 < r <= _MAX_R and 0 < p <= _MAX_P):
        return False
    if not salt or not 16 <= len(expected) <= 64:
        return False
    try:
        actual = _scrypt(pin, salt, n, r, p, len(expected))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)
