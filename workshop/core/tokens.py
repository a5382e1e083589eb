"""The facilitator token and the secret key, kept in the data directory.

Only a hash of the facilitator token is stored, so a copy of the data directory does not
hand over the board. Each start without WORKSHOP_FACILITATOR_TOKEN makes a new token (old
links stop working; browsers already signed in stay signed in).

``workshop token --rotate`` also bumps the token's *generation*, which every facilitator
session carries (web.context): only a rotation signs browsers out, never a restart. A running
server notices a rotation made by another process on its next request (FacilitatorKey).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from workshop.core.files import private_dir

TOKEN_FILE = "facilitator-token.sha256"
SECRET_FILE = "secret-key"
GENERATION_FILE = "facilitator-generation"


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
        _write_private(path, secrets.token_hex(32), keep_existing=True)
    return path.read_text().strip()


def token_generation(data_dir: Path) -> int:
    """How many times the token was rotated (0 when it never was)."""
    path = data_dir / GENERATION_FILE
    try:
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return 0


def rotate_facilitator_token(data_dir: Path) -> tuple[str, int]:
    """A new token and the next generation: every browser signed in before is signed out."""
    token = issue_facilitator_token(data_dir)
    generation = token_generation(data_dir) + 1
    _write_private(data_dir / GENERATION_FILE, str(generation))
    return token, generation


class FacilitatorKey:
    """The facilitator token's hash and generation as the data dir holds them now.

    Re-read whenever either file changes (a stat per check), so a rotation by another
    process takes effect in a running server at once. Without a data dir: a fixed hash.
    """

    def __init__(self, data_dir: Path | None, token_hash: str | None = None) -> None:
        self.data_dir = data_dir
        self._stamp: tuple | None = None
        self._value: tuple[str | None, int] = (token_hash, 0)

    def _current(self) -> tuple[str | None, int]:
        if self.data_dir is None:
            return self._value
        stamp = tuple(_stamp(self.data_dir / name) for name in (TOKEN_FILE, GENERATION_FILE))
        if stamp != self._stamp:
            self._value = (stored_token_hash(self.data_dir), token_generation(self.data_dir))
            self._stamp = stamp
        return self._value

    @property
    def token_hash(self) -> str | None:
        return self._current()[0]

    @property
    def generation(self) -> int:
        return self._current()[1]


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return (status.st_ino, status.st_mtime_ns, status.st_size)


def _write_private(path: Path, content: str, *, keep_existing: bool = False) -> None:
    """Write atomically (a reader never sees half a token), readable by the owner only.
    With ``keep_existing``, a file another process wrote first wins (processes starting at
    once on a fresh data dir then all sign cookies with one key)."""
    private_dir(path.parent)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(content + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    if not keep_existing:
        os.replace(partial, path)
        return
    try:
        os.link(partial, path)  # fails if the file exists: never replaces another's key
    except FileExistsError:
        pass
    finally:
        os.unlink(partial)
