"""Short codes people read aloud or type: join codes and card codes.

The alphabet leaves out characters that are easily confused when handwritten, printed or
spoken (0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V). Codes are drawn at random (``secrets``), so a
card code does not reveal the next one.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ACEFGHJKMNPRTWXY34679"
JOIN_CODE_LENGTH = 4
CARD_CODE_LENGTH = 6


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(code: str) -> str:
    """Upper-case and drop spaces and dashes, so ``k7p-qxm`` finds ``K7PQXM``."""
    return re.sub(r"[\s\-]", "", code).upper()


def looks_like_code(code: str, length: int) -> bool:
    return len(code) == length and all(char in ALPHABET for char in code)
