"""Opening the facilitator's page in the default browser when `workshop demo` starts.

Python's ``webbrowser`` opens the desktop's default browser on Windows and macOS (and on
Linux through ``xdg-open``, or the ``BROWSER`` environment variable). Without a display it
falls back to a text browser in the terminal (lynx, w3m), which would take the terminal
over from the server's messages, so no browser is opened then, nor under CI, nor with
``--no-browser`` or ``WORKSHOP_NO_BROWSER`` (which the test suite sets).
"""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Mapping


def reason_not_to_open(
    no_browser: bool, environ: Mapping[str, str] = os.environ, platform: str = sys.platform
) -> str | None:
    """Why no browser should be opened here, or None when one should."""
    if no_browser or environ.get("WORKSHOP_NO_BROWSER"):
        return "--no-browser"
    if environ.get("CI"):
        return "CI"
    desktop = platform.startswith(("win", "darwin"))
    if not desktop and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        return "no display"
    return None


def open_page(url: str) -> bool:
    """Open ``url`` in a new tab of the default browser; False if none could be started."""
    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False
