"""The facilitator token and the secret key, kept in the data directory.

Only a hash of the facilitator token is stored, so a copy of the data directory does not
hand over the board. Each start without WORKSHOP_FACILITATOR_TOKEN makes a new token (old
links stop working; browsers already signed in stay signed in).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

TOKEN_FILE = "facilitator-token.sha256"
SECRET_FILE = "secret-key"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: object, stored_hash: str | None) -> bool:
    if not isinstance(token, str) or not token or stored_hash is None:
        return False
    return hmac.compare_digest(hash_token(token), stored_hash)


def issue_facilitator_token(data_dir: Path, fixed: str | None = None) -> str:
    """Store the hash of a new (or the fixed) token in ``data_dir`` and return the token."""
    token = fixed or secrets.token_urlsafe(24)
    _write_private(data_dir / TOKEN_FILE, hash_token(token))
    return token


def stored_token_hash(data_dir: Path) -> str | None:
    path = data_dir / TOKEN_FILE
    return path.read_text().strip() if path.exists() else None


def secret_key(data_dir: Path) -> str:
    """The key that signs cookies; kept so phones stay joined across a restart."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        _write_private(path, secrets.token_hex(32))
    return path.read_text().strip()


def _write_private(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(content + "\n")
